package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.storage.eviction.EntryFootprint;
import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The dataset total a database keeps follows every write: after any sequence of sets, in-place changes of
 * collections (reported afterwards, as the commands do), TTL changes, type changes and deletions it equals
 * the sum of its keys' estimated sizes.
 */
class DatabaseAccountingTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Keyspace keyspace = new Keyspace(1, clock::get);
    private final Database db = keyspace.db(0);
    private final EncodingLimits limits = new EncodingLimits();

    private long sumOfKeys() {
        long[] sum = {0};
        db.forEach(e -> sum[0] += EntryFootprint.of(e));
        return sum[0];
    }

    private static byte[] bytes(Random rnd, int max) {
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void theTotalIsTheSumOfTheKeysAfterEveryWrite() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int step = 0; step < 20_000; step++) {
            byte[] key = ("k" + rnd.nextInt(50)).getBytes();
            Entry e = db.peek(key);
            switch (rnd.nextInt(9)) {
                case 0 -> db.set(key, bytes(rnd, 100));
                case 1 -> db.setKeepTtl(key, bytes(rnd, 300));
                case 2 -> {
                    if (e != null) {
                        db.replaceValue(e, rnd.nextBoolean() ? bytes(rnd, 50) : new SetValue(limits));
                    }
                }
                case 3 -> {
                    Object v = e == null ? null : e.value();
                    if (v instanceof HashValue h) {
                        for (int i = rnd.nextInt(200); i > 0; i--) {
                            h.put(bytes(rnd, 8), bytes(rnd, 100));
                        }
                        db.signalModified(key);
                    } else if (e == null) {
                        HashValue h = new HashValue(limits);
                        h.put(bytes(rnd, 8), bytes(rnd, 10));
                        db.add(key, h);
                    }
                }
                case 4 -> {
                    Object v = e == null ? null : e.value();
                    if (v instanceof ListValue l) {
                        for (int i = rnd.nextInt(300); i > 0; i--) {
                            l.pushTail(bytes(rnd, 40));
                        }
                        db.signalModified(key);
                    } else if (e == null) {
                        ListValue l = new ListValue(limits);
                        l.pushHead(bytes(rnd, 10));
                        db.add(key, l);
                    }
                }
                case 5 -> {
                    if (e != null) {
                        db.setExpireAt(e, clock.get() + 1 + rnd.nextInt(1000));
                    }
                }
                case 6 -> {
                    if (e != null) {
                        db.persist(e);
                    }
                }
                case 7 -> db.delete(key);
                default -> {
                    clock.addAndGet(rnd.nextInt(20));
                    db.activeExpire(clock.get(), 10);
                }
            }
            assertEquals(sumOfKeys(), db.entryBytes(), "seed " + seed + ", step " + step);
        }
    }
}
