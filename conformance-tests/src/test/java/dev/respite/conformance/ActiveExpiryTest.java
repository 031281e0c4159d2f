package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/**
 * A million keys with a 2-second TTL that nobody touches again are reclaimed by the timing wheel within a few
 * seconds of expiring, while another client's GETs keep being served. The GET latency during the reaping is
 * measured and printed (not asserted: it depends on the machine).
 */
class ActiveExpiryTest {
    private static final int KEYS = 1_000_000;
    private static final long TTL_MILLIS = 2000;

    @Test
    void millionUntouchedKeysAreReclaimedWhileGetsStayFast() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            try (RespiteProcess server = RespiteProcess.start();
                    Jedis loader = new Jedis("127.0.0.1", server.port());
                    Jedis probe = new Jedis("127.0.0.1", server.port())) {
                probe.set("probe", "value");
                long[] baseline = sampleGets(probe, 20_000);

                long sendStart = System.currentTimeMillis();
                Pipeline p = loader.pipelined();
                SetParams ttl = SetParams.setParams().px(TTL_MILLIS);
                for (int i = 0; i < KEYS; i++) {
                    p.set("exp:" + i, "v", ttl);
                    if (i % 10_000 == 9_999) {
                        p.sync();
                    }
                }
                p.sync();
                long lastExpiry = System.currentTimeMillis() + TTL_MILLIS;

                // Sample GET latency from the first expiry until the keyspace is back to the probe key alone.
                long firstExpiry = sendStart + TTL_MILLIS;
                while (System.currentTimeMillis() < firstExpiry) {
                    Thread.sleep(5);
                }
                AtomicBoolean done = new AtomicBoolean();
                long[][] during = new long[1][];
                Thread sampler = new Thread(() -> during[0] = sampleUntil(probe, done));
                sampler.start();
                long reclaimedAt;
                while (true) {
                    if (loader.dbSize() == 1) {
                        reclaimedAt = System.currentTimeMillis();
                        break;
                    }
                    if (System.currentTimeMillis() > lastExpiry + 30_000) {
                        reclaimedAt = -1;
                        break;
                    }
                    Thread.sleep(10);
                }
                done.set(true);
                sampler.join();
                assertTrue(reclaimedAt > 0, "keys left after 30 s: " + loader.dbSize());
                long afterLast = reclaimedAt - lastExpiry;
                System.out.printf(
                        "ACTIVE-EXPIRY: %d keys with a %d ms TTL reclaimed %d ms after the last one expired "
                                + "(%d ms after the first); concurrent GET latency during reaping: p50 %d us, p99 %d us, "
                                + "p99.9 %d us, max %d us over %d GETs; idle baseline p99 %d us%n",
                        KEYS,
                        TTL_MILLIS,
                        afterLast,
                        reclaimedAt - firstExpiry,
                        pct(during[0], 50),
                        pct(during[0], 99),
                        pct(during[0], 99.9),
                        during[0][during[0].length - 1] / 1000,
                        during[0].length,
                        pct(baseline, 99));
                assertTrue(afterLast < 10_000, "reclaimed only " + afterLast + " ms after expiring");
                assertEquals("value", probe.get("probe"));
                assertTrue(probe.info("stats").contains("expired_keys:" + KEYS));
            }
        });
    }

    private static long[] sampleGets(Jedis j, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            j.get("probe");
            out[i] = System.nanoTime() - t;
        }
        Arrays.sort(out);
        return out;
    }

    private static long[] sampleUntil(Jedis j, AtomicBoolean done) {
        long[] out = new long[1 << 16];
        int n = 0;
        while (!done.get()) {
            long t = System.nanoTime();
            j.get("probe");
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = System.nanoTime() - t;
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    /** The given percentile of sorted nanosecond samples, in microseconds. */
    private static long pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1000;
    }
}
