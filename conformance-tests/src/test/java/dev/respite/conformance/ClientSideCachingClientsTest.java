package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client-side caching as real clients use it: Lettuce's cache frontend (RESP3) and redis-cli -3. */
class ClientSideCachingClientsTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void lettuceCacheIsInvalidatedByAnotherConnectionsWrite() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(respite.port())
                .withTimeout(Duration.ofSeconds(10))
                .build());
        client.setOptions(
                ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> cached = client.connect();
                StatefulRedisConnection<String, String> writer = client.connect()) {
            writer.sync().set("csc:user", "alice");
            Map<String, String> store = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend =
                    ClientSideCaching.enable(CacheAccessor.forMap(store), cached, TrackingArgs.Builder.enabled());
            assertEquals("alice", frontend.get("csc:user"));
            assertEquals("alice", store.get("csc:user"));
            String info = writer.sync().info("clients");
            assertTrue(info.contains("tracking_clients:1"), info);
            assertTrue(writer.sync().info("stats").contains("tracking_total_keys:1"));

            writer.sync().set("csc:user", "bob");
            for (int i = 0; i < 500 && store.containsKey("csc:user"); i++) {
                Thread.sleep(10);
            }
            assertFalse(store.containsKey("csc:user"), "the invalidation push reached Lettuce");
            assertEquals("bob", frontend.get("csc:user"));
            assertEquals("bob", store.get("csc:user"));
            frontend.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisCliInResp3MatchesTheReference() throws Exception {
        String script = String.join(
                "\n",
                "CLIENT TRACKINGINFO",
                "CLIENT TRACKING on BCAST PREFIX a: PREFIX b: NOLOOP",
                "CLIENT TRACKINGINFO",
                "CLIENT GETREDIR",
                "CLIENT TRACKING on BCAST PREFIX a:b",
                "CLIENT TRACKING on OPTIN",
                "CLIENT TRACKING off",
                "CLIENT TRACKING on OPTOUT",
                "CLIENT CACHING no",
                "CLIENT TRACKINGINFO",
                "CLIENT CACHING yes",
                "CLIENT TRACKING on REDIRECT 123456789",
                "");
        try (RealRedis reference = RealRedis.start()) {
            Tools.Result expected = Tools.run(
                    List.of(Tools.require("redis-cli"), "-3", "-p", Integer.toString(reference.port())),
                    script.getBytes(StandardCharsets.UTF_8),
                    60);
            Tools.Result actual = Tools.run(
                    List.of(Tools.require("redis-cli"), "-3", "-p", Integer.toString(respite.port())),
                    script.getBytes(StandardCharsets.UTF_8),
                    60);
            assertEquals(0, actual.exitCode(), actual.stderr());
            assertTrue(actual.stdout().contains("flags on\nbcast\nnoloop\n"), actual.stdout());
            assertEquals(expected.stdout(), actual.stdout());
        }
    }

    @Test
    void clientListShowsTrackingFlagsAndRedirect() throws IOException {
        try (RawConnection target = new RawConnection(respite.port());
                RawConnection tracking = new RawConnection(respite.port())) {
            String id = target.call("CLIENT", "ID").substring(1).trim();
            tracking.call("CLIENT", "TRACKING", "on", "BCAST", "REDIRECT", id);
            String info = tracking.call("CLIENT", "INFO");
            assertTrue(info.contains(" flags=tB ") && info.contains(" redir=" + id + " "), info);
            assertEquals(":" + id + "\r\n", tracking.call("CLIENT", "GETREDIR"));
            tracking.call("CLIENT", "TRACKING", "off");
            info = tracking.call("CLIENT", "INFO");
            assertTrue(info.contains(" flags=N ") && info.contains(" redir=-1 "), info);
        }
    }
}
