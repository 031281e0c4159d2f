package dev.respite.server.cluster.bus;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Sizes of Redis 7.2's clusterMsg and the fixed-width text fields it carries. Names and addresses are byte
 * strings; they are held as ISO-8859-1 Java strings, one char per byte, so any bytes a peer sends survive.
 */
final class Wire {
    static final byte[] SIGNATURE = {'R', 'C', 'm', 'b'};
    static final int VERSION = 1;
    /** sizeof(clusterMsg) without its data union: every message is at least this long. */
    static final int HEADER_LEN = 2256;

    static final int NAME_LEN = 40;
    static final int IP_LEN = 46;
    static final int GOSSIP_LEN = 104;
    static final int FAIL_LEN = NAME_LEN;
    static final int UPDATE_LEN = 8 + NAME_LEN + SlotBitmap.BYTES;
    /** channel_len and message_len before a PUBLISH's bulk data. */
    static final int PUBLISH_FIXED = 8;
    /** module_id, len and type before a MODULE message's payload. */
    static final int MODULE_FIXED = 13;

    static final int EXT_HEADER = 8;
    static final int HEADER_RESERVED = 30;
    /** mflags[0] bit: ping extensions follow the gossip sections. */
    static final int MFLAG_EXT_DATA = 1 << 2;

    private Wire() {}

    /** A 40-byte node name or shard id. */
    static String readName(ByteBuf in) {
        return in.readCharSequence(NAME_LEN, StandardCharsets.ISO_8859_1).toString();
    }

    /** A 40-byte name, or null when every byte is zero (no master in slaveof). */
    static String readOptionalName(ByteBuf in) {
        int at = in.readerIndex();
        boolean zero = true;
        for (int i = 0; i < NAME_LEN && zero; i++) {
            zero = in.getByte(at + i) == 0;
        }
        if (zero) {
            in.skipBytes(NAME_LEN);
            return null;
        }
        return readName(in);
    }

    static void writeName(ByteBuf out, String name) {
        if (name == null) {
            out.writeZero(NAME_LEN);
        } else {
            out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
        }
    }

    /** A NUL-terminated string in a field of {@code width} bytes; all of it when no NUL ends it. */
    static String readCString(ByteBuf in, int width) {
        int at = in.readerIndex();
        int len = in.indexOf(at, at + width, (byte) 0);
        String s = in.toString(at, len < 0 ? width : len - at, StandardCharsets.ISO_8859_1);
        in.skipBytes(width);
        return s;
    }

    static void writePadded(ByteBuf out, String s, int width) {
        int n = out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        out.writeZero(width - n);
    }

    static void checkName(String name, String what) {
        if (name.length() != NAME_LEN || !latin1(name)) {
            throw new IllegalArgumentException(what + " must be " + NAME_LEN + " single-byte characters: " + name);
        }
    }

    static void checkText(String s, int max, String what) {
        if (s.length() > max || !latin1(s) || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    what + " must be at most " + max + " single-byte characters without NUL");
        }
    }

    static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    static void checkUnsigned(long v, int bits, String what) {
        if (v < 0 || v >= (1L << bits)) {
            throw new IllegalArgumentException(what + " must fit in " + bits + " unsigned bits: " + v);
        }
    }

    /** Rounds up to the next multiple of eight, as every ping extension is padded. */
    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
