package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a listpack (Redis 7's compact encoding): a header of total bytes and count, then entries of
 * encoding, data and a back-length of one to five bytes, then 0xFF. Integers come back as their decimal text.
 * The header's byte count and the entries' bounds are always checked; a deep check (sanitize-dump-payload)
 * also holds the header's entry count and every back-length to what the entries are.
 */
final class ListpackReader {
    private ListpackReader() {}

    static List<byte[]> entries(byte[] lp, boolean deep) {
        if (lp.length < 7 || lp[lp.length - 1] != (byte) 0xff) {
            throw new IllegalArgumentException("listpack header or terminator missing");
        }
        if (ZiplistReader.littleEndianSigned(lp, 0, 4) != lp.length) {
            throw new IllegalArgumentException("listpack header gives a size other than its " + lp.length + " bytes");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        while (true) {
            ZiplistReader.check(lp, p, 1);
            int enc = lp[p] & 0xff;
            if (enc == 0xff) {
                break;
            }
            int start = p;
            if ((enc & 0x80) == 0) {
                out.add(RdbInput.ascii(enc));
                p += 1;
            } else if ((enc & 0xc0) == 0x80) {
                int len = enc & 0x3f;
                out.add(ZiplistReader.slice(lp, p + 1, len));
                p += 1 + len;
            } else if ((enc & 0xe0) == 0xc0) {
                ZiplistReader.check(lp, p, 2);
                int v = ((enc & 0x1f) << 8) | (lp[p + 1] & 0xff);
                out.add(RdbInput.ascii((v << 19) >> 19));
                p += 2;
            } else if ((enc & 0xf0) == 0xe0) {
                ZiplistReader.check(lp, p, 2);
                int len = ((enc & 0x0f) << 8) | (lp[p + 1] & 0xff);
                out.add(ZiplistReader.slice(lp, p + 2, len));
                p += 2 + len;
            } else {
                int size = switch (enc) {
                    case 0xf1 -> 2;
                    case 0xf2 -> 3;
                    case 0xf3 -> 4;
                    case 0xf4 -> 8;
                    case 0xf0 -> -1;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown listpack entry encoding 0x" + Integer.toHexString(enc));
                };
                if (size < 0) {
                    ZiplistReader.check(lp, p, 5);
                    long len = ZiplistReader.littleEndianSigned(lp, p + 1, 4) & 0xffffffffL;
                    if (len > lp.length) {
                        throw new IllegalArgumentException("listpack entry length past the end");
                    }
                    out.add(ZiplistReader.slice(lp, p + 5, (int) len));
                    p += 5 + (int) len;
                } else {
                    ZiplistReader.check(lp, p + 1, size);
                    out.add(RdbInput.ascii(ZiplistReader.littleEndianSigned(lp, p + 1, size)));
                    p += 1 + size;
                }
            }
            int length = p - start;
            int backLength = backLengthSize(length);
            ZiplistReader.check(lp, p, backLength);
            if (deep && backLengthValue(lp, p, backLength) != length) {
                throw new IllegalArgumentException("listpack entry's back-length does not match its size");
            }
            p += backLength;
        }
        if (p != lp.length - 1) {
            throw new IllegalArgumentException("listpack ends before its last byte");
        }
        int count = (int) (ZiplistReader.littleEndianSigned(lp, 4, 2) & 0xffff);
        // A header count of zero makes Redis take the value for empty even without a deep check.
        if ((deep || count == 0) && count != 0xffff && count != out.size()) {
            throw new IllegalArgumentException("listpack header counts " + count + " entries, it holds " + out.size());
        }
        return out;
    }

    /** The back-length's value: seven bits a byte, the first byte the most significant one. */
    private static long backLengthValue(byte[] lp, int p, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 7) | (lp[p + i] & 0x7f);
        }
        return v;
    }

    private static int backLengthSize(int entryLength) {
        if (entryLength < 128) {
            return 1;
        } else if (entryLength < 16384) {
            return 2;
        } else if (entryLength < 2097152) {
            return 3;
        } else if (entryLength < 268435456) {
            return 4;
        }
        return 5;
    }
}
