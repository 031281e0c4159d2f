package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Streams survive every way data leaves and re-enters a server: the append-only file after a SIGKILL and
 * after a rewrite (groups, pending entries and delivery counts included), RDB files both ways with Redis
 * 7.0, and DUMP/RESTORE both ways.
 */
class StreamPersistenceTest {
    private static final ProtocolCommand XGROUP = () -> SafeEncoder.encode("XGROUP");

    /** A stream with two groups, consumers holding entries delivered several times, deletions and a trim. */
    static void populate(Jedis j, String key) {
        for (int i = 1; i <= 40; i++) {
            call(j, Protocol.Command.XADD, key, i + "-" + (i % 3), "event", "e" + i, "n", Integer.toString(i));
        }
        call(j, Protocol.Command.XDEL, key, "5-2", "6-0");
        call(j, XGROUP, "CREATE", key, "workers", "0");
        call(j, XGROUP, "CREATE", key, "audit", "10-1");
        call(j, Protocol.Command.XREADGROUP, "GROUP", "workers", "alice", "COUNT", "7", "STREAMS", key, ">");
        call(j, Protocol.Command.XREADGROUP, "GROUP", "workers", "bob", "COUNT", "5", "STREAMS", key, ">");
        call(j, Protocol.Command.XREADGROUP, "GROUP", "workers", "alice", "STREAMS", key, "0");
        call(j, Protocol.Command.XREADGROUP, "GROUP", "audit", "carol", "NOACK", "COUNT", "4", "STREAMS", key, ">");
        call(j, Protocol.Command.XACK, key, "workers", "1-1", "3-0");
        call(j, Protocol.Command.XCLAIM, key, "workers", "dave", "0", "7-1", "8-2", "RETRYCOUNT", "6");
        call(j, Protocol.Command.XAUTOCLAIM, key, "workers", "erin", "0", "9-0", "COUNT", "2");
        call(j, XGROUP, "CREATECONSUMER", key, "workers", "idle");
        call(j, Protocol.Command.XTRIM, key, "MINID", "2");
        call(j, Protocol.Command.XADD, key, "MAXLEN", "~", "35", "*", "event", "late");
    }

    private static Object call(Jedis j, ProtocolCommand c, String... args) {
        return j.sendCommand(c, args);
    }

    /** What must survive: entries, counters, groups, and every pending entry with owner and delivery count. */
    static String state(Jedis j, String key) {
        StringBuilder sb = new StringBuilder();
        sb.append(text(call(j, Protocol.Command.XRANGE, key, "-", "+"))).append('\n');
        List<?> info = (List<?>) call(j, Protocol.Command.XINFO, "STREAM", key);
        for (int i = 0; i < info.size(); i += 2) {
            String field = text(info.get(i));
            if (!field.startsWith("radix-tree")) {
                sb.append(field).append('=').append(text(info.get(i + 1))).append('\n');
            }
        }
        sb.append(text(call(j, Protocol.Command.XINFO, "GROUPS", key))).append('\n');
        for (String group : List.of("workers", "audit")) {
            for (Object p : (List<?>) call(j, Protocol.Command.XPENDING, key, group, "-", "+", "1000")) {
                List<?> e = (List<?>) p;
                sb.append(group)
                        .append(' ')
                        .append(text(e.get(0)))
                        .append(' ')
                        .append(text(e.get(1)))
                        .append(' ')
                        .append(e.get(3))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String text(Object o) {
        if (o instanceof byte[] b) {
            return SafeEncoder.encode(b);
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object x : l) {
                sb.append(text(x)).append(' ');
            }
            return sb.append(']').toString();
        }
        return String.valueOf(o);
    }

    @Test
    void appendOnlyFileRestoresGroupsAfterKillAndAfterRewrite(@TempDir Path dir) throws Exception {
        String before;
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            populate(j, "events");
            before = state(j, "events");
            assertTrue(before.contains("workers 7-1 dave 6"), before);
            s.kill();
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(before, state(j, "events"));
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            for (int i = 0; i < 500 && !j.info("persistence").contains("aof_rewrite_in_progress:0"); i++) {
                Thread.sleep(20);
            }
            for (int i = 0; i < 500 && j.info("persistence").contains("aof_rewrite_scheduled:1"); i++) {
                Thread.sleep(20);
            }
            assertTrue(j.info("persistence").contains("aof_last_bgrewrite_status:ok"));
            call(j, Protocol.Command.XADD, "empty", "MAXLEN", "0", "7-7", "f", "v");
            s.kill();
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(before, state(j, "events"));
            assertEquals("stream", j.type("empty"));
            assertEquals(0L, j.sendCommand(Protocol.Command.XLEN, "empty"));
        }
    }

    @Test
    void snapshotsMoveBothWaysWithRedis70(@TempDir Path dir) throws Exception {
        String original;
        try (RealRedis redis = RealRedis.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            populate(j, "events");
            call(j, XGROUP, "CREATE", "empty", "g", "$", "MKSTREAM");
            original = state(j, "events");
            assertEquals("OK", j.save());
        }
        try (RespiteProcess respite = RespiteProcess.startIn(dir);
                Jedis r = new Jedis("127.0.0.1", respite.port())) {
            assertEquals(original, state(r, "events"));
            assertEquals("stream", r.type("empty"));
            Files.delete(dir.resolve("dump.rdb"));
            call(r, Protocol.Command.XADD, "events", "*", "event", "from-respite");
            original = state(r, "events");
            assertEquals("OK", r.save());
        }
        try (RealRedis redis = RealRedis.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(original, state(j, "events"));
            assertEquals("stream", j.type("empty"));
            assertEquals(
                    "[[name g consumers 0 pending 0 last-delivered-id 0-0 entries-read  lag 0 ] ]",
                    text(call(j, Protocol.Command.XINFO, "GROUPS", "empty")).replace("null", ""));
        }
    }

    @Test
    void dumpRestoresBothWays() throws Exception {
        try (RealRedis redis = RealRedis.start();
                RespiteProcess respite = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", redis.port());
                Jedis r = new Jedis("127.0.0.1", respite.port())) {
            populate(j, "events");
            String original = state(j, "events");
            assertEquals("OK", r.restore("events", 0, j.dump("events")));
            assertEquals(original, state(r, "events"));
            call(r, Protocol.Command.XADD, "events", "*", "event", "again");
            String changed = state(r, "events");
            assertEquals("OK", j.restore("copy", 0, r.dump("events")));
            assertEquals(changed, state(j, "copy").replace("copy", "events"));
            assertEquals("OK", r.copy("events", "clone", false) ? "OK" : "no copy");
            assertEquals(changed, state(r, "clone"));
            r.rename("clone", "renamed");
            assertEquals(changed, state(r, "renamed"));
        }
    }
}
