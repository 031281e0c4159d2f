package dev.respite.server.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Command latencies in nanoseconds, counted in log-linear buckets: every power of two is split into
 * {@value #SUB_BUCKETS} equal steps, so a bucket's width is at most 1/32 (about 3%) of its values, which is
 * what the percentiles INFO latencystats prints can be trusted to. The memory is one fixed array; recording
 * is a shift, a count of leading zeros and an increment, with no allocation.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Latencies from 2^37 ns (about 137 s) up all land in the last bucket. */
    private static final int MAX_EXPONENT = 36;

    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;
    private static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sumNanos;

    public void record(long nanos) {
        long v = nanos <= 0 ? 0 : Math.min(nanos, MAX_VALUE);
        counts[index(v)]++;
        total++;
        sumNanos += v;
    }

    static int index(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int shift = exponent - SUB_BITS;
        return (shift + 1) * SUB_BUCKETS + (int) (v >>> shift) - SUB_BUCKETS;
    }

    /** The largest value that falls into bucket {@code i}. */
    static long highestValue(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int shift = i / SUB_BUCKETS - 1;
        long mantissa = SUB_BUCKETS + i % SUB_BUCKETS;
        return ((mantissa + 1) << shift) - 1;
    }

    public long count() {
        return total;
    }

    public long sumNanos() {
        return sumNanos;
    }

    /**
     * The value at {@code percentile} (0-100) as HdrHistogram reports it: the highest value of the bucket
     * holding the sample of that rank; 0 when empty.
     */
    public long valueAtPercentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) (Math.min(percentile, 100.0) / 100.0 * total + 0.5));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return highestValue(i);
            }
        }
        return MAX_VALUE;
    }

    /**
     * LATENCY HISTOGRAM's cumulative distribution: for each power of two from 1024 ns, the microseconds
     * HdrHistogram (two significant digits) reports for it and the samples at or below it, as pairs; a level
     * that adds no sample is left out, and the last level is the first that holds every sample.
     */
    public List<long[]> powersOfTwoCdf() {
        List<long[]> levels = new ArrayList<>();
        long previous = 0;
        for (long level = 1024; previous < total && level <= MAX_VALUE + 1; level <<= 1) {
            long highestEquivalent = level + level / 128 - 1;
            long cumulative = countAtOrBelow(highestEquivalent);
            if (cumulative > previous) {
                levels.add(new long[] {highestEquivalent / 1000, cumulative});
            }
            previous = cumulative;
        }
        return levels;
    }

    /** How many samples were at most {@code nanos}, counting whole buckets whose values are all within it. */
    public long countAtOrBelow(long nanos) {
        long n = 0;
        for (int i = 0; i < BUCKETS && highestValue(i) <= nanos; i++) {
            n += counts[i];
        }
        return n;
    }
}
