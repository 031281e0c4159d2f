package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every write command family's keyspace notifications, compared with a real redis-server: the same script
 * runs on both with notify-keyspace-events KEA, and the messages a PSUBSCRIBE __key*__:* client receives
 * must be the same, byte for byte and in the same order.
 */
class KeyspaceNotificationsCoverageTest {
    /** Published by the script's last step; matches the pattern, so it marks the end of the stream. */
    private static final String END = "__keyend__:done";

    private static final String[][] SCRIPT = {
        // strings
        {"SET", "s", "1"},
        {"SET", "s", "2", "EX", "100"},
        {"SET", "s", "3", "NX"},
        {"SETNX", "s2", "a"},
        {"SETEX", "s3", "100", "v"},
        {"PSETEX", "s4", "100000", "v"},
        {"GETSET", "s", "4"},
        {"MSET", "m1", "a", "m2", "b"},
        {"MSETNX", "m3", "a", "m4", "b"},
        {"MSETNX", "m3", "a", "m5", "b"},
        {"APPEND", "s", "x"},
        {"APPEND", "a1", "new"},
        {"SETRANGE", "s", "1", "yy"},
        {"SETRANGE", "s", "0", ""},
        {"INCR", "n"},
        {"DECR", "n"},
        {"INCRBY", "n", "5"},
        {"DECRBY", "n", "2"},
        {"INCRBYFLOAT", "n", "1.5"},
        {"GETDEL", "s2"},
        {"GETEX", "s3", "EX", "200"},
        {"GETEX", "s3", "PERSIST"},
        {"GETEX", "s3", "PERSIST"},
        {"GETEX", "s4", "PXAT", "1"},
        {"SETBIT", "b", "3", "1"},
        {"SETBIT", "b", "3", "1"},
        {"BITFIELD", "b", "SET", "u8", "0", "255"},
        {"BITFIELD", "b", "GET", "u8", "0"},
        {"BITOP", "OR", "b2", "b", "m1"},
        {"BITOP", "AND", "b2", "none1", "none2"},
        // generic
        {"EXPIRE", "m1", "100"},
        {"PEXPIRE", "m1", "100000", "XX"},
        {"EXPIREAT", "m1", "4000000000"},
        {"PERSIST", "m1"},
        {"PERSIST", "m1"},
        {"EXPIRE", "m2", "-1"},
        {"PEXPIREAT", "m3", "1"},
        {"RENAME", "m4", "r1"},
        {"RENAMENX", "r1", "a1"},
        {"RENAMENX", "r1", "r2"},
        {"RENAME", "r2", "r2"},
        {"COPY", "r2", "c1"},
        {"COPY", "r2", "c1", "REPLACE"},
        {"COPY", "r2", "c1"},
        {"MOVE", "c1", "2"},
        {"MOVE", "c1", "2"},
        {"DEL", "r2", "missing"},
        {"UNLINK", "a1"},
        // lists
        {"LPUSH", "l", "a", "b", "c"},
        {"RPUSH", "l", "d", "e"},
        {"LPUSHX", "l", "f"},
        {"RPUSHX", "nolist", "x"},
        {"LINSERT", "l", "BEFORE", "a", "z"},
        {"LINSERT", "l", "BEFORE", "absent", "z"},
        {"LSET", "l", "0", "F"},
        {"LREM", "l", "0", "z"},
        {"LREM", "l", "0", "absent"},
        {"LTRIM", "l", "0", "100"},
        {"LTRIM", "l", "0", "3"},
        {"LPOP", "l"},
        {"RPOP", "l", "1"},
        {"LPOP", "l", "0"},
        {"LMOVE", "l", "l2", "LEFT", "RIGHT"},
        {"RPOPLPUSH", "l", "l2"},
        {"LMPOP", "2", "none", "l2", "LEFT", "COUNT", "1"},
        {"BLPOP", "l2", "0"},
        {"BRPOP", "l2", "nothing", "0.01"},
        {"RPUSH", "l3", "x"},
        {"BLMOVE", "l3", "l4", "RIGHT", "LEFT", "0"},
        {"BRPOPLPUSH", "l4", "l3", "0"},
        {"BLMPOP", "0", "1", "l3", "RIGHT"},
        {"RPUSH", "l5", "a", "b"},
        {"LTRIM", "l5", "5", "6"},
        // hashes
        {"HSET", "h", "f1", "1", "f2", "2"},
        {"HSET", "h", "f1", "1"},
        {"HMSET", "h", "f3", "3"},
        {"HSETNX", "h", "f1", "x"},
        {"HSETNX", "h", "f4", "x"},
        {"HINCRBY", "h", "f1", "2"},
        {"HINCRBYFLOAT", "h", "f2", "0.5"},
        {"HDEL", "h", "absent"},
        {"HDEL", "h", "f1", "f2"},
        {"HDEL", "h", "f3", "f4"},
        // sets
        {"SADD", "st", "a", "b", "c"},
        {"SADD", "st", "a"},
        {"SREM", "st", "a", "zz"},
        {"SREM", "st", "zz"},
        {"SMOVE", "st", "st2", "b"},
        {"SMOVE", "st", "st2", "zz"},
        {"SADD", "st2", "c"},
        {"SMOVE", "st", "st2", "c"},
        {"SADD", "one", "x"},
        {"SPOP", "one"},
        {"SADD", "two", "x", "y"},
        {"~SPOP", "two", "5"},
        {"SADD", "sa", "1", "2", "3"},
        {"SADD", "sb", "2", "3", "4"},
        {"SINTERSTORE", "sd", "sa", "sb"},
        {"SUNIONSTORE", "sd", "sa", "sb"},
        {"SDIFFSTORE", "sd", "sa", "sb"},
        {"SINTERSTORE", "sd", "sa", "none"},
        {"SINTERSTORE", "sd", "sa", "none"},
        // sorted sets
        {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"},
        {"ZADD", "z", "1", "a"},
        {"ZADD", "z", "XX", "CH", "9", "a"},
        {"ZADD", "z", "INCR", "1", "b"},
        {"ZINCRBY", "z", "0", "b"},
        {"ZINCRBY", "z", "1", "b"},
        {"ZREM", "z", "zz"},
        {"ZREM", "z", "a"},
        {"ZADD", "z", "1", "f", "1", "g", "1", "h", "6", "i"},
        {"ZREMRANGEBYSCORE", "z", "100", "200"},
        {"ZREMRANGEBYSCORE", "z", "6", "6"},
        {"ZREMRANGEBYRANK", "z", "0", "0"},
        {"ZADD", "zl", "0", "g", "0", "h", "0", "i"},
        {"ZREMRANGEBYLEX", "zl", "[g", "[h"},
        {"ZREMRANGEBYLEX", "zl", "-", "+"},
        {"ZPOPMIN", "z"},
        {"ZPOPMAX", "z", "2"},
        {"ZMPOP", "1", "z", "MIN", "COUNT", "1"},
        {"ZADD", "za", "1", "a", "2", "b"},
        {"ZADD", "zb", "2", "b", "3", "c"},
        {"ZUNIONSTORE", "zd", "2", "za", "zb"},
        {"ZINTERSTORE", "zd", "2", "za", "zb"},
        {"ZDIFFSTORE", "zd", "2", "za", "zb"},
        {"ZRANGESTORE", "zr", "za", "0", "-1"},
        {"ZINTERSTORE", "zd", "2", "za", "none"},
        {"ZRANGESTORE", "zr", "za", "5", "6"},
        {"BZPOPMIN", "za", "0"},
        {"BZPOPMAX", "za", "0"},
        {"BZMPOP", "0", "1", "zb", "MAX", "COUNT", "5"},
        {"ZPOPMIN", "none"},
        // HyperLogLogs and geo sets
        {"PFADD", "hl", "a", "b"},
        {"PFADD", "hl", "a"},
        {"PFCOUNT", "hl"},
        {"PFMERGE", "hm", "hl", "none"},
        {"GEOADD", "geo", "1", "2", "p", "3", "4", "q"},
        {"GEOADD", "geo", "1", "2", "p"},
        {"GEORADIUS", "geo", "1", "2", "10", "km", "STORE", "gs"},
        {"GEOSEARCHSTORE", "gs2", "geo", "FROMLONLAT", "1", "2", "BYRADIUS", "10", "km"},
        {"GEOSEARCHSTORE", "gs2", "geo", "FROMLONLAT", "50", "50", "BYRADIUS", "1", "m"},
        // streams
        {"XADD", "x", "1-0", "f", "v"},
        {"XADD", "x", "2-0", "f", "v"},
        {"XADD", "x", "MAXLEN", "1", "3-0", "f", "v"},
        {"XADD", "none", "NOMKSTREAM", "*", "f", "v"},
        {"XDEL", "x", "9-9"},
        {"XDEL", "x", "3-0"},
        {"XADD", "x", "4-0", "f", "v"},
        {"XADD", "x", "5-0", "f", "v"},
        {"XTRIM", "x", "MAXLEN", "1"},
        {"XTRIM", "x", "MAXLEN", "5"},
        {"XSETID", "x", "9-0"},
        {"XGROUP", "CREATE", "x", "g", "0"},
        {"XGROUP", "CREATE", "xm", "g", "$", "MKSTREAM"},
        {"XGROUP", "CREATECONSUMER", "x", "g", "c1"},
        {"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "x", ">"},
        {"XCLAIM", "x", "g", "c3", "0", "5-0"},
        {"XAUTOCLAIM", "x", "g", "c4", "0", "0"},
        {"XACK", "x", "g", "5-0"},
        {"XGROUP", "SETID", "x", "g", "0"},
        {"XGROUP", "DELCONSUMER", "x", "g", "c1"},
        {"XGROUP", "DESTROY", "x", "g"},
        {"XGROUP", "DESTROY", "x", "g"},
        // expiry and a key in another database
        {"SET", "short", "v", "PX", "1"},
        {"SLEEP"},
        {"GET", "short"},
        {"SELECT", "3"},
        {"SET", "in3", "v"},
        {"DEL", "in3"},
        {"SELECT", "0"},
    };

    @Test
    void everyWriteCommandPublishesWhatRedisPublishes() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start("--notify-keyspace-events", "KEA");
                RealRedis redis = RealRedis.start("--notify-keyspace-events", "KEA");
                Differential d = new Differential(respite.port(), redis.port());
                Differential sub = new Differential(respite.port(), redis.port())) {
            sub.check("PSUBSCRIBE", "__key*__:*");
            for (String[] step : SCRIPT) {
                if (step[0].equals("SLEEP")) {
                    Thread.sleep(20);
                } else if (step[0].startsWith("~")) {
                    unordered(d, step);
                } else {
                    d.check(step);
                }
            }
            d.check("PUBLISH", END, "end");
            List<String> fromRedis = messages(sub.redis());
            List<String> fromRespite = messages(sub.respite());
            assertTrue(fromRedis.size() > 200, () -> "the script should publish plenty: " + fromRedis.size());
            // One line per raw message (CRLF shown as spaces), so a difference shows where it starts.
            assertEquals(
                    String.join("\n", fromRedis).replace("\r\n", " "),
                    String.join("\n", fromRespite).replace("\r\n", " "));
        }
    }

    /** A step whose reply order is the set's own (SPOP of a whole set): only its effects are compared. */
    private static void unordered(Differential d, String[] step) throws IOException {
        String[] args = step.clone();
        args[0] = args[0].substring(1);
        d.redis().call(args);
        d.respite().call(args);
    }

    private static List<String> messages(RawConnection c) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            String m = c.readReply();
            if (m.contains(END)) {
                return out;
            }
            out.add(m);
        }
    }
}
