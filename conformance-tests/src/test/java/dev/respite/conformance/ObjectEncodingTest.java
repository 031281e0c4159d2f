package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * TYPE, OBJECT ENCODING and COPY for every value type. Compared with redis-server 7.0 where 7.0 and 7.2
 * agree; small sets of non-integers (7.2's listpack, 7.0's hashtable) and lists (7.2's listpack/quicklist,
 * 7.0's quicklist only) follow 7.2 and are checked against exact values instead.
 */
class ObjectEncodingTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        // Respite's default is redis.conf's 128; redis-server without a config file compiles in 512.
        redis = RealRedis.start("--hash-max-listpack-entries", "128");
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    private static String[] command(String name, String key, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(name);
        all.add(key);
        all.addAll(args);
        return all.toArray(new String[0]);
    }

    private static List<String> members(int n, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private static List<String> scored(int n, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
            out.add(prefix + i);
        }
        return out;
    }

    private static void checkEncodingTypeAndCopy(Differential d, String key) throws IOException {
        d.check("TYPE", key);
        d.check("OBJECT", "ENCODING", key);
        d.check("COPY", key, key + ":copy");
        d.check("TYPE", key + ":copy");
        d.check("OBJECT", "ENCODING", key + ":copy");
    }

    @Test
    void setsAreIntsetOrHashtableAsInRedis() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check(command("SADD", "set:ints", members(10, "")));
            checkEncodingTypeAndCopy(d, "set:ints");
            d.check(command("SADD", "set:manyints", members(600, "")));
            checkEncodingTypeAndCopy(d, "set:manyints");
            d.check(command("SADD", "set:strings", members(200, "member-")));
            checkEncodingTypeAndCopy(d, "set:strings");
            d.check(command("SADD", "set:long", List.of("x".repeat(100), "1")));
            checkEncodingTypeAndCopy(d, "set:long");
            d.check("SADD", "set:ints", "not-an-int", "x".repeat(80));
            d.check("OBJECT", "ENCODING", "set:ints");
            d.check("SREM", "set:ints", "not-an-int", "x".repeat(80));
            d.check("OBJECT", "ENCODING", "set:ints");
        }
    }

    @Test
    void sortedSetsAreListpackOrSkiplistAsInRedis() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check(command("ZADD", "z:small", scored(10, "m")));
            checkEncodingTypeAndCopy(d, "z:small");
            d.check(command("ZADD", "z:many", scored(200, "m")));
            checkEncodingTypeAndCopy(d, "z:many");
            d.check("ZADD", "z:long", "1", "x".repeat(100));
            checkEncodingTypeAndCopy(d, "z:long");
            d.check(command("ZADD", "z:small", scored(129, "n")));
            d.check("OBJECT", "ENCODING", "z:small");
        }
    }

    @Test
    void hashesAreListpackOrHashtableAsInRedis() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check(command("HSET", "h:small", scored(10, "f")));
            checkEncodingTypeAndCopy(d, "h:small");
            d.check(command("HSET", "h:many", scored(200, "f")));
            checkEncodingTypeAndCopy(d, "h:many");
            d.check("HSET", "h:long", "f", "x".repeat(100));
            checkEncodingTypeAndCopy(d, "h:long");
        }
    }

    @Test
    void smallSetsOfStringsAndListsFollowRedis72() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.sadd("set:few", "a", "b", "c");
            assertEquals("set", j.type("set:few"));
            assertEquals("listpack", j.objectEncoding("set:few"));
            j.copy("set:few", "set:few:copy", false);
            assertEquals("listpack", j.objectEncoding("set:few:copy"));
            j.rpush("list:small", "a", "b");
            assertEquals("list", j.type("list:small"));
            assertEquals("listpack", j.objectEncoding("list:small"));
            // 300 elements of 40 bytes pass list-max-listpack-size -2 (8 KB).
            for (int i = 0; i < 300; i++) {
                j.rpush("list:big", String.format("element-%032d", i));
            }
            assertEquals("quicklist", j.objectEncoding("list:big"));
            j.copy("list:big", "list:big:copy", false);
            assertEquals("quicklist", j.objectEncoding("list:big:copy"));
        }
    }
}
