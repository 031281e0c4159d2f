package dev.respite.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * A chained hash table from key bytes to entries with a power-of-two bucket array, so that SCAN can use
 * Redis's reverse-binary cursor: every key present for a whole iteration is returned at least once, even
 * when the table grows or shrinks between calls.
 */
public final class KeyTable {
    private static final int MIN_BUCKETS = 16;
    /** What one bucket costs in used_memory: a compressed reference. */
    public static final int BUCKET_BYTES = 4;
    /**
     * Past this many keys per bucket the table grows whatever memory says, as Redis's db dict does
     * (HASHTABLE_MAX_LOAD_FACTOR): long chains would cost more than the memory saved.
     */
    private static final double MAX_LOAD_FACTOR = 1.618;

    /** Asked with the bytes of a bigger bucket array whether it may be allocated (maxmemory). */
    private final LongPredicate growthAllowed;

    private Entry[] buckets = new Entry[MIN_BUCKETS];
    private int size;
    /** While a snapshot walks the buckets in order, their number must not change. */
    private boolean frozen;

    /** A table that grows whenever it is full. */
    public KeyTable() {
        this(bytes -> true);
    }

    /** A table that, while not overloaded, grows only when {@code growthAllowed} accepts the new array's bytes. */
    public KeyTable(LongPredicate growthAllowed) {
        this.growthAllowed = growthAllowed;
    }

    public int size() {
        return size;
    }

    public Entry get(byte[] key) {
        int h = hash(key);
        for (Entry e = buckets[h & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    /** Inserts a new key; the caller has checked that it is absent. */
    public Entry insert(byte[] key, Object value) {
        int h = hash(key);
        Entry e = new Entry(key, h, value);
        int i = h & (buckets.length - 1);
        e.next = buckets[i];
        buckets[i] = e;
        if (++size > buckets.length && !frozen) {
            grow();
        }
        return e;
    }

    /**
     * Doubles the bucket array (or more, after a frozen spell), unless the bigger array would take used memory
     * past maxmemory while chains are still short: Redis's dictExpandAllowed, which compares the load before
     * this insert with the limit and the whole new array's bytes with what is left.
     */
    private void grow() {
        int n = Math.max(buckets.length * 2, Integer.highestOneBit(size - 1) << 1);
        double load = (double) (size - 1) / buckets.length;
        if (load <= MAX_LOAD_FACTOR && !growthAllowed.test((long) n * BUCKET_BYTES)) {
            return;
        }
        resize(n);
    }

    public Entry remove(byte[] key) {
        int h = hash(key);
        int i = h & (buckets.length - 1);
        Entry prev = null;
        for (Entry e = buckets[i]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    buckets[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                e.next = null;
                size--;
                if (!frozen && buckets.length > MIN_BUCKETS && size < buckets.length / 10) {
                    resize(Math.max(MIN_BUCKETS, Integer.highestOneBit(Math.max(size, 1)) * 2));
                }
                return e;
            }
        }
        return null;
    }

    public void clear() {
        buckets = new Entry[MIN_BUCKETS];
        size = 0;
    }

    /**
     * Visits the bucket at {@code cursor} and returns the next cursor (0 when the iteration is complete).
     * Empty buckets are skipped until at least {@code minVisits} entries were offered or the end is
     * reached, bounded so that a sparse table cannot make one call long.
     */
    public long scan(long cursor, int minVisits, Consumer<Entry> visitor) {
        int mask = buckets.length - 1;
        long v = cursor;
        int visited = 0;
        int emptySteps = 0;
        do {
            for (Entry e = buckets[(int) (v & mask)]; e != null; e = e.next) {
                visitor.accept(e);
                visited++;
            }
            if (visited == 0) {
                emptySteps++;
            }
            v |= ~(long) mask;
            v = Long.reverse(v);
            v++;
            v = Long.reverse(v);
        } while (v != 0 && visited < minVisits && emptySteps < minVisits * 10);
        return v;
    }

    /** A random entry, or null when empty. */
    public Entry random(RandomGenerator rnd) {
        if (size == 0) {
            return null;
        }
        Entry[] b = buckets;
        Entry head;
        do {
            head = b[rnd.nextInt(b.length)];
        } while (head == null);
        int chain = 0;
        for (Entry e = head; e != null; e = e.next) {
            chain++;
        }
        Entry e = head;
        for (int k = rnd.nextInt(chain); k > 0; k--) {
            e = e.next;
        }
        return e;
    }

    /** Visits every entry; the visitor must not change the table. */
    public void forEach(Consumer<Entry> visitor) {
        for (Entry head : buckets) {
            for (Entry e = head; e != null; e = e.next) {
                visitor.accept(e);
            }
        }
    }

    public int buckets() {
        return buckets.length;
    }

    /** Stops (or allows again) resizing; a thawed table catches up on its next insert or removal. */
    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** The bucket a key lives in (stable while the table is frozen). */
    public int bucketOf(byte[] key) {
        return hash(key) & (buckets.length - 1);
    }

    /** Visits the entries of one bucket. */
    public void forEachInBucket(int bucket, Consumer<Entry> visitor) {
        for (Entry e = buckets[bucket]; e != null; e = e.next) {
            visitor.accept(e);
        }
    }

    private void resize(int n) {
        Entry[] old = buckets;
        Entry[] fresh = new Entry[n];
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int i = e.hash & (n - 1);
                e.next = fresh[i];
                fresh[i] = e;
                e = next;
            }
        }
        buckets = fresh;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Eight bytes per step: hashing the key is on every lookup's path. */
    static int hash(byte[] key) {
        long h = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        for (int end = key.length - 7; i < end; i += 8) {
            h = (h ^ (long) LONGS.get(key, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        long tail = 0;
        for (int shift = 0; i < key.length; i++, shift += 8) {
            tail |= (key[i] & 0xFFL) << shift;
        }
        h = (h ^ tail) * 0x94D049BB133111EBL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }
}
