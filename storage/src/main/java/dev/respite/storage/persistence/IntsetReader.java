package dev.respite.storage.persistence;

import java.util.ArrayList;
import java.util.List;

/** Decodes an intset: element width (2, 4 or 8 bytes), count, then the sorted little-endian integers. */
final class IntsetReader {
    private IntsetReader() {}

    static List<byte[]> members(byte[] s) {
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
        for (int i = 0; i < count; i++) {
            out.add(RdbInput.ascii(ZiplistReader.littleEndianSigned(s, 8 + i * width, width)));
        }
        return out;
    }
}
