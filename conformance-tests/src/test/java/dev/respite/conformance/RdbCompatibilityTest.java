package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RedisContents;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Snapshots move between real Redis (Debian's 7.0, which existing installations run, and the 7.2.5
 * reference) and Respite both ways. Respite's contents are observed by
 * DUMPing each key and RESTOREing it into a scratch Redis, where Redis's own commands describe it.
 */
class RdbCompatibilityTest {
    private static final int[] DATABASES = {0, 3};

    /** Starts one of the two Redis versions with a working directory. */
    private interface Redis {
        RealRedis startIn(Path dir) throws IOException;
    }

    @Test
    void redis70SnapshotLoadsIntoRespiteAndRespiteSnapshotLoadsIntoRedis70(@TempDir Path dir) throws Exception {
        roundTrip(dir, RealRedis::startDebianIn);
    }

    @Test
    void redis72SnapshotLoadsIntoRespiteAndRespiteSnapshotLoadsIntoRedis72(@TempDir Path dir) throws Exception {
        roundTrip(dir, RealRedis::startIn);
    }

    private void roundTrip(Path dir, Redis version) throws Exception {
        Map<Integer, Map<String, String>> original = new java.util.HashMap<>();
        try (RealRedis redis = version.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            SampleData.populate(j);
            for (int db : DATABASES) {
                j.select(db);
                original.put(db, RedisContents.of(j, RedisContents.keys(j), true));
            }
            assertEquals("OK", j.save());
        }
        try (RespiteProcess respite = RespiteProcess.startIn(dir);
                RealRedis scratch = version.startIn(Files.createTempDirectory("redis-scratch"));
                Jedis r = new Jedis("127.0.0.1", respite.port());
                Jedis s = new Jedis("127.0.0.1", scratch.port())) {
            for (int db : DATABASES) {
                r.select(db);
                Map<String, String> expected = original.get(db);
                assertEquals(expected.size(), r.dbSize(), "keys in database " + db);
                copyThroughDump(r, s, new ArrayList<>(expected.keySet()));
                assertEquals(withoutTtl(expected), RedisContents.of(s, new ArrayList<>(expected.keySet()), false));
                s.flushAll();
            }
            Files.delete(dir.resolve("dump.rdb"));
            assertEquals("OK", r.save());
            assertTrue(Files.size(dir.resolve("dump.rdb")) > 0);
        }
        try (RealRedis redis = version.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            for (int db : DATABASES) {
                j.select(db);
                assertEquals(original.get(db), RedisContents.of(j, RedisContents.keys(j), true), "database " + db);
            }
        }
    }

    @Test
    void aHundredThousandKeysOfMixedTypesLoadIntoRespite(@TempDir Path dir) throws Exception {
        List<String> keys = new ArrayList<>();
        Map<String, String> original;
        try (RealRedis redis = RealRedis.startDebianIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 100_000; i++) {
                String k = "key:" + i;
                keys.add(k);
                switch (i % 5) {
                    case 0 -> p.set(k, "value-" + i);
                    case 1 -> p.hset(k, Map.of("a", "1", "b", Integer.toString(i)));
                    case 2 -> p.rpush(k, "x", Integer.toString(i), "z");
                    case 3 -> p.sadd(k, Integer.toString(i), "7");
                    default -> p.zadd(k, i, "member");
                }
                if (i % 10 == 0) {
                    p.expire(k, 3600 + i % 600);
                }
            }
            p.sync();
            original = RedisContents.of(j, keys, false);
            assertEquals("OK", j.save());
        }
        try (RespiteProcess respite = RespiteProcess.startIn(dir);
                RealRedis scratch = RealRedis.startDebianIn(Files.createTempDirectory("redis-scratch"));
                Jedis r = new Jedis("127.0.0.1", respite.port(), 60_000);
                Jedis s = new Jedis("127.0.0.1", scratch.port(), 60_000)) {
            assertEquals(100_000, r.dbSize());
            copyThroughDump(r, s, keys);
            assertEquals(original, RedisContents.of(s, keys, false));
            Matcher m = Pattern.compile("keys loaded: (\\d+), keys expired: 0, ([\\d.]+) MB in (\\d+) ms")
                    .matcher(respite.log());
            assertTrue(m.find(), respite.log());
            assertEquals("100000", m.group(1));
            System.out.println("Respite loaded 100000 keys (" + m.group(2) + " MB) in " + m.group(3) + " ms");
        }
    }

    @Test
    void damagedSnapshotStopsTheStartWithTheOffset(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.startDebianIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            SampleData.populate(j);
            j.save();
        }
        Path file = dir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> RespiteProcess.startIn(dir).close());
        assertTrue(
                e.getMessage().contains("Fatal error loading the DB")
                        && e.getMessage().contains("at offset"),
                e.getMessage());
    }

    @Test
    void checkRdbReportsAGoodFileAndADamagedOne(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.startDebianIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            SampleData.populate(j);
            j.save();
        }
        Path file = dir.resolve("dump.rdb");
        CheckResult good = checkRdb(file);
        assertEquals(0, good.exitCode(), good.output());
        assertTrue(good.output().contains("RDB looks OK!"), good.output());
        assertTrue(good.output().contains("list-quicklist-2 (type 18)"), good.output());
        assertTrue(good.output().contains("set-intset (type 11)"), good.output());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        CheckResult bad = checkRdb(file);
        assertNotEquals(0, bad.exitCode());
        assertTrue(
                bad.output().contains("RDB CRC error") && bad.output().contains("at offset " + (bytes.length - 8)),
                bad.output());
    }

    private record CheckResult(int exitCode, String output) {}

    private static CheckResult checkRdb(Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", RespiteProcess.jar().toString(), "--check-rdb", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        return new CheckResult(p.waitFor(), out);
    }

    /** DUMPs every key from {@code from} and RESTOREs it into {@code to} under the same name. */
    static void copyThroughDump(Jedis from, Jedis to, List<String> keys) {
        for (int start = 0; start < keys.size(); start += 2_000) {
            List<String> batch = keys.subList(start, Math.min(keys.size(), start + 2_000));
            Pipeline p = from.pipelined();
            List<Response<byte[]>> dumps = new ArrayList<>();
            for (String k : batch) {
                dumps.add(p.dump(k));
            }
            p.sync();
            Pipeline q = to.pipelined();
            for (int i = 0; i < batch.size(); i++) {
                q.restore(batch.get(i), 0, dumps.get(i).get());
            }
            q.sync();
        }
    }

    private static Map<String, String> withoutTtl(Map<String, String> described) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        described.forEach((k, v) -> out.put(k, v.replaceFirst(" ttl[=~]-?\\d+(min)?", "")));
        return out;
    }
}
