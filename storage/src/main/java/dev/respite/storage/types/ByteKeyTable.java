package dev.respite.storage.types;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Chained hash table keyed by byte strings, with power-of-two bucket counts and Redis's reverse-binary
 * scan cursor. Entries are caller-supplied objects (a sorted set's skip-list nodes double as its
 * entries), so a member costs one object rather than a map node plus a value.
 */
final class ByteKeyTable<E extends ByteKeyTable.Entry> {
    private static final int MIN_BUCKETS = 4;
    private static final int INITIAL_CHAIN_CAP = 4;

    /** A keyed entry; subclasses carry the value. */
    static class Entry {
        final byte[] key;
        final int hash;
        Entry nextInBucket;

        Entry(byte[] key) {
            this.key = key;
            this.hash = key == null ? 0 : hash(key);
        }
    }

    private Entry[] buckets = new Entry[MIN_BUCKETS];
    private int size;
    private long keyBytes;
    // Upper bound on chain lengths assumed by random(); raised when a longer chain turns up.
    private int chainCap = INITIAL_CHAIN_CAP;

    static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        // Finalizer from MurmurHash3 so that low bits, which pick the bucket, depend on every byte.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    E get(byte[] key) {
        int h = hash(key);
        for (Entry e = buckets[h & (buckets.length - 1)]; e != null; e = e.nextInBucket) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return (E) e;
            }
        }
        return null;
    }

    /** Adds an entry whose key is known to be absent. */
    void insert(E entry) {
        if (size >= buckets.length) {
            rehash(buckets.length * 2);
        }
        int index = entry.hash & (buckets.length - 1);
        entry.nextInBucket = buckets[index];
        buckets[index] = entry;
        size++;
        keyBytes += entry.key.length;
    }

    /** Removes and returns the entry for the key, or null when absent. */
    @SuppressWarnings("unchecked")
    E remove(byte[] key) {
        int h = hash(key);
        int index = h & (buckets.length - 1);
        Entry previous = null;
        for (Entry e = buckets[index]; e != null; previous = e, e = e.nextInBucket) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (previous == null) {
                    buckets[index] = e.nextInBucket;
                } else {
                    previous.nextInBucket = e.nextInBucket;
                }
                e.nextInBucket = null;
                size--;
                keyBytes -= e.key.length;
                maybeShrink();
                return (E) e;
            }
        }
        return null;
    }

    void clear() {
        buckets = new Entry[MIN_BUCKETS];
        size = 0;
        keyBytes = 0;
    }

    /** Shrinks like Redis once under 1/8 full, which keeps random bucket probing cheap. */
    private void maybeShrink() {
        if (buckets.length > MIN_BUCKETS && size * 8L < buckets.length) {
            int target = Math.max(MIN_BUCKETS, Integer.highestOneBit(Math.max(1, size - 1)) << 1);
            rehash(target);
        }
    }

    private void rehash(int bucketCount) {
        Entry[] old = buckets;
        Entry[] fresh = new Entry[bucketCount];
        int mask = bucketCount - 1;
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.nextInBucket;
                int index = e.hash & mask;
                e.nextInBucket = fresh[index];
                fresh[index] = e;
                e = next;
            }
        }
        buckets = fresh;
        chainCap = INITIAL_CHAIN_CAP;
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super E> action) {
        for (Entry head : buckets) {
            for (Entry e = head; e != null; e = e.nextInBucket) {
                action.accept((E) e);
            }
        }
    }

    /** Returns the first entry at or after bucket {@code from}, scanning forward, or null. */
    Entry firstFrom(int from) {
        for (int i = from; i < buckets.length; i++) {
            if (buckets[i] != null) {
                return buckets[i];
            }
        }
        return null;
    }

    int bucketOf(Entry e) {
        return e.hash & (buckets.length - 1);
    }

    /**
     * A uniformly random entry: pick a bucket and a slot below {@link #chainCap}, retrying when the slot
     * is past the chain's end, so entries in short and long chains are equally likely. The cap grows
     * when a longer chain is seen; with load kept between 1/8 and 1 few retries are needed.
     */
    @SuppressWarnings("unchecked")
    E random(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        while (true) {
            Entry e = buckets[random.nextInt(buckets.length)];
            int slot = random.nextInt(chainCap);
            int length = 0;
            for (Entry c = e; c != null; c = c.nextInBucket) {
                length++;
            }
            if (length > chainCap) {
                chainCap = length;
                continue;
            }
            if (slot < length) {
                for (; slot > 0; slot--) {
                    e = e.nextInBucket;
                }
                return (E) e;
            }
        }
    }

    /**
     * Emits one bucket and returns the next cursor (0 when done). The cursor's bits are incremented
     * from the most significant end, so buckets already visited stay visited when the table doubles
     * or halves between calls: every entry present throughout a scan is emitted at least once.
     */
    @SuppressWarnings("unchecked")
    long scanStep(long cursor, Consumer<? super E> action) {
        if (size == 0) {
            return 0;
        }
        long mask = buckets.length - 1;
        for (Entry e = buckets[(int) (cursor & mask)]; e != null; e = e.nextInBucket) {
            action.accept((E) e);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /**
     * Rough heap footprint: the bucket array plus {@code entryBytes} per entry plus the key arrays
     * (kept as a running total so MEMORY USAGE is O(1)).
     */
    long memoryUsage(int entryBytes) {
        return 16 + 4L * buckets.length + (long) size * (entryBytes + 16) + keyBytes;
    }
}
