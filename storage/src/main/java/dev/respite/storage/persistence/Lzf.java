package dev.respite.storage.persistence;

/**
 * The LZF block format Redis uses for compressed strings in RDB files: a control byte below 32 starts a run
 * of ctrl+1 literal bytes; otherwise its top three bits are a match length minus two (7 means "plus the next
 * byte") and its low five bits with the following byte are the distance back minus one.
 */
public final class Lzf {
    private static final int HASH_BITS = 14;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_MATCH = 264;
    private static final int MAX_LITERALS = 32;

    private Lzf() {}

    /**
     * Decompresses {@code in} into exactly {@code expectedLength} bytes.
     *
     * @throws IllegalArgumentException when the data is not valid LZF or does not have that length
     */
    public static byte[] decompress(byte[] in, int expectedLength) {
        byte[] out = new byte[expectedLength];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > in.length || op + run > out.length) {
                    throw new IllegalArgumentException("LZF literal run past the end of the data");
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        throw new IllegalArgumentException("LZF match length past the end of the data");
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    throw new IllegalArgumentException("LZF match offset past the end of the data");
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > out.length) {
                    throw new IllegalArgumentException("LZF back reference outside the output");
                }
                // Byte by byte: a match may overlap the bytes it is producing (runs of a repeated pattern).
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != expectedLength) {
            throw new IllegalArgumentException("LZF data decompressed to " + op + " bytes, expected " + expectedLength);
        }
        return out;
    }

    /**
     * Compresses {@code in}, or returns null when the result would not be at least 4 bytes shorter (Redis
     * stores such strings uncompressed, since the length prefixes would eat the gain).
     */
    public static byte[] compress(byte[] in) {
        int limit = in.length - 4;
        if (limit <= 0) {
            return null;
        }
        byte[] out = new byte[limit];
        int[] table = new int[1 << HASH_BITS];
        java.util.Arrays.fill(table, -1);
        int op = 0;
        int ip = 0;
        int literalStart = 0;
        while (ip + 2 < in.length) {
            int h = hash(in, ip);
            int ref = table[h];
            table[h] = ip;
            int off = ip - ref - 1;
            if (ref >= 0
                    && off < MAX_OFFSET
                    && in[ref] == in[ip]
                    && in[ref + 1] == in[ip + 1]
                    && in[ref + 2] == in[ip + 2]) {
                int max = Math.min(MAX_MATCH, in.length - ip);
                int len = 3;
                while (len < max && in[ref + len] == in[ip + len]) {
                    len++;
                }
                op = literals(in, literalStart, ip, out, op);
                if (op < 0 || op + 4 > out.length) {
                    return null;
                }
                int code = len - 2;
                if (code < 7) {
                    out[op++] = (byte) ((code << 5) | (off >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (off >>> 8));
                    out[op++] = (byte) (code - 7);
                }
                out[op++] = (byte) off;
                ip += len;
                literalStart = ip;
            } else {
                ip++;
            }
        }
        op = literals(in, literalStart, in.length, out, op);
        return op < 0 ? null : java.util.Arrays.copyOf(out, op);
    }

    /** Writes in[from, to) as literal runs; returns the new output position, or -1 when it does not fit. */
    private static int literals(byte[] in, int from, int to, byte[] out, int op) {
        int p = from;
        while (p < to) {
            int run = Math.min(MAX_LITERALS, to - p);
            if (op + 1 + run > out.length) {
                return -1;
            }
            out[op++] = (byte) (run - 1);
            System.arraycopy(in, p, out, op, run);
            op += run;
            p += run;
        }
        return op;
    }

    private static int hash(byte[] b, int p) {
        int v = ((b[p] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }
}
