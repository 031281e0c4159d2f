package dev.respite.storage.types;

import java.util.Arrays;

/**
 * A separately chained hash table from byte-string fields to byte-string values, compared by content: the
 * "hashtable" encoding of a hash.
 *
 * <p>Entries live in parallel arrays rather than as node objects. Slots {@code [0, size)} are always
 * occupied (removal moves the last slot into the hole), which gives O(1) uniform random picks and a
 * cache-friendly iteration. Buckets are a power of two so that {@link #scan} can use Redis's
 * reverse-binary cursor, which stays valid across resizes.
 *
 * <p>Arrays passed in are stored without copying and arrays handed out are the stored ones.
 */
final class ChainedHashTable {
    private static final int MIN_CAPACITY = 4;
    private static final int NONE = -1;

    /** Bucket index to first slot of its chain, or NONE. */
    private int[] heads;
    /** Slot to next slot in the same chain, or NONE. */
    private int[] next;

    private int[] hashes;
    private byte[][] fields;
    private byte[][] values;
    private int size;
    /** Sum of the footprints of all stored arrays, kept up to date so memoryUsage() is O(1). */
    private long payloadBytes;

    ChainedHashTable(int expectedSize) {
        allocate(capacityFor(expectedSize));
    }

    int size() {
        return size;
    }

    /** Field stored in {@code slot} ({@code 0 <= slot < size}). */
    byte[] field(int slot) {
        return fields[slot];
    }

    /** Value stored in {@code slot} ({@code 0 <= slot < size}). */
    byte[] value(int slot) {
        return values[slot];
    }

    /** Slot holding {@code field}, or -1. */
    int find(byte[] field) {
        int h = hash(field);
        for (int s = heads[h & (heads.length - 1)]; s != NONE; s = next[s]) {
            if (hashes[s] == h && Arrays.equals(fields[s], field)) {
                return s;
            }
        }
        return NONE;
    }

    /** Sets {@code field} to {@code value}; returns whether the field is new. */
    boolean put(byte[] field, byte[] value) {
        int s = find(field);
        if (s != NONE) {
            payloadBytes += Footprint.bytes(value.length) - Footprint.bytes(values[s].length);
            values[s] = value;
            return false;
        }
        add(field, value);
        return true;
    }

    /** Sets {@code field} only if absent; returns whether it was set. */
    boolean putIfAbsent(byte[] field, byte[] value) {
        if (find(field) != NONE) {
            return false;
        }
        add(field, value);
        return true;
    }

    /** Removes {@code field}; returns whether it was present. */
    boolean remove(byte[] field) {
        int h = hash(field);
        int bucket = h & (heads.length - 1);
        int prev = NONE;
        for (int s = heads[bucket]; s != NONE; prev = s, s = next[s]) {
            if (hashes[s] == h && Arrays.equals(fields[s], field)) {
                unlink(bucket, prev, s);
                removeSlot(s);
                return true;
            }
        }
        return false;
    }

    /**
     * Visits buckets from {@code cursor} on until at least {@code count} pairs were emitted, {@code count * 10}
     * buckets were visited, or the table was fully covered; returns the cursor to resume from, 0 when done.
     *
     * <p>The cursor increments the bucket index from its most significant bit down (reverse binary), as in
     * Redis's dictScan: buckets of a larger table that derive from an already visited bucket of a smaller
     * one are all ahead of or behind the cursor together, so every pair present for the whole iteration is
     * returned at least once even if the table grows or shrinks between calls (some may repeat).
     */
    long scan(long cursor, int count, FieldValueConsumer consumer) {
        long mask = heads.length - 1;
        long v = cursor;
        int emitted = 0;
        long budget = Math.max(1, (long) count) * 10;
        do {
            for (int s = heads[(int) (v & mask)]; s != NONE; s = next[s]) {
                byte[] f = fields[s];
                byte[] val = values[s];
                consumer.accept(f, 0, f.length, val, 0, val.length);
                emitted++;
            }
            v |= ~mask;
            v = Long.reverse(Long.reverse(v) + 1);
        } while (v != 0 && --budget > 0 && emitted < count);
        return v;
    }

    /** Estimated heap bytes held, including this object. */
    long memoryUsage() {
        int capacity = heads.length;
        return Footprint.object(5 * Footprint.REFERENCE + Integer.BYTES + Long.BYTES)
                + 3 * Footprint.array(capacity, Integer.BYTES)
                + 2 * Footprint.array(capacity, (int) Footprint.REFERENCE)
                + payloadBytes;
    }

    private void add(byte[] field, byte[] value) {
        if (size == heads.length) {
            resize(heads.length * 2);
        }
        int h = hash(field);
        int s = size++;
        int bucket = h & (heads.length - 1);
        hashes[s] = h;
        fields[s] = field;
        values[s] = value;
        next[s] = heads[bucket];
        heads[bucket] = s;
        payloadBytes += Footprint.bytes(field.length) + Footprint.bytes(value.length);
    }

    private void unlink(int bucket, int prev, int s) {
        if (prev == NONE) {
            heads[bucket] = next[s];
        } else {
            next[prev] = next[s];
        }
    }

    /** Frees unlinked slot {@code s} by moving the last slot into it, keeping slots dense. */
    private void removeSlot(int s) {
        payloadBytes -= Footprint.bytes(fields[s].length) + Footprint.bytes(values[s].length);
        int last = --size;
        if (s != last) {
            int bucket = hashes[last] & (heads.length - 1);
            if (heads[bucket] == last) {
                heads[bucket] = s;
            } else {
                int p = heads[bucket];
                while (next[p] != last) {
                    p = next[p];
                }
                next[p] = s;
            }
            hashes[s] = hashes[last];
            fields[s] = fields[last];
            values[s] = values[last];
            next[s] = next[last];
        }
        fields[last] = null;
        values[last] = null;
        // shrink like Redis (below 1/8 full) so that a hash emptied by HDEL gives its memory back
        if (heads.length > MIN_CAPACITY && size < heads.length / 8) {
            resize(capacityFor(size * 2));
        }
    }

    private void resize(int capacity) {
        int[] oldHashes = hashes;
        byte[][] oldFields = fields;
        byte[][] oldValues = values;
        allocate(capacity);
        int mask = capacity - 1;
        for (int s = 0; s < size; s++) {
            int h = oldHashes[s];
            hashes[s] = h;
            fields[s] = oldFields[s];
            values[s] = oldValues[s];
            next[s] = heads[h & mask];
            heads[h & mask] = s;
        }
    }

    private void allocate(int capacity) {
        heads = new int[capacity];
        Arrays.fill(heads, NONE);
        next = new int[capacity];
        hashes = new int[capacity];
        fields = new byte[capacity][];
        values = new byte[capacity][];
    }

    private static int capacityFor(int entries) {
        int c = MIN_CAPACITY;
        while (c < entries) {
            c <<= 1;
        }
        return c;
    }

    /** Content hash with a murmur3 finaliser, so the low bits used for bucket selection are well mixed. */
    private static int hash(byte[] field) {
        int h = Arrays.hashCode(field);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
