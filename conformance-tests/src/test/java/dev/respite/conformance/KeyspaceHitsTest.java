package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * keyspace_hits and keyspace_misses as Redis counts them: one per key a command reads (lookupKeyRead), hit
 * when it exists, for every reading command of every family and for the writes that read (GETDEL, SET GET,
 * COPY, the STORE forms). Each step's change of the two counters is compared with redis-server's.
 */
class KeyspaceHitsTest {
    private static final String[][] SCRIPT = {
        {"SET", "s", "hello"},
        {"RPUSH", "l", "a", "b"},
        {"HSET", "h", "f", "v"},
        {"SADD", "st", "1", "2"},
        {"ZADD", "z", "1", "a"},
        {"GET", "s"},
        {"GET", "nos"},
        {"MGET", "s", "nos", "s"},
        {"STRLEN", "s"},
        {"GETRANGE", "s", "0", "1"},
        {"GETRANGE", "s", "x", "1"},
        {"GET", "l"},
        {"EXISTS", "s", "nos", "l"},
        {"TYPE", "s"},
        {"TYPE", "nos"},
        {"TTL", "s"},
        {"PTTL", "nos"},
        {"TOUCH", "s", "nos"},
        {"OBJECT", "ENCODING", "s"},
        {"LCS", "s", "nos"},
        {"GETBIT", "s", "1"},
        {"BITCOUNT", "nos"},
        {"BITPOS", "s", "1"},
        {"GETDEL", "nos"},
        {"GETEX", "s"},
        {"GETSET", "nos2", "v"},
        {"SET", "s", "v2", "GET"},
        {"SET", "nos3", "v", "GET"},
        {"SET", "plain", "v"},
        {"INCR", "counter"},
        {"APPEND", "s", "x"},
        {"COPY", "s", "scopy"},
        {"COPY", "nos", "scopy2"},
        {"LRANGE", "l", "0", "-1"},
        {"LLEN", "nol"},
        {"LINDEX", "l", "0"},
        {"LPOS", "l", "a"},
        {"LPOP", "nol"},
        {"HGET", "h", "f"},
        {"HGET", "noh", "f"},
        {"HGETALL", "h"},
        {"HLEN", "noh"},
        {"HEXISTS", "h", "f"},
        {"HMGET", "h", "f", "g"},
        {"HKEYS", "h"},
        {"HVALS", "noh"},
        {"HSTRLEN", "h", "f"},
        {"SMEMBERS", "st"},
        {"SISMEMBER", "nost", "1"},
        {"SCARD", "st"},
        {"SINTER", "st", "nost"},
        {"SUNION", "st", "st"},
        {"SDIFF", "nost", "st"},
        {"SINTERSTORE", "dst", "st", "nost"},
        {"SUNIONSTORE", "dst", "st", "nost"},
        {"SINTERCARD", "2", "st", "nost"},
        {"SMISMEMBER", "st", "1", "3"},
        {"ZRANGE", "z", "0", "-1"},
        {"ZSCORE", "noz", "a"},
        {"ZCARD", "z"},
        {"ZRANK", "z", "a"},
        {"ZCOUNT", "z", "-inf", "+inf"},
        {"ZUNION", "2", "z", "noz"},
        {"ZINTERSTORE", "dz", "2", "z", "noz"},
        {"ZUNIONSTORE", "dz", "2", "z", "noz"},
        {"ZRANGESTORE", "dz2", "z", "0", "-1"},
        {"ZINTERCARD", "2", "z", "noz"},
        {"ZMSCORE", "z", "a"},
        {"BITOP", "OR", "bdst", "s", "nos"},
        {"DEL", "s"},
        {"EXPIRE", "l", "100"},
        {"RENAME", "h", "h2"},
    };

    @Test
    void everyReadCountsAHitOrAMissAsInRedis() throws IOException {
        try (RespiteProcess respite = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                Differential d = new Differential(respite.port(), redis.port())) {
            for (String[] step : SCRIPT) {
                long[] redisBefore = counters(d.redis());
                long[] respiteBefore = counters(d.respite());
                d.check(step);
                long[] redisAfter = counters(d.redis());
                long[] respiteAfter = counters(d.respite());
                String what = String.join(" ", step);
                assertEquals(
                        redisAfter[0] - redisBefore[0], respiteAfter[0] - respiteBefore[0], () -> "hits of " + what);
                assertEquals(
                        redisAfter[1] - redisBefore[1], respiteAfter[1] - respiteBefore[1], () -> "misses of " + what);
            }
        }
    }

    private static long[] counters(RawConnection c) throws IOException {
        long[] out = new long[2];
        for (String line : c.call("INFO", "stats").split("\r\n")) {
            if (line.startsWith("keyspace_hits:")) {
                out[0] = Long.parseLong(line.substring("keyspace_hits:".length()));
            } else if (line.startsWith("keyspace_misses:")) {
                out[1] = Long.parseLong(line.substring("keyspace_misses:".length()));
            }
        }
        return out;
    }
}
