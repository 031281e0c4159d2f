package dev.respite.conformance;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every family's commands run on keys holding each other type, compared with redis-server byte for byte:
 * the WRONGTYPE error where Redis gives it, and the same answer where Redis accepts the other type (a set
 * as a ZUNION input, MGET of a list). K marks where the key goes.
 */
class WrongTypeTest {
    private static final Map<String, String[][]> FAMILIES = Map.of(
            "string",
                    new String[][] {
                        {"GET", "K"},
                        {"APPEND", "K", "x"},
                        {"STRLEN", "K"},
                        {"GETRANGE", "K", "0", "1"},
                        {"SETRANGE", "K", "0", "x"},
                        {"INCR", "K"},
                        {"INCRBY", "K", "2"},
                        {"DECR", "K"},
                        {"DECRBY", "K", "2"},
                        {"INCRBYFLOAT", "K", "1.5"},
                        {"GETSET", "K", "v"},
                        {"GETDEL", "K"},
                        {"GETEX", "K", "PERSIST"},
                        {"SET", "K", "v", "GET"},
                        {"SETBIT", "K", "0", "1"},
                        {"GETBIT", "K", "0"},
                        {"BITCOUNT", "K"},
                        {"BITPOS", "K", "1"},
                        {"BITFIELD", "K", "GET", "u8", "0"},
                        {"BITOP", "OR", "wt:dst", "K"},
                        {"MGET", "K", "wt:none"},
                        {"LCS", "K", "wt:none"}
                    },
            "list",
                    new String[][] {
                        {"LPUSH", "K", "x"},
                        {"RPUSH", "K", "x"},
                        {"LPUSHX", "K", "x"},
                        {"RPUSHX", "K", "x"},
                        {"LPOP", "K"},
                        {"RPOP", "K", "2"},
                        {"LLEN", "K"},
                        {"LRANGE", "K", "0", "-1"},
                        {"LINDEX", "K", "0"},
                        {"LSET", "K", "0", "x"},
                        {"LINSERT", "K", "BEFORE", "a", "b"},
                        {"LREM", "K", "0", "a"},
                        {"LTRIM", "K", "0", "1"},
                        {"LPOS", "K", "a"},
                        {"LMOVE", "K", "wt:l", "LEFT", "RIGHT"},
                        {"RPOPLPUSH", "K", "wt:l"},
                        {"LMOVE", "wt:list", "K", "LEFT", "RIGHT"},
                        {"LMPOP", "1", "K", "LEFT"},
                        {"BLPOP", "K", "0.01"},
                        {"BRPOP", "wt:none", "K", "0.01"},
                        {"BLMOVE", "K", "wt:l", "LEFT", "LEFT", "0.01"},
                        {"BLMPOP", "0.01", "1", "K", "RIGHT"}
                    },
            "hash",
                    new String[][] {
                        {"HSET", "K", "f", "v"},
                        {"HSETNX", "K", "f", "v"},
                        {"HMSET", "K", "f", "v"},
                        {"HGET", "K", "f"},
                        {"HMGET", "K", "f"},
                        {"HGETALL", "K"},
                        {"HKEYS", "K"},
                        {"HVALS", "K"},
                        {"HLEN", "K"},
                        {"HEXISTS", "K", "f"},
                        {"HDEL", "K", "f"},
                        {"HINCRBY", "K", "f", "1"},
                        {"HINCRBYFLOAT", "K", "f", "1.5"},
                        {"HSTRLEN", "K", "f"},
                        {"HRANDFIELD", "K"},
                        {"HSCAN", "K", "0"}
                    },
            "set",
                    new String[][] {
                        {"SADD", "K", "m"},
                        {"SREM", "K", "m"},
                        {"SMEMBERS", "K"},
                        {"SISMEMBER", "K", "m"},
                        {"SMISMEMBER", "K", "m"},
                        {"SCARD", "K"},
                        {"SPOP", "K"},
                        {"SRANDMEMBER", "K"},
                        {"SMOVE", "K", "wt:s", "m"},
                        {"SMOVE", "wt:set", "K", "1"},
                        {"SINTER", "wt:set", "K"},
                        {"SUNION", "K"},
                        {"SDIFF", "K", "wt:set"},
                        {"SINTERSTORE", "wt:s", "K"},
                        {"SUNIONSTORE", "wt:s", "wt:set", "K"},
                        {"SINTERCARD", "1", "K"},
                        {"SSCAN", "K", "0"}
                    },
            "zset",
                    new String[][] {
                        {"ZADD", "K", "1", "m"},
                        {"ZINCRBY", "K", "1", "m"},
                        {"ZREM", "K", "m"},
                        {"ZCARD", "K"},
                        {"ZSCORE", "K", "m"},
                        {"ZMSCORE", "K", "m"},
                        {"ZRANK", "K", "m"},
                        {"ZREVRANK", "K", "m"},
                        {"ZRANGE", "K", "0", "-1"},
                        {"ZRANGEBYSCORE", "K", "-inf", "+inf"},
                        {"ZRANGEBYLEX", "K", "-", "+"},
                        {"ZCOUNT", "K", "-inf", "+inf"},
                        {"ZLEXCOUNT", "K", "-", "+"},
                        {"ZREMRANGEBYRANK", "K", "0", "0"},
                        {"ZREMRANGEBYSCORE", "K", "5", "6"},
                        {"ZREMRANGEBYLEX", "K", "[x", "[y"},
                        {"ZPOPMIN", "K"},
                        {"ZPOPMAX", "K", "2"},
                        {"ZRANDMEMBER", "K"},
                        {"ZUNION", "2", "wt:zset", "K"},
                        {"ZINTER", "1", "K"},
                        {"ZDIFF", "1", "K"},
                        {"ZUNIONSTORE", "wt:z", "1", "K"},
                        {"ZRANGESTORE", "wt:z", "K", "0", "-1"},
                        {"ZINTERCARD", "1", "K"},
                        {"ZMPOP", "1", "K", "MIN"},
                        {"BZPOPMIN", "K", "0.01"},
                        {"BZMPOP", "0.01", "1", "K", "MAX"},
                        {"ZSCAN", "K", "0"}
                    });

    /** Commands that build one key of each type, fresh before every probe so probes cannot affect each other. */
    private static final String[][] SETUP = {
        {"SET", "wt:string", "12"},
        {"RPUSH", "wt:list", "a", "b"},
        {"HSET", "wt:hash", "f", "1"},
        {"SADD", "wt:set", "1", "m"},
        {"ZADD", "wt:zset", "1", "m", "2", "n"}
    };

    @Test
    void everyFamilyRefusesOtherTypesAsRedisDoes() throws IOException {
        try (RespiteProcess respite = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                Differential d = new Differential(respite.port(), redis.port())) {
            for (Map.Entry<String, String[][]> family : FAMILIES.entrySet()) {
                for (String other : FAMILIES.keySet()) {
                    if (other.equals(family.getKey())) {
                        continue;
                    }
                    for (String[] probe : family.getValue()) {
                        d.check(
                                "DEL",
                                "wt:string",
                                "wt:list",
                                "wt:hash",
                                "wt:set",
                                "wt:zset",
                                "wt:dst",
                                "wt:l",
                                "wt:s",
                                "wt:z");
                        for (String[] setup : SETUP) {
                            d.check(setup);
                        }
                        String[] args = probe.clone();
                        for (int i = 0; i < args.length; i++) {
                            if (args[i].equals("K")) {
                                args[i] = "wt:" + other;
                            }
                        }
                        d.check(args);
                        d.check("TYPE", "wt:" + other);
                    }
                }
            }
        }
    }
}
