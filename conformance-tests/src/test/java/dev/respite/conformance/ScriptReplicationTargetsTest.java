package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * redis.set_repl: a script chooses where the effects of its next commands go. What it keeps out of the
 * append-only file is gone after DEBUG LOADAOF rebuilds the dataset from that file.
 */
class ScriptReplicationTargetsTest {
    @Test
    void setReplDecidesWhatTheAppendOnlyFileKeeps(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes", "--appendfsync", "always");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.eval(
                    "redis.set_repl(redis.REPL_NONE); redis.call('set', KEYS[1], 'none');"
                            + "redis.set_repl(redis.REPL_REPLICA); redis.call('set', KEYS[2], 'replica');"
                            + "redis.set_repl(redis.REPL_AOF); redis.call('set', KEYS[3], 'aof');"
                            + "redis.set_repl(redis.REPL_ALL); redis.call('set', KEYS[4], 'all')",
                    List.of("none", "replica", "aof", "all"),
                    List.of());
            assertEquals("none", j.get("none"), "the script's writes apply here whatever their targets");
            assertEquals(
                    "OK", SafeEncoder.encode((byte[]) j.sendCommand(() -> SafeEncoder.encode("DEBUG"), "LOADAOF")));
            assertNull(j.get("none"));
            assertNull(j.get("replica"));
            assertEquals("aof", j.get("aof"));
            assertEquals("all", j.get("all"));
        }
    }
}
