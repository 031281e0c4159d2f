package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Damaged DUMP payloads of every type and encoding (bit flips, random bytes, truncation, cut or grown length
 * prefixes) restored into the packaged server with sanitize-dump-payload no and yes. Each is resealed with a
 * correct CRC-64, so the damage reaches the decoders. RESTORE must answer OK or ERR Bad data format; a value it
 * accepts must then serve reads and writes; the server must answer PING after every case and log no unexpected
 * exception. A failure prints the payload; {@code -Dfuzz.seed=<seed>} repeats the run's choices (the pending
 * entries' delivery times differ from run to run).
 */
class CorruptDumpFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int CASES_PER_MODE = 1500;
    /** Redis's CRC-64 polynomial (Jones), bit-reversed for the reflected algorithm. */
    private static final long CRC_POLY = Long.reverse(0xad93d23594c935a9L);

    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "yes"})
    void damagedPayloadsAreRefusedOrServedAndTheServerStaysUp(String sanitize) throws IOException {
        long seed = SEED ^ sanitize.hashCode();
        System.out.println(
                "CorruptDumpFuzzTest: sanitize-dump-payload " + sanitize + " (rerun with -Dfuzz.seed=" + SEED + ")");
        Random rnd = new Random(seed);
        try (Jedis j = new Jedis("127.0.0.1", respite.port(), 10_000)) {
            j.flushAll();
            assertEquals("OK", j.configSet("sanitize-dump-payload", sanitize));
            Map<String, byte[]> payloads = samplePayloads(j);
            List<String> keys = new ArrayList<>(payloads.keySet());
            int accepted = 0;
            for (int i = 0; i < CASES_PER_MODE; i++) {
                String source = keys.get(rnd.nextInt(keys.size()));
                byte[] damaged = damage(payloads.get(source), rnd);
                String what = "-Dfuzz.seed=" + SEED + ", sanitize " + sanitize + ", case " + i + " from " + source
                        + ": " + hex(damaged);
                try {
                    String reply = j.restore("_fuzz".getBytes(StandardCharsets.US_ASCII), 0, damaged, replace());
                    assertEquals("OK", reply, what);
                    accepted++;
                    useAcceptedValue(j, what);
                } catch (JedisDataException e) {
                    assertEquals("ERR Bad data format", e.getMessage(), what);
                } catch (JedisConnectionException e) {
                    throw new AssertionError(what + ": the connection was lost", e);
                }
                assertEquals("PONG", j.ping(), what);
            }
            System.out.println("CorruptDumpFuzzTest: sanitize " + sanitize + ", " + accepted + " of " + CASES_PER_MODE
                    + " damaged payloads accepted");
        }
        String log = respite.log();
        assertFalse(
                log.contains("failed unexpectedly") || log.contains("Exception"),
                () -> "seed " + SEED + ": the server logged an exception:\n" + log);
    }

    private static redis.clients.jedis.params.RestoreParams replace() {
        return redis.clients.jedis.params.RestoreParams.restoreParams().replace();
    }

    /** One key of each type in each of its encodings, with compressible strings so that LZF appears. */
    private static Map<String, byte[]> samplePayloads(Jedis j) {
        String longText = "compressible-".repeat(20);
        j.set("string", "hello");
        j.set("int", "12345");
        j.set("long", longText);
        j.rpush("list", "a", "1", "-70000", longText);
        for (int i = 0; i < 300; i++) {
            j.rpush("biglist", "item" + i, Integer.toString(i));
            j.sadd("bigset", "m" + i);
            j.zadd("bigzset", i * 1.5, "m" + i);
            j.hset("bighash", "f" + i, "v" + i);
            j.sadd("bigintset", Integer.toString(i * 7));
        }
        j.sadd("intset", "1", "2", "300", "-70000", "5000000000");
        j.sadd("set", "a", "b", "c", "10");
        j.zadd("zset", 1.0, "a");
        j.zadd("zset", -2.5, "b");
        j.zadd("zset", 1e300, "c");
        j.hset("hash", "a", "1");
        j.hset("hash", "b", "two");
        j.hset("hash", "c", longText);
        for (int i = 0; i < 8; i++) {
            j.sendCommand(
                    redis.clients.jedis.Protocol.Command.XADD,
                    "stream",
                    "1000-" + i,
                    "item",
                    Integer.toString(i),
                    "value",
                    "v" + i);
        }
        j.sendCommand(redis.clients.jedis.Protocol.Command.XADD, "stream", "2000-0", "other", "x");
        j.sendCommand(redis.clients.jedis.Protocol.Command.XGROUP, "CREATE", "stream", "group", "0");
        j.sendCommand(
                redis.clients.jedis.Protocol.Command.XREADGROUP,
                "GROUP",
                "group",
                "alice",
                "COUNT",
                "3",
                "STREAMS",
                "stream",
                ">");
        j.sendCommand(
                redis.clients.jedis.Protocol.Command.XREADGROUP,
                "GROUP",
                "group",
                "bob",
                "COUNT",
                "2",
                "STREAMS",
                "stream",
                ">");
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String k : List.of(
                "string",
                "int",
                "long",
                "list",
                "biglist",
                "set",
                "intset",
                "bigintset",
                "bigset",
                "zset",
                "bigzset",
                "hash",
                "bighash",
                "stream")) {
            byte[] p = j.dump(k);
            assertTrue(p != null && p.length > 10, k);
            out.put(k, p);
        }
        return out;
    }

    /** One to three kinds of damage anywhere before the footer, which is then rewritten with the right checksum. */
    static byte[] damage(byte[] payload, Random rnd) {
        byte[] body = Arrays.copyOf(payload, payload.length - 10);
        byte[] version = Arrays.copyOfRange(payload, payload.length - 10, payload.length - 8);
        for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
            if (body.length == 0) {
                break;
            }
            int at = rnd.nextInt(body.length);
            switch (rnd.nextInt(6)) {
                case 0 -> body[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> body[at] = (byte) rnd.nextInt(256);
                case 2 -> body = Arrays.copyOf(body, at);
                case 3 -> body[at] = (byte) (body[at] + (rnd.nextBoolean() ? 1 : -1));
                case 4 -> {
                    // A length prefix claiming far more than there is: 32-bit and 64-bit forms.
                    byte[] big = rnd.nextBoolean()
                            ? new byte[] {(byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}
                            : new byte[] {(byte) 0x81, 0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
                    byte[] grown = new byte[body.length + big.length - 1];
                    System.arraycopy(body, 0, grown, 0, at);
                    System.arraycopy(big, 0, grown, at, big.length);
                    System.arraycopy(body, at + 1, grown, at + big.length, body.length - at - 1);
                    body = grown;
                }
                default -> {
                    // A few bytes dropped from the middle: every later offset and count is off.
                    int cut = Math.min(1 + rnd.nextInt(4), body.length - at);
                    byte[] shorter = new byte[body.length - cut];
                    System.arraycopy(body, 0, shorter, 0, at);
                    System.arraycopy(body, at + cut, shorter, at, body.length - at - cut);
                    body = shorter;
                }
            }
        }
        byte[] out = Arrays.copyOf(body, body.length + 10);
        System.arraycopy(version, 0, out, body.length, 2);
        long crc = crc64(out, body.length + 2);
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    private static long crc64(byte[] b, int len) {
        long crc = 0;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ CRC_POLY : crc >>> 1;
            }
        }
        return crc;
    }

    /** Reads and writes on whatever type the damaged payload became; only Redis-like errors are acceptable. */
    private static void useAcceptedValue(Jedis j, String what) {
        String type = j.type("_fuzz");
        List<List<String>> commands = switch (type) {
            case "string" ->
                List.of(List.of("GET", "_fuzz"), List.of("STRLEN", "_fuzz"), List.of("APPEND", "_fuzz", "x"));
            case "list" ->
                List.of(
                        List.of("LRANGE", "_fuzz", "0", "-1"),
                        List.of("LINDEX", "_fuzz", "-1"),
                        List.of("LPUSH", "_fuzz", "x"),
                        List.of("LPOP", "_fuzz"),
                        List.of("RPOP", "_fuzz", "2"));
            case "set" ->
                List.of(
                        List.of("SMEMBERS", "_fuzz"),
                        List.of("SCARD", "_fuzz"),
                        List.of("SDIFF", "_fuzz", "set"),
                        List.of("SADD", "_fuzz", "x", "7"),
                        List.of("SPOP", "_fuzz"));
            case "zset" ->
                List.of(
                        List.of("ZRANGE", "_fuzz", "0", "-1", "WITHSCORES"),
                        List.of("ZREVRANGEBYSCORE", "_fuzz", "+inf", "-inf"),
                        List.of("ZADD", "_fuzz", "3", "x"),
                        List.of("ZPOPMIN", "_fuzz"),
                        List.of("ZCARD", "_fuzz"));
            case "hash" ->
                List.of(
                        List.of("HGETALL", "_fuzz"),
                        List.of("HLEN", "_fuzz"),
                        List.of("HSET", "_fuzz", "x", "y"),
                        List.of("HDEL", "_fuzz", "a"),
                        List.of("HRANDFIELD", "_fuzz", "-5", "WITHVALUES"));
            case "stream" ->
                List.of(
                        List.of("XRANGE", "_fuzz", "-", "+"),
                        List.of("XREVRANGE", "_fuzz", "+", "-", "COUNT", "3"),
                        List.of("XINFO", "STREAM", "_fuzz", "FULL"),
                        List.of("XPENDING", "_fuzz", "group", "-", "+", "10"),
                        List.of("XADD", "_fuzz", "*", "x", "y"),
                        List.of("XAUTOCLAIM", "_fuzz", "group", "carol", "0", "0"),
                        List.of("XTRIM", "_fuzz", "MAXLEN", "2"));
            default -> throw new AssertionError(what + ": restored as type " + type);
        };
        for (List<String> c : commands) {
            try {
                j.sendCommand(
                        () -> c.get(0).getBytes(StandardCharsets.US_ASCII),
                        c.subList(1, c.size()).toArray(new String[0]));
            } catch (JedisDataException e) {
                assertFalse(
                        e.getMessage().startsWith("ERR internal error"),
                        what + ": " + c + " answered " + e.getMessage());
            }
        }
        j.dump("_fuzz");
        j.del("_fuzz");
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
