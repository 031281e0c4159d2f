package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.time.Duration;
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
import org.redisson.Redisson;
import org.redisson.api.FunctionMode;
import org.redisson.api.FunctionResult;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RDelayedQueue;
import org.redisson.api.RFunction;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RScript;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.Protocol;
import redis.clients.jedis.Jedis;

/**
 * Redisson's locks, rate limiter and delayed queue against the packaged server: each is a set of Lua scripts
 * (EVAL/EVALSHA) plus pub/sub wake-ups, so they exercise scripting as a widely used Java client relies on it. Two
 * RedissonClient instances stand for two processes sharing a lock.
 */
class RedissonScriptsTest {
    /** Redisson renews a lock taken without a lease to this many milliseconds (its lock watchdog timeout). */
    private static final long WATCHDOG_MILLIS = 30_000;

    private static RespiteProcess respite;
    private static RedissonClient client;
    private static RedissonClient otherProcess;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        client = connect(respite.port());
        otherProcess = connect(respite.port());
    }

    @AfterAll
    static void stop() {
        if (otherProcess != null) {
            otherProcess.shutdown();
        }
        if (client != null) {
            client.shutdown();
        }
        if (respite != null) {
            respite.close();
        }
    }

    private static RedissonClient connect(int port) {
        return connect(port, Protocol.RESP2);
    }

    private static RedissonClient connect(int port, Protocol protocol) {
        Config config = new Config();
        config.setProtocol(protocol);
        config.setThreads(2).setNettyThreads(2);
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + port)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(4)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(4)
                // Generous: the machine running the tests is shared and may stall.
                .setTimeout(10_000);
        return Redisson.create(config);
    }

    private static Jedis jedis() {
        return new Jedis("127.0.0.1", respite.port());
    }

    /** The hash field Redisson writes for a holder: the client's id and the holding thread's id. */
    private static String holderField(RedissonClient redisson, long threadId) {
        return redisson.getId() + ":" + threadId;
    }

    @Test
    void lockAndUnlockKeepTheHolderInAHashWithTheWatchdogLease() {
        RLock lock = client.getLock("lock:basic");
        assertFalse(lock.isLocked());
        lock.lock();
        try (Jedis j = jedis()) {
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals("hash", j.type("lock:basic"));
            assertEquals(Map.of(holderField(client, Thread.currentThread().getId()), "1"), j.hgetAll("lock:basic"));
            long pttl = j.pttl("lock:basic");
            assertTrue(pttl > 0 && pttl <= WATCHDOG_MILLIS, "pttl " + pttl);
            lock.unlock();
            assertFalse(lock.isLocked());
            assertFalse(lock.isHeldByCurrentThread());
            assertFalse(j.exists("lock:basic"));
        }
    }

    @Test
    void reentrantLockCountsHoldsAndUnlocksOnlyAfterTheLast() {
        RLock lock = client.getLock("lock:reentrant");
        lock.lock();
        lock.lock();
        assertTrue(lock.tryLock());
        assertEquals(3, lock.getHoldCount());
        try (Jedis j = jedis()) {
            assertEquals(
                    "3",
                    j.hget(
                            "lock:reentrant",
                            holderField(client, Thread.currentThread().getId())));
            lock.unlock();
            assertEquals(2, lock.getHoldCount());
            lock.unlock();
            assertEquals(1, lock.getHoldCount());
            assertTrue(lock.isLocked());
            lock.unlock();
            assertEquals(0, lock.getHoldCount());
            assertFalse(lock.isLocked());
            assertFalse(j.exists("lock:reentrant"));
        }
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void tryLockWithLeaseSetsTheLeaseAndRefusesAnotherProcess() throws Exception {
        RLock lock = client.getLock("lock:lease");
        assertTrue(lock.tryLock(5, 60, TimeUnit.SECONDS));
        long ttl = lock.remainTimeToLive();
        // The lease, not the watchdog's 30 s: more than 30 s are left unless the machine stalled half a minute.
        assertTrue(ttl > WATCHDOG_MILLIS && ttl <= 60_000, "remainTimeToLive " + ttl);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            RLock theirs = otherProcess.getLock("lock:lease");
            assertFalse(
                    other.submit(() -> theirs.tryLock(0, 10, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS));
            assertFalse(other.submit(() -> theirs.tryLock(300, 10_000, TimeUnit.MILLISECONDS))
                    .get(30, TimeUnit.SECONDS));
            assertTrue(other.submit(theirs::isLocked).get(30, TimeUnit.SECONDS));
            assertFalse(other.submit(theirs::isHeldByCurrentThread).get(30, TimeUnit.SECONDS));
            // Their unlock of a lock they do not hold is refused and leaves ours in place.
            assertThrows(Exception.class, () -> other.submit(theirs::unlock).get(30, TimeUnit.SECONDS));
            assertTrue(lock.isHeldByCurrentThread());
        } finally {
            other.shutdownNow();
        }
        lock.unlock();
        assertEquals(-2, lock.remainTimeToLive());
    }

    @Test
    void waiterInAnotherProcessIsWokenByUnlockAndAcquires() throws Exception {
        handOver(client, otherProcess, "lock:handover");
    }

    /** The same hand-over with clients speaking RESP3 (HELLO 3), where the unlock's message is a push. */
    @Test
    void resp3WaiterIsWokenByUnlockAndAcquires() throws Exception {
        RedissonClient mine = connect(respite.port(), Protocol.RESP3);
        RedissonClient theirs = connect(respite.port(), Protocol.RESP3);
        try {
            handOver(mine, theirs, "lock:handover-resp3");
        } finally {
            theirs.shutdown();
            mine.shutdown();
        }
    }

    private static void handOver(RedissonClient holder, RedissonClient waiter, String name) throws Exception {
        RLock lock = holder.getLock(name);
        // A lease longer than the waiter waits: only the unlock's message can hand the lock over in time.
        lock.lock(300, TimeUnit.SECONDS);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            RLock theirs = waiter.getLock(name);
            Future<Boolean> acquired = other.submit(() -> theirs.tryLock(120, 60, TimeUnit.SECONDS));
            Thread.sleep(500);
            assertFalse(acquired.isDone(), "the waiter must stay blocked while the lock is held");
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            assertTrue(acquired.get(90, TimeUnit.SECONDS));
            assertTrue(lock.isLocked());
            assertFalse(lock.isHeldByCurrentThread());
            assertTrue(other.submit(theirs::isHeldByCurrentThread).get(30, TimeUnit.SECONDS));
            long ttl = lock.remainTimeToLive();
            assertTrue(ttl > 0 && ttl <= 60_000, "remainTimeToLive " + ttl);
            other.submit(theirs::unlock).get(30, TimeUnit.SECONDS);
            assertFalse(lock.isLocked());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void expiredLeaseReleasesTheLockToAWaiter() throws Exception {
        RLock lock = client.getLock("lock:expiry");
        lock.lock(1, TimeUnit.SECONDS);
        assertTrue(lock.isLocked());
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            RLock theirs = otherProcess.getLock("lock:expiry");
            // Nobody unlocks: the waiter gets the lock once the server expires the 1 s lease.
            assertTrue(
                    other.submit(() -> theirs.tryLock(60, 30, TimeUnit.SECONDS)).get(90, TimeUnit.SECONDS));
            assertFalse(lock.isHeldByCurrentThread());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(other.submit(theirs::isHeldByCurrentThread).get(30, TimeUnit.SECONDS));
            other.submit(theirs::unlock).get(30, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        RLock unwatched = client.getLock("lock:expiry-alone");
        unwatched.lock(1, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (unwatched.isLocked() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(unwatched.isLocked());
        assertEquals(-2, unwatched.remainTimeToLive());
    }

    @Test
    void forceUnlockFromAnotherProcessReleasesAnyHolder() throws Exception {
        RLock lock = client.getLock("lock:force");
        lock.lock(300, TimeUnit.SECONDS);
        lock.lock(300, TimeUnit.SECONDS);
        RLock theirs = otherProcess.getLock("lock:force");
        assertTrue(theirs.forceUnlock());
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(theirs.forceUnlock());
        try (Jedis j = jedis()) {
            assertFalse(j.exists("lock:force"));
        }
        assertTrue(theirs.tryLock(0, 60, TimeUnit.SECONDS));
        assertTrue(theirs.isHeldByCurrentThread());
        theirs.unlock();
    }

    @Test
    void remainTimeToLiveFollowsTheLease() {
        RLock lock = client.getLock("lock:ttl");
        assertEquals(-2, lock.remainTimeToLive());
        lock.lock(120, TimeUnit.SECONDS);
        long leased = lock.remainTimeToLive();
        assertTrue(leased > WATCHDOG_MILLIS && leased <= 120_000, "remainTimeToLive " + leased);
        lock.unlock();
        assertFalse(lock.isLocked());
        lock.lock();
        long watched = lock.remainTimeToLive();
        assertTrue(watched > 0 && watched <= WATCHDOG_MILLIS, "remainTimeToLive " + watched);
        lock.unlock();
        assertEquals(-2, lock.remainTimeToLive());
    }

    @Test
    void rateLimiterGrantsRatePermitsPerIntervalAndRefusesTheNext() throws InterruptedException {
        final int rate = 3;
        Duration interval = Duration.ofSeconds(1);
        // A stall longer than the interval would give permits back mid-run: such a run does not count.
        List<String> run = null;
        RRateLimiter limiter = null;
        for (int attempt = 0; attempt < 5 && run == null; attempt++) {
            limiter = client.getRateLimiter("limiter:" + attempt);
            long start = System.nanoTime();
            List<String> observed = new ArrayList<>();
            observed.add("set " + limiter.trySetRate(RateType.OVERALL, rate, interval));
            observed.add("available " + limiter.availablePermits());
            for (int i = 0; i < rate; i++) {
                observed.add("acquire " + limiter.tryAcquire());
            }
            observed.add("available " + limiter.availablePermits());
            observed.add("acquire " + limiter.tryAcquire());
            if (System.nanoTime() - start < interval.toNanos()) {
                run = observed;
            }
        }
        assertEquals(
                List.of(
                        "set true",
                        "available 3",
                        "acquire true",
                        "acquire true",
                        "acquire true",
                        "available 0",
                        "acquire false"),
                run);
        // Redisson keeps the first rate: a second trySetRate changes nothing.
        assertFalse(limiter.trySetRate(RateType.OVERALL, 10, interval));
        assertEquals(rate, limiter.getConfig().getRate());
        Thread.sleep(interval.toMillis() + 200);
        assertEquals(rate, limiter.availablePermits());
        assertTrue(limiter.tryAcquire(rate));
        RRateLimiter limited = limiter;
        RedisException tooMany = assertThrows(RedisException.class, () -> limited.tryAcquire(rate + 1));
        assertTrue(
                tooMany.getMessage().contains("Requested permits amount cannot exceed defined rate"),
                tooMany.getMessage());
    }

    @Test
    void rateLimiterThatWasNeverSetReportsTheScriptsAssertion() {
        RRateLimiter unset = client.getRateLimiter("limiter:unset");
        RedisException e = assertThrows(RedisException.class, unset::tryAcquire);
        assertTrue(e.getMessage().contains("RateLimiter is not initialized"), e.getMessage());
    }

    @Test
    void delayedElementArrivesInTheQueueAfterItsDelay() throws InterruptedException {
        RBlockingQueue<String> queue = client.getBlockingQueue("queue:ready", StringCodec.INSTANCE);
        RDelayedQueue<String> delayed = client.getDelayedQueue(queue);
        try {
            long start = System.nanoTime();
            delayed.offer("later", 1, TimeUnit.SECONDS);
            delayed.offer("much later", 300, TimeUnit.SECONDS);
            assertEquals("later", queue.poll(60, TimeUnit.SECONDS));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Not before its delay (a few milliseconds' slack between the client's two clocks).
            assertTrue(waitedMillis >= 950, "arrived after " + waitedMillis + " ms");
            assertEquals(List.of("much later"), delayed.readAll());
            assertTrue(queue.isEmpty());
        } finally {
            delayed.destroy();
        }
    }

    @Test
    void scriptsAndFunctionsThroughRedissonsOwnApi() {
        RScript script = client.getScript(StringCodec.INSTANCE);
        String sha = script.scriptLoad("return redis.call('INCRBY', KEYS[1], ARGV[1])");
        assertEquals(5L, (Long) script.evalSha(
                RScript.Mode.READ_WRITE, sha, RScript.ReturnType.INTEGER, List.of("script:counter"), "5"));
        assertEquals(List.of(true, false), script.scriptExists(sha, "0000000000000000000000000000000000000000"));
        assertEquals(
                List.of("script:counter", "7"),
                script.eval(
                        RScript.Mode.READ_WRITE,
                        "return {KEYS[1], tostring(redis.call('INCRBY', KEYS[1], ARGV[1]))}",
                        RScript.ReturnType.MULTI,
                        List.of("script:counter"),
                        "2"));
        RFunction functions = client.getFunction(StringCodec.INSTANCE);
        functions.loadAndReplace(
                "rlib",
                "redis.register_function{function_name='greet', callback=function(keys, args)"
                        + " return 'hello ' .. args[1] end, flags={'no-writes'}}");
        assertEquals(
                "hello redisson",
                functions.call(FunctionMode.READ, "greet", FunctionResult.STRING, List.of(), "redisson"));
        functions.delete("rlib");
        RedisException missing = assertThrows(
                RedisException.class,
                () -> functions.call(FunctionMode.READ, "greet", FunctionResult.STRING, List.of(), "again"));
        assertTrue(missing.getMessage().contains("Function not found"), missing.getMessage());
        assertNull(script.eval(RScript.Mode.READ_ONLY, "return nil", RScript.ReturnType.VALUE));
    }
}
