package dev.respite.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValueLandsInTheBucketThatCoversIt() {
        Random rnd = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong() >>> (1 + rnd.nextInt(40));
            if (v >= 1L << 37) {
                continue;
            }
            int b = LatencyHistogram.index(v);
            assertTrue(LatencyHistogram.highestValue(b) >= v, () -> "value " + v + " above its bucket " + b);
            assertTrue(
                    b == 0 || LatencyHistogram.highestValue(b - 1) < v,
                    () -> "value " + v + " fits an earlier bucket than " + b);
        }
    }

    @Test
    void bucketsAreContiguousAndAtMostThreePercentWide() {
        for (int b = 1; b < LatencyHistogram.BUCKETS; b++) {
            long low = LatencyHistogram.highestValue(b - 1) + 1;
            long high = LatencyHistogram.highestValue(b);
            assertEquals(b, LatencyHistogram.index(low));
            assertEquals(b, LatencyHistogram.index(high));
            assertTrue(
                    high - low + 1 <= Math.max(1, low / 32),
                    "bucket " + b + " is " + (high - low + 1) + " wide at " + low);
        }
    }

    @Test
    void percentilesMatchSortedSamplesWithinBucketPrecision() {
        Random rnd = new Random(7);
        LatencyHistogram h = new LatencyHistogram();
        long[] samples = new long[10_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 1_000 + (long) (Math.abs(rnd.nextGaussian()) * 50_000);
            h.record(samples[i]);
        }
        Arrays.sort(samples);
        for (double p : new double[] {50, 99, 99.9}) {
            long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
            long reported = h.valueAtPercentile(p);
            assertTrue(
                    reported >= exact && reported <= exact + exact / 32 + 1,
                    "p" + p + ": " + reported + " vs " + exact);
        }
        assertEquals(samples.length, h.count());
        assertEquals(samples.length, h.countAtOrBelow(Long.MAX_VALUE));
        assertEquals(0, h.countAtOrBelow(999));
    }

    @Test
    void hugeAndNegativeDurationsAreClampedIntoTheEndBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(2, h.count());
        assertEquals(0, h.valueAtPercentile(50));
        assertEquals((1L << 37) - 1, h.valueAtPercentile(100));
    }
}
