package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a zipmap (the small-hash encoding of Redis before 2.6): a count byte, then per pair a length, the
 * field, a length, a count of unused bytes, the value and those unused bytes; 0xFF ends it. Lengths below 254
 * take one byte, otherwise 254 and four little-endian bytes. Returns fields and values alternating. An empty
 * zipmap, or one whose count byte (below 254) disagrees with its pairs, is damaged, as Redis judges it.
 */
final class ZipmapReader {
    private static final int BIG_COUNT = 254;

    private ZipmapReader() {}

    static List<byte[]> fieldsAndValues(byte[] z) {
        if (z.length < 2 || z[z.length - 1] != (byte) 0xff) {
            throw new IllegalArgumentException("zipmap header or terminator missing");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        while (true) {
            ZiplistReader.check(z, p, 1);
            if ((z[p] & 0xff) == 0xff) {
                break;
            }
            int[] at = {p};
            int flen = length(z, at);
            out.add(ZiplistReader.slice(z, at[0], flen));
            at[0] += flen;
            int vlen = length(z, at);
            ZiplistReader.check(z, at[0], 1);
            int free = z[at[0]] & 0xff;
            at[0]++;
            out.add(ZiplistReader.slice(z, at[0], vlen));
            ZiplistReader.check(z, at[0], vlen + free);
            p = at[0] + vlen + free;
        }
        int count = z[0] & 0xff;
        if (out.isEmpty() || (count < BIG_COUNT && count != out.size() / 2)) {
            throw new IllegalArgumentException(
                    "zipmap count " + count + " does not match its " + out.size() / 2 + " pairs");
        }
        return out;
    }

    private static int length(byte[] z, int[] at) {
        ZiplistReader.check(z, at[0], 1);
        int first = z[at[0]] & 0xff;
        if (first < 254) {
            at[0]++;
            return first;
        }
        if (first == 254) {
            ZiplistReader.check(z, at[0] + 1, 4);
            long len = ZiplistReader.littleEndianSigned(z, at[0] + 1, 4) & 0xffffffffL;
            at[0] += 5;
            if (len > z.length) {
                throw new IllegalArgumentException("zipmap length past the end");
            }
            return (int) len;
        }
        throw new IllegalArgumentException("zipmap ends where a length was expected");
    }
}
