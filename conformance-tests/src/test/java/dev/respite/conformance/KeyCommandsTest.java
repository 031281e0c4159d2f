package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Keyspace and database commands, compared with a real redis-server where replies are deterministic. */
class KeyCommandsTest extends DifferentialSuite {

    @Test
    void delUnlinkExistsTouchType() throws IOException {
        check(
                "MSET a 1 b 2 c 3",
                "EXISTS a a b nope",
                "DEL a nope a",
                "UNLINK b c d",
                "EXISTS a b c",
                "SET x y",
                "TOUCH x x nope",
                "TYPE x",
                "TYPE nope",
                "DEL",
                "EXISTS");
    }

    @Test
    void scanRemovesTheExpiredKeysItMeets() throws IOException {
        check("DEBUG SET-ACTIVE-EXPIRE 0", "SET live v", "HSET gone f v", "PEXPIRE gone 1");
        sleepMillis(5);
        check("SCAN 0 TYPE string1 COUNT 100", "DBSIZE", "SET gone2 v PX 1");
        sleepMillis(5);
        check("SCAN 0 COUNT 100", "DBSIZE", "DEBUG SET-ACTIVE-EXPIRE 1");
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void typeEncodingCopyAndScanKnowSetsAndSortedSets() throws IOException {
        // Found by CommandFuzzTest: these answered an internal error for sets and sorted sets.
        check(
                "SADD s a b",
                "SADD i 1 2",
                "ZADD z 1 a 2 b",
                "TYPE s",
                "TYPE i",
                "TYPE z",
                "OBJECT ENCODING i",
                "OBJECT ENCODING z",
                "SCAN 0 TYPE zset",
                "COPY s s2",
                "COPY z z2",
                "SADD s2 c",
                "SCARD s",
                "SCARD s2",
                "ZADD z2 3 c",
                "ZRANGE z 0 -1 WITHSCORES",
                "ZRANGE z2 0 -1 WITHSCORES",
                "TYPE z2",
                "OBJECT ENCODING z2");
        // Small sets of strings are listpacks as in Redis 7.2; the 7.0 reference says hashtable.
        assertEquals("$8\r\nlistpack\r\n", d.respite().call("OBJECT", "ENCODING", "s2"));
    }

    @Test
    void keysMatchesGlobs() throws IOException {
        check("MSET hello 1 hallo 2 hxllo 3 hllo 4 heeeello 5 h*llo 6 h[a 7");
        for (String p :
                List.of("h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h\\*llo", "nope", "h[a", "*", "H*")) {
            TreeSet<String> a = new TreeSet<>(split(d.redis().call("KEYS", p)));
            TreeSet<String> b = new TreeSet<>(split(d.respite().call("KEYS", p)));
            assertEquals(a, b, p);
        }
    }

    private static List<String> split(String raw) {
        return List.of(raw.split("\r\n"));
    }

    @Test
    void scanErrorsMatchRedis() throws IOException {
        check(
                "SCAN x",
                "SCAN -1",
                "SCAN 0 COUNT 0",
                "SCAN 0 COUNT x",
                "SCAN 0 MATCH",
                "SCAN 0 FOO bar",
                "SCAN 18446744073709551616",
                "SCAN 0 COUNT 10 MATCH * TYPE string",
                "SCAN 1.5");
    }

    @Test
    void scanReturnsEveryKeyOnceOrMoreWhileTheTableGrowsAndShrinks() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            for (int i = 0; i < 2000; i++) {
                j.set("stay:" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int round = 0;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(37));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                // Grow, then shrink the table between calls.
                if (round % 4 == 0) {
                    for (int i = 0; i < 1500; i++) {
                        j.set("temp:" + round + ":" + i, "v");
                    }
                } else if (round % 4 == 2) {
                    j.del(j.keys("temp:*").toArray(new String[0]));
                }
                round++;
            } while (!cursor.equals("0"));
            for (int i = 0; i < 2000; i++) {
                assertTrue(seen.contains("stay:" + i), "missed stay:" + i);
            }
        }
    }

    @Test
    void scanFiltersByMatchAndType() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            for (int i = 0; i < 100; i++) {
                j.set("a:" + i, "v");
                j.set("b:" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<String> r =
                        j.scan(cursor, new ScanParams().match("a:*").count(20), "string");
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertEquals(100, seen.size());
            assertTrue(seen.stream().allMatch(k -> k.startsWith("a:")));
            assertEquals(
                    List.of(), j.scan("0", new ScanParams().count(1000), "hash").getResult());
        }
    }

    @Test
    void randomkey() throws IOException {
        check("RANDOMKEY", "SET only v", "RANDOMKEY");
    }

    @Test
    void renameKeepsTtlAndReplaces() throws IOException {
        check(
                "SET a 1",
                "RENAME a b",
                "GET a",
                "GET b",
                "RENAME nope x",
                "RENAMENX nope x",
                "SET c 3",
                "RENAMENX b c",
                "RENAMENX b d",
                "GET d",
                "RENAME d d",
                "RENAMENX d d",
                "SET e 5 EX 100",
                "RENAME e f",
                "TTL f",
                "SET g 7 EX 100",
                "RENAME c g",
                "TTL g",
                "GET g");
    }

    @Test
    void copyAcrossDatabases() throws IOException {
        check(
                "SET a 1 EX 100",
                "COPY a b",
                "GET b",
                "TTL b",
                "COPY a b",
                "COPY a b REPLACE",
                "COPY a a",
                "COPY nope x",
                "COPY a a DB 1",
                "SELECT 1",
                "GET a",
                "TTL a",
                "SELECT 0",
                "COPY a x DB 16",
                "COPY a x DB -1",
                "COPY a x DB abc",
                "COPY a x FOO",
                "COPY a x DB",
                "APPEND b 2",
                "GET a",
                "GET b");
    }

    @Test
    void moveAndSwapdb() throws IOException {
        check(
                "SET a 1 EX 100",
                "MOVE a 1",
                "EXISTS a",
                "SELECT 1",
                "GET a",
                "TTL a",
                "MOVE a 1",
                "MOVE a 0",
                "SELECT 0",
                "SET a 2",
                "SELECT 1",
                "SET a 1",
                "MOVE a 0",
                "MOVE nope 0",
                "MOVE a 16",
                "MOVE a x",
                "MOVE a -1",
                "SWAPDB 0 1",
                "GET a",
                "SELECT 0",
                "GET a",
                "SWAPDB 0 16",
                "SWAPDB x 1",
                "SWAPDB 1 x",
                "SWAPDB 0 0",
                "DBSIZE");
    }

    @Test
    void databasesAreSeparatePerConnection() throws Exception {
        try (Jedis one = new Jedis("127.0.0.1", respite.port());
                Jedis two = new Jedis("127.0.0.1", respite.port())) {
            one.select(3);
            one.set("k", "three");
            two.set("k", "zero");
            assertEquals("three", one.get("k"));
            assertEquals("zero", two.get("k"));
            assertEquals(1, one.dbSize());
            one.flushDB();
            assertNull(one.get("k"));
            assertNotNull(two.get("k"));
        }
        check("SELECT 15", "SELECT 16", "SET k v", "FLUSHDB ASYNC", "FLUSHALL SYNC", "FLUSHDB FOO", "DBSIZE");
    }

    @Test
    void databasesDirectiveChangesTheCount() throws Exception {
        try (var small = dev.respite.conformance.support.RespiteProcess.start("--databases", "4");
                Jedis j = new Jedis("127.0.0.1", small.port())) {
            assertEquals("OK", j.select(3));
            Tools.Result r = Tools.redisCli(small.port(), "SELECT", "4");
            assertEquals("ERR DB index is out of range", r.stdout().trim());
        }
    }

    @Test
    void objectAndDebugIntrospection() throws IOException {
        check(
                "SET k v",
                "OBJECT ENCODING k",
                "OBJECT REFCOUNT k",
                "OBJECT FREQ k",
                "OBJECT IDLETIME nope",
                "OBJECT FOO k",
                "OBJECT ENCODING",
                "DEBUG POPULATE 10",
                "DBSIZE",
                "GET key:3",
                "DEBUG POPULATE 5 p 12",
                "STRLEN p:1",
                "GET p:1",
                "DEBUG POPULATE 3 p 4",
                "GET p:2",
                "DEBUG POPULATE -1",
                "DEBUG POPULATE x",
                "DEBUG OBJECT nope",
                "DEBUG SLEEP 0",
                "DEBUG SET-ACTIVE-EXPIRE 1",
                "DEBUG FOO",
                "DEBUG SLEEP",
                "DEBUG POPULATE 1 a 2 3",
                "debug object");
        String idle = d.respite().call("OBJECT", "IDLETIME", "k");
        assertTrue(idle.startsWith(":"), idle);
        String dbg = d.respite().call("DEBUG", "OBJECT", "k");
        assertTrue(dbg.startsWith("+Value at:") && dbg.contains("encoding:embstr"), dbg);
        assertTrue(d.respite().call("OBJECT", "HELP").startsWith("*"));
        assertTrue(d.respite().call("DEBUG", "HELP").contains("SET-ACTIVE-EXPIRE"));
    }

    @Test
    void redisPyKeyspace() throws Exception {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                r = redis.Redis(port=int(os.environ['RESPITE_PORT']))
                r.mset({'a': '1', 'b': '2'})
                assert sorted(r.keys('*')) == [b'a', b'b']
                assert sorted(r.scan_iter(match='a*')) == [b'a']
                assert r.type('a') == b'string'
                assert r.rename('a', 'c')
                assert r.copy('c', 'd')
                assert r.move('d', 2)
                assert r.exists('c', 'c', 'd') == 2
                print('ok')
                """);
        assertEquals("ok\n", r.stdout(), r.stderr());
    }
}
