package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RedisContents;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.params.SetParams;

/**
 * Commands whose effect their arguments do not decide (random pops, blocking pops served now or later) are
 * logged as what they did: after a restart from the append-only file the dataset is the one the clients saw,
 * and no TTL has grown.
 */
class AofPropagationTest {
    @Test
    void randomAndBlockingPopsReplayToTheSameDataset(@TempDir Path dir) throws Exception {
        Map<String, String> before;
        long pttlBefore;
        long expireTtlBefore;
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            for (int i = 0; i < 60; i++) {
                j.sadd("set", "m" + i);
                j.zadd("zset", i, "z" + i);
                j.rpush("list", "e" + i);
            }
            j.sadd("small", "a", "b");
            // Fifty members popped at random: replaying "SPOP" itself would almost surely pick others.
            assertEquals(20, j.spop("set", 20).size());
            assertNotNull(j.spop("set"));
            assertEquals(2, j.spop("small", 5).size());
            j.srandmember("set", 5);
            j.zrandmember("zset", 5);
            j.zpopmin("zset", 3);
            j.zpopmax("zset");
            j.zmpop(SortedSetOption.MAX, 2, "zset");
            j.blpop(1, "list");
            j.brpop(1, "list");
            j.blmove("list", "moved", ListDirection.LEFT, ListDirection.RIGHT, 1);
            j.brpoplpush("list", "moved", 1);
            j.blmpop(1, ListDirection.RIGHT, 3, "list");
            j.lmpop(ListDirection.LEFT, 2, "list");
            j.bzpopmin(1, "zset");
            j.bzpopmax(1, "zset");
            j.bzmpop(1, SortedSetOption.MIN, 4, "zset");

            servedLater(s.port(), j, w -> w.blpop(0, "wait:l").get(1), () -> j.rpush("wait:l", "a", "b"));
            servedLater(
                    s.port(),
                    j,
                    w -> w.blmove("wait:m", "wait:dst", ListDirection.RIGHT, ListDirection.LEFT, 0),
                    () -> j.rpush("wait:m", "x", "y"));
            servedLater(s.port(), j, w -> w.bzpopmin(0, "wait:z").getValue(), () -> j.zadd("wait:z", 1, "only"));
            servedLater(
                    s.port(),
                    j,
                    w -> w.blmpop(0, ListDirection.LEFT, 2, "wait:mp")
                            .getValue()
                            .get(0),
                    () -> j.rpush("wait:mp", "1", "2", "3"));

            j.set("ttl:set", "v", SetParams.setParams().ex(100));
            j.set("ttl:expire", "v");
            j.expire("ttl:expire", 100);
            Thread.sleep(1200);
            before = RedisContents.of(j, RedisContents.keys(j), true);
            pttlBefore = j.pttl("ttl:set");
            expireTtlBefore = j.pttl("ttl:expire");
            assertTrue(pttlBefore > 0 && expireTtlBefore > 0);
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            long pttlAfter = j.pttl("ttl:set");
            long expireTtlAfter = j.pttl("ttl:expire");
            assertEquals(before, RedisContents.of(j, RedisContents.keys(j), true));
            assertTrue(
                    pttlAfter > 0 && pttlAfter <= pttlBefore,
                    () -> "SET EX ttl grew: " + pttlBefore + " -> " + pttlAfter);
            assertTrue(
                    expireTtlAfter > 0 && expireTtlAfter <= expireTtlBefore,
                    () -> "EXPIRE ttl grew: " + expireTtlBefore + " -> " + expireTtlAfter);
        }
    }

    /** Parks a client in {@code block}, then runs {@code wake} once it is parked, and waits for the reply. */
    private static void servedLater(int port, Jedis admin, Function<Jedis, Object> block, Runnable wake)
            throws Exception {
        try (Jedis waiter = new Jedis("127.0.0.1", port)) {
            long blockedBefore = blockedClients(admin);
            CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> block.apply(waiter));
            while (blockedClients(admin) == blockedBefore) {
                Thread.sleep(10);
            }
            wake.run();
            assertNotNull(reply.get());
        }
    }

    private static long blockedClients(Jedis j) {
        for (String line : j.info("clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Long.parseLong(line.substring("blocked_clients:".length()));
            }
        }
        throw new AssertionError("INFO clients has no blocked_clients");
    }
}
