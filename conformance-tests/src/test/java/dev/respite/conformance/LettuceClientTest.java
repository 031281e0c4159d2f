package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lettuce's sync, async and reactive APIs against Respite, with RESP3 (Lettuce's default: it opens with
 * HELLO 3) and RESP2 selected through ClientOptions.
 */
class LettuceClientTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    private static RedisClient client(ProtocolVersion protocol) {
        RedisClient c = RedisClient.create(RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(respite.port())
                .withTimeout(Duration.ofSeconds(10))
                .build());
        c.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return c;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void syncStringsHashesAndLists(ProtocolVersion protocol) {
        RedisClient client = client(protocol);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> s = conn.sync();
            String p = protocol.name() + ":";
            assertTrue(s.clientInfo().contains(" resp=" + protocol.name().charAt(4)), s.clientInfo());
            assertEquals("OK", s.set(p + "str", "v1"));
            assertEquals("v1", s.get(p + "str"));
            assertEquals(5L, s.incrby(p + "num", 5));
            assertEquals(4L, s.append(p + "str", "xy"));
            assertEquals(
                    List.of("v1xy", "5"),
                    s.mget(p + "str", p + "num").stream()
                            .map(kv -> kv.getValue())
                            .toList());
            assertEquals(2L, s.hset(p + "h", Map.of("a", "1", "b", "2")));
            assertEquals(Map.of("a", "1", "b", "2"), s.hgetall(p + "h"));
            assertEquals(3L, s.hincrby(p + "h", "a", 2));
            assertEquals(3L, s.rpush(p + "l", "x", "y", "z"));
            assertEquals(List.of("x", "y", "z"), s.lrange(p + "l", 0, -1));
            assertEquals("x", s.lpop(p + "l"));
            assertEquals(1L, s.zadd(p + "z", 1.5, "m"));
            assertEquals(1.5, s.zscore(p + "z", "m"));
            assertTrue(s.expire(p + "str", 100));
            assertTrue(s.ttl(p + "str") > 0);
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void asyncAndReactiveApis(ProtocolVersion protocol) throws Exception {
        RedisClient client = client(protocol);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            String p = protocol.name() + ":ar:";
            RedisAsyncCommands<String, String> a = conn.async();
            var set = a.set(p + "s", "async");
            var incr = a.incr(p + "n");
            var push = a.lpush(p + "l", "1", "2");
            var hset = a.hset(p + "h", "f", "v");
            assertEquals("OK", set.get(5, TimeUnit.SECONDS));
            assertEquals(1L, incr.get(5, TimeUnit.SECONDS));
            assertEquals(2L, push.get(5, TimeUnit.SECONDS));
            assertTrue(hset.get(5, TimeUnit.SECONDS));
            assertEquals("async", a.get(p + "s").get(5, TimeUnit.SECONDS));

            RedisReactiveCommands<String, String> r = conn.reactive();
            assertEquals("OK", r.set(p + "rs", "reactive").block(Duration.ofSeconds(5)));
            assertEquals("reactive", r.get(p + "rs").block(Duration.ofSeconds(5)));
            assertEquals(
                    List.of("2", "1"), r.lrange(p + "l", 0, -1).collectList().block(Duration.ofSeconds(5)));
            assertEquals("v", r.hget(p + "h", "f").block(Duration.ofSeconds(5)));
            assertEquals(
                    2L,
                    r.hset(p + "h", Map.of("g", "w", "f", "v2")).map(x -> x + 1).block(Duration.ofSeconds(5)));
            assertEquals(
                    List.of("f", "g"), r.hkeys(p + "h").sort().collectList().block(Duration.ofSeconds(5)));
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void pubSubListenerReceivesChannelAndPatternMessages(ProtocolVersion protocol) throws Exception {
        RedisClient client = client(protocol);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + "|" + channel + "=" + message);
                }

                @Override
                public void subscribed(String channel, long count) {
                    got.add("subscribed " + channel + " " + count);
                }
            });
            String ch = protocol.name() + ".news";
            sub.sync().subscribe(ch);
            sub.sync().psubscribe(protocol.name() + ".alert.*");
            assertEquals("subscribed " + ch + " 1", got.poll(5, TimeUnit.SECONDS));
            assertEquals(1L, pub.sync().publish(ch, "hello"));
            assertEquals(1L, pub.sync().publish(protocol.name() + ".alert.disk", "full"));
            assertEquals(ch + "=hello", got.poll(5, TimeUnit.SECONDS));
            assertEquals(
                    protocol.name() + ".alert.*|" + protocol.name() + ".alert.disk=full",
                    got.poll(5, TimeUnit.SECONDS));
            assertEquals(Map.of(ch, 1L), pub.sync().pubsubNumsub(ch));
            sub.sync().unsubscribe(ch);
            assertEquals(0L, pub.sync().publish(ch, "nobody"));
            if (protocol == ProtocolVersion.RESP3) {
                // RESP3 carries messages as push frames, so the same connection keeps serving commands.
                assertEquals("PONG", sub.sync().ping());
            }
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void multiExecAndWatch(ProtocolVersion protocol) throws Exception {
        RedisClient client = client(protocol);
        try (StatefulRedisConnection<String, String> conn = client.connect();
                StatefulRedisConnection<String, String> other = client.connect()) {
            String k = protocol.name() + ":tx";
            RedisCommands<String, String> s = conn.sync();
            assertEquals("OK", s.multi());
            s.set(k, "1");
            s.incr(k);
            s.get(k);
            TransactionResult tr = s.exec();
            assertFalse(tr.wasDiscarded());
            assertEquals(List.of("OK", 2L, "2"), tr.stream().toList());

            assertEquals("OK", s.watch(k));
            other.sync().set(k, "changed");
            s.multi();
            s.set(k, "mine");
            assertTrue(s.exec().wasDiscarded());
            assertEquals("changed", s.get(k));

            RedisAsyncCommands<String, String> a = conn.async();
            a.watch(k);
            a.multi();
            var queued = a.incrby(k + ":n", 7);
            TransactionResult atr = a.exec().get(5, TimeUnit.SECONDS);
            assertFalse(atr.wasDiscarded());
            assertEquals(7L, queued.get(5, TimeUnit.SECONDS));

            s.multi();
            s.set(k, "discarded");
            assertEquals("OK", s.discard());
            assertEquals("changed", s.get(k));
        } finally {
            client.shutdown();
        }
    }
}
