package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Pub/sub against a real redis-server: every confirmation, message frame and error byte for byte. */
class PubSubTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    /** Sends a command to both servers and compares the next {@code replies} replies (frames) of each. */
    private static void same(Differential d, int replies, String... command) throws IOException {
        d.redis().command(command);
        d.respite().command(command);
        for (int i = 0; i < replies; i++) {
            int n = i;
            assertEquals(
                    d.redis().readReply(),
                    d.respite().readReply(),
                    () -> "frame " + n + " after " + String.join(" ", command));
        }
    }

    /** The next {@code frames} pushed frames (messages) are equal on both. */
    private static void sameFrames(Differential d, int frames) throws IOException {
        for (int i = 0; i < frames; i++) {
            assertEquals(d.redis().readReply(), d.respite().readReply());
        }
    }

    /**
     * The next {@code frames} frames are the same set on both: Redis walks its patterns in hash order, so
     * frames for several matching patterns may come in any order.
     */
    private static void sameFramesAnyOrder(Differential d, int frames) throws IOException {
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            expected.add(d.redis().readReply());
            actual.add(d.respite().readReply());
        }
        Collections.sort(expected);
        Collections.sort(actual);
        assertEquals(expected, actual);
    }

    @Test
    void subscribeConfirmsEachChannelWithTheRunningCount() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port())) {
            same(sub, 3, "SUBSCRIBE", "ch:a", "ch:b", "ch:a");
            same(sub, 2, "PSUBSCRIBE", "ch:*", "other.?");
            same(sub, 1, "SSUBSCRIBE", "shard:1");
            same(sub, 1, "UNSUBSCRIBE", "never-subscribed");
            same(sub, 1, "PUNSUBSCRIBE", "ch:*");
            same(sub, 1, "SUNSUBSCRIBE");
            same(sub, 1, "UNSUBSCRIBE", "ch:a");
            same(sub, 1, "UNSUBSCRIBE");
            same(sub, 1, "PUNSUBSCRIBE");
            same(sub, 1, "UNSUBSCRIBE");
            sub.check("GET", "no-such-key");
        }
    }

    @Test
    void unsubscribeWithoutArgumentsLeavesEveryChannel() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port())) {
            same(sub, 1, "SUBSCRIBE", "leave:one");
            same(sub, 1, "UNSUBSCRIBE");
            sub.check("PUBSUB", "NUMSUB", "leave:one");
            sub.check("PING");
        }
    }

    @Test
    void subscribedResp2ConnectionAcceptsOnlyPubSubPingQuitAndReset() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port())) {
            same(sub, 1, "SUBSCRIBE", "ctx");
            sub.check("GET", "x");
            sub.check("CONFIG", "GET", "maxclients");
            sub.check("PUBLISH", "ctx", "m");
            sub.check("MULTI");
            sub.check("PING");
            sub.check("PING", "hello");
            same(sub, 1, "PSUBSCRIBE", "ctx*");
            sub.check("RESET");
            sub.check("GET", "x");
            sub.check("PING");
        }
    }

    @Test
    void publishReachesChannelThenPatternSubscribersOncePerSubscription() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port());
                Differential other = new Differential(respite.port(), redis.port());
                Differential pub = new Differential(respite.port(), redis.port())) {
            same(sub, 1, "SUBSCRIBE", "news.tech");
            same(sub, 3, "PSUBSCRIBE", "news.*", "*", "sport.*");
            same(other, 1, "PSUBSCRIBE", "news.[st]ech");
            pub.check("PUBLISH", "news.tech", "hello");
            sameFramesAnyOrder(sub, 3);
            sameFrames(other, 1);
            pub.check("PUBLISH", "sport.ski", "");
            sameFramesAnyOrder(sub, 2);
            pub.check("PUBLISH", "nobody\\listens", "x");
            sameFrames(sub, 1);
            pub.check("PUBSUB", "NUMPAT");
            pub.check("PUBSUB", "NUMSUB", "news.tech", "sport.ski");
            pub.check("PUBSUB", "CHANNELS", "news.*");
            pub.check("PUBSUB", "CHANNELS", "nothing*");
        }
    }

    @Test
    void shardChannelsAreSeparateFromChannelsAndPatterns() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port());
                Differential pub = new Differential(respite.port(), redis.port())) {
            same(sub, 2, "SSUBSCRIBE", "orders", "orders");
            same(sub, 1, "PSUBSCRIBE", "ord*");
            pub.check("SPUBLISH", "orders", "o-1");
            sameFrames(sub, 1);
            pub.check("PUBLISH", "orders", "o-2");
            sameFrames(sub, 1);
            pub.check("PUBSUB", "SHARDCHANNELS");
            pub.check("PUBSUB", "SHARDCHANNELS", "ord?rs");
            pub.check("PUBSUB", "SHARDNUMSUB", "orders", "none");
            pub.check("PUBSUB", "CHANNELS");
            pub.check("SPUBLISH", "nobody", "x");
        }
    }

    @Test
    void resp3DeliversPushFramesAndKeepsTheConnectionUsable() throws IOException {
        try (Differential sub = new Differential(respite.port(), redis.port());
                Differential pub = new Differential(respite.port(), redis.port())) {
            sub.redis().call("HELLO", "3");
            sub.respite().call("HELLO", "3");
            same(sub, 2, "SUBSCRIBE", "r3", "r3b");
            same(sub, 1, "PSUBSCRIBE", "r*");
            sub.check("SET", "r3:key", "v");
            sub.check("GET", "r3:key");
            sub.check("PING");
            pub.check("PUBLISH", "r3", "pushed");
            sameFrames(sub, 2);
            same(sub, 3, "PUBLISH", "r3b", "to myself");
            sub.check("PUBSUB", "NUMSUB", "r3");
            same(sub, 1, "UNSUBSCRIBE", "r3");
            sub.check("DEL", "r3:key");
        }
    }

    @Test
    void confirmationsAndMessagesArePushedUnderClientReplyOff() throws IOException {
        for (String protocol : new String[] {"2", "3"}) {
            try (Differential sub = new Differential(respite.port(), redis.port());
                    Differential pub = new Differential(respite.port(), redis.port())) {
                sub.hello(protocol);
                sub.redis().command("CLIENT", "REPLY", "OFF");
                sub.respite().command("CLIENT", "REPLY", "OFF");
                same(sub, 1, "SUBSCRIBE", "quiet");
                same(sub, 1, "PSUBSCRIBE", "qu*");
                pub.check("PUBLISH", "quiet", "still delivered");
                sameFrames(sub, 2);
                same(sub, 1, "UNSUBSCRIBE", "quiet");
                same(sub, 1, "PUNSUBSCRIBE", "qu*");
                sub.redis().command("CLIENT", "REPLY", "ON");
                sub.respite().command("CLIENT", "REPLY", "ON");
                sameFrames(sub, 1);
            }
        }
    }

    @Test
    void pubsubHelpAndArgumentErrorsMatchRedis() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("PUBSUB", "HELP");
            d.check("PUBSUB", "CHANNELS", "a", "b");
            d.check("PUBSUB", "NUMPAT", "x");
            d.check("PUBSUB", "NOPE");
            d.check("PUBLISH", "only-channel");
            d.check("SUBSCRIBE");
        }
    }

    @Test
    void messagesArriveInPublishOrderWithJedis() throws Exception {
        int count = 5000;
        List<String> received = new ArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(message);
                if (received.size() == count) {
                    unsubscribe();
                    done.countDown();
                }
            }
        };
        Thread t = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
                j.subscribe(listener, "ordered");
            }
        });
        t.start();
        assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        try (Jedis pub = new Jedis("127.0.0.1", respite.port())) {
            var p = pub.pipelined();
            for (int i = 0; i < count; i++) {
                p.publish("ordered", Integer.toString(i));
            }
            p.sync();
        }
        assertTrue(done.await(20, TimeUnit.SECONDS));
        t.join(5000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, received);
    }

    @Test
    void disconnectingDropsTheSubscriptions() throws Exception {
        try (RawConnection sub = new RawConnection(respite.port())) {
            sub.call("SUBSCRIBE", "gone");
        }
        try (RawConnection c = new RawConnection(respite.port())) {
            String numsub = "";
            for (int i = 0; i < 100 && !numsub.endsWith(":0\r\n"); i++) {
                Thread.sleep(20);
                numsub = c.call("PUBSUB", "NUMSUB", "gone");
            }
            assertEquals("*2\r\n$4\r\ngone\r\n:0\r\n", numsub);
            assertEquals(":0\r\n", c.call("PUBLISH", "gone", "x"));
        }
    }
}
