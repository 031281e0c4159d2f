package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO against the reference server byte for byte: their
 * errors, their replies in both protocols, and the invalidation messages themselves.
 */
class ClientTrackingDifferentialTest extends DifferentialSuite {

    private Differential pair() throws IOException {
        return new Differential(respite.port(), reference.port());
    }

    @Test
    void optionErrorsAreRedisOwn() throws IOException {
        try (Differential t = pair()) {
            t.check("CLIENT", "TRACKING", "maybe");
            t.check("CLIENT", "TRACKING", "on", "PREFIX", "foo");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "OPTIN");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "OPTOUT");
            t.check("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT");
            t.check("CLIENT", "TRACKING", "on", "REDIRECT", "987654");
            t.check("CLIENT", "TRACKING", "on", "REDIRECT", "notanumber");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "fo", "PREFIX", "foo");
            t.check("CLIENT", "TRACKING", "on", "NOSUCHOPTION");
            t.check("CLIENT", "TRACKING", "on", "PREFIX");
            t.check("CLIENT", "TRACKING");
            t.check("CLIENT", "CACHING", "yes");
            t.check("CLIENT", "CACHING", "no");
            t.check("CLIENT", "GETREDIR");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "foo");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "fo");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "foobar");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "bar", "PREFIX", "a");
            t.check("CLIENT", "TRACKING", "on");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "TRACKING", "off");
            t.check("CLIENT", "TRACKING", "on", "OPTIN");
            t.check("CLIENT", "CACHING", "no");
            t.check("CLIENT", "CACHING", "maybe");
            t.check("CLIENT", "TRACKING", "on", "OPTOUT");
            t.check("CLIENT", "CACHING", "yes");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "TRACKING", "off");
            t.check("CLIENT", "TRACKING", "on", "OPTOUT", "NOLOOP");
            t.check("CLIENT", "CACHING", "no");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "GETREDIR");
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void trackingInfoInResp3() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:", "PREFIX", "acct:", "NOLOOP");
            t.check("CLIENT", "TRACKINGINFO");
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void resp3InvalidationsFollowTheReplyOnTheSameConnection() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKING", "on");
            t.check("SET", "k", "v1");
            t.check("GET", "k");
            t.check("MGET", "k", "other");
            t.check("SET", "k", "v2");
            assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n", sameNextMessage(t));
            t.check("HGET", "h", "f");
            t.check("HSET", "h", "f", "1");
            sameNextMessage(t);
            t.check("SET", "other", "x");
            sameNextMessage(t);
            t.check("GET", "k");
            t.check("FLUSHALL");
            assertEquals(">2\r\n$10\r\ninvalidate\r\n_\r\n", sameNextMessage(t));
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    /** A script's caller caches the keys the script's read commands read, not the keys the script declares. */
    @Test
    void scriptsTrackTheKeysTheirReadCommandsRead() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKING", "on");
            for (String eval : new String[] {"EVAL", "EVAL_RO"}) {
                String noRead = eval.equals("EVAL") ? "redis.call('set', 'w{t}', 'bar')" : "redis.call('ping')";
                t.check(eval, noRead, "2", "a{t}", "b{t}");
                d.check("MSET", "a{t}", "1", "b{t}", "1");
                // An invalidation here would be read in place of PONG.
                t.check("PING");
                t.check(eval, "redis.call('get', 'b{t}')", "2", "a{t}", "b{t}");
                d.check("MSET", "b{t}", "2", "w{t}", "2");
                assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nb{t}\r\n", sameNextMessage(t));
                t.check("PING");
            }
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void noloopSkipsTheCallersOwnScriptWrites() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKING", "on", "NOLOOP");
            t.check("SET", "key1", "1");
            t.check("GET", "key1");
            t.check("EVAL", "return redis.call('set', 'key1', '2')", "1", "key1");
            t.check("GET", "key1");
            d.check("SET", "key1", "3");
            assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nkey1\r\n", sameNextMessage(t));
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void optinTracksOnlyAfterCachingYes() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKING", "on", "OPTIN");
            t.check("GET", "untracked");
            t.check("CLIENT", "CACHING", "yes");
            t.check("GET", "tracked");
            t.check("SET", "untracked", "1");
            t.check("SET", "tracked", "1");
            assertTrue(sameNextMessage(t).contains("tracked"));
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void resp2RedirectionGoesToTheInvalidateChannel() throws IOException {
        try (Differential t = pair();
                Differential sub = pair()) {
            long respiteId = Long.parseLong(
                    sub.respite().call("CLIENT", "ID").substring(1).trim());
            long redisId =
                    Long.parseLong(sub.redis().call("CLIENT", "ID").substring(1).trim());
            sub.check("SUBSCRIBE", "__redis__:invalidate");
            assertEquals("+OK\r\n", t.respite().call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(respiteId)));
            assertEquals("+OK\r\n", t.redis().call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(redisId)));
            t.check("GET", "a");
            t.check("SET", "a", "1");
            String expected = sub.redis().readReply();
            assertEquals("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\na\r\n", expected);
            assertEquals(expected, sub.respite().readReply());
            t.check("FLUSHDB");
            expected = sub.redis().readReply();
            assertEquals(expected, sub.respite().readReply());
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void bcastSendsChangedKeysUnderThePrefix() throws IOException {
        try (Differential t = pair();
                Differential writer = pair()) {
            t.hello("3");
            t.check("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:");
            writer.check("SET", "user:1", "a");
            assertEquals(">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nuser:1\r\n", sameNextMessage(t));
            writer.check("SET", "other", "b");
            writer.check("DEL", "user:1");
            sameNextMessage(t);
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    @Test
    void brokenRedirectIsReported() throws IOException {
        try (Differential t = pair()) {
            t.hello("3");
            RawConnection gone1 = new RawConnection(respite.port());
            RawConnection gone2 = new RawConnection(reference.port());
            String id1 = gone1.call("CLIENT", "ID").substring(1).trim();
            String id2 = gone2.call("CLIENT", "ID").substring(1).trim();
            assertEquals("+OK\r\n", t.respite().call("CLIENT", "TRACKING", "on", "REDIRECT", id1));
            assertEquals("+OK\r\n", t.redis().call("CLIENT", "TRACKING", "on", "REDIRECT", id2));
            t.check("GET", "k");
            gone1.close();
            gone2.close();
            waitForClients(t, 2);
            t.check("SET", "k", "2");
            String r1 = t.respite().readReply();
            String r2 = t.redis().readReply();
            assertEquals(r2.replace(id2, "ID"), r1.replace(id1, "ID"));
            assertTrue(r1.startsWith(">2\r\n$21\r\ntracking-redir-broken\r\n:"), r1);
            assertTrue(t.respite().call("CLIENT", "INFO").contains("flags=tR "));
            t.check("CLIENT", "TRACKING", "off");
        }
    }

    private static void waitForClients(Differential t, int n) throws IOException {
        for (int i = 0; i < 200; i++) {
            if (t.respite().call("CLIENT", "LIST").split(" addr=").length == n + 1
                    && t.redis().call("CLIENT", "LIST").split(" addr=").length == n + 1) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String sameNextMessage(Differential t) throws IOException {
        String expected = t.redis().readReply();
        String actual = t.respite().readReply();
        assertEquals(expected, actual);
        return actual;
    }
}
