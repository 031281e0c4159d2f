package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DEBUG as tools and tests use it: ERROR, LOG, RELOAD, DIGEST, DIGEST-VALUE, and its enable-debug-command gate. */
class DebugTest {
    @Test
    void digestSurvivesReloadAndRestartAndTracksChanges() throws Exception {
        Path dir = Files.createTempDirectory("debug");
        String digest;
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                RawConnection c = new RawConnection(r.port())) {
            assertEquals("+0000000000000000000000000000000000000000\r\n", c.call("DEBUG", "DIGEST"));
            c.call("RPUSH", "list", "a", "b", "c");
            c.call("SADD", "set", "x", "y", "1");
            c.call("HSET", "hash", "f", "v", "g", "w");
            c.call("ZADD", "zset", "1.5", "m", "-0", "n");
            c.call("SET", "ttl", "v", "EX", "1000");
            c.call("SELECT", "4");
            c.call("SET", "other", "db");
            digest = c.call("DEBUG", "DIGEST");
            assertTrue(digest.matches("\\+[0-9a-f]{40}\r\n"), digest);
            assertEquals("+OK\r\n", c.call("DEBUG", "RELOAD"));
            assertEquals(digest, c.call("DEBUG", "DIGEST"));
            String value = c.call("DEBUG", "DIGEST-VALUE", "other", "missing");
            assertTrue(value.matches("\\*2\r\n\\+[0-9a-f]{40}\r\n\\+0{40}\r\n"), value);
            // A value's digest leaves its key's name out: a COPY digests as its source.
            c.call("COPY", "other", "copied");
            assertEquals(c.call("DEBUG", "DIGEST-VALUE", "other"), c.call("DEBUG", "DIGEST-VALUE", "copied"));
            c.call("DEL", "copied");
            c.call("SET", "other", "changed");
            assertNotEquals(digest, c.call("DEBUG", "DIGEST"));
            c.call("SET", "other", "db");
            assertEquals(digest, c.call("DEBUG", "DIGEST"));
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                RawConnection c = new RawConnection(r.port())) {
            assertEquals(digest, c.call("DEBUG", "DIGEST"));
        }
    }

    @Test
    void errorAndLogAndTheGateAnswerAsRedis() throws Exception {
        try (RespiteProcess r = RespiteProcess.start();
                RawConnection c = new RawConnection(r.port())) {
            assertEquals("-Some error text\r\n", c.call("DEBUG", "ERROR", "Some error text"));
            assertEquals("+OK\r\n", c.call("DEBUG", "LOG", "marker-line-for-the-log"));
            assertTrue(r.log().contains("DEBUG LOG: marker-line-for-the-log"));
            assertEquals("+OK\r\n", c.call("DEBUG", "CHANGE-REPL-ID"));
        }
        try (RespiteProcess r = RespiteProcess.start("--enable-debug-command", "no");
                RealRedis redis = RealRedis.start("--enable-debug-command", "no");
                Differential d = new Differential(r.port(), redis.port())) {
            d.check("DEBUG", "DIGEST");
        }
    }

    @Test
    void objectAddressStaysWhileIncrUpdatesTheValueInPlace() throws Exception {
        try (RespiteProcess r = RespiteProcess.start();
                RawConnection c = new RawConnection(r.port())) {
            c.call("SET", "foo", "20000");
            c.call("INCR", "foo");
            String before = c.call("DEBUG", "OBJECT", "foo").split(" ")[1];
            assertEquals(":20002\r\n", c.call("INCR", "foo"));
            String after = c.call("DEBUG", "OBJECT", "foo").split(" ")[1];
            assertTrue(before.startsWith("at:0x"), before);
            assertEquals(before, after);
        }
    }

    @Test
    void quicklistPackedThresholdGivesLargeElementsNodesOfTheirOwn() throws Exception {
        try (RespiteProcess r = RespiteProcess.start();
                RealRedis redis = RealRedis.start("--enable-debug-command", "yes");
                Differential d = new Differential(r.port(), redis.port())) {
            for (String size : new String[] {"abc", "-1", "4gb", "1.5", "4294967297", "5b"}) {
                d.check("DEBUG", "QUICKLIST-PACKED-THRESHOLD", size);
            }
            d.check("CONFIG", "SET", "list-max-listpack-size", "4");
            d.check("RPUSH", "l", "aa", "bb", "cc", "dd", "ee");
            d.check("LSET", "l", "2", "eeeeeeeeee");
            d.check("LINSERT", "l", "AFTER", "bb", "ffffff");
            d.check("LTRIM", "l", "4", "4");
            // A plain node keeps the list a quicklist; once its element is small again it converts back.
            d.check("OBJECT", "ENCODING", "l");
            d.check("LSET", "l", "0", "x");
            d.check("OBJECT", "ENCODING", "l");
            d.check("LRANGE", "l", "0", "-1");
            d.check("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
            d.check("RPUSH", "m", "aa", "bb", "cc", "dd", "ee");
            d.check("LSET", "m", "2", "eeeeeeeeee");
            d.check("LTRIM", "m", "2", "2");
            d.check("OBJECT", "ENCODING", "m");
        }
    }

    @Test
    void protocolSamplesEveryReplyTypeAsRedis() throws Exception {
        try (RespiteProcess r = RespiteProcess.start();
                RealRedis redis = RealRedis.start("--enable-debug-command", "yes");
                Differential d = new Differential(r.port(), redis.port())) {
            for (String protocol : new String[] {"2", "3"}) {
                d.hello(protocol);
                for (String type : new String[] {
                    "string",
                    "integer",
                    "double",
                    "bignum",
                    "null",
                    "array",
                    "set",
                    "map",
                    "true",
                    "false",
                    "verbatim",
                    "nosuch",
                    "ATTRIB"
                }) {
                    d.check("DEBUG", "PROTOCOL", type);
                }
                if (protocol.equals("3")) {
                    // An attribute and a push each precede a real reply: both frames must match.
                    for (String type : new String[] {"attrib", "push"}) {
                        d.respite().command("DEBUG", "PROTOCOL", type);
                        d.redis().command("DEBUG", "PROTOCOL", type);
                        assertEquals(d.redis().readReply(), d.respite().readReply(), type);
                    }
                } else {
                    d.check("DEBUG", "PROTOCOL", "push");
                }
            }
        }
    }
}
