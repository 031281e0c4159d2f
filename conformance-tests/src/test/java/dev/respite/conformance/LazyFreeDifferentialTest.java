package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * INFO's lazyfreed_objects against Redis 7.2.5: which deletions Redis hands to its background thread (UNLINK,
 * DEL under lazyfree-lazy-user-del, asynchronous flushes) and which values are large enough for it.
 */
class LazyFreeDifferentialTest extends DifferentialSuite {

    private static long stat(RawConnection c, String name) throws IOException {
        Matcher m = Pattern.compile(name + ":(\\d+)").matcher(c.call("INFO", "memory"));
        if (!m.find()) {
            fail("no " + name + " in INFO");
        }
        return Long.parseLong(m.group(1));
    }

    /** Redis counts an object once its background thread freed it: wait for that, then compare. */
    private void sameLazyfreed() throws IOException {
        for (int i = 0; i < 200 && stat(d.redis(), "lazyfree_pending_objects") > 0; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        assertEquals(stat(d.redis(), "lazyfreed_objects"), stat(d.respite(), "lazyfreed_objects"));
    }

    private void fill(String command, String key, int n, boolean pairs) throws IOException {
        String[] args = new String[2 + (pairs ? 2 * n : n)];
        args[0] = command;
        args[1] = key;
        for (int i = 0; i < n; i++) {
            if (pairs) {
                args[2 + 2 * i] = Integer.toString(i);
                args[3 + 2 * i] = "v" + i;
            } else {
                args[2 + i] = "m" + i;
            }
        }
        d.check(args);
    }

    @Test
    void unlinkCountsOnlyValuesLargeEnough() throws IOException {
        check("CONFIG RESETSTAT");
        fill("SADD", "big", 200, false);
        fill("SADD", "small", 10, false);
        fill("HSET", "hash", 200, true);
        fill("ZADD", "zset", 200, true);
        check("SET s v", "UNLINK big small s missing");
        sameLazyfreed();
        check("DEL hash", "CONFIG SET lazyfree-lazy-user-del yes", "DEL zset");
        sameLazyfreed();
        check("CONFIG SET lazyfree-lazy-user-del no", "CONFIG RESETSTAT");
        sameLazyfreed();
    }

    @Test
    void asynchronousFlushesCountEveryKey() throws IOException {
        check("CONFIG RESETSTAT", "MSET a 1 b 2 c 3", "FLUSHDB", "MSET a 1 b 2", "FLUSHALL ASYNC");
        sameLazyfreed();
        check("MSET a 1 b 2", "CONFIG SET lazyfree-lazy-user-flush yes", "FLUSHDB", "SET a 1", "FLUSHDB SYNC");
        sameLazyfreed();
        check("CONFIG SET lazyfree-lazy-user-flush no");
    }

    @Test
    void streamWithGroupsAndPendingEntries() throws IOException {
        check("CONFIG RESETSTAT", "CONFIG SET stream-node-max-entries 5");
        for (int i = 1; i <= 1000; i++) {
            d.check("XADD", "stream", i + "-0", i % 10 == 0 ? "bar" : "foo", Integer.toString(i));
        }
        check(
                "XGROUP CREATE stream g1 0",
                "XREADGROUP GROUP g1 Alice COUNT 2 STREAMS stream >",
                "XDEL stream 2-0",
                "XACK stream g1 1-0",
                "UNLINK stream",
                "XADD s 1-0 a b",
                "XGROUP CREATE s bla $",
                "XGROUP DESTROY s bla",
                "UNLINK s");
        sameLazyfreed();
        check("CONFIG SET stream-node-max-entries 100");
    }
}
