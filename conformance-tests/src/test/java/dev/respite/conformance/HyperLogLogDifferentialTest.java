package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * HyperLogLogs against redis-server 7.2.5: every reply byte for byte, and the stored strings themselves
 * (GET through Jedis's binary API) after seeded sequences of PFADD, PFCOUNT and PFMERGE, with sparse
 * values, dense ones, promotions at several hll-sparse-max-bytes, cached cardinalities and corrupt values.
 */
class HyperLogLogDifferentialTest extends DifferentialSuite {
    private static final String[] KEYS = {"h0", "h1", "h2", "h3", "h4", "{x}merged"};

    private void assertSameBytes(String key) {
        try (Jedis a = new Jedis("127.0.0.1", respite.port());
                Jedis b = new Jedis("127.0.0.1", reference.port())) {
            byte[] expected = b.get(key.getBytes(StandardCharsets.UTF_8));
            byte[] actual = a.get(key.getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(
                    expected, actual, () -> "GET " + key + " redis=" + hex(expected) + " respite=" + hex(actual));
        }
    }

    private static String hex(byte[] b) {
        return b == null ? "nil" : HexFormat.of().formatHex(b);
    }

    private static String element(SplittableRandom random) {
        int kind = random.nextInt(4);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return Integer.toString(random.nextInt(2_000));
        }
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(1, 20); i > 0; i--) {
            s.append((char) random.nextInt(33, 127));
        }
        return s.toString();
    }

    private void randomWorkload(long seed, int steps) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int step = 0; step < steps; step++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            int op = random.nextInt(10);
            if (op < 6) {
                List<String> args = new ArrayList<>(List.of("PFADD", key));
                for (int i = random.nextInt(0, 1 + (random.nextInt(8) == 0 ? 200 : 12)); i > 0; i--) {
                    args.add(element(random));
                }
                d.check(args.toArray(String[]::new));
            } else if (op < 8) {
                d.check("PFCOUNT", key);
                if (random.nextBoolean()) {
                    d.check("PFCOUNT", key, KEYS[random.nextInt(KEYS.length)], "missing");
                }
            } else if (op == 8) {
                d.check("PFMERGE", key, KEYS[random.nextInt(KEYS.length)], KEYS[random.nextInt(KEYS.length)]);
            } else {
                d.check("PFDEBUG", "ENCODING", key);
                if (d.check("EXISTS", key).equals(":1\r\n")) {
                    d.check("PFDEBUG", "DECODE", key);
                }
            }
            if (step % 25 == 0) {
                for (String k : KEYS) {
                    assertSameBytes(k);
                }
            }
        }
        for (String k : KEYS) {
            assertSameBytes(k);
            d.check("PFCOUNT", k);
            assertSameBytes(k);
        }
    }

    @Test
    void randomSequencesStoreTheSameBytesAsRedis() throws IOException {
        randomWorkload(1, 1500);
    }

    @Test
    void promotionFollowsHllSparseMaxBytes() throws IOException {
        for (String max : new String[] {"0", "50", "400", "12000"}) {
            check("FLUSHALL");
            d.check("CONFIG", "SET", "hll-sparse-max-bytes", max);
            d.check("CONFIG", "GET", "hll-sparse-max-bytes");
            randomWorkload(Long.parseLong(max) + 7, 300);
        }
        d.check("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }

    @Test
    void debugSubcommandsAndErrors() throws IOException {
        check(
                "PFADD h a b c d",
                "PFDEBUG ENCODING h",
                "PFDEBUG DECODE h",
                "PFDEBUG TODENSE h",
                "PFDEBUG TODENSE h",
                "PFDEBUG ENCODING h",
                "PFDEBUG DECODE h",
                "PFDEBUG GETREG h",
                "PFCOUNT h",
                "PFDEBUG NOPE h",
                "PFDEBUG \"\\x00\\xff\\x01\" h",
                "PFDEBUG \"no\\x00pe\" h",
                "PFDEBUG GETREG missing",
                "PFADD s x",
                "PFDEBUG GETREG s",
                "PFDEBUG ENCODING s",
                "PFSELFTEST");
        assertSameBytes("h");
        assertSameBytes("s");
        check(
                "SET str hello",
                "PFADD str a",
                "PFCOUNT str",
                "PFCOUNT h str",
                "PFMERGE str h",
                "PFMERGE h str",
                "PFDEBUG ENCODING str",
                "LPUSH list a",
                "PFADD list a",
                "PFCOUNT list",
                "PFCOUNT h list",
                "PFMERGE list h",
                "PFMERGE h list",
                "PFADD",
                "PFCOUNT",
                "PFMERGE",
                "PFDEBUG GETREG",
                "PFSELFTEST x");
        check(
                "PFMERGE fresh missing1 missing2",
                "PFCOUNT fresh",
                "PFADD empty",
                "PFCOUNT empty",
                "TYPE fresh",
                "OBJECT ENCODING fresh",
                "OBJECT ENCODING h",
                "STRLEN h",
                "STRLEN s");
        assertSameBytes("fresh");
        assertSameBytes("empty");
    }

    @Test
    void corruptValuesGetRedisErrors() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 300; round++) {
            check("DEL h", "PFADD h a b c d e f g h i j k l m n o p");
            if (round % 3 == 0) {
                check("PFDEBUG TODENSE h");
            }
            int len = Integer.parseInt(d.check("STRLEN", "h").substring(1).trim());
            for (int k = random.nextInt(1, 4); k > 0; k--) {
                int offset = random.nextInt(round % 5 == 0 ? 0 : 16, len + 2);
                d.check("SETRANGE", "h", Integer.toString(offset), String.valueOf((char) random.nextInt(0, 128)));
            }
            d.check("PFCOUNT", "h");
            d.check("PFADD", "h", "x" + round, "y" + round, "z" + round);
            d.check("PFCOUNT", "h", "missing");
            d.check("PFMERGE", "dest", "h");
            d.check("PFDEBUG", "ENCODING", "h");
            assertSameBytes("h");
            assertSameBytes("dest");
        }
        check("SET h HYLL", "PFCOUNT h", "SET h HYLLxxxxxxxxxxxxxxxxxxxx", "PFADD h a");
    }

    @Test
    void valuesMoveThroughDumpAndRestoreBothWays() throws IOException {
        check("PFADD sparse a b c", "PFADD dense x", "PFDEBUG TODENSE dense", "PFADD dense y z");
        for (String key : new String[] {"sparse", "dense"}) {
            try (Jedis a = new Jedis("127.0.0.1", respite.port());
                    Jedis b = new Jedis("127.0.0.1", reference.port())) {
                byte[] fromRedis = b.dump(key);
                a.restore(key + ":r", 0, fromRedis);
                byte[] fromRespite = a.dump(key);
                b.restore(key + ":r", 0, fromRespite);
                assertArrayEquals(b.get((key).getBytes()), a.get((key + ":r").getBytes()));
                assertArrayEquals(a.get(key.getBytes()), b.get((key + ":r").getBytes()));
            }
            d.check("PFCOUNT", key + ":r");
            assertSameBytes(key + ":r");
        }
    }

    /**
     * A dense value changes in place: a copy made before (COPY, SET from GET), a reply written before
     * within one transaction, and the other keys keep what they had.
     */
    @Test
    void denseValuesChangedInPlaceStayTheirKeysAlone() throws IOException {
        check("PFADD d a b c", "PFDEBUG TODENSE d", "PFCOUNT d", "COPY d copied", "SET plain x");
        try (Jedis a = new Jedis("127.0.0.1", respite.port());
                Jedis b = new Jedis("127.0.0.1", reference.port())) {
            a.set("viaget".getBytes(), a.get("d".getBytes()));
            b.set("viaget".getBytes(), b.get("d".getBytes()));
        }
        check("MULTI", "GET d", "PFADD d e f g h", "GET d", "PFCOUNT d", "GET d", "PFADD d e", "EXEC");
        for (String key : new String[] {"d", "copied", "viaget"}) {
            d.check("PFCOUNT", key);
            assertSameBytes(key);
        }
        check("PFADD copied zz", "PFCOUNT d copied viaget", "PFCOUNT copied");
        for (String key : new String[] {"d", "copied", "viaget"}) {
            assertSameBytes(key);
        }
    }

    /** PFCOUNT's cache update reaches the append-only file, as Redis logs it, so a reload keeps the same bytes. */
    @Test
    void appendOnlyFileReplaysTheCachedCardinality(@TempDir Path dir) throws Exception {
        byte[] expected;
        try (RespiteProcess r = RespiteProcess.startIn(dir, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            j.pfadd("h", "a", "b", "c");
            assertEquals(3, j.pfcount("h"));
            expected = j.get("h".getBytes());
            assertEquals(3, expected[8]);
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertArrayEquals(expected, j.get("h".getBytes()));
        }
    }

    @Test
    void snapshotsCarryHyperLogLogsBothWays(@TempDir Path dir) throws Exception {
        byte[] sparse;
        byte[] dense;
        try (RealRedis redis = RealRedis.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.pfadd("sparse", "a", "b", "c");
            for (int i = 0; i < 3000; i++) {
                j.pfadd("dense", "e" + i);
            }
            assertEquals("dense", new String((byte[]) j.sendCommand(() -> "PFDEBUG".getBytes(), "ENCODING", "dense")));
            sparse = j.get("sparse".getBytes());
            dense = j.get("dense".getBytes());
            assertEquals("OK", j.save());
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertArrayEquals(sparse, j.get("sparse".getBytes()));
            assertArrayEquals(dense, j.get("dense".getBytes()));
            assertEquals(3, j.pfcount("sparse"));
            long count = j.pfcount("dense");
            assertTrue(Math.abs(count - 3000) < 100, "count " + count);
            j.pfadd("sparse", "d");
            sparse = j.get("sparse".getBytes());
            assertEquals("OK", j.save());
        }
        try (RealRedis redis = RealRedis.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", redis.port())) {
            byte[] loaded = j.get("sparse".getBytes());
            assertNotNull(loaded);
            assertArrayEquals(sparse, loaded);
            assertEquals(4, j.pfcount("sparse"));
        }
    }
}
