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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/** requirepass, AUTH and HELLO AUTH as clients meet them, compared with a real redis-server. */
class AuthTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start("--requirepass", "s3cret");
        redis = RealRedis.start("--requirepass", "s3cret");
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void commandsBeforeAuthGetNoauthAndABadPasswordGetsWrongpass() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            assertEquals("-NOAUTH Authentication required.\r\n", d.check("GET", "k"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", d.check("AUTH", "nope"));
            d.check("AUTH", "default", "nope");
            d.check("AUTH", "a", "b", "c");
            d.check("SET", "k", "v");
            assertEquals("+OK\r\n", d.check("AUTH", "s3cret"));
            d.check("ACL", "WHOAMI");
            d.check("AUTH", "default", "s3cret");
        }
    }

    @Test
    void helloAuthenticatesOrExplainsWhyNot() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            // Respite answers with Redis 7.2's wording ("HELLO <proto> AUTH"); 7.0 leaves out "<proto>".
            assertTrue(d.respite()
                    .call("HELLO", "2")
                    .startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
            assertTrue(d.redis()
                    .call("HELLO", "2")
                    .startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
            d.check("HELLO", "2", "AUTH", "default", "wrong");
            d.check("CLIENT", "GETNAME");
            d.respite().command("HELLO", "2", "AUTH", "default", "s3cret");
            d.redis().command("HELLO", "2", "AUTH", "default", "s3cret");
            String ours = d.respite().readReply();
            String theirs = d.redis().readReply();
            assertTrue(ours.startsWith("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), ours);
            assertTrue(theirs.startsWith("*14\r\n"), theirs);
            d.check("GET", "missing");
        }
    }

    @Test
    void unauthenticatedClientsCannotAnnounceBigRequests() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", d.checkRaw("*100000\r\n"));
            assertTrue(d.respite().isClosedByPeer());
        }
        try (Differential d = new Differential(respite.port(), redis.port())) {
            assertEquals(
                    "-ERR Protocol error: unauthenticated bulk length\r\n",
                    d.checkRaw("*2\r\n$4\r\nAUTH\r\n$500000000\r\n"));
            assertTrue(d.respite().isClosedByPeer());
        }
    }

    @Test
    void jedisConnectsWithAPasswordDirectlyAndThroughAPool() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.auth("s3cret");
            j.set("jedis", "yes");
            assertEquals("yes", j.get("jedis"));
        }
        try (JedisPool pool = new JedisPool(
                        new JedisPoolConfig(),
                        new HostAndPort("127.0.0.1", respite.port()),
                        DefaultJedisClientConfig.builder().password("s3cret").build());
                Jedis j = pool.getResource()) {
            assertEquals("yes", j.get("jedis"));
        }
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertThrows(JedisAccessControlException.class, () -> j.auth("wrong"));
        }
    }

    @Test
    void redisPyConnectsWithAPassword() throws Exception {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                port = int(os.environ['RESPITE_PORT'])
                r = redis.Redis(host='127.0.0.1', port=port, password='s3cret')
                r.set('py', 'ok'); print(r.get('py'))
                try:
                    redis.Redis(host='127.0.0.1', port=port, password='bad').ping()
                except redis.exceptions.ResponseError as e:
                    print(str(e).split(' ')[0])
                """);
        assertEquals("", r.stderr());
        assertEquals("b'ok'\nWRONGPASS\n", r.stdout());
    }

    @Test
    void configSetRequirepassChangesTheDefaultUsersPassword() throws IOException {
        try (RespiteProcess open = RespiteProcess.start();
                RawConnection admin = new RawConnection(open.port());
                RawConnection other = new RawConnection(open.port())) {
            assertEquals(
                    "-ERR AUTH <password> called without any password configured for the default user. "
                            + "Are you sure your configuration is correct?\r\n",
                    other.call("AUTH", "x"));
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", "pw2"));
            String user = admin.call("ACL", "GETUSER", "default");
            assertTrue(user.contains("$9\r\npasswords\r\n*1\r\n$64\r\n" + sha256("pw2") + "\r\n"), user);
            try (RawConnection late = new RawConnection(open.port())) {
                assertEquals("-NOAUTH Authentication required.\r\n", late.call("PING"));
                assertEquals("+OK\r\n", late.call("AUTH", "pw2"));
            }
            assertEquals("+PONG\r\n", admin.call("PING"));
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
