package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a ziplist (the compact encoding of Redis before 7.0): a header of total bytes, tail offset and
 * count, then entries of previous-length, encoding and data, then 0xFF. Integers come back as their decimal text.
 * Every ziplist is checked entry by entry, as Redis always does for this old encoding: the header's byte count,
 * tail offset and entry count (below 65535), and each entry's record of the previous entry's length.
 */
final class ZiplistReader {
    private ZiplistReader() {}

    static List<byte[]> entries(byte[] z) {
        if (z.length < 11 || z[z.length - 1] != (byte) 0xff) {
            throw new IllegalArgumentException("ziplist header or terminator missing");
        }
        if (littleEndianSigned(z, 0, 4) != z.length) {
            throw new IllegalArgumentException("ziplist header gives a size other than its " + z.length + " bytes");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        int previous = 0;
        int last = 10;
        while (true) {
            check(z, p, 1);
            if ((z[p] & 0xff) == 0xff) {
                break;
            }
            int start = p;
            long prevlen = z[p] & 0xff;
            if (prevlen == 0xfe) {
                check(z, p + 1, 4);
                prevlen = littleEndianSigned(z, p + 1, 4) & 0xffffffffL;
                p += 5;
            } else {
                p += 1;
            }
            if (prevlen != previous) {
                throw new IllegalArgumentException("ziplist entry records a previous length of " + prevlen
                        + " where the previous entry has " + previous + " bytes");
            }
            check(z, p, 1);
            int enc = z[p] & 0xff;
            switch (enc >>> 6) {
                case 0 -> {
                    int len = enc & 0x3f;
                    out.add(slice(z, p + 1, len));
                    p += 1 + len;
                }
                case 1 -> {
                    check(z, p, 2);
                    int len = ((enc & 0x3f) << 8) | (z[p + 1] & 0xff);
                    out.add(slice(z, p + 2, len));
                    p += 2 + len;
                }
                case 2 -> {
                    check(z, p, 5);
                    long len = ((long) (z[p + 1] & 0xff) << 24)
                            | ((z[p + 2] & 0xff) << 16)
                            | ((z[p + 3] & 0xff) << 8)
                            | (z[p + 4] & 0xff);
                    if (len > z.length) {
                        throw new IllegalArgumentException("ziplist entry length past the end");
                    }
                    out.add(slice(z, p + 5, (int) len));
                    p += 5 + (int) len;
                }
                default -> {
                    int size = integerSize(enc);
                    p++;
                    long v;
                    if (size == 0) {
                        v = (enc & 0x0f) - 1;
                    } else {
                        check(z, p, size);
                        v = littleEndianSigned(z, p, size);
                    }
                    out.add(RdbInput.ascii(v));
                    p += size;
                }
            }
            previous = p - start;
            last = start;
        }
        if (p != z.length - 1) {
            throw new IllegalArgumentException("ziplist ends before its last byte");
        }
        if (littleEndianSigned(z, 4, 4) != last) {
            throw new IllegalArgumentException("ziplist tail offset does not point at its last entry");
        }
        int count = (int) (littleEndianSigned(z, 8, 2) & 0xffff);
        if (count != 0xffff && count != out.size()) {
            throw new IllegalArgumentException("ziplist header counts " + count + " entries, it holds " + out.size());
        }
        return out;
    }

    private static int integerSize(int enc) {
        return switch (enc) {
            case 0xc0 -> 2;
            case 0xd0 -> 4;
            case 0xe0 -> 8;
            case 0xf0 -> 3;
            case 0xfe -> 1;
            default -> {
                if (enc > 0xf0 && enc < 0xfe) {
                    yield 0;
                }
                throw new IllegalArgumentException("unknown ziplist entry encoding 0x" + Integer.toHexString(enc));
            }
        };
    }

    static long littleEndianSigned(byte[] b, int p, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) (b[p + i] & 0xff) << (8 * i);
        }
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    static byte[] slice(byte[] b, int from, int len) {
        check(b, from, len);
        return java.util.Arrays.copyOfRange(b, from, from + len);
    }

    static void check(byte[] b, int from, int len) {
        if (from < 0 || len < 0 || from + len > b.length) {
            throw new IllegalArgumentException("entry runs past the end of the encoded value");
        }
    }
}
