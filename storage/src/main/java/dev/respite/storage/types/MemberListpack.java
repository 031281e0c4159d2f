package dev.respite.storage.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A flat byte array of entries, each {@code [varint length][member][fixed tail][backlen]}, walkable in
 * both directions like Redis's listpack. Sets use no tail; sorted sets put the 8-byte score in it.
 * Entries are addressed by their byte offset; {@link #end()} is the offset past the last one.
 */
final class MemberListpack {
    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);

    private final int tail;
    private byte[] buf = EMPTY;
    private int used;
    private int count;

    MemberListpack(int tail) {
        this.tail = tail;
    }

    int count() {
        return count;
    }

    int end() {
        return used;
    }

    /** Allocated bytes, for memory estimates. */
    int capacity() {
        return buf.length;
    }

    private static int varintSize(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    int memberLength(int off) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = buf[off++];
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    int memberOffset(int off) {
        return off + varintSize(memberLength(off));
    }

    int next(int off) {
        int length = memberLength(off);
        int body = varintSize(length) + length + tail;
        return off + body + varintSize(body);
    }

    /** Offset of the entry before the one at {@code off} (which may be {@link #end()}). */
    int prev(int off) {
        int p = off - 1;
        int body = 0;
        for (int shift = 0; ; shift += 7, p--) {
            int b = buf[p];
            body |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return p - body;
    }

    /** Offset of the entry at the given index, walking from the nearer end. */
    int offsetOf(int index) {
        if (index <= count / 2) {
            int off = 0;
            for (int i = 0; i < index; i++) {
                off = next(off);
            }
            return off;
        }
        int off = used;
        for (int i = count; i > index; i--) {
            off = prev(off);
        }
        return off;
    }

    byte[] member(int off) {
        int start = memberOffset(off);
        return Arrays.copyOfRange(buf, start, start + memberLength(off));
    }

    boolean memberEquals(int off, byte[] member) {
        int start = memberOffset(off);
        return Arrays.equals(buf, start, start + memberLength(off), member, 0, member.length);
    }

    int compareMember(int off, byte[] member) {
        int start = memberOffset(off);
        return Arrays.compareUnsigned(buf, start, start + memberLength(off), member, 0, member.length);
    }

    double score(int off) {
        int length = memberLength(off);
        return (double) DOUBLE.get(buf, off + varintSize(length) + length);
    }

    /** Offset of the entry holding the member, or -1. */
    int find(byte[] member) {
        for (int off = 0; off < used; off = next(off)) {
            if (memberEquals(off, member)) {
                return off;
            }
        }
        return -1;
    }

    /** Inserts an entry before the one at {@code off} (or appends at {@link #end()}); the score is ignored without a tail. */
    void insert(int off, byte[] member, double score) {
        int length = member.length;
        int body = varintSize(length) + length + tail;
        int backlen = varintSize(body);
        int size = body + backlen;
        if (used + size > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(used + size, buf.length + (buf.length >> 1)));
        }
        System.arraycopy(buf, off, buf, off + size, used - off);
        int p = off;
        for (int v = length; ; v >>>= 7) {
            if (v < 0x80) {
                buf[p++] = (byte) v;
                break;
            }
            buf[p++] = (byte) (v & 0x7f | 0x80);
        }
        System.arraycopy(member, 0, buf, p, length);
        p += length;
        if (tail == Double.BYTES) {
            DOUBLE.set(buf, p, score);
        }
        p += tail;
        // Backlen is read from its last byte backwards, so its least significant group goes last.
        for (int i = 0; i < backlen; i++) {
            buf[p + backlen - 1 - i] = (byte) ((body >>> (7 * i)) & 0x7f | (i < backlen - 1 ? 0x80 : 0));
        }
        used += size;
        count++;
    }

    /** Removes the entries in {@code [from, to)} (byte offsets of entry boundaries), {@code entries} of them. */
    void removeRange(int from, int to, int entries) {
        System.arraycopy(buf, to, buf, from, used - to);
        used -= to - from;
        count -= entries;
        // Give back memory once mostly empty, as listpack's realloc would.
        if (used < buf.length / 4) {
            buf = Arrays.copyOf(buf, used);
        }
    }

    void remove(int off) {
        removeRange(off, next(off), 1);
    }

    void clear() {
        buf = EMPTY;
        used = 0;
        count = 0;
    }
}
