package dev.respite.storage.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The low-level side of reading RDB: a buffered stream that knows its offset (for error messages), keeps
 * the running CRC-64 of every byte consumed (for the footer), and decodes lengths, strings and numbers.
 * Lengths are checked against the bytes left, so a damaged length cannot make it allocate gigabytes.
 */
final class RdbInput {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final long total;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Offset of buf[0] in the stream. */
    private long base;
    /** buf[crcPos, pos) has not been added to the checksum yet. */
    private int crcPos;

    private long crc;

    /** @param total the stream's length in bytes, or -1 when unknown */
    RdbInput(InputStream in, long total) {
        this.in = in;
        this.total = total;
    }

    long offset() {
        return base + pos;
    }

    /** The CRC-64 of every byte consumed so far. */
    long crc() {
        crc = Crc64.update(crc, buf, crcPos, pos - crcPos);
        crcPos = pos;
        return crc;
    }

    RdbFormatException error(String message) {
        return new RdbFormatException(message, offset());
    }

    int readByte() throws IOException {
        if (pos == limit && !fill()) {
            throw truncated();
        }
        return buf[pos++] & 0xff;
    }

    /** The next byte without consuming it, or -1 at the end of the stream. */
    int peekByte() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    byte[] readBytes(int len) throws IOException {
        checkRemaining(len);
        byte[] out = new byte[len];
        int done = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, out, 0, done);
        pos += done;
        if (done < len) {
            // The rest of a large string bypasses the buffer; checksum and offset account for it directly.
            crc();
            base += pos;
            pos = limit = crcPos = 0;
            int start = done;
            while (done < len) {
                int n = in.read(out, done, len - done);
                if (n < 0) {
                    throw truncated();
                }
                done += n;
                base += n;
            }
            crc = Crc64.update(crc, out, start, len - start);
        }
        return out;
    }

    /** Little-endian unsigned integer of {@code n} bytes (n at most 8). */
    long readLittleEndian(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) readByte() << (8 * i);
        }
        return v;
    }

    private long readBigEndian(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    /** A length prefix; refuses the special string encodings, which are not lengths. */
    long readLength() throws IOException {
        int first = readByte();
        int kind = first >>> 6;
        if (kind == 3) {
            throw error("Expected a length, found a string encoding marker 0x" + Integer.toHexString(first));
        }
        return lengthOf(first, false);
    }

    /** A length prefix holding any unsigned 64-bit value (stream IDs, a -1 counter), returned as its bits. */
    long readUnsignedLength() throws IOException {
        int first = readByte();
        if (first >>> 6 == 3) {
            throw error("Expected a length, found a string encoding marker 0x" + Integer.toHexString(first));
        }
        return lengthOf(first, true);
    }

    /** A count of elements, bounded by the bytes left since every element takes at least one. */
    int readCount() throws IOException {
        long n = readLength();
        if (n > Integer.MAX_VALUE - 8 || (total >= 0 && n > total - offset())) {
            throw error("Element count " + n + " is larger than the rest of the data");
        }
        return (int) n;
    }

    private long lengthOf(int first, boolean unsigned) throws IOException {
        switch (first >>> 6) {
            case 0:
                return first & 0x3f;
            case 1:
                return ((first & 0x3f) << 8) | readByte();
            default:
                if (first == 0x80) {
                    return readBigEndian(4);
                }
                if (first == 0x81) {
                    long v = readBigEndian(8);
                    if (v < 0 && !unsigned) {
                        throw error("Length " + Long.toUnsignedString(v) + " out of range");
                    }
                    return v;
                }
                throw error("Unknown length encoding 0x" + Integer.toHexString(first));
        }
    }

    /** A string in any of its encodings: raw, integer (8, 16, 32 bits) or LZF-compressed. */
    byte[] readString() throws IOException {
        int first = readByte();
        if (first >>> 6 != 3) {
            return readBytes(checkedLength(lengthOf(first, false)));
        }
        switch (first & 0x3f) {
            case RdbFormat.ENC_INT8:
                return ascii((byte) readByte());
            case RdbFormat.ENC_INT16:
                return ascii((short) readLittleEndian(2));
            case RdbFormat.ENC_INT32:
                return ascii((int) readLittleEndian(4));
            case RdbFormat.ENC_LZF: {
                int compressed = checkedLength(readLength());
                long length = readLength();
                if (length > Integer.MAX_VALUE - 8) {
                    throw error("String length " + length + " is too large");
                }
                long at = offset();
                // A match of at most three bytes copies at most 264: a longer claim is damage, and must not
                // be allocated.
                if (length > 88L * compressed + 64) {
                    throw error("Invalid LZF compressed string: " + length + " bytes from " + compressed);
                }
                byte[] data = readBytes(compressed);
                try {
                    return Lzf.decompress(data, (int) length);
                } catch (IllegalArgumentException e) {
                    throw new RdbFormatException("Invalid LZF compressed string: " + e.getMessage(), at);
                }
            }
            default:
                throw error("Unknown string encoding " + (first & 0x3f));
        }
    }

    /** A score in the old text form: a length byte, with 253, 254 and 255 meaning NaN, +inf and -inf. */
    double readTextDouble() throws IOException {
        int len = readByte();
        switch (len) {
            case 253:
                return Double.NaN;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default:
                long at = offset();
                byte[] text = readBytes(len);
                try {
                    return Double.parseDouble(new String(text, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new RdbFormatException(
                            "Bad score '" + new String(text, StandardCharsets.ISO_8859_1) + "'", at);
                }
        }
    }

    double readBinaryDouble() throws IOException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }

    private int checkedLength(long len) throws IOException {
        if (len > Integer.MAX_VALUE - 8) {
            throw error("String length " + len + " is too large");
        }
        checkRemaining(len);
        return (int) len;
    }

    private void checkRemaining(long len) throws IOException {
        if (total >= 0 && len > total - offset()) {
            throw error("Length " + len + " runs past the end of the data (" + (total - offset()) + " bytes left)");
        }
    }

    private boolean fill() throws IOException {
        crc();
        base += limit;
        pos = limit = crcPos = 0;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private RdbFormatException truncated() {
        return new RdbFormatException("Unexpected end of file: the data is truncated", offset());
    }

    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
