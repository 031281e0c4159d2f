package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RedisContents;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;

/** MIGRATE between Respite and real redis-servers in both directions, with Redis's replies and errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrateTest {
    private static final String HOST = "127.0.0.1";
    private RespiteProcess respite;
    private RealRedis redis;
    private RealRedis locked;

    @BeforeAll
    void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
        locked = RealRedis.start("--requirepass", "secret");
    }

    @AfterAll
    void stop() {
        respite.close();
        redis.close();
        locked.close();
    }

    @BeforeEach
    void flush() {
        try (Jedis r = new Jedis(HOST, respite.port());
                Jedis j = new Jedis(HOST, redis.port());
                Jedis l = new Jedis(HOST, locked.port())) {
            r.flushAll();
            j.flushAll();
            l.auth("secret");
            l.flushAll();
        }
    }

    @Test
    void everyTypeMigratesFromRespiteToRedisAndBack() throws IOException {
        try (Jedis j = new Jedis(HOST, redis.port());
                Jedis r = new Jedis(HOST, respite.port());
                RawConnection fromRedis = new RawConnection(redis.port());
                RawConnection fromRespite = new RawConnection(respite.port())) {
            SampleData.populate(j);
            List<String> keys = RedisContents.keys(j);
            Map<String, String> original = RedisContents.of(j, keys, true);
            for (String k : keys) {
                assertEquals(
                        "+OK\r\n",
                        fromRedis.call("MIGRATE", HOST, Integer.toString(respite.port()), k, "4", "5000"),
                        k);
            }
            assertTrue(j.keys("*").isEmpty());
            r.select(4);
            assertEquals(keys.size(), r.dbSize());
            for (String k : keys) {
                assertEquals("+OK\r\n", fromRespite.call("SELECT", "4"));
                assertEquals(
                        "+OK\r\n",
                        fromRespite.call("MIGRATE", HOST, Integer.toString(redis.port()), k, "7", "5000"),
                        k);
            }
            assertEquals(0, r.dbSize());
            j.select(7);
            assertEquals(original, RedisContents.of(j, keys, true));
        }
    }

    @Test
    void keysFormWithCopyLeavesTheSourceAndReplaceOverwrites() throws IOException {
        try (Jedis j = new Jedis(HOST, redis.port());
                Jedis r = new Jedis(HOST, respite.port());
                RawConnection c = new RawConnection(respite.port());
                RawConnection source = new RawConnection(redis.port())) {
            SampleData.populate(j);
            List<String> keys = RedisContents.keys(j);
            Map<String, String> original = RedisContents.of(j, keys, false);
            List<String> args = new ArrayList<>(
                    List.of("MIGRATE", HOST, Integer.toString(respite.port()), "", "0", "5000", "COPY", "KEYS"));
            args.addAll(keys);
            args.add("no-such-key");
            assertEquals("+OK\r\n", source.call(args.toArray(new String[0])));
            assertEquals(keys.size(), r.dbSize());
            assertEquals(original, RedisContents.of(j, keys, false));

            List<String> back = new ArrayList<>(
                    List.of("MIGRATE", HOST, Integer.toString(redis.port()), "", "3", "5000", "COPY", "KEYS"));
            back.addAll(keys);
            assertEquals("+OK\r\n", c.call(back.toArray(new String[0])));
            j.select(3);
            assertEquals(original, RedisContents.of(j, keys, false));
            assertEquals(keys.size(), r.dbSize());

            r.set("str:small", "changed in Respite");
            assertEquals(
                    "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n",
                    c.call("MIGRATE", HOST, Integer.toString(redis.port()), "str:small", "3", "5000"));
            assertEquals("changed in Respite", r.get("str:small"));
            assertEquals("hello", j.get("str:small"));
            assertEquals(
                    "+OK\r\n",
                    c.call("MIGRATE", HOST, Integer.toString(redis.port()), "str:small", "3", "5000", "REPLACE"));
            assertEquals("changed in Respite", j.get("str:small"));
            assertFalse(r.exists("str:small"));
        }
    }

    @Test
    void authenticatesToTheTarget() throws IOException {
        try (Jedis r = new Jedis(HOST, respite.port());
                Jedis l = new Jedis(HOST, locked.port());
                RawConnection c = new RawConnection(respite.port())) {
            l.auth("secret");
            r.rpush("l", "a", "b");
            r.set("s", "v");
            String port = Integer.toString(locked.port());
            assertEquals(
                    "-ERR Target instance replied with error: NOAUTH Authentication required.\r\n",
                    c.call("MIGRATE", HOST, port, "l", "0", "5000"));
            assertEquals(
                    "-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    c.call("MIGRATE", HOST, port, "l", "0", "5000", "AUTH", "wrong"));
            assertTrue(r.exists("l"));
            assertEquals("+OK\r\n", c.call("MIGRATE", HOST, port, "l", "0", "5000", "AUTH", "secret"));
            assertEquals("+OK\r\n", c.call("MIGRATE", HOST, port, "s", "0", "5000", "AUTH2", "default", "secret"));
            assertEquals(List.of("a", "b"), l.lrange("l", 0, -1));
            assertEquals("v", l.get("s"));
            assertEquals(0, r.dbSize());
        }
    }

    @Test
    void repliesAndErrorsMatchRedis() throws IOException {
        try (Jedis r = new Jedis(HOST, respite.port());
                Jedis l = new Jedis(HOST, locked.port());
                RawConnection ours = new RawConnection(respite.port());
                RawConnection theirs = new RawConnection(redis.port())) {
            l.auth("secret");
            String closed = Integer.toString(Ports.free());
            String target = Integer.toString(locked.port());
            List<List<String>> commands = List.of(
                    List.of("MIGRATE", HOST, target, "missing", "0", "1000"),
                    List.of("MIGRATE", HOST, target, "", "0", "1000", "KEYS", "missing", "other"),
                    List.of("MIGRATE", HOST, closed, "k", "0", "1000"),
                    List.of("MIGRATE", HOST, target, "k", "0", "1000", "KEYS", "k"),
                    List.of("MIGRATE", HOST, target, "k", "0", "1000", "FOO"),
                    List.of("MIGRATE", HOST, target, "k", "0", "1000", "AUTH"),
                    List.of("MIGRATE", HOST, target, "k", "0", "1000", "AUTH2", "u"),
                    List.of("MIGRATE", HOST, target, "k", "0", "soon"),
                    List.of("MIGRATE", HOST, target, "k", "db", "1000"),
                    List.of("MIGRATE", HOST, target, "k", "99", "1000", "AUTH", "secret"),
                    List.of("MIGRATE", HOST, target, "k", "0", "1000", "COPY", "AUTH", "secret"),
                    List.of("MIGRATE", HOST, target, "k", "0", "0", "REPLACE", "AUTH", "secret"),
                    List.of("EXISTS", "k"),
                    List.of("MIGRATE", HOST, target, "k"));
            for (List<String> cmd : commands) {
                ours.call("SET", "k", "value");
                theirs.call("SET", "k", "value");
                String[] args = cmd.toArray(new String[0]);
                // Both sources meet the same target: without the key, or (for REPLACE) with it.
                l.del("k");
                String expected = theirs.call(args);
                l.del("k");
                assertEquals(expected, ours.call(args), String.join(" ", cmd));
            }
        }
    }

    @Test
    void otherClientsAreServedWhileAMigrationWaits() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
                RawConnection migrating = new RawConnection(respite.port());
                RawConnection other = new RawConnection(respite.port())) {
            migrating.call("SET", "k", "v");
            migrating.command("MIGRATE", HOST, Integer.toString(silent.getLocalPort()), "k", "0", "1500");
            migrating.command("GET", "k");
            long start = System.nanoTime();
            assertEquals("$1\r\nv\r\n", other.call("GET", "k"));
            assertTrue(System.nanoTime() - start < 1_000_000_000L, "the keyspace thread waited for the target");
            assertEquals("-IOERR error or timeout reading to target instance\r\n", migrating.readReply());
            assertEquals("$1\r\nv\r\n", migrating.readReply());
        }
    }
}
