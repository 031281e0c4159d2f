package dev.respite.bench;

import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.SortedSetValue;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Score-range scans of a million-member sorted set with 52-bit scores, as a geo search walks the cells around
 * a point: each scan starts at a random score and visits about 60 members, so the walk along the skip list's
 * bottom level, which misses the CPU caches at every step, dominates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SortedSetRangeBenchmark {
    private static final int MEMBERS = 1_000_000;
    private static final double SPAN = 0x1p52;
    /** A range holding about 60 members on average. */
    private static final double WIDTH = SPAN / MEMBERS * 60;

    private static final int STARTS = 1 << 16;

    private final SortedSetValue zset = new SortedSetValue(new EncodingLimits());
    private final double[] starts = new double[STARTS];
    private int cursor;
    private long visited;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < MEMBERS; i++) {
            byte[] member = ("m" + i).getBytes(StandardCharsets.US_ASCII);
            zset.add(member, Math.floor(rnd.nextDouble() * SPAN), 0);
        }
        for (int i = 0; i < STARTS; i++) {
            starts[i] = Math.floor(rnd.nextDouble() * (SPAN - WIDTH));
        }
    }

    @Benchmark
    public long scanRange() {
        double min = starts[cursor++ & (STARTS - 1)];
        visited = 0;
        zset.forEachInScoreRange(min, min + WIDTH, (member, score) -> visited += (long) score & 1);
        return visited;
    }
}
