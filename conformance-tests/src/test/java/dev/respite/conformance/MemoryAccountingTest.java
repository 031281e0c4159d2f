package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * used_memory is an estimate kept on every change; this compares its growth with the growth of the JVM heap
 * after a full collection (MEMORY PURGE runs one; allocator_allocated is the heap in use) for each value
 * type. The estimate must be within a factor of 1.6 of the heap either way, and it returns to its empty
 * figure after FLUSHALL.
 */
class MemoryAccountingTest {
    private static final double FACTOR = 1.6;
    private static RespiteProcess server;
    private static Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = RespiteProcess.start();
        jedis = new Jedis("127.0.0.1", server.port(), 60_000);
    }

    @AfterAll
    static void stop() {
        jedis.close();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"strings", "hashes", "big-hashes", "lists", "sets", "zsets"})
    void usedMemoryTracksTheHeapAfterAFullCollection(String shape) {
        jedis.flushAll();
        long used0 = used();
        long heap0 = heapAfterGc();
        fill(shape);
        long usedDelta = used() - used0;
        long heapDelta = heapAfterGc() - heap0;
        double ratio = (double) usedDelta / heapDelta;
        System.out.printf(
                "MEMORY-ACCOUNTING %s: used_memory +%d, heap after GC +%d, ratio %.2f%n",
                shape, usedDelta, heapDelta, ratio);
        assertTrue(ratio > 1 / FACTOR && ratio < FACTOR, shape + ": estimate/heap " + ratio);
        jedis.flushAll();
        assertTrue(used() == used0, "used_memory after FLUSHALL " + used() + " vs " + used0);
    }

    private void fill(String shape) {
        Pipeline p = jedis.pipelined();
        switch (shape) {
            case "strings" -> jedis.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "300000", "key", "16");
            case "hashes" -> {
                for (int i = 0; i < 30_000; i++) {
                    for (int f = 0; f < 10; f++) {
                        p.hset("h:" + i, "field" + f, "value" + f);
                    }
                }
            }
            case "big-hashes" -> {
                for (int i = 0; i < 100; i++) {
                    for (int f = 0; f < 2_000; f++) {
                        p.hset("bh:" + i, "field" + f, "value" + f);
                    }
                }
            }
            case "lists" -> {
                for (int i = 0; i < 300; i++) {
                    for (int e = 0; e < 2_000; e++) {
                        p.rpush("l:" + i, "element" + e);
                    }
                }
            }
            case "sets" -> {
                for (int i = 0; i < 100; i++) {
                    for (int e = 0; e < 2_000; e++) {
                        p.sadd("s:" + i, "member" + e);
                    }
                }
            }
            default -> {
                for (int i = 0; i < 100; i++) {
                    for (int e = 0; e < 2_000; e++) {
                        p.zadd("z:" + i, e, "member" + e);
                    }
                }
            }
        }
        p.sync();
    }

    private long used() {
        return EvictionTest.field(jedis.info("memory"), "used_memory");
    }

    private long heapAfterGc() {
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.MEMORY, "PURGE");
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.MEMORY, "PURGE");
        return EvictionTest.field(jedis.info("memory"), "allocator_allocated");
    }
}
