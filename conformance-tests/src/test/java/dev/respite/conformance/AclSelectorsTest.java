package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis 7's ACL rules beyond plain commands and patterns: first-argument rules, selectors, the order rules
 * are printed in, re-checks of queued and blocked commands, revoked subscribers, and the ACL log's fields and
 * counters. Every reply is compared byte for byte with a real redis-server 7.2.5.
 */
class AclSelectorsTest extends DifferentialSuite {

    @Test
    void firstArgumentRulesAllowOnlyThatArgumentAndAreMisusedWithRedisErrors() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check(
                    "ACL",
                    "SETUSER",
                    "fa",
                    "on",
                    "nopass",
                    "-@all",
                    "+select|0",
                    "+SELECT|0",
                    "+debug|segfault",
                    "+debug");
            d.check("ACL", "GETUSER", "fa");
            d.check("ACL", "SETUSER", "fa", "+config|get|x");
            d.check("ACL", "SETUSER", "fa", "+config|asdf");
            d.check("ACL", "SETUSER", "fa", "-config|asdf");
            d.check("ACL", "SETUSER", "fa", "+get|key1|key2");
            d.check("ACL", "SETUSER", "fa", "-select|0");
            d.check("ACL", "SETUSER", "fa", "+debug|");
            d.check("ACL", "SETUSER", "fa", "+Select|Abc", "+acl");
            d.check("ACL", "LIST");
            d.check("ACL", "DRYRUN", "fa", "select", "0");
            d.check("ACL", "DRYRUN", "fa", "select", "ABC");
            d.check("ACL", "DRYRUN", "fa", "select", "1");
            d.check("AUTH", "fa", "x");
            d.check("SELECT", "0");
            d.check("SELECT", "1");
            d.check("AUTH", "default", "x");
            d.check("ACL", "DELUSER", "fa");
        }
    }

    @Test
    void takingOneCommandFromTheDefaultUserLeavesTheOthers() throws IOException {
        // The default user gets +@all before the command table is filled: its other commands must stay allowed.
        try (Differential d = new Differential(respite.port(), reference.port())) {
            try {
                d.check("ACL", "SETUSER", "default", "-psync");
                d.check("ACL", "LIST");
                d.check("SET", "k", "v");
                d.check("ACL", "DRYRUN", "default", "PSYNC", "?", "-1");
                d.check("ACL", "SETUSER", "default", "+psync");
                d.check("ACL", "GETUSER", "default");
            } finally {
                d.check("ACL", "SETUSER", "default", "+@all");
                d.check("DEL", "k");
            }
        }
    }

    @Test
    void commandRulesKeepRedisOrderAndCompaction() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check("ACL", "SETUSER", "ord", "+@all", "-@hash", "-@slow", "+hget");
            d.check("ACL", "GETUSER", "ord");
            d.check("ACL", "SETUSER", "ord", "-@hash");
            d.check("ACL", "GETUSER", "ord");
            d.check("ACL", "SETUSER", "ord", "-@all", "+client|list", "+config|get", "+config", "+acl|list", "-acl");
            d.check("ACL", "GETUSER", "ord");
            d.check("ACL", "SETUSER", "ord", "-@all", "+config", "+config|get", "-config|set", "+config");
            d.check("ACL", "GETUSER", "ord");
            d.check("ACL", "SETUSER", "ord", "+@ALL", "-@HASH", "+HGET", "+@Hash", "+client|id");
            d.check("ACL", "GETUSER", "ord");
            d.check("ACL", "SETUSER", "ord", "allcommands", "-get", "+get", "-config|get", "-config");
            d.check("ACL", "LIST");
            d.check("ACL", "SETUSER", "ord", "+@nosuch");
            d.check("ACL", "DELUSER", "ord");
        }
    }

    @Test
    void selectorsAreParsedListedAndCleared() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check("ACL", "SETUSER", "sel", "(+get ~k1)", "(+set", "~k2)", "( ~k3 +get )", "(&ch +publish)");
            d.check("ACL", "GETUSER", "sel");
            d.check("ACL", "LIST");
            d.check("ACL", "SETUSER", "sel", "%R~foo", "%W~foo", "%RW~bar", "%wr~baz", "%R~*");
            d.check("ACL", "GETUSER", "sel");
            d.check("ACL", "SETUSER", "sel", "clearselectors");
            d.check("ACL", "GETUSER", "sel");
            d.check("ACL", "SETUSER", "sel", "(+get", "~k1");
            d.check("ACL", "SETUSER", "sel", "(this-is-invalid)");
            d.check("ACL", "SETUSER", "sel", "(&* &fail)");
            d.check("ACL", "SETUSER", "sel", " () ");
            d.check("ACL", "SETUSER", "sel", ")");
            d.check("ACL", "SETUSER", "sel", "%RR~x");
            d.check("ACL", "SETUSER", "sel", "~a b");
            d.check("ACL", "SETUSER", "sel", "()", "reset");
            d.check("ACL", "GETUSER", "sel");
            d.check("ACL", "DELUSER", "sel");
        }
    }

    @Test
    void aCommandIsAllowedWhenOneSelectorAllowsAllOfIt() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check(
                    "ACL",
                    "SETUSER",
                    "multi-sel",
                    "reset",
                    "on",
                    "nopass",
                    "%R~r*",
                    "+@all",
                    "(%W~w* +@all)",
                    "(~a* +get)");
            d.check("ACL", "DRYRUN", "multi-sel", "COPY", "r1", "w1");
            d.check("ACL", "DRYRUN", "multi-sel", "COPY", "w1", "r1");
            d.check("ACL", "DRYRUN", "multi-sel", "MGET", "r1", "a1", "w1");
            d.check("ACL", "DRYRUN", "multi-sel", "MGET", "w1", "zz", "r1");
            d.check("ACL", "DRYRUN", "multi-sel", "SET", "a1", "v");
            d.check("ACL", "DRYRUN", "multi-sel", "SET", "w1", "v", "GET");
            d.check("ACL", "DRYRUN", "multi-sel", "LPUSH", "w1", "v");
            d.check("ACL", "DRYRUN", "multi-sel", "EXISTS", "w1");
            d.check("ACL", "DRYRUN", "multi-sel", "CONFIG", "NOSUCH");
            d.check("ACL", "DRYRUN", "multi-sel", "NOSUCH");
            d.check("ACL", "SETUSER", "logsel", "on", "nopass", "+mget", "~key", "(+mget ~key ~otherkey)");
            d.check("ACL", "LOG", "RESET");
            d.check("AUTH", "logsel", "x");
            d.check("GET", "key");
            d.check("MGET", "otherkey", "someotherkey");
            d.check("MGET", "key", "otherkey", "someotherkey");
            d.check("AUTH", "default", "x");
            assertEquals(logView(d.redis()), logView(d.respite()));
            d.check("ACL", "DELUSER", "multi-sel", "logsel");
        }
    }

    @Test
    void sortByAndGetNeedReadAccessToEveryKey() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check("RPUSH", "sortlist", "1");
            d.check("ACL", "SETUSER", "sorter", "on", "nopass", "(+sort ~sortlist ~v*)");
            d.check("AUTH", "sorter", "x");
            d.check("SORT", "sortlist", "BY", "v*");
            d.check("SORT", "sortlist", "GET", "v*");
            d.check("SORT", "sortlist", "BY", "constant");
            d.check("AUTH", "default", "x");
            d.check("ACL", "SETUSER", "sorter", "(+sort ~sortlist %R~*)");
            d.check("AUTH", "sorter", "x");
            d.check("SORT", "sortlist", "BY", "v*", "GET", "#");
            d.check("AUTH", "default", "x");
            d.check("ACL", "DELUSER", "sorter");
            d.check("DEL", "sortlist");
        }
    }

    @Test
    void badUserNamesAndAclCatArgumentsGetRedisErrors() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check("ACL", "SETUSER", "a a");
            d.check("ACL", "CAT", "a", "b");
            d.check("ACL", "CAT", "nosuch");
            d.check("ACL", "LOG", "-1");
            d.check("ACL", "LOG", "x");
            d.check("ACL", "USERS");
        }
        byte[][] withNul = {bytes("ACL"), bytes("SETUSER"), {'a', 0, 'b'}};
        assertEquals(reply(reference.port(), withNul), reply(respite.port(), withNul));
    }

    @Test
    void execChecksQueuedCommandsAgainstTheAclOfTheMoment() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port());
                Differential admin = new Differential(respite.port(), reference.port())) {
            admin.check("ACL", "SETUSER", "queuer", "on", "nopass", "~*", "+multi", "+exec", "+incr", "+get", "+acl");
            admin.check("CONFIG", "RESETSTAT");
            long[] ours = aclCounters(d.respite());
            long[] theirs = aclCounters(d.redis());
            d.check("AUTH", "queuer", "x");
            d.check("ACL", "LOG", "RESET");
            d.check("MULTI");
            d.check("INCR", "q1");
            d.check("GET", "q1");
            admin.check("ACL", "SETUSER", "queuer", "-incr", "resetkeys", "~other");
            d.check("EXEC");
            d.check("AUTH", "default", "x");
            assertEquals(logView(d.redis()), logView(d.respite()));
            d.check("INFO", "errorstats");
            // The INCR refused as a command, the GET for its key.
            assertEquals(1, aclCounters(d.respite())[1] - ours[1]);
            assertEquals(1, aclCounters(d.respite())[2] - ours[2]);
            assertEquals(1, aclCounters(d.redis())[1] - theirs[1]);
            assertEquals(1, aclCounters(d.redis())[2] - theirs[2]);
            d.check("ACL", "DELUSER", "queuer");
        }
    }

    @Test
    void aServedBlockedCommandIsCheckedAgain() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port());
                Differential admin = new Differential(respite.port(), reference.port())) {
            admin.check("ACL", "SETUSER", "blocker", "reset", "on", "nopass", "+@all", "allkeys");
            d.check("AUTH", "blocker", "x");
            d.respite().command("BLPOP", "blocklist", "0");
            d.redis().command("BLPOP", "blocklist", "0");
            waitForBlocked(admin.respite());
            waitForBlocked(admin.redis());
            admin.check("ACL", "SETUSER", "blocker", "resetkeys");
            admin.check("LPUSH", "blocklist", "v");
            assertEquals(d.redis().readReply(), d.respite().readReply());
            d.check("PING");
            admin.check("LLEN", "blocklist");
            admin.check("ACL", "DELUSER", "blocker");
            admin.check("DEL", "blocklist");
        }
    }

    @Test
    void revokingChannelsDisconnectsTheUsersSubscribersThatLostThem() throws IOException {
        for (int port : new int[] {respite.port(), reference.port()}) {
            try (RawConnection admin = new RawConnection(port);
                    RawConnection lost = new RawConnection(port);
                    RawConnection kept = new RawConnection(port)) {
                admin.call(
                        "ACL",
                        "SETUSER",
                        "subber",
                        "reset",
                        "on",
                        "nopass",
                        "+@all",
                        "resetchannels",
                        "&foo:1",
                        "&bar:*");
                assertEquals("+OK", lost.call("AUTH", "subber", "x").trim());
                assertEquals("+OK", kept.call("AUTH", "subber", "x").trim());
                lost.call("PSUBSCRIBE", "bar:*");
                kept.call("SUBSCRIBE", "foo:1");
                admin.call("ACL", "SETUSER", "subber", "resetchannels", "&foo:1", "&baz");
                String clients = admin.call("CLIENT", "LIST");
                lost.setTimeout(2000);
                kept.setTimeout(300);
                assertTrue(lost.isClosedByPeer(), "port " + port);
                assertFalse(kept.isClosedByPeer(), "port " + port);
                assertEquals(2, clients.split("user=subber").length, "port " + port + ": " + clients);
                admin.call("ACL", "DELUSER", "subber");
            }
        }
    }

    @Test
    void aclLogEntriesCarryIdsTimestampsAndTheClientsDescription() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            d.check("ACL", "SETUSER", "logger", "on", ">pw", "+set", "~object:1", "+client");
            d.check("ACL", "LOG", "RESET");
            d.check("AUTH", "logger", "wrong");
            d.check("AUTH", "logger", "wrong");
            d.check("AUTH", "logger", "pw");
            d.check("GET", "foo");
            d.check("SET", "other", "v");
            d.check("CLIENT", "SETNAME", "logging-client");
            for (RawConnection c : List.of(d.respite(), d.redis())) {
                String raw = c.call("CLIENT", "INFO");
                String info = raw.substring(raw.indexOf("\r\n") + 2).trim();
                c.call("GET", "foo");
                c.call("AUTH", "default", "x");
                List<Map<String, String>> log = log(c);
                assertEquals(3, log.size());
                Map<String, String> newest = log.get(0);
                assertEquals("get", newest.get("object"));
                assertEquals("2", newest.get("count"));
                assertEquals(fieldNames(info), fieldNames(newest.get("client-info")));
                assertEquals(field(info, "id"), field(newest.get("client-info"), "id"));
                assertEquals("logging-client", field(newest.get("client-info"), "name"));
                assertEquals("get", field(newest.get("client-info"), "cmd"));
                long created = Long.parseLong(newest.get("timestamp-created"));
                assertTrue(Long.parseLong(newest.get("timestamp-last-updated")) >= created);
                Map<String, String> auth = log.get(2);
                assertEquals("auth", auth.get("reason"));
                assertEquals("2", auth.get("count"));
                // The failed logins came first, then the refused GET (repeated since), then the refused SET.
                long authId = Long.parseLong(auth.get("entry-id"));
                assertEquals(authId + 1, Long.parseLong(newest.get("entry-id")));
                assertEquals(authId + 2, Long.parseLong(log.get(1).get("entry-id")));
            }
        }
    }

    @Test
    void infoCountsDeniedLoginsCommandsKeysAndChannels() throws IOException {
        try (Differential d = new Differential(respite.port(), reference.port())) {
            long[] ours = aclCounters(d.respite());
            long[] theirs = aclCounters(d.redis());
            // CONFIG RESETSTAT leaves the ACL counters, as in Redis 7.2.
            d.check("CONFIG", "RESETSTAT");
            d.check(
                    "ACL",
                    "SETUSER",
                    "counted",
                    "on",
                    "nopass",
                    "resetchannels",
                    "+get",
                    "+subscribe",
                    "+publish",
                    "~k");
            d.check("AUTH", "counted", "x");
            d.check("GET", "nope");
            d.check("GET", "k");
            d.check("SET", "k", "v");
            d.check("PUBLISH", "ch", "m");
            d.check("AUTH", "nobody", "x");
            d.check("AUTH", "default", "x");
            long[] oursAfter = aclCounters(d.respite());
            long[] theirsAfter = aclCounters(d.redis());
            for (int i = 0; i < 4; i++) {
                // Each kind of denial once (a GET of another key, a SET, a PUBLISH, an unknown user).
                assertEquals(1, oursAfter[i] - ours[i], "counter " + i);
                assertEquals(1, theirsAfter[i] - theirs[i], "counter " + i);
            }
            d.check("ACL", "DELUSER", "counted");
        }
    }

    // ---- helpers

    private static void waitForBlocked(RawConnection c) throws IOException {
        for (int i = 0; i < 200; i++) {
            if (c.call("INFO", "clients").contains("blocked_clients:1")) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new AssertionError("the client did not block");
    }

    /** INFO's acl_access_denied_auth, _cmd, _key and _channel. */
    private static long[] aclCounters(RawConnection c) throws IOException {
        long[] out = new long[4];
        String[] names = {"auth", "cmd", "key", "channel"};
        for (String line : c.call("INFO", "stats").split("\r\n")) {
            for (int i = 0; i < names.length; i++) {
                if (line.startsWith("acl_access_denied_" + names[i] + ":")) {
                    out[i] = Long.parseLong(line.substring(line.indexOf(':') + 1));
                }
            }
        }
        return out;
    }

    /** The ACL log without what differs between two servers (times, ids, client descriptions). */
    private static List<String> logView(RawConnection c) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map<String, String> e : log(c)) {
            out.add(e.get("count") + " " + e.get("reason") + " " + e.get("context") + " " + e.get("object") + " "
                    + e.get("username"));
        }
        return out;
    }

    /** ACL LOG parsed from its RESP2 reply: an array of flat field/value arrays. */
    private static List<Map<String, String>> log(RawConnection c) throws IOException {
        String raw = c.call("ACL", "LOG");
        String[] lines = raw.split("\r\n", -1);
        int i = 0;
        int entries = Integer.parseInt(lines[i++].substring(1));
        List<Map<String, String>> out = new ArrayList<>();
        for (int e = 0; e < entries; e++) {
            int n = Integer.parseInt(lines[i++].substring(1)) / 2;
            Map<String, String> m = new LinkedHashMap<>();
            for (int f = 0; f < n; f++) {
                i++;
                String key = lines[i++];
                String head = lines[i++];
                String value = head.startsWith("$") ? lines[i++] : head.substring(1);
                m.put(key, value);
            }
            out.add(m);
        }
        return out;
    }

    private static List<String> fieldNames(String clientInfo) {
        List<String> names = new ArrayList<>();
        for (String kv : clientInfo.trim().split(" ")) {
            names.add(kv.substring(0, kv.indexOf('=')));
        }
        return names;
    }

    private static String field(String clientInfo, String name) {
        for (String kv : clientInfo.trim().split(" ")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String reply(int port, byte[][] command) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.command(command);
            return c.readReply();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
