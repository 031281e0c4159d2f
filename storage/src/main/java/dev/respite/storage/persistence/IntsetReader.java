package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an intset: element width (2, 4 or 8 bytes), count, then the sorted little-endian integers. The
 * sizes are always checked; a deep check (sanitize-dump-payload) also holds the members to strictly ascending
 * order, which rules out duplicates.
 */
final class IntsetReader {
    private IntsetReader() {}

    static List<byte[]> members(byte[] s, boolean deep) {
        ZiplistReader.check(s, 0, 8);
        int width = (int) ZiplistReader.littleEndianSigned(s, 0, 4);
        long count = ZiplistReader.littleEndianSigned(s, 4, 4) & 0xffffffffL;
        if (width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("intset with element width " + width);
        }
        if (8 + count * width != s.length) {
            throw new IllegalArgumentException(
                    "intset of " + count + " elements does not fill its " + s.length + " bytes");
        }
        List<byte[]> out = new ArrayList<>((int) count);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long v = ZiplistReader.littleEndianSigned(s, 8 + i * width, width);
            if (deep && i > 0 && v <= previous) {
                throw new IllegalArgumentException("intset members out of order or repeated");
            }
            previous = v;
            out.add(RdbInput.ascii(v));
        }
        return out;
    }
}
