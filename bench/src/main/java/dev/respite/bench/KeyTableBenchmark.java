package dev.respite.bench;

import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.KeyTable;
import dev.respite.storage.Keyspace;
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
 * The key table with a million keys, probed in random order so that most lookups miss the CPU caches as they
 * do in a server with a large keyspace. Probes are copies of the stored keys, as the decoder hands the server
 * fresh arrays, so every hit compares the bytes. The same operations through {@link Database} add what SET
 * and GET pay on top: the expiry check, the access stamp and the change notification.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyTableBenchmark {
    private static final int KEYS = 1_000_000;
    /** A power of two, so the probe cursor wraps with a mask. */
    private static final int PROBES = 1 << 20;

    private final KeyTable table = new KeyTable();
    private final Database db = new Keyspace(16).db(0);
    private final byte[] value = "VXK".getBytes(StandardCharsets.US_ASCII);
    private byte[][] hits;
    private byte[][] misses;
    private int cursor;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        hits = new byte[PROBES][];
        misses = new byte[PROBES][];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = key("key:", i);
            table.insert(key, value);
            db.set(key, value);
        }
        for (int i = 0; i < PROBES; i++) {
            hits[i] = key("key:", rnd.nextInt(KEYS));
            misses[i] = key("nokey:", rnd.nextInt(KEYS));
        }
    }

    private static byte[] key(String prefix, int i) {
        return String.format("%s%012d", prefix, i).getBytes(StandardCharsets.US_ASCII);
    }

    private int next() {
        return cursor++ & (PROBES - 1);
    }

    @Benchmark
    public Entry getHit() {
        return table.get(hits[next()]);
    }

    @Benchmark
    public Entry getMiss() {
        return table.get(misses[next()]);
    }

    /** A new key in and out again, so the table keeps its million keys and never resizes. */
    @Benchmark
    public Entry insertThenRemove() {
        byte[] key = misses[next()];
        table.insert(key, value);
        return table.remove(key);
    }

    @Benchmark
    public Entry databaseLookup() {
        return db.lookup(hits[next()]);
    }

    /** SET of an existing key: the path of redis-benchmark's SET once its keyspace is filled. */
    @Benchmark
    public Entry databaseSetExisting() {
        return db.set(hits[next()], value);
    }
}
