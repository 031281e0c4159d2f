package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/** Jedis 8 over RESP2 and RESP3: pipelines, transactions and a pool shared by many threads. */
class JedisClientTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    private static JedisClientConfig config(RedisProtocol protocol) {
        return DefaultJedisClientConfig.builder()
                .protocol(protocol)
                .timeoutMillis(10_000)
                .build();
    }

    private static Jedis connect(RedisProtocol protocol) {
        return new Jedis(new HostAndPort("127.0.0.1", respite.port()), config(protocol));
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void pipelineRepliesArriveInOrder(RedisProtocol protocol) {
        try (Jedis j = connect(protocol)) {
            String p = protocol.name() + ":pl:";
            Pipeline pl = j.pipelined();
            List<Response<Long>> incrs = new ArrayList<>();
            Response<String> set = pl.set(p + "s", "v");
            for (int i = 0; i < 500; i++) {
                incrs.add(pl.incr(p + "n"));
            }
            Response<Long> hset = pl.hset(p + "h", Map.of("a", "1", "b", "2"));
            Response<Map<String, String>> all = pl.hgetAll(p + "h");
            Response<Long> push = pl.rpush(p + "l", "x", "y");
            Response<List<String>> range = pl.lrange(p + "l", 0, -1);
            Response<String> missing = pl.get(p + "missing");
            pl.sync();
            assertEquals("OK", set.get());
            for (int i = 0; i < 500; i++) {
                assertEquals(i + 1L, incrs.get(i).get());
            }
            assertEquals(2L, hset.get());
            assertEquals(Map.of("a", "1", "b", "2"), all.get());
            assertEquals(2L, push.get());
            assertEquals(List.of("x", "y"), range.get());
            assertNull(missing.get());
        }
    }

    @ParameterizedTest
    @EnumSource(RedisProtocol.class)
    void transactionsAndWatch(RedisProtocol protocol) {
        try (Jedis j = connect(protocol);
                Jedis other = connect(protocol)) {
            String k = protocol.name() + ":tx";
            Transaction t = j.multi();
            t.set(k, "1");
            t.incrBy(k, 4);
            t.hset(k + ":h", "f", "v");
            t.hgetAll(k + ":h");
            assertEquals(List.of("OK", 5L, 1L, Map.of("f", "v")), t.exec());

            j.watch(k);
            other.set(k, "other");
            Transaction lost = j.multi();
            lost.set(k, "mine");
            assertNull(lost.exec());
            assertEquals("other", j.get(k));

            j.watch(k);
            Transaction won = j.multi();
            won.set(k, "mine");
            assertEquals(List.of("OK"), won.exec());
            assertEquals("mine", j.get(k));
        }
    }

    @Test
    void poolSharedByFiftyThreadsWithEveryReplyChecked() throws Exception {
        runPool(RedisProtocol.RESP2, 50, 2000);
    }

    @Test
    void resp3PoolUnderConcurrency() throws Exception {
        runPool(RedisProtocol.RESP3, 50, 500);
    }

    /** Each thread works on its own keys, so every reply is predictable even though the pool is shared. */
    private static void runPool(RedisProtocol protocol, int threads, int opsPerThread) throws Exception {
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(threads);
        poolConfig.setMaxIdle(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (JedisPool jedisPool =
                new JedisPool(poolConfig, new HostAndPort("127.0.0.1", respite.port()), config(protocol))) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String p = protocol.name() + ":pool:" + t + ":";
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < opsPerThread; i += 5) {
                        try (Jedis j = jedisPool.getResource()) {
                            assertEquals("OK", j.set(p + "s", "v" + i));
                            assertEquals("v" + i, j.get(p + "s"));
                            assertEquals(i / 5 + 1L, j.incr(p + "n"));
                            assertEquals(i / 5 + 1L, j.hincrBy(p + "h", "f", 1));
                            assertEquals(i / 5 + 1L, j.rpush(p + "l", Integer.toString(i)));
                            checked += 5;
                        }
                    }
                    try (Jedis j = jedisPool.getResource()) {
                        assertEquals(opsPerThread / 5L, j.llen(p + "l"));
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * opsPerThread, total);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
