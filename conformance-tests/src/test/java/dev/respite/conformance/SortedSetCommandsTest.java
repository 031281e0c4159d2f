package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.Tools;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

/** The sorted-set family: byte-for-byte against a real redis-server in RESP2 and RESP3, and through Jedis and redis-py. */
class SortedSetCommandsTest extends DifferentialSuite {
    private Jedis jedis;

    /** Replies and errors of every command, run in RESP2 and then RESP3; one command per line. */
    private static final String SCRIPT = """
            ZADD z 1 a 2 b 3 c
            ZADD z NX XX 1 a
            ZADD z GT LT 1 a
            ZADD z NX GT 1 a
            ZADD z NX LT 1 a
            ZADD z INCR 1 a 2 b
            ZADD z abc a
            ZADD z nan a
            ZADD z 1 a 2
            ZADD z 1e400 c
            ZADD z CH 1 a 5 b 4 d
            ZADD z GT CH 0 a 9 c
            ZADD z LT 10 c
            ZADD z XX 7 new
            ZADD z XX INCR 1 new
            ZADD z NX INCR 1 a
            ZADD z INCR 0x10 h
            ZADD z INCR inf inf
            ZADD z INCR -inf inf
            ZADD z -inf ninf 1.5e-7 small 0.1 tenth -0 negzero 1e20 big
            ZINCRBY z abc a
            ZINCRBY z nan a
            ZINCRBY z 2.5 a
            ZINCRBY z 1 brandnew
            ZINCRBY z -inf inf
            ZRANGE z 0 -1 WITHSCORES
            ZCARD z
            ZCARD none
            ZSCORE z a
            ZSCORE z missing
            ZSCORE none a
            ZMSCORE z a missing big
            ZMSCORE none a b
            ZRANK z a
            ZREVRANK z a
            ZRANK z missing
            ZRANK none a
            ZCOUNT z -inf +inf
            ZCOUNT z (1 (5
            ZCOUNT z ( 5
            ZCOUNT z abc 1
            ZCOUNT z 1 (abc
            ZCOUNT z 5 1
            ZCOUNT none 0 1
            ZRANGE z 0 -1
            ZRANGE z -3 -1 WITHSCORES
            ZRANGE z 5 2
            ZRANGE z 0 100 REV WITHSCORES
            ZRANGE z -inf +inf BYSCORE WITHSCORES
            ZRANGE z (1 +inf BYSCORE LIMIT 1 2 WITHSCORES
            ZRANGE z +inf (1 BYSCORE REV LIMIT 1 2 WITHSCORES
            ZRANGE z 5 1 BYSCORE
            ZRANGE z 0 -1 BYLEX
            ZRANGE z 0 -1 LIMIT 0 1
            ZRANGE z 0 -1 LIMIT 0 -1
            ZRANGE z 0 -1 BYSCORE BYLEX
            ZRANGE z 0 -1 REV REV
            ZRANGE z (1 5 BYSCORE LIMIT 0
            ZRANGE z (1 5 BYSCORE LIMIT a 1
            ZRANGE z (1 5 BYSCORE LIMIT -1 1
            ZRANGE z (1 5 BYSCORE LIMIT 0 0
            ZRANGE z a b
            ZRANGE z 0 -1 WITHSCORES foo
            ZRANGE none 0 -1
            ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 1 1
            ZRANGEBYSCORE z 1 2 LIMIT 0 1 LIMIT 0 2
            ZRANGEBYSCORE z -inf +inf foo
            ZRANGEBYSCORE z -inf +inf REV
            ZREVRANGEBYSCORE z +inf -inf WITHSCORES
            ZREVRANGEBYSCORE z 5 (1 WITHSCORES LIMIT 0 2
            ZREVRANGEBYSCORE z 1 5
            ZREVRANGE z 0 -1 WITHSCORES
            ZREVRANGE z 0 -1 foo
            ZREVRANGE z 0 1 BYSCORE
            ZADD lex 0 a 0 b 0 c 0 d 0 e 0 ee 0 f
            ZRANGEBYLEX lex - +
            ZRANGEBYLEX lex [b (e
            ZRANGEBYLEX lex (b [ee LIMIT 1 2
            ZRANGEBYLEX lex - + WITHSCORES
            ZRANGEBYLEX lex a b
            ZRANGEBYLEX lex [a +x
            ZREVRANGEBYLEX lex + -
            ZREVRANGEBYLEX lex [e (a LIMIT 1 10
            ZRANGE lex [e [b BYLEX REV
            ZRANGE lex [b [e BYLEX REV
            ZLEXCOUNT lex - +
            ZLEXCOUNT lex [b (e
            ZLEXCOUNT lex a b
            ZLEXCOUNT none - +
            ZRANGESTORE dst z 0 -1 WITHSCORES
            ZRANGESTORE dst z 0 2
            ZRANGE dst 0 -1 WITHSCORES
            ZRANGESTORE dst lex [b [d BYLEX
            ZRANGE dst 0 -1 WITHSCORES
            ZRANGESTORE dst z 5 1 BYSCORE
            EXISTS dst
            ZRANGESTORE dst none 0 -1
            ZREMRANGEBYSCORE z abc 1
            ZREMRANGEBYLEX z a b
            ZREMRANGEBYRANK z a 1
            ZREMRANGEBYLEX lex [b (d
            ZREMRANGEBYRANK lex 0 0
            ZREMRANGEBYRANK lex -1 -1
            ZRANGE lex 0 -1
            ZREMRANGEBYSCORE lex -inf +inf
            EXISTS lex
            ZREMRANGEBYSCORE none 0 1
            ZPOPMIN z -1
            ZPOPMIN z abc
            ZPOPMIN z 0
            ZPOPMIN z
            ZPOPMIN z 2
            ZPOPMAX z
            ZPOPMAX z 2
            ZPOPMIN z 1 2
            ZPOPMIN none
            ZPOPMIN none 2
            ZMPOP 0 z MIN
            ZMPOP abc z MIN
            ZMPOP 1 z foo
            ZMPOP 1 z MIN COUNT 0
            ZMPOP 1 z MIN COUNT -1
            ZMPOP 1 z MIN COUNT
            ZMPOP 1 z MIN COUNT 1 COUNT 1
            ZMPOP 2 z MIN
            ZMPOP 2 none z MAX COUNT 2
            ZMPOP 1 none MIN
            BZMPOP -1 1 z MIN
            BZMPOP abc 0 z MIN
            BZMPOP abc 1 z foo
            BZMPOP abc 1 z MIN
            BZMPOP 0 2 none z MIN COUNT 2
            BZPOPMIN z -1
            BZPOPMIN z abc
            BZPOPMIN z 1e20
            BZPOPMIN z inf
            BZPOPMIN none z 0
            BZPOPMAX none z 0
            ZRANDMEMBER z 1 WITHSCORES foo
            ZRANDMEMBER z abc
            ZRANDMEMBER z 9223372036854775807 WITHSCORES
            ZRANDMEMBER z -9223372036854775808
            ZRANDMEMBER none
            ZRANDMEMBER none 2 WITHSCORES
            ZRANDMEMBER z 0
            ZADD u1 1 a 2 b 3 c
            ZADD u2 10 b 20 c 30 d
            SADD s3 c d e
            ZUNION 3 u1 u2 s3 WITHSCORES
            ZUNION 3 u1 u2 s3 WEIGHTS 1 2 3 AGGREGATE MAX WITHSCORES
            ZUNION 2 u1 u2 AGGREGATE MIN
            ZUNION 2 u1 none WITHSCORES
            ZINTER 3 u1 u2 s3 WEIGHTS 1 2 3 AGGREGATE MIN WITHSCORES
            ZINTER 2 u1 u2 WITHSCORES
            ZINTER 2 u1 none
            ZINTERCARD 3 u1 u2 s3
            ZINTERCARD 2 u1 u2 LIMIT 1
            ZINTERCARD 2 u1 u2 LIMIT 0
            ZDIFF 2 u1 u2 WITHSCORES
            ZDIFF 1 s3 WITHSCORES
            ZDIFFSTORE dd 2 u1 u2
            ZRANGE dd 0 -1 WITHSCORES
            ZUNIONSTORE dd 2 u1 s3 WEIGHTS 0 1
            ZRANGE dd 0 -1 WITHSCORES
            ZUNIONSTORE dd 2 u1 u2 WEIGHTS inf -inf
            ZRANGE dd 0 -1 WITHSCORES
            ZINTERSTORE dd 2 u1 none
            EXISTS dd
            ZUNIONSTORE d 0 z
            ZUNIONSTORE d 2 z
            ZUNIONSTORE d 1 z WEIGHTS 1 2
            ZUNIONSTORE d 1 z WEIGHTS a
            ZUNIONSTORE d 1 z WEIGHTS nan
            ZUNIONSTORE d 1 z AGGREGATE foo
            ZUNIONSTORE d 1 z AGGREGATE
            ZUNIONSTORE d 1 z WITHSCORES
            ZUNION 1 z WITHSCORES foo
            ZINTER 0 z
            ZINTER abc z
            ZDIFF 1 z WEIGHTS 1
            ZDIFF 1 z AGGREGATE SUM
            ZINTERCARD 1 z LIMIT -1
            ZINTERCARD 1 z LIMIT abc
            ZINTERCARD 0 z
            ZINTERCARD 1 z WITHSCORES
            ZSCAN u1 0
            ZSCAN u1 0 MATCH b* COUNT 100
            ZSCAN u1 abc
            ZSCAN u1 0 COUNT 0
            ZSCAN none 0
            ZMSCORE z
            ZREM u1 a x
            ZREM u1 b c
            EXISTS u1
            ZREM none a
            SET str x
            ZADD str 1 a
            ZINCRBY str 1 a
            ZSCORE str a
            ZRANGE str 0 -1
            ZCOUNT str 0 1
            ZPOPMIN str
            BZPOPMIN str 0
            ZMPOP 1 str MIN
            ZUNION 2 u2 str
            ZUNIONSTORE u2 2 u2 str
            ZRANGESTORE d str 0 1
            ZSCAN str 0
            ZRANDMEMBER str
            """;

    @BeforeAll
    void openJedis() {
        jedis = new Jedis("127.0.0.1", respite.port());
    }

    @AfterAll
    void closeJedis() {
        jedis.close();
    }

    @BeforeEach
    void resp2() throws Exception {
        d.hello("2");
    }

    @Test
    void everyCommandRepliesAsRedisInResp2() throws Exception {
        runScript();
    }

    @Test
    void everyCommandRepliesAsRedisInResp3() throws Exception {
        d.hello("3");
        runScript();
    }

    private void runScript() throws Exception {
        for (String line : SCRIPT.strip().split("\n")) {
            d.check(line.strip().split(" +"));
        }
    }

    @Test
    void largeSortedSetsAnswerAsRedis() throws Exception {
        for (int i = 0; i < 300; i++) {
            d.check("ZADD", "big", Integer.toString(i % 37), "m" + i);
        }
        d.check(
                "ZADD",
                "big",
                "1",
                "a-member-longer-than-sixty-four-bytes-so-that-the-listpack-is-left-behind-for-good");
        String[][] cases = {
            {"ZCARD", "big"},
            {"ZRANK", "big", "m100"},
            {"ZREVRANK", "big", "m100"},
            {"ZCOUNT", "big", "(3", "10"},
            {"ZRANGE", "big", "100", "120", "WITHSCORES"},
            {"ZRANGE", "big", "(5", "7", "BYSCORE", "LIMIT", "3", "4"},
            {"ZRANGE", "big", "7", "(5", "BYSCORE", "REV", "LIMIT", "3", "4", "WITHSCORES"},
            {"ZREMRANGEBYRANK", "big", "10", "20"},
            {"ZREMRANGEBYSCORE", "big", "30", "(32"},
            {"ZPOPMIN", "big", "3"},
            {"ZPOPMAX", "big", "3"},
            {"ZRANGE", "big", "0", "-1", "WITHSCORES"},
        };
        for (String[] c : cases) {
            d.check(c);
        }
    }

    @Test
    void zrankWithScoreRepliesAsRedis72() throws Exception {
        try (RawConnection c = new RawConnection(respite.port())) {
            c.call("ZADD", "r", "1.5", "a", "2", "b");
            assertEquals("*2\r\n:1\r\n$1\r\n2\r\n", c.call("ZRANK", "r", "b", "WITHSCORE"));
            assertEquals("*2\r\n:1\r\n$3\r\n1.5\r\n", c.call("ZREVRANK", "r", "a", "withscore"));
            assertEquals("*-1\r\n", c.call("ZRANK", "r", "x", "WITHSCORE"));
            assertEquals("-ERR syntax error\r\n", c.call("ZRANK", "r", "a", "foo"));
            assertEquals(
                    "-ERR wrong number of arguments for 'zrank' command\r\n",
                    c.call("ZRANK", "r", "a", "WITHSCORE", "x"));
            c.call("HELLO", "3");
            assertEquals("*2\r\n:0\r\n,1.5\r\n", c.call("ZRANK", "r", "a", "WITHSCORE"));
            assertEquals("_\r\n", c.call("ZRANK", "r", "x", "WITHSCORE"));
        }
    }

    @Test
    void blockedPoppersAreServedInArrivalOrder() throws Exception {
        try (RawConnection first = new RawConnection(respite.port());
                RawConnection second = new RawConnection(respite.port());
                RawConnection third = new RawConnection(respite.port())) {
            first.command("BZPOPMIN", "q", "0");
            Thread.sleep(100);
            second.command("BZMPOP", "0", "2", "other", "q", "MAX", "COUNT", "5");
            Thread.sleep(100);
            third.command("BZPOPMAX", "q", "other", "0");
            Thread.sleep(100);
            jedis.zadd("q", 1, "a");
            assertEquals("*3\r\n$1\r\nq\r\n$1\r\na\r\n$1\r\n1\r\n", first.readReply());
            jedis.zadd("q", java.util.Map.of("b", 2.0, "c", 3.0));
            assertEquals(
                    "*2\r\n$1\r\nq\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
                    second.readReply());
            jedis.zadd("other", 7, "x");
            assertEquals("*3\r\n$5\r\nother\r\n$1\r\nx\r\n$1\r\n7\r\n", third.readReply());
            assertEquals(false, jedis.exists("q"));
            assertEquals(false, jedis.exists("other"));
        }
    }

    @Test
    void blockedPopTimesOutWithNull() throws Exception {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("*-1\r\n", c.call("BZPOPMIN", "nothing", "0.1"));
            assertEquals("*-1\r\n", c.call("BZMPOP", "0.1", "1", "nothing", "MIN"));
            c.call("HELLO", "3");
            assertEquals("_\r\n", c.call("BZPOPMAX", "nothing", "0.1"));
        }
    }

    @Test
    void blockingPopsInsideMultiDoNotBlock() throws Exception {
        for (String proto : new String[] {"2", "3"}) {
            d.hello(proto);
            d.check("MULTI");
            d.check("BZPOPMIN", "nothing", "0");
            d.check("BZMPOP", "0", "1", "nothing", "MIN");
            d.check("EXEC");
        }
    }

    @Test
    void encodingThresholdsAreConfigurableUnderBothNames() {
        assertEquals("128", jedis.configGet("zset-max-listpack-entries").get("zset-max-listpack-entries"));
        jedis.configSet("zset-max-ziplist-entries", "4");
        assertEquals("4", jedis.configGet("zset-max-listpack-entries").get("zset-max-listpack-entries"));
        jedis.configSet("zset-max-listpack-entries", "128");
        jedis.configSet("zset-max-listpack-value", "8");
        assertEquals("8", jedis.configGet("zset-max-ziplist-value").get("zset-max-ziplist-value"));
        jedis.configSet("zset-max-listpack-value", "64");
    }

    @Test
    void jedisDrivesALeaderboard() {
        jedis.zadd("board", 10, "ann");
        jedis.zadd("board", 30, "bob");
        jedis.zadd("board", 20, "cat");
        assertEquals(0L, jedis.zadd("board", 5, "ann", ZAddParams.zAddParams().gt()));
        assertEquals(35.0, jedis.zincrby("board", 5, "bob"));
        assertEquals(List.of("bob", "cat", "ann"), jedis.zrevrange("board", 0, -1));
        assertEquals(
                List.of(new Tuple("ann", 10.0), new Tuple("cat", 20.0)), jedis.zrangeByScoreWithScores("board", 0, 25));
        assertEquals(2L, jedis.zrevrank("board", "ann"));
        assertEquals(new Tuple("ann", 10.0), jedis.zpopmin("board"));
        assertEquals(new Tuple("bob", 35.0), jedis.zpopmax("board"));
        assertNull(jedis.zscore("board", "ann"));
        assertEquals(1L, jedis.zcard("board"));
    }

    @Test
    void redisPyReadsScores() throws Exception {
        Tools.Result r = Tools.python(
                respite.port(),
                String.join(
                        "\n",
                        "import os, redis",
                        "r = redis.Redis(port=int(os.environ['RESPITE_PORT']), decode_responses=True)",
                        "r.delete('py')",
                        "assert r.zadd('py', {'a': 1.5, 'b': float('inf'), 'c': -2}) == 3",
                        "assert r.zrange('py', 0, -1, withscores=True) == [('c', -2.0), ('a', 1.5), ('b', float('inf'))], r.zrange('py', 0, -1, withscores=True)",
                        "assert r.zscore('py', 'a') == 1.5",
                        "assert r.zincrby('py', 1, 'a') == 2.5",
                        "assert r.zrangebyscore('py', '(0', '+inf') == ['a', 'b']",
                        "assert r.zunion(['py', 'py'], withscores=True)[0] == ('c', -4.0)",
                        "assert r.zpopmin('py') == [('c', -2.0)]",
                        "try:",
                        "    r.zadd('py', {'x': 1}, nx=True, xx=True)",
                        "    raise SystemExit('no error')",
                        "except redis.DataError:",
                        "    pass",
                        "try:",
                        "    r.execute_command('ZADD', 'py', 'NX', 'XX', '1', 'x')",
                        "    raise SystemExit('no error')",
                        "except redis.ResponseError as e:",
                        "    assert str(e) == 'XX and NX options at the same time are not compatible', str(e)",
                        "try:",
                        "    r.zincrby('py', float('-inf'), 'b')",
                        "    raise SystemExit('no error')",
                        "except redis.ResponseError as e:",
                        "    assert str(e) == 'resulting score is not a number (NaN)', str(e)",
                        "print('ok')"));
        assertEquals("ok\n", r.stdout(), r.stderr());
    }
}
