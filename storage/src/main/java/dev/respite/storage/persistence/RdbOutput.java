package dev.respite.storage.persistence;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The low-level side of writing RDB: a buffered stream that counts its bytes and keeps the running CRC-64,
 * and encodes lengths and strings the way Redis does (small integers as integers, long compressible strings
 * as LZF).
 */
final class RdbOutput {
    /** Redis compresses only strings longer than this. */
    private static final int COMPRESS_ABOVE = 20;

    private final OutputStream out;
    private final byte[] buf;
    private final boolean compress;
    private int pos;
    private long flushed;
    private long crc;

    /** @param bufferSize small for a DUMP of one value, large for a file */
    RdbOutput(OutputStream out, boolean compress, int bufferSize) {
        this.out = out;
        this.buf = new byte[bufferSize];
        this.compress = compress;
    }

    long bytesWritten() {
        return flushed + pos;
    }

    /** The CRC-64 of everything written so far. */
    long crc() throws IOException {
        flushBuffer();
        return crc;
    }

    void writeByte(int b) throws IOException {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = (byte) b;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - pos) {
            flushBuffer();
            if (len > buf.length) {
                crc = Crc64.update(crc, b, off, len);
                flushed += len;
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    void writeLittleEndian(long v, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            writeByte((int) (v >>> (8 * i)));
        }
    }

    /** A length prefix; {@code len} is unsigned (streams store 64-bit IDs and -1 counters as lengths). */
    void writeLength(long len) throws IOException {
        if (len >= 0 && len < 1 << 6) {
            writeByte((int) len);
        } else if (len >= 0 && len < 1 << 14) {
            writeByte(0x40 | (int) (len >>> 8));
            writeByte((int) len);
        } else if (len >= 0 && len <= 0xffffffffL) {
            writeByte(0x80);
            for (int i = 3; i >= 0; i--) {
                writeByte((int) (len >>> (8 * i)));
            }
        } else {
            writeByte(0x81);
            for (int i = 7; i >= 0; i--) {
                writeByte((int) (len >>> (8 * i)));
            }
        }
    }

    void writeString(byte[] s) throws IOException {
        writeString(s, 0, s.length);
    }

    void writeString(byte[] s, int off, int len) throws IOException {
        if (len <= 11) {
            long v = canonicalInteger(s, off, len);
            if (v != Long.MIN_VALUE && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                writeInteger((int) v);
                return;
            }
        }
        if (compress && len > COMPRESS_ABOVE) {
            byte[] plain = off == 0 && len == s.length ? s : java.util.Arrays.copyOfRange(s, off, off + len);
            byte[] packed = Lzf.compress(plain);
            if (packed != null) {
                writeByte(0xC0 | RdbFormat.ENC_LZF);
                writeLength(packed.length);
                writeLength(len);
                write(packed, 0, packed.length);
                return;
            }
        }
        writeLength(len);
        write(s, off, len);
    }

    void writeBinaryDouble(double d) throws IOException {
        writeLittleEndian(Double.doubleToRawLongBits(d), 8);
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    private void writeInteger(int v) throws IOException {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(0xC0 | RdbFormat.ENC_INT8);
            writeByte(v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(0xC0 | RdbFormat.ENC_INT16);
            writeLittleEndian(v, 2);
        } else {
            writeByte(0xC0 | RdbFormat.ENC_INT32);
            writeLittleEndian(v, 4);
        }
    }

    private void flushBuffer() throws IOException {
        crc = Crc64.update(crc, buf, 0, pos);
        flushed += pos;
        writeOut();
    }

    private void writeOut() throws IOException {
        out.write(buf, 0, pos);
        pos = 0;
    }

    /**
     * The value of a string that is exactly the decimal form of a long (no sign on zero, no leading zeros
     * or plus sign), as only those survive the round trip through an integer encoding; else Long.MIN_VALUE.
     */
    static long canonicalInteger(byte[] s, int off, int len) {
        if (len == 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int i = off;
        int end = off + len;
        boolean negative = s[i] == '-';
        if (negative && ++i == end) {
            return Long.MIN_VALUE;
        }
        if (s[i] == '0' && (end - i > 1 || negative)) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9 || v < -(Long.MAX_VALUE / 10)) {
                return Long.MIN_VALUE;
            }
            v = v * 10 - d;
            if (v > 0) {
                return Long.MIN_VALUE;
            }
        }
        return negative ? v : (v == Long.MIN_VALUE ? Long.MIN_VALUE : -v);
    }
}
