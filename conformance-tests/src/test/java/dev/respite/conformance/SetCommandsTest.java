package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.Tools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The set family: byte-for-byte against a real redis-server, and through Jedis and redis-py. */
class SetCommandsTest extends DifferentialSuite {
    private Jedis jedis;

    @BeforeAll
    void openJedis() {
        jedis = new Jedis("127.0.0.1", respite.port());
    }

    @AfterAll
    void closeJedis() {
        jedis.close();
    }

    @Test
    void repliesMatchRedisForIntegerSets() throws Exception {
        d.check("SADD", "s", "3", "1", "2", "2");
        d.check("SADD", "t", "2", "3", "4");
        d.check("SMEMBERS", "s");
        d.check("SCARD", "s");
        d.check("SISMEMBER", "s", "2");
        d.check("SISMEMBER", "s", "9");
        d.check("SMISMEMBER", "s", "1", "9", "3");
        d.check("SINTER", "s", "t");
        d.check("SUNION", "s", "t");
        d.check("SDIFF", "s", "t");
        d.check("SINTERCARD", "2", "s", "t");
        d.check("SINTERCARD", "2", "s", "t", "LIMIT", "1");
        d.check("SINTERCARD", "1", "s", "LIMIT", "0");
        d.check("SINTERSTORE", "d", "s", "t");
        d.check("SMEMBERS", "d");
        d.check("SUNIONSTORE", "d", "s", "t");
        d.check("SMEMBERS", "d");
        d.check("SDIFFSTORE", "d", "s", "t");
        d.check("SMEMBERS", "d");
        d.check("SDIFFSTORE", "d", "s", "s");
        d.check("EXISTS", "d");
        d.check("SREM", "s", "1", "9");
        d.check("SMOVE", "s", "t", "2");
        d.check("SMOVE", "s", "t", "2");
        d.check("SMOVE", "s", "s", "3");
        d.check("SMEMBERS", "t");
        d.check("SREM", "s", "3");
        d.check("EXISTS", "s");
        d.check("SSCAN", "t", "0");
        d.check("SSCAN", "t", "0", "MATCH", "3*", "COUNT", "5");
    }

    @Test
    void missingKeysAreEmptySets() throws Exception {
        d.check("SADD", "s", "1");
        for (String proto : new String[] {"2", "3"}) {
            d.hello(proto);
            d.check("SMEMBERS", "none");
            d.check("SCARD", "none");
            d.check("SPOP", "none");
            d.check("SPOP", "none", "2");
            d.check("SPOP", "s", "0");
            d.check("SRANDMEMBER", "none");
            d.check("SRANDMEMBER", "none", "2");
            d.check("SRANDMEMBER", "none", "-2");
            d.check("SINTER", "s", "none");
            d.check("SDIFF", "none", "s");
            d.check("SUNION", "none", "s");
            d.check("SINTERSTORE", "d", "s", "none");
            d.check("SMOVE", "none", "s", "a");
            d.check("SREM", "none", "a");
            d.check("SSCAN", "none", "0");
            d.check("SSCAN", "none", "0", "COUNT", "0");
            d.check("SMISMEMBER", "none", "a", "b");
        }
    }

    @Test
    void errorsMatchRedis() throws Exception {
        d.check("SET", "str", "x");
        d.check("SADD", "s", "1", "2");
        String[][] cases = {
            {"SADD", "s"},
            {"SREM", "s"},
            {"SADD", "str", "a"},
            {"SMEMBERS", "str"},
            {"SCARD", "str"},
            {"SPOP", "s", "-1"},
            {"SPOP", "s", "abc"},
            {"SPOP", "s", "1", "2"},
            {"SRANDMEMBER", "s", "1", "2"},
            {"SRANDMEMBER", "s", "abc"},
            {"SRANDMEMBER", "s", "-9223372036854775808"},
            {"SINTERCARD", "0", "s"},
            {"SINTERCARD", "abc", "s"},
            {"SINTERCARD", "2", "s"},
            {"SINTERCARD", "1", "s", "LIMIT", "-1"},
            {"SINTERCARD", "1", "s", "LIMIT", "abc"},
            {"SINTERCARD", "1", "s", "LIMIT"},
            {"SINTERCARD", "1", "s", "FOO", "1"},
            {"SSCAN", "s", "abc"},
            {"SSCAN", "s", "18446744073709551616"},
            {"SSCAN", "s", " 0"},
            {"SSCAN", "s", "-"},
            {"SSCAN", "s", "0", "COUNT", "0"},
            {"SSCAN", "s", "0", "COUNT", "abc"},
            {"SSCAN", "s", "0", "MATCH"},
            {"SSCAN", "s", "0", "TYPE", "string"},
            {"SSCAN", "s", "-1"},
            {"SSCAN", "s", ""},
            {"SMOVE", "s", "str", "1"},
            {"SMOVE", "str", "s", "1"},
            {"SMOVE", "none", "str", "1"},
            {"SINTER", "s", "str"},
            {"SUNION", "none", "str"},
            {"SDIFF", "none", "str"},
            {"SINTERSTORE", "d", "none", "str"},
            {"SISMEMBER", "str", "a"},
            {"SMISMEMBER", "str", "a"},
            {"SMISMEMBER", "s"},
        };
        for (String[] c : cases) {
            d.check(c);
        }
    }

    @Test
    void storeOverwritesAKeyOfAnyType() throws Exception {
        d.check("SET", "d", "x");
        d.check("SADD", "s", "a");
        d.check("SUNIONSTORE", "d", "s");
        d.check("SMEMBERS", "d");
    }

    @Test
    void spopAndSrandmemberCounts() {
        for (int i = 0; i < 300; i++) {
            jedis.sadd("big", "m" + i);
        }
        assertEquals(300, jedis.srandmember("big", 500).size());
        List<String> some = jedis.srandmember("big", 10);
        assertEquals(10, new HashSet<>(some).size());
        assertEquals(1000, jedis.srandmember("big", -1000).size());
        Set<String> popped = jedis.spop("big", 120);
        assertEquals(120, popped.size());
        assertEquals(180, jedis.scard("big"));
        for (String m : popped) {
            assertEquals(false, jedis.sismember("big", m));
        }
        assertEquals(180, jedis.spop("big", 1000).size());
        assertEquals(false, jedis.exists("big"));
    }

    @Test
    void sscanVisitsEveryMemberOfALargeSet() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            expected.add("member:" + i);
        }
        jedis.sadd("big", expected.toArray(new String[0]));
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<String> page = jedis.sscan("big", cursor, new ScanParams().count(50));
            seen.addAll(page.getResult());
            cursor = page.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(expected, seen);
        assertTrue(calls > 10, "a large set is scanned in steps");
    }

    @Test
    void encodingThresholdsAreConfigurable() throws Exception {
        assertEquals(
                List.of("set-max-intset-entries", "512"),
                jedis.configGet("set-max-intset-entries").entrySet().stream()
                        .flatMap(e -> List.of(e.getKey(), e.getValue()).stream())
                        .toList());
        jedis.configSet("set-max-listpack-entries", "4");
        assertEquals("4", jedis.configGet("set-max-listpack-entries").get("set-max-listpack-entries"));
        jedis.configSet("set-max-listpack-entries", "128");
        d.check("CONFIG", "SET", "set-max-intset-entries", "2");
        d.check("SADD", "s", "1", "2", "3", "4");
        d.check("SCARD", "s");
        d.check("CONFIG", "SET", "set-max-intset-entries", "512");
    }

    @Test
    void redisPySeesSetsAsPythonSets() throws Exception {
        Tools.Result r = Tools.python(
                respite.port(),
                String.join(
                        "\n",
                        "import os, redis",
                        "r = redis.Redis(port=int(os.environ['RESPITE_PORT']), decode_responses=True)",
                        "assert r.sadd('py', 'a', 'b', 'c') == 3",
                        "assert r.smembers('py') == {'a', 'b', 'c'}",
                        "assert r.smismember('py', ['a', 'x']) == [1, 0]",
                        "assert r.smove('py', 'py2', 'a') is True",
                        "assert r.sinter('py', 'py2') == set()",
                        "assert r.sunion('py', 'py2') == {'a', 'b', 'c'}",
                        "assert r.sintercard(2, ['py', 'py']) == 2",
                        "try:",
                        "    r.sintercard(0, ['py'])",
                        "    raise SystemExit('no error')",
                        "except redis.ResponseError as e:",
                        "    assert str(e) == 'numkeys should be greater than 0', str(e)",
                        "print('ok')"));
        assertEquals("ok\n", r.stdout(), r.stderr());
    }

    @Test
    void emptiedSetsAreDeleted() {
        jedis.sadd("e", "a", "b");
        assertEquals(2, jedis.srem("e", "a", "b", "c"));
        assertEquals(false, jedis.exists("e"));
        jedis.sadd("e", "a");
        assertEquals(1, jedis.smove("e", "f", "a"));
        assertEquals(false, jedis.exists("e"));
        assertEquals(new ArrayList<>(List.of("a")), new ArrayList<>(jedis.smembers("f")));
    }
}
