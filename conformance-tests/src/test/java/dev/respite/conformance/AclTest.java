package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.AccessControlLogEntry;

/** ACL users, their rules and denials, compared reply for reply with a real redis-server. */
class AclTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        // Redis 7.2 changed the NOPERM and DRYRUN texts; Respite answers as 7.2.5.
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void setuserGetuserListAndUsersDescribeUsersAsRedisDoes() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("ACL", "SETUSER", "alice", "on", ">pw", "~k*", "&ch*", "+@string", "-get");
            d.check("ACL", "GETUSER", "alice");
            d.check("ACL", "SETUSER", "bob", "on", "nopass", "%R~r*", "%W~w*", "+@all", "-@dangerous");
            d.check("ACL", "GETUSER", "bob");
            d.check("ACL", "SETUSER", "carol", "#" + "a".repeat(64), "allkeys", "allchannels", "+get");
            d.check("ACL", "SETUSER", "dave", "on", ">x", ">y", "<x", "reset");
            d.check("ACL", "LIST");
            d.check("ACL", "USERS");
            d.check("ACL", "GETUSER", "nobody");
            d.check("ACL", "WHOAMI");
            d.check("ACL", "DELUSER", "carol", "dave", "nobody");
            d.check("ACL", "DELUSER", "default");
            d.check("ACL", "CAT");
        }
    }

    @Test
    void aclPubsubDefaultDecidesTheChannelsOfNewAndResetUsers() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "GET", "acl-pubsub-default");
            d.check("CONFIG", "SET", "acl-pubsub-default", "somechannels");
            d.check("CONFIG", "SET", "acl-pubsub-default", "allchannels");
            d.check("ACL", "SETUSER", "pubsub-all", "on", "nopass", "+@all");
            d.check("ACL", "GETUSER", "pubsub-all");
            d.check("ACL", "SETUSER", "pubsub-reset", "&news", "reset");
            d.check("CONFIG", "SET", "acl-pubsub-default", "resetchannels");
            d.check("ACL", "SETUSER", "pubsub-none", "on", "nopass");
            d.check("ACL", "LIST");
            d.check("ACL", "DELUSER", "pubsub-all", "pubsub-reset", "pubsub-none");
        }
    }

    @Test
    void invalidRulesAreRejectedWithRedisReasons() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("ACL", "SETUSER", "x", "badrule");
            d.check("ACL", "SETUSER", "x", "<nothere");
            d.check("ACL", "SETUSER", "x", "#abc");
            d.check("ACL", "SETUSER", "x", "+nosuchcommand");
            d.check("ACL", "SETUSER", "x", "+@nosuchcategory");
            d.check("ACL", "SETUSER", "x", "on", "+get", "bad");
            d.check("ACL", "GETUSER", "x");
            d.check("ACL", "CAT", "nosuch");
        }
    }

    @Test
    void deniedCommandsKeysAndChannelsGetNopermAndAreLogged() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check(
                    "ACL",
                    "SETUSER",
                    "erin",
                    "on",
                    ">pw",
                    "~k*",
                    "&ok*",
                    "+get",
                    "+set",
                    "+publish",
                    "+subscribe",
                    "+multi",
                    "+exec",
                    "+acl|whoami");
            d.check("ACL", "LOG", "RESET");
            d.check("AUTH", "erin", "pw");
            d.check("GET", "k1");
            d.check("GET", "other");
            d.check("DEL", "k1");
            d.check("PUBLISH", "nope", "m");
            d.check("PUBLISH", "ok1", "m");
            d.check("MULTI");
            d.check("GET", "zz");
            d.check("GET", "k2");
            d.check("EXEC");
            d.check("ACL", "WHOAMI");
            d.check("SUBSCRIBE", "nope");
        }
        try (Jedis ours = new Jedis("127.0.0.1", respite.port());
                Jedis theirs = new Jedis("127.0.0.1", redis.port())) {
            List<AccessControlLogEntry> a = ours.aclLog();
            List<AccessControlLogEntry> b = theirs.aclLog();
            assertEquals(b.size(), a.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(b.get(i).getReason(), a.get(i).getReason());
                assertEquals(b.get(i).getContext(), a.get(i).getContext());
                assertEquals(b.get(i).getObject(), a.get(i).getObject());
                assertEquals(b.get(i).getUsername(), a.get(i).getUsername());
                assertEquals(b.get(i).getCount(), a.get(i).getCount());
                assertEquals("erin", a.get(i).getClientInfo().get("user"));
            }
        }
    }

    @Test
    void readAndWriteKeyPatternsGrantOnlyTheirAccess() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("ACL", "SETUSER", "rw", "on", "nopass", "%R~r*", "%W~w*", "~both*", "+@all");
            d.check("AUTH", "rw", "any");
            d.check("SET", "r1", "v");
            d.check("GET", "r1");
            d.check("SET", "w1", "v");
            d.check("GET", "w1");
            d.check("SET", "both1", "v");
            d.check("GET", "both1");
            d.check("DEL", "w2", "r2");
        }
    }

    @Test
    void dryrunAnswersWithoutRunning() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("ACL", "SETUSER", "dry", "on", "~a*", "&c*", "+get", "+publish");
            d.check("ACL", "DRYRUN", "dry", "GET", "a1");
            d.check("ACL", "DRYRUN", "dry", "GET", "b1");
            d.check("ACL", "DRYRUN", "dry", "SET", "a1", "v");
            d.check("ACL", "DRYRUN", "dry", "PUBLISH", "nope", "m");
            d.check("ACL", "DRYRUN", "nobody", "GET", "a");
            d.check("ACL", "DRYRUN", "dry", "nocommand", "a");
            d.check("ACL", "DRYRUN", "dry", "GET");
            // Redis lists several command rules in its own table order; other tests list every user.
            d.check("ACL", "DELUSER", "dry");
        }
    }

    @Test
    void deletingAUserDisconnectsItsClients() throws IOException {
        try (RawConnection admin = new RawConnection(respite.port());
                RawConnection user = new RawConnection(respite.port())) {
            admin.call("ACL", "SETUSER", "gone", "on", ">pw", "+@all", "~*");
            assertEquals("+OK\r\n", user.call("AUTH", "gone", "pw"));
            assertEquals(":1\r\n", admin.call("ACL", "DELUSER", "gone"));
            assertTrue(user.isClosedByPeer());
        }
    }

    @Test
    void jedisAndRedisPyAuthenticateAsAclUsers() throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", respite.port())) {
            admin.aclSetUser("app", "on", ">apppw", "~app:*", "+@all");
        }
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.auth("app", "apppw");
            j.set("app:1", "x");
            assertEquals("x", j.get("app:1"));
            assertThrows(redis.clients.jedis.exceptions.JedisAccessControlException.class, () -> j.get("other"));
        }
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                r = redis.Redis(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']), username='app', password='apppw')
                print(r.acl_whoami(), r.get('app:1'))
                try:
                    r.get('other')
                except redis.exceptions.NoPermissionError as e:
                    print('NOPERM')
                """);
        try (Jedis admin = new Jedis("127.0.0.1", respite.port())) {
            // Other tests compare the whole ACL LIST with redis-server, which never saw this user.
            admin.aclDelUser("app");
        }
        assertEquals("", r.stderr());
        assertEquals("app b'x'\nNOPERM\n", r.stdout());
    }

    /** As Redis changes into `dir` while reading its configuration, a relative aclfile is found there. */
    @Test
    void aRelativeAclfileIsFoundInDir() throws IOException {
        Path cwd = Files.createTempDirectory("acl-cwd");
        Path dir = Files.createTempDirectory("acl-dir");
        Files.writeString(dir.resolve("users.acl"), "user alice on nopass ~* +@all\n");
        try (RespiteProcess p = RespiteProcess.startIn(cwd, "--dir", dir.toString(), "--aclfile", "users.acl");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("*2\r\n$5\r\nalice\r\n$7\r\ndefault\r\n", c.call("ACL", "USERS"));
            c.call("ACL", "SETUSER", "bob");
            assertEquals("+OK\r\n", c.call("ACL", "SAVE"));
            assertTrue(Files.readString(dir.resolve("users.acl")).contains("user bob off"));
        }
    }

    @Test
    void aclSaveAndLoadUseTheAclfile() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("acl");
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on >pw ~k* +get\n");
        try (RespiteProcess p = RespiteProcess.startIn(dir, "--aclfile", file.toString());
                RawConnection c = new RawConnection(p.port())) {
            assertEquals(
                    "*2\r\n"
                            + bulk(
                                    "user alice on sanitize-payload #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~k* resetchannels -@all +get")
                            + bulk("user default on nopass sanitize-payload ~* &* +@all"),
                    c.call("ACL", "LIST"));
            c.call("ACL", "SETUSER", "bob", "on", "nopass");
            assertEquals("+OK\r\n", c.call("ACL", "SAVE"));
            assertEquals(
                    List.of(
                            "user alice on sanitize-payload #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~k* resetchannels -@all +get",
                            "user bob on nopass sanitize-payload resetchannels -@all",
                            "user default on nopass sanitize-payload ~* &* +@all"),
                    Files.readAllLines(file));
            Files.writeString(file, "user alice on bad\n");
            assertEquals(
                    "-ERR " + file
                            + ":1: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n",
                    c.call("ACL", "LOAD"));
            Files.writeString(file, "user zed on nopass +@all ~*\n");
            assertEquals("+OK\r\n", c.call("ACL", "LOAD"));
            assertEquals("*2\r\n$7\r\ndefault\r\n$3\r\nzed\r\n", c.call("ACL", "USERS"));
        }
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("ACL", "SAVE");
            d.check("ACL", "LOAD");
        }
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Test
    void userLinesInTheConfigurationDefineUsersButNotTogetherWithAnAclfile() throws IOException, InterruptedException {
        try (RespiteProcess p = RespiteProcess.start("--user", "conf", "on", ">cpw", "~*", "+@all");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("+OK\r\n", c.call("AUTH", "conf", "cpw"));
            assertEquals("$4\r\nconf\r\n", c.call("ACL", "WHOAMI"));
        }
        Path file = Files.createTempFile("users", ".acl");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> RespiteProcess.start("--user", "conf", "on", "--aclfile", file.toString()));
        assertTrue(
                e.getMessage()
                        .contains(
                                "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid"),
                e.getMessage());
        for (String name : List.of("foo", "default")) {
            IllegalStateException twice = assertThrows(
                    IllegalStateException.class, () -> RespiteProcess.start("--user", name, "--user", name));
            assertTrue(
                    twice.getMessage()
                            .contains("Error in user declaration '" + name
                                    + "': Duplicate user found. A user can only be defined once in config files"),
                    twice.getMessage());
        }
    }
}
