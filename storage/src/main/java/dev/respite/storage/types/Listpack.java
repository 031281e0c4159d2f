package dev.respite.storage.types;

import java.util.Arrays;

/**
 * A sequence of byte strings packed into one flat {@code byte[]}: the compact "listpack" representation
 * shared by hashes, lists and quicklist nodes.
 *
 * <p>Each entry is {@code varint(len) data[len] backlen}, where {@code varint} is unsigned LEB128 and
 * {@code backlen} is the same LEB128 bytes stored in reverse order, so that the entry can also be reached
 * by walking backwards from the following one (tail pops and reverse searches do not rescan from the
 * head). Entries are addressed by byte offset: valid offsets are {@code [0, end())} and {@link #end()}
 * is the position past the last entry. Offsets are invalidated by any modification.
 *
 * <p>Nothing here allocates per entry; only the backing array grows or shrinks.
 *
 * <p>{@link HashValue} extends this class rather than holding an instance, so that a small hash is one
 * object and its array instead of two objects and the array (16 bytes less per hash).
 */
sealed class Listpack extends AccountedValue permits HashValue {
    /**
     * Redis's lpBytes() counts a 6-byte header and a 1-byte terminator that this layout does not need;
     * they are added to {@link #bytes()} so that size-based limits trip at about the same points as Redis.
     */
    static final int REDIS_OVERHEAD = 7;

    private static final byte[] EMPTY = {};

    private byte[] buf;
    private int used;
    private int count;

    Listpack() {
        buf = EMPTY;
    }

    private Listpack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    /** Number of bytes one LEB128 length takes. */
    static int varintSize(int length) {
        if (length < (1 << 7)) {
            return 1;
        }
        if (length < (1 << 14)) {
            return 2;
        }
        if (length < (1 << 21)) {
            return 3;
        }
        return length < (1 << 28) ? 4 : 5;
    }

    /** Encoded size of an entry holding {@code length} data bytes. */
    static int entrySize(int length) {
        return length + 2 * varintSize(length);
    }

    /** Number of entries. */
    int count() {
        return count;
    }

    /** Offset one past the last entry (also the number of encoded bytes). */
    int end() {
        return used;
    }

    /** Size as Redis would report it for an equivalent listpack; used for node size limits. */
    long bytes() {
        return (long) used + REDIS_OVERHEAD;
    }

    /** The backing array, for slice consumers; valid only until the next modification. */
    byte[] array() {
        return buf;
    }

    /** Data length of the entry at {@code p}. */
    int length(int p) {
        int b = buf[p];
        if (b >= 0) {
            return b;
        }
        int value = b & 0x7f;
        int shift = 7;
        do {
            b = buf[++p];
            value |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return value;
    }

    /** Offset of the first data byte of the entry at {@code p}. */
    int dataOffset(int p) {
        return p + varintSize(length(p));
    }

    /** Offset of the entry after the one at {@code p}, or {@link #end()}. */
    int next(int p) {
        return p + entrySize(length(p));
    }

    /** Offset of the entry before {@code p} (which may be {@link #end()}), or -1 when {@code p} is the first. */
    int prev(int p) {
        if (p == 0) {
            return -1;
        }
        int q = p - 1;
        int b = buf[q];
        int value = b & 0x7f;
        int shift = 7;
        while (b < 0) {
            b = buf[--q];
            value |= (b & 0x7f) << shift;
            shift += 7;
        }
        return p - entrySize(value);
    }

    /** Offset of the entry at {@code index} ({@code 0 <= index <= count}), walking from the nearer end. */
    int offsetOf(int index) {
        if (index <= count / 2) {
            int p = 0;
            for (int i = 0; i < index; i++) {
                p = next(p);
            }
            return p;
        }
        int p = used;
        for (int i = count; i > index; i--) {
            p = prev(p);
        }
        return p;
    }

    /** Whether the entry at {@code p} holds exactly the bytes of {@code value}. */
    boolean matches(int p, byte[] value) {
        int len = length(p);
        if (len != value.length) {
            return false;
        }
        int d = p + varintSize(len);
        return Arrays.equals(buf, d, d + len, value, 0, len);
    }

    /** A fresh copy of the data of the entry at {@code p}. */
    byte[] copy(int p) {
        int len = length(p);
        int d = p + varintSize(len);
        return Arrays.copyOfRange(buf, d, d + len);
    }

    /** Passes the entry at {@code p} to {@code consumer} as a slice of the backing array. */
    void emit(int p, ByteSliceConsumer consumer) {
        int len = length(p);
        consumer.accept(buf, p + varintSize(len), len);
    }

    /** Inserts {@code value} as a new entry at offset {@code p} (an entry boundary or {@link #end()}). */
    void insert(int p, byte[] value) {
        int size = entrySize(value.length);
        ensureCapacity(size);
        System.arraycopy(buf, p, buf, p + size, used - p);
        write(p, value);
        used += size;
        count++;
    }

    /**
     * Makes room for {@code extra} more encoded bytes (see {@link #entrySize}) in one copy and without slack
     * beyond the array's alignment padding, for a writer that knows what it is about to add.
     */
    void reserve(long extra) {
        long needed = used + extra;
        if (needed > buf.length && needed <= Integer.MAX_VALUE - 8) {
            buf = Arrays.copyOf(buf, (int) exactCapacity(needed));
        }
    }

    /** Drops unused capacity beyond the array's alignment padding. */
    void trim() {
        long capacity = exactCapacity(used);
        if (buf.length > capacity) {
            buf = used == 0 ? EMPTY : Arrays.copyOf(buf, (int) capacity);
        }
    }

    /** Appends {@code value} as the last entry. */
    void append(byte[] value) {
        insert(used, value);
    }

    /** Replaces the data of the entry at {@code p}, shifting the following entries as needed. */
    void replace(int p, byte[] value) {
        int oldSize = entrySize(length(p));
        int newSize = entrySize(value.length);
        if (newSize > oldSize) {
            ensureCapacity(newSize - oldSize);
        }
        System.arraycopy(buf, p + oldSize, buf, p + newSize, used - p - oldSize);
        write(p, value);
        used += newSize - oldSize;
        shrinkIfSparse();
    }

    /** Removes the entry at {@code p}. */
    void delete(int p) {
        deleteRange(p, next(p), 1);
    }

    /** Removes the {@code entries} entries occupying bytes {@code [from, to)}. */
    void deleteRange(int from, int to, int entries) {
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= entries;
        shrinkIfSparse();
    }

    /**
     * Moves the entries from offset {@code p} onwards into a new listpack and returns it; {@code entriesBefore}
     * is the number of entries before {@code p}, which stay here.
     */
    Listpack splitOff(int p, int entriesBefore) {
        Listpack tail = new Listpack(Arrays.copyOfRange(buf, p, used), used - p, count - entriesBefore);
        used = p;
        count = entriesBefore;
        shrinkIfSparse();
        return tail;
    }

    /** Number of entries equal to {@code value}. */
    int countMatching(byte[] value) {
        int n = 0;
        for (int p = 0; p < used; p = next(p)) {
            if (matches(p, value)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Removes up to {@code max} entries equal to {@code value}, leaving the first {@code skip} matches in place,
     * in a single compaction pass so that removing many entries costs one walk rather than one shift each.
     * Returns the number removed.
     */
    int removeMatching(byte[] value, int skip, int max) {
        int removed = 0;
        int w = 0;
        int r = 0;
        while (r < used) {
            int size = entrySize(length(r));
            if (removed < max && matches(r, value)) {
                if (skip > 0) {
                    skip--;
                } else {
                    removed++;
                    r += size;
                    continue;
                }
            }
            if (w != r) {
                System.arraycopy(buf, r, buf, w, size);
            }
            w += size;
            r += size;
        }
        used = w;
        count -= removed;
        shrinkIfSparse();
        return removed;
    }

    /** Estimated heap bytes held, including this object. */
    long memoryUsage() {
        return Footprint.object(2 * Integer.BYTES + Footprint.REFERENCE) + arrayMemoryUsage();
    }

    /** Estimated heap bytes of the backing array alone. */
    final long arrayMemoryUsage() {
        return Footprint.bytes(buf.length);
    }

    /** Removes every entry and lets the backing array go. */
    final void clear() {
        buf = EMPTY;
        used = 0;
        count = 0;
    }

    private void write(int p, byte[] value) {
        int len = value.length;
        int v = len;
        while (v >= 0x80) {
            buf[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[p++] = (byte) v;
        System.arraycopy(value, 0, buf, p, len);
        // backlen: the same LEB128 bytes written right to left, so a backward reader meets the low bits first
        int q = p + len + varintSize(len) - 1;
        v = len;
        while (v >= 0x80) {
            buf[q--] = (byte) (v | 0x80);
            v >>>= 7;
        }
        buf[q] = (byte) v;
    }

    private void ensureCapacity(int extra) {
        long needed = (long) used + extra;
        if (needed <= buf.length) {
            return;
        }
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("listpack would exceed the maximum array size");
        }
        // grow geometrically so that repeated appends are amortised O(1); trim() returns the slack once the
        // listpack has its final shape (a hash after each write, a quicklist node once it is full)
        long grown = Math.max(needed, Math.max(16, buf.length + (buf.length >> 1)));
        buf = Arrays.copyOf(buf, (int) Math.min(grown, Integer.MAX_VALUE - 8));
    }

    /**
     * The array length that holds {@code needed} bytes with no slack: a byte[] takes a 16-byte header plus
     * its length rounded up to 8, so the padding is used rather than wasted.
     */
    static long exactCapacity(long needed) {
        return ((16 + needed + 7) & ~7L) - 16;
    }

    /** Returns memory after large deletions, keeping slack so alternating push/pop does not reallocate. */
    private void shrinkIfSparse() {
        if (buf.length > 64 && used < buf.length / 4) {
            buf = used == 0 ? EMPTY : Arrays.copyOf(buf, used + (used >> 1));
        }
    }
}
