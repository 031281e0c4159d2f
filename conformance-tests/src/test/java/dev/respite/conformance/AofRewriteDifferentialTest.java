package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * BGREWRITEAOF against Redis 7.2.5 with appendonly off: Redis rewrites anyway, leaving a base file that
 * DEBUG LOADAOF loads back.
 */
class AofRewriteDifferentialTest extends DifferentialSuite {

    private static void awaitRewriteDone(RawConnection c) throws IOException {
        c.awaitInfo("persistence", info -> info.contains("aof_rewrite_in_progress:0\r\n"));
    }

    @Test
    void rewriteWithAppendonlyOffLeavesAFileDebugLoadaofReads() throws IOException {
        check(
                "CONFIG GET appendonly",
                "SET s v",
                "RPUSH l a b c",
                "HSET h f v",
                "ZADD z 1 m",
                "SADD set x y",
                "SET t v EX 1000",
                "BGREWRITEAOF");
        awaitRewriteDone(d.respite());
        awaitRewriteDone(d.redis());
        // Each server's own digest: the TTL's exact millisecond differs from one server to the other.
        String digest = d.respite().call("DEBUG", "DIGEST");
        check("FLUSHALL", "DEBUG LOADAOF", "DBSIZE", "LRANGE l 0 -1", "TYPE z", "GET s", "SMEMBERS set", "HGETALL h");
        assertEquals(digest, d.respite().call("DEBUG", "DIGEST"));
        check("SET s v2", "BGREWRITEAOF");
        awaitRewriteDone(d.respite());
        awaitRewriteDone(d.redis());
        check("DEL s", "DEBUG LOADAOF", "GET s", "DBSIZE", "EXISTS t");
    }

    @Test
    void rewriteKeepsFunctionLibraries() throws IOException {
        d.check("FUNCTION", "LOAD", "#!lua name=test\nredis.register_function('test', function() return 1 end)");
        check("BGREWRITEAOF");
        awaitRewriteDone(d.respite());
        awaitRewriteDone(d.redis());
        check("FUNCTION FLUSH", "DEBUG LOADAOF", "FCALL test 0", "FUNCTION LIST", "FUNCTION FLUSH");
    }
}
