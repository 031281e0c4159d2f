package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/**
 * DEBUG LOADAOF: what was logged is flushed, the dataset emptied and rebuilt from the append-only files
 * the manifest on disk lists, and the reload itself is not logged again.
 */
class DebugLoadAofTest {
    private static final ProtocolCommand DEBUG = () -> SafeEncoder.encode("DEBUG");

    @Test
    void reloadRebuildsStreamsGroupsAndPendingEntriesWithoutLoggingThemAgain(@TempDir Path dir) throws Exception {
        String streams;
        String digest;
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes", "--appendfsync", "everysec");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            StreamPersistenceTest.populate(j, "events");
            j.incr("counter");
            j.set("ttl", "v");
            j.pexpire("ttl", 1_000_000);
            j.select(3);
            j.hset("other-db", "f", "v");
            j.select(0);
            streams = StreamPersistenceTest.state(j, "events");
            assertTrue(streams.contains("workers 7-1 dave 6"), streams);
            digest = debug(j, "DIGEST");

            assertEquals("OK", debug(j, "LOADAOF"));
            assertEquals(streams, StreamPersistenceTest.state(j, "events"));
            assertEquals(digest, debug(j, "DIGEST"));
            assertTrue(j.pttl("ttl") > 900_000, "the expiry survives");

            // After a rewrite the base file carries the dataset and the reload reads base and increments.
            j.bgrewriteaof();
            waitForRewrite(j);
            j.sendCommand(Protocol.Command.XADD, "events", "*", "after", "rewrite");
            streams = StreamPersistenceTest.state(j, "events");
            digest = debug(j, "DIGEST");
            assertEquals("OK", debug(j, "LOADAOF"));
            assertEquals(streams, StreamPersistenceTest.state(j, "events"));
            assertEquals(digest, debug(j, "DIGEST"));
            assertEquals(0, s.stop());
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(streams, StreamPersistenceTest.state(j, "events"));
            assertEquals(digest, debug(j, "DIGEST"));
            assertEquals("1", j.get("counter"), "the commands the reloads replayed were not logged again");
        }
    }

    /** With appendonly never on there is nothing to load: the data is gone and the reply is an error, as in Redis. */
    @Test
    void repliesAsRedisWithAppendOnlyOffOnAndOffAgain() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start();
                RealRedis redis = RealRedis.start("--enable-debug-command", "yes");
                Differential d = new Differential(respite.port(), redis.port())) {
            d.check("XADD", "s", "1-1", "f", "v");
            d.check("DEBUG", "LOADAOF");
            d.check("DBSIZE");
            d.check("XADD", "s", "1-1", "f", "v");
            d.check("CONFIG", "SET", "appendonly", "yes");
            waitForRewrite(d.respite());
            waitForRewrite(d.redis());
            d.check("XGROUP", "CREATE", "s", "g", "0");
            d.check("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
            d.check("SET", "k", "v");
            d.check("DEBUG", "LOADAOF");
            d.check("DEBUG", "LOADAOF", "extra", "arguments");
            d.check("XPENDING", "s", "g");
            d.check("XINFO", "GROUPS", "s");
            d.check("DBSIZE");
            // Turned off, the files stay on disk: the reload brings back what they hold, not what came after.
            d.check("CONFIG", "SET", "appendonly", "no");
            d.check("SET", "later", "v");
            d.check("DEBUG", "LOADAOF");
            d.check("EXISTS", "later", "k", "s");
        }
    }

    private static String debug(Jedis j, String... args) {
        return SafeEncoder.encode((byte[]) j.sendCommand(DEBUG, args));
    }

    private static void waitForRewrite(Jedis j) throws InterruptedException {
        for (int i = 0; i < 500 && !j.info("persistence").contains("aof_rewrite_in_progress:0"); i++) {
            Thread.sleep(20);
        }
        for (int i = 0; i < 500 && j.info("persistence").contains("aof_rewrite_scheduled:1"); i++) {
            Thread.sleep(20);
        }
        assertTrue(j.info("persistence").contains("aof_rewrite_in_progress:0"));
    }

    private static void waitForRewrite(RawConnection c) throws Exception {
        for (int i = 0; i < 500; i++) {
            String info = c.call("INFO", "persistence");
            if (info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the append only file rewrite did not end");
    }
}
