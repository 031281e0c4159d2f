package dev.respite.storage.persistence;

import java.util.Arrays;

/**
 * Builds a listpack as Redis 7 lays it out: a 6-byte header (total bytes, element count), elements of
 * encoding, data and back-length, and a 0xFF terminator. Strings that are canonical 64-bit integers are
 * stored as integers, as Redis's lpAppend does, so the bytes match what Redis would write.
 */
final class ListpackWriter {
    private byte[] buf = new byte[256];
    private int size = 6;
    private int count;

    void addInteger(long v) {
        int start = size;
        if (v >= 0 && v <= 127) {
            room(1);
            buf[size++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            room(2);
            buf[size++] = (byte) (0xC0 | ((v >> 8) & 0x1F));
            buf[size++] = (byte) v;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            little(0xF1, v, 2);
        } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
            little(0xF2, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            little(0xF3, v, 4);
        } else {
            little(0xF4, v, 8);
        }
        backLength(size - start);
    }

    void addString(byte[] b, int off, int len) {
        long asInteger = RdbOutput.canonicalInteger(b, off, len);
        if (asInteger != Long.MIN_VALUE || isLongMin(b, off, len)) {
            addInteger(asInteger);
            return;
        }
        int start = size;
        if (len < 64) {
            room(1 + len);
            buf[size++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            room(2 + len);
            buf[size++] = (byte) (0xE0 | (len >> 8));
            buf[size++] = (byte) len;
        } else {
            room(5 + len);
            buf[size++] = (byte) 0xF0;
            for (int i = 0; i < 4; i++) {
                buf[size++] = (byte) (len >>> (8 * i));
            }
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
        backLength(size - start);
    }

    void addString(byte[] b) {
        addString(b, 0, b.length);
    }

    byte[] toByteArray() {
        room(1);
        buf[size++] = (byte) 0xFF;
        for (int i = 0; i < 4; i++) {
            buf[i] = (byte) (size >>> (8 * i));
        }
        int n = Math.min(count, 65535);
        buf[4] = (byte) n;
        buf[5] = (byte) (n >>> 8);
        return Arrays.copyOf(buf, size);
    }

    private static boolean isLongMin(byte[] b, int off, int len) {
        return len == 20
                && new String(b, off, len, java.nio.charset.StandardCharsets.US_ASCII).equals("-9223372036854775808");
    }

    private void little(int encoding, long v, int bytes) {
        room(1 + bytes);
        buf[size++] = (byte) encoding;
        for (int i = 0; i < bytes; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** The element's length, written so that it can be read backwards, 7 bits per byte. */
    private void backLength(int l) {
        count++;
        room(5);
        if (l <= 127) {
            buf[size++] = (byte) l;
        } else if (l < 16383) {
            buf[size++] = (byte) (l >> 7);
            buf[size++] = (byte) ((l & 127) | 128);
        } else if (l < 2097151) {
            buf[size++] = (byte) (l >> 14);
            buf[size++] = (byte) (((l >> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        } else if (l < 268435455) {
            buf[size++] = (byte) (l >> 21);
            buf[size++] = (byte) (((l >> 14) & 127) | 128);
            buf[size++] = (byte) (((l >> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        } else {
            buf[size++] = (byte) (l >> 28);
            buf[size++] = (byte) (((l >> 21) & 127) | 128);
            buf[size++] = (byte) (((l >> 14) & 127) | 128);
            buf[size++] = (byte) (((l >> 7) & 127) | 128);
            buf[size++] = (byte) ((l & 127) | 128);
        }
    }

    private void room(int n) {
        if (size + n + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n + 1));
        }
    }
}
