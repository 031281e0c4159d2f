package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RedisContents;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** DUMP payloads of a real Redis 7.0 restore into Respite and Respite's restore into Redis, with Redis's errors. */
class DumpRestoreTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void everyTypeTravelsRedisToRespiteToRedis() {
        try (Jedis j = new Jedis("127.0.0.1", redis.port());
                Jedis r = new Jedis("127.0.0.1", respite.port())) {
            j.flushAll();
            r.select(9);
            SampleData.populate(j);
            List<String> keys = RedisContents.keys(j);
            RdbCompatibilityTest.copyThroughDump(j, r, keys);
            List<String> copies = new ArrayList<>();
            for (String k : keys) {
                String copy = "copy:" + k;
                copies.add(copy);
                assertEquals("OK", j.restore(copy, 0, r.dump(k)), k);
            }
            Map<String, String> before = RedisContents.of(j, keys, false);
            Map<String, String> after = RedisContents.of(j, copies, false);
            assertEquals(new ArrayList<>(before.values()), new ArrayList<>(after.values()));
        }
    }

    @Test
    void dumpOfAnUncompressedStringIsWhatRedis70Writes() throws IOException {
        // Respite writes RDB version 10 so that Redis 7.0 can restore its payloads; 7.2 stamps version 11.
        try (RealRedis redis70 = RealRedis.startDebianIn(Files.createTempDirectory("redis70"));
                Jedis j = new Jedis("127.0.0.1", redis70.port());
                Jedis r = new Jedis("127.0.0.1", respite.port())) {
            for (String v : List.of("hello", "12", "-70000", "")) {
                j.set("s", v);
                r.set("s", v);
                assertArrayEquals(j.dump("s"), r.dump("s"), v);
            }
            assertNull(r.dump("missing"));
        }
    }

    @Test
    void errorsAndOptionsMatchRedis() {
        try (Jedis j = new Jedis("127.0.0.1", redis.port());
                Jedis r = new Jedis("127.0.0.1", respite.port())) {
            j.set("src", "value");
            byte[] payload = j.dump("src");
            byte[] badChecksum = payload.clone();
            badChecksum[badChecksum.length - 1] ^= 1;
            byte[] newer = payload.clone();
            newer[newer.length - 10] = 12;
            byte[] garbage = withFooter(new byte[] {(byte) 200, 1, 2, 3});
            byte[] emptyList = withFooter(new byte[] {1, 0});
            byte[] k = b("k");
            List<byte[][]> cases = List.of(
                    args(k, b("0"), payload),
                    args(k, b("0"), payload),
                    args(k, b("0"), payload, b("REPLACE")),
                    args(b("k2"), b("-1"), payload),
                    args(b("k2"), b("abc"), payload),
                    args(b("k2"), b("0"), badChecksum),
                    args(b("k2"), b("0"), newer),
                    args(b("k2"), b("0"), garbage),
                    args(b("k2"), b("0"), emptyList),
                    args(b("k2"), b("0"), payload, b("BOGUS")),
                    args(b("k2"), b("0"), payload, b("IDLETIME"), b("-1")),
                    args(b("k2"), b("0"), payload, b("FREQ"), b("256")),
                    args(b("k2"), b("0"), payload, b("IDLETIME"), b("10"), b("FREQ"), b("5")),
                    args(b("k3"), b("1"), payload, b("ABSTTL")),
                    args(b("k4"), b("100000"), payload, b("IDLETIME"), b("100")),
                    args(b("k5"), b("4102444800000"), payload, b("ABSTTL"), b("FREQ"), b("3")));
            j.del("k", "k2", "k3", "k4", "k5");
            r.del("k", "k2", "k3", "k4", "k5");
            for (byte[][] c : cases) {
                String describe = Arrays.toString(Arrays.stream(c)
                        .map(x -> x.length > 20 ? "<payload>" : new String(x, StandardCharsets.ISO_8859_1))
                        .toArray());
                assertEquals(reply(j, c), reply(r, c), describe);
            }
            for (String key : List.of("k", "k2", "k3", "k4", "k5")) {
                assertEquals(j.get(key), r.get(key), key);
            }
        }
    }

    private static String reply(Jedis j, byte[][] args) {
        try {
            Object o = j.sendCommand(Protocol.Command.RESTORE, args);
            return o instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(o);
        } catch (JedisDataException e) {
            return "-" + e.getMessage();
        }
    }

    private static byte[][] args(byte[]... a) {
        return a;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends a version-10 footer with a correct checksum, as a well-formed but crafted payload. */
    private static byte[] withFooter(byte[] body) {
        byte[] out = Arrays.copyOf(body, body.length + 10);
        out[body.length] = 10;
        long crc = crc64(out, body.length + 2);
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    /** Redis's CRC-64 (reflected Jones polynomial), bit by bit: the test must not borrow the server's code. */
    private static long crc64(byte[] b, int len) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }
}
