package dev.respite.storage.types;

import java.util.Arrays;

/**
 * One node of a stream: a packed block of consecutive entries, delta-encoded against the node's first
 * ("master") entry as Redis's stream listpacks are. The block starts with the master entry's field names;
 * each entry is then a flags byte, its ID as deltas from the master ID, and either just its values (when
 * its fields are the master's, the common case) or its field count and field/value pairs. Lengths and
 * deltas are unsigned varints, so a small entry costs a few bytes beyond its values. Deleting an entry
 * sets a flag bit in place; the node goes when its last live entry does.
 */
final class StreamNode {
    static final int DELETED = 1;
    static final int SAME_FIELDS = 2;

    final long masterMs;
    final long masterSeq;
    long lastMs;
    long lastSeq;
    byte[] data;
    int size;
    int live;
    int deleted;
    /** Where the first entry starts, after the master field names. */
    final int firstEntry;
    /** Where the last entry appended starts: its flags tell whether the node's last ID is still live. */
    int lastEntry;

    final int masterFieldCount;

    StreamNode(long ms, long seq, byte[][] fieldsAndValues, int from, int pairs) {
        masterMs = ms;
        masterSeq = seq;
        int need = varintSize(pairs);
        for (int i = 0; i < pairs; i++) {
            byte[] f = fieldsAndValues[from + 2 * i];
            need += varintSize(f.length) + f.length;
        }
        data = new byte[need + entrySize(pairs, fieldsAndValues, from, true, 0, 0)];
        size = putVarint(data, 0, pairs);
        for (int i = 0; i < pairs; i++) {
            size = putBytes(data, size, fieldsAndValues[from + 2 * i]);
        }
        firstEntry = size;
        masterFieldCount = pairs;
    }

    /** A node rebuilt from its parts (copies, loading). */
    StreamNode(StreamNode o) {
        masterMs = o.masterMs;
        masterSeq = o.masterSeq;
        lastMs = o.lastMs;
        lastSeq = o.lastSeq;
        data = Arrays.copyOf(o.data, o.size);
        size = o.size;
        live = o.live;
        deleted = o.deleted;
        firstEntry = o.firstEntry;
        lastEntry = o.lastEntry;
        masterFieldCount = o.masterFieldCount;
    }

    int total() {
        return live + deleted;
    }

    /** Appends an entry; the caller guarantees its ID is greater than every ID in the node. */
    void append(long ms, long seq, byte[][] fieldsAndValues, int from, int pairs) {
        boolean same = sameFields(fieldsAndValues, from, pairs);
        long dms = ms - masterMs;
        long dseq = zigzag(seq - masterSeq);
        int need = entrySize(pairs, fieldsAndValues, from, same, dms, dseq);
        if (size + need > data.length) {
            data = Arrays.copyOf(data, Math.max(size + need, data.length + (data.length >> 1)));
        }
        byte[] d = data;
        int p = size;
        lastEntry = p;
        d[p++] = (byte) (same ? SAME_FIELDS : 0);
        p = putVarlong(d, p, dms);
        p = putVarlong(d, p, dseq);
        if (same) {
            for (int i = 0; i < pairs; i++) {
                p = putBytes(d, p, fieldsAndValues[from + 2 * i + 1]);
            }
        } else {
            p = putVarint(d, p, pairs);
            for (int i = 0; i < 2 * pairs; i++) {
                p = putBytes(d, p, fieldsAndValues[from + i]);
            }
        }
        size = p;
        live++;
        lastMs = ms;
        lastSeq = seq;
    }

    /** Drops the spare capacity kept for appends: called when the node stops being the stream's last. */
    void shrink() {
        if (data.length != size) {
            data = Arrays.copyOf(data, size);
        }
    }

    private boolean sameFields(byte[][] a, int from, int pairs) {
        if (pairs != masterFieldCount) {
            return false;
        }
        int p = varintSize(masterFieldCount);
        for (int i = 0; i < pairs; i++) {
            int len = getVarint(data, p);
            p += varintSize(len);
            if (!Arrays.equals(data, p, p + len, a[from + 2 * i], 0, a[from + 2 * i].length)) {
                return false;
            }
            p += len;
        }
        return true;
    }

    private static int entrySize(int pairs, byte[][] a, int from, boolean same, long dms, long dseq) {
        int n = 1 + varlongSize(dms) + varlongSize(dseq);
        if (same) {
            for (int i = 0; i < pairs; i++) {
                int len = a[from + 2 * i + 1].length;
                n += varintSize(len) + len;
            }
        } else {
            n += varintSize(pairs);
            for (int i = 0; i < 2 * pairs; i++) {
                int len = a[from + i].length;
                n += varintSize(len) + len;
            }
        }
        return n;
    }

    /** Bytes an entry with these fields and values adds, for the node-size limit (as Redis counts them). */
    static long payloadBytes(byte[][] a, int from, int pairs) {
        long n = 0;
        for (int i = 0; i < 2 * pairs; i++) {
            n += a[from + i].length;
        }
        return n;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static int varintSize(int v) {
        return varlongSize(v & 0xFFFFFFFFL);
    }

    static int varlongSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int putVarint(byte[] d, int p, int v) {
        return putVarlong(d, p, v & 0xFFFFFFFFL);
    }

    static int putVarlong(byte[] d, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            d[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        d[p++] = (byte) v;
        return p;
    }

    static int putBytes(byte[] d, int p, byte[] b) {
        p = putVarint(d, p, b.length);
        System.arraycopy(b, 0, d, p, b.length);
        return p + b.length;
    }

    static int getVarint(byte[] d, int p) {
        return (int) getVarlong(d, p);
    }

    static long getVarlong(byte[] d, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte b = d[p++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }
}
