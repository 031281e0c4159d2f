package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * maxmemory under every policy: a dataset written past the limit stays within it, and the policy decides
 * which keys go. One server serves every test; each starts from an empty keyspace and its own policy.
 */
class EvictionTest {
    private static final long LIMIT = 2 * 1024 * 1024;
    /** used_memory may exceed the limit by what one write adds before the next eviction round. */
    private static final long SLACK = 64 * 1024;

    private static final String VALUE = "v".repeat(100);

    private static RespiteProcess server;
    private static Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = RespiteProcess.start();
        jedis = new Jedis("127.0.0.1", server.port(), 10_000);
    }

    @AfterAll
    static void stop() {
        jedis.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        jedis.configSet("maxmemory", "0");
        jedis.flushAll();
        jedis.configSet("maxmemory-policy", "noeviction");
        jedis.configResetStat();
    }

    @ParameterizedTest
    @ValueSource(strings = {"allkeys-lru", "allkeys-lfu", "allkeys-random"})
    void allkeysPoliciesKeepTheDatasetWithinMaxmemory(String policy) {
        limit(policy);
        writeStrings("k", 40_000, false);
        long used = usedMemory();
        assertTrue(used <= LIMIT + SLACK, policy + ": used_memory " + used + " over " + LIMIT);
        long evicted = stat("evicted_keys");
        assertTrue(evicted > 20_000, policy + ": evicted " + evicted);
        assertEquals(40_000 - evicted, jedis.dbSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"})
    void volatilePoliciesEvictOnlyKeysWithATtl(String policy) {
        jedis.configSet("maxmemory-policy", policy);
        writeStrings("keep", 2_000, false);
        jedis.configSet("maxmemory", Long.toString(LIMIT));
        writeStrings("ttl", 40_000, true);
        assertTrue(usedMemory() <= LIMIT + SLACK);
        assertTrue(stat("evicted_keys") > 20_000);
        for (int i = 0; i < 2_000; i++) {
            assertEquals(VALUE, jedis.get("keep:" + i), policy + " evicted a key without a TTL");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"})
    void volatilePoliciesRefuseWritesWhenNoKeyHasATtl(String policy) {
        jedis.configSet("maxmemory-policy", policy);
        writeStrings("keep", 20_000, false);
        jedis.configSet("maxmemory", Long.toString(LIMIT));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.set("one-more", "x"));
        assertEquals("OOM command not allowed when used memory > 'maxmemory'.", e.getMessage());
        assertEquals(20_000, jedis.dbSize());
    }

    @Test
    void volatileTtlEvictsTheNearestExpiryFirst() {
        jedis.configSet("maxmemory-policy", "volatile-ttl");
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 20_000; i++) {
            // TTLs grow with i: low numbers expire first and must be the ones to go.
            p.setex("t:" + i, 10_000 + i, VALUE);
        }
        p.sync();
        long before = usedMemory();
        jedis.configSet("maxmemory", Long.toString(before / 2));
        jedis.set("trigger", "x");
        waitUntilWithin(before / 2);
        long evicted = stat("evicted_keys");
        assertTrue(evicted > 5_000, "evicted " + evicted);
        int lowGone = 0;
        int highKept = 0;
        for (int i = 0; i < 2_000; i++) {
            if (!jedis.exists("t:" + i)) {
                lowGone++;
            }
            if (jedis.exists("t:" + (19_999 - i))) {
                highKept++;
            }
        }
        assertTrue(lowGone > 1_900, "nearest expiries still present: " + (2_000 - lowGone));
        assertTrue(highKept > 1_900, "farthest expiries evicted: " + (2_000 - highKept));
    }

    /**
     * Redis's unit/maxmemory "Don't rehash if used memory exceeds maxmemory after rehash": a full key table
     * whose doubled bucket array would not fit under maxmemory stays as it is, so writing past it evicts nothing.
     */
    @Test
    void aFullKeyTableDoesNotGrowPastMaxmemory() {
        jedis.configSet("maxmemory-policy", "allkeys-random");
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 4096; i++) {
            p.set("key:" + i, "v");
        }
        p.sync();
        long used = usedMemory();
        long tableBefore = hashtableOverhead();
        jedis.configSet("maxmemory", Long.toString(used + 10 * 1024));
        jedis.set("k1", "v1");
        jedis.set("k2", "v2");
        assertEquals(4098, jedis.dbSize());
        assertEquals(0, stat("evicted_keys"));
        assertEquals(tableBefore, hashtableOverhead(), "the bucket array grew");
        jedis.configSet("maxmemory", "0");
        jedis.set("k3", "v3");
        assertTrue(hashtableOverhead() > tableBefore, "without a limit the full table grows");
    }

    /** MEMORY STATS db.0 overhead.hashtable.main: the key table's bucket array. */
    private long hashtableOverhead() {
        List<?> stats = (List<?>) jedis.sendCommand(Protocol.Command.MEMORY, "STATS");
        for (int i = 0; i < stats.size(); i += 2) {
            if ("db.0".equals(SafeEncoder.encode((byte[]) stats.get(i)))) {
                List<?> db = (List<?>) stats.get(i + 1);
                assertEquals("overhead.hashtable.main", SafeEncoder.encode((byte[]) db.get(0)));
                return (Long) db.get(1);
            }
        }
        throw new AssertionError("no db.0 in MEMORY STATS");
    }

    @Test
    void noevictionRefusesWritesButServesReadsAndDeletes() {
        writeStrings("k", 10_000, false);
        jedis.configSet("maxmemory", "1");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.set("new", "x"));
        assertEquals("OOM command not allowed when used memory > 'maxmemory'.", e.getMessage());
        assertThrows(JedisDataException.class, () -> jedis.lpush("list", "x"));
        assertEquals(VALUE, jedis.get("k:1"));
        assertEquals(1, jedis.del("k:1"));
        assertEquals(9_999, jedis.dbSize());
        assertEquals(0, stat("evicted_keys"));
    }

    @Test
    void oomReplyIsByteForByteRedis() throws Exception {
        jedis.set("k", "v");
        jedis.configSet("maxmemory", "1");
        try (RealRedis real = RealRedis.start("--maxmemory", "1", "--maxmemory-policy", "noeviction");
                Jedis r = new Jedis("127.0.0.1", real.port());
                RawConnection ours = new RawConnection(server.port());
                RawConnection theirs = new RawConnection(real.port())) {
            r.configSet("maxmemory", "0");
            r.set("k", "v");
            r.configSet("maxmemory", "1");
            for (String[] cmd : new String[][] {
                {"SET", "a", "b"}, {"GET", "k"}, {"MULTI"}, {"SET", "a", "b"}, {"EXEC"}, {"DEL", "k"}
            }) {
                assertEquals(theirs.call(cmd), ours.call(cmd), String.join(" ", cmd));
            }
        }
    }

    @Test
    void loweringMaxmemoryEvictsFromTheCronWithoutAnyWrite() throws Exception {
        jedis.configSet("maxmemory-policy", "allkeys-random");
        writeStrings("k", 40_000, false);
        jedis.configSet("maxmemory", Long.toString(LIMIT));
        waitUntilWithin(LIMIT);
        assertTrue(stat("evicted_keys") > 20_000);
    }

    @Test
    void evictedKeysAreNotifiedAsEvicted() throws Exception {
        jedis.configSet("maxmemory-policy", "allkeys-random");
        jedis.configSet("notify-keyspace-events", "Ee");
        try (Jedis sub = new Jedis("127.0.0.1", server.port())) {
            String[] got = new String[1];
            Thread t = new Thread(() -> sub.subscribe(
                    new redis.clients.jedis.JedisPubSub() {
                        @Override
                        public void onMessage(String channel, String message) {
                            got[0] = channel + " " + message;
                            unsubscribe();
                        }
                    },
                    "__keyevent@0__:evicted"));
            t.start();
            Thread.sleep(300);
            writeStrings("k", 2_000, false);
            jedis.configSet("maxmemory", "1");
            jedis.set("x", "y");
            t.join(10_000);
            assertTrue(got[0] != null && got[0].startsWith("__keyevent@0__:evicted k:"), String.valueOf(got[0]));
        } finally {
            jedis.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void lruKeepsAHotSetReadDuringAColdSweep() {
        hotSetSurvives("allkeys-lru");
    }

    @Test
    void lfuKeepsAHotSetReadDuringAColdSweep() {
        hotSetSurvives("allkeys-lfu");
    }

    /** 500 hot keys read between every batch of cold writes must outlive a sweep of 40,000 cold keys. */
    private void hotSetSurvives(String policy) {
        limit(policy);
        writeStrings("hot", 500, false);
        String[] hot = new String[500];
        for (int i = 0; i < hot.length; i++) {
            hot[i] = "hot:" + i;
        }
        for (int batch = 0; batch < 80; batch++) {
            if (policy.endsWith("lru")) {
                sleepQuietly(batch % 10 == 0 ? 1100 : 0);
            }
            jedis.mget(hot);
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < 500; i++) {
                p.set("cold:" + batch + ":" + i, VALUE);
            }
            p.sync();
        }
        int survivors = 0;
        for (String k : hot) {
            if (jedis.exists(k)) {
                survivors++;
            }
        }
        assertTrue(stat("evicted_keys") > 20_000);
        assertTrue(survivors >= 450, policy + ": only " + survivors + " of 500 hot keys survived");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void limit(String policy) {
        jedis.configSet("maxmemory-policy", policy);
        jedis.configSet("maxmemory", Long.toString(LIMIT));
    }

    private void writeStrings(String prefix, int n, boolean ttl) {
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < n; i++) {
            if (ttl) {
                p.setex(prefix + ":" + i, 1000 + i % 1000, VALUE);
            } else {
                p.set(prefix + ":" + i, VALUE);
            }
            if (i % 1000 == 999) {
                p.sync();
            }
        }
        p.sync();
    }

    private void waitUntilWithin(long limit) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (usedMemory() > limit + SLACK && System.currentTimeMillis() < deadline) {
            sleepQuietly(20);
        }
        assertTrue(usedMemory() <= limit + SLACK, "used_memory " + usedMemory() + " still over " + limit);
    }

    private long usedMemory() {
        return field(jedis.info("memory"), "used_memory");
    }

    private long stat(String name) {
        return field(jedis.info("stats"), name);
    }

    static long field(String info, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":(\\d+)").matcher(info);
        assertTrue(m.find(), name + " missing");
        return Long.parseLong(m.group(1));
    }
}
