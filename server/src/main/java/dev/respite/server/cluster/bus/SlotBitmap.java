package dev.respite.server.cluster.bus;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An immutable set of the 16384 hash slots in Redis's bitmap layout: slot s is bit {@code s & 7} (least
 * significant first) of byte {@code s / 8}, as in a message's myslots and an UPDATE's slots.
 */
public final class SlotBitmap {
    public static final int SLOTS = 16384;
    public static final int BYTES = SLOTS / 8;
    public static final SlotBitmap EMPTY = new SlotBitmap(new byte[BYTES]);

    private final byte[] bits;

    private SlotBitmap(byte[] bits) {
        this.bits = bits;
    }

    /** The slots {@code from..to}, both included. */
    public static SlotBitmap ofRange(int from, int to) {
        return EMPTY.withRange(from, to);
    }

    public static SlotBitmap of(int... slots) {
        byte[] b = new byte[BYTES];
        for (int s : slots) {
            check(s);
            b[s >>> 3] |= (byte) (1 << (s & 7));
        }
        return new SlotBitmap(b);
    }

    /** A copy of {@code bitmap}, which must be 2048 bytes. */
    public static SlotBitmap fromBytes(byte[] bitmap) {
        if (bitmap.length != BYTES) {
            throw new IllegalArgumentException("a slot bitmap is " + BYTES + " bytes, not " + bitmap.length);
        }
        return new SlotBitmap(bitmap.clone());
    }

    /** Reads 2048 bytes at the reader index. */
    static SlotBitmap read(ByteBuf in) {
        byte[] b = new byte[BYTES];
        in.readBytes(b);
        return new SlotBitmap(b);
    }

    void write(ByteBuf out) {
        out.writeBytes(bits);
    }

    /** This set plus the slots {@code from..to}, both included. */
    public SlotBitmap withRange(int from, int to) {
        check(from);
        check(to);
        byte[] b = bits.clone();
        for (int s = from; s <= to; s++) {
            b[s >>> 3] |= (byte) (1 << (s & 7));
        }
        return new SlotBitmap(b);
    }

    public boolean get(int slot) {
        check(slot);
        return (bits[slot >>> 3] & (1 << (slot & 7))) != 0;
    }

    public int count() {
        int n = 0;
        for (byte b : bits) {
            n += Integer.bitCount(b & 0xff);
        }
        return n;
    }

    public byte[] toBytes() {
        return bits.clone();
    }

    private static void check(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " is out of 0.." + (SLOTS - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotBitmap other && Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    /** The slots as ranges, "0-100 200", as CLUSTER NODES writes them. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int s = 0;
        while (s < SLOTS) {
            if (!get(s)) {
                s++;
                continue;
            }
            int start = s;
            while (s + 1 < SLOTS && get(s + 1)) {
                s++;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(start);
            if (s > start) {
                sb.append('-').append(s);
            }
            s++;
        }
        return sb.toString();
    }
}
