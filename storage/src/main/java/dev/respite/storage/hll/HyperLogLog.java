package dev.respite.storage.hll;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's string layout, byte for byte, being read or changed. A 16-byte header ("HYLL",
 * the encoding, three reserved bytes, the cached cardinality little-endian with its top bit meaning
 * "stale") is followed by 16384 six-bit registers: either dense (12288 packed bytes, low bits first) or
 * sparse, a run-length code of ZERO (00xxxxxx: 1-64 zero registers), XZERO (01xxxxxx xxxxxxxx: 1-16384)
 * and VAL (1vvvvvxx: 1-4 registers of value 1-32) opcodes.
 *
 * <p>Values come from users (SET, SETRANGE, RESTORE), so a sparse body may be anything: every walk
 * checks its bounds and reports corruption instead of failing. An instance works on its own copy;
 * {@link #toByteArray()} hands back the exact string Redis would store.
 */
public final class HyperLogLog {
    static final int P = 14;
    static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    public static final int HEADER = 16;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    /** hll-sparse-max-bytes's default. */
    public static final int DEFAULT_SPARSE_MAX_BYTES = 3000;

    private static final int SEED = 0xadc83b19;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    private static final int ENCODING = 4;
    private static final int CARD = 8;

    private byte[] buf;
    private int len;
    private final int sparseMaxBytes;

    private HyperLogLog(byte[] buf, int len, int sparseMaxBytes) {
        this.buf = buf;
        this.len = len;
        this.sparseMaxBytes = sparseMaxBytes;
    }

    /** A new, empty HyperLogLog: sparse, a single XZERO run, cached cardinality 0. */
    public static HyperLogLog create(int sparseMaxBytes) {
        byte[] b = new byte[HEADER + 2 * ((REGISTERS + XZERO_MAX_LEN - 1) / XZERO_MAX_LEN) + 8];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[ENCODING] = SPARSE;
        int p = HEADER;
        for (int left = REGISTERS; left > 0; left -= XZERO_MAX_LEN) {
            p = putXZero(b, p, Math.min(left, XZERO_MAX_LEN));
        }
        return new HyperLogLog(b, p, sparseMaxBytes);
    }

    /** Works on a copy of {@code value}, which {@link #isValid} accepted. */
    public static HyperLogLog copyOf(byte[] value, int sparseMaxBytes) {
        int spare = value[ENCODING] == SPARSE ? 8 : 0;
        return new HyperLogLog(Arrays.copyOf(value, value.length + spare), value.length, sparseMaxBytes);
    }

    /** Works on {@code value} itself, a dense value (which never changes length) that the caller owns. */
    public static HyperLogLog denseInPlace(byte[] value) {
        return new HyperLogLog(value, value.length, DEFAULT_SPARSE_MAX_BYTES);
    }

    /** Redis's check before any HyperLogLog command: magic, a known encoding, the dense length. */
    public static boolean isValid(byte[] value) {
        if (value.length < HEADER || value[0] != 'H' || value[1] != 'Y' || value[2] != 'L' || value[3] != 'L') {
            return false;
        }
        int encoding = value[ENCODING] & 0xff;
        return encoding == SPARSE || (encoding == DENSE && value.length == DENSE_SIZE);
    }

    public static boolean isSparse(byte[] value) {
        return value[ENCODING] == SPARSE;
    }

    /** The cached cardinality, or -1 when it is stale. */
    public static long cachedCardinality(byte[] value) {
        if ((value[CARD + 7] & 0x80) != 0) {
            return -1;
        }
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (value[CARD + i] & 0xff);
        }
        return card;
    }

    /** The register and run length an element maps to, packed as {@code index << 8 | count}. */
    public static int patternOf(byte[] element) {
        long hash = MurmurHash64A.hash(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return index << 8 | count;
    }

    /**
     * PFADD on a dense value in place (Redis changes the string in place too; the caller owns the array):
     * raises the registers, marks the cached cardinality stale when one grew, and returns how many grew.
     */
    public static int addDense(byte[] dense, int[] patterns, int n) {
        int updated = 0;
        for (int i = 0; i < n; i++) {
            int index = patterns[i] >>> 8;
            int count = patterns[i] & 0xff;
            if (count > denseRegister(dense, HEADER, index)) {
                setDenseRegister(dense, index, count);
                updated++;
            }
        }
        if (updated > 0) {
            dense[CARD + 7] |= (byte) 0x80;
        }
        return updated;
    }

    public int encoding() {
        return buf[ENCODING];
    }

    public boolean isSparse() {
        return buf[ENCODING] == SPARSE;
    }

    /** PFADD of one element: 1 if a register grew, 0 if not, -1 if the sparse body is corrupt. */
    public int add(byte[] element) {
        int pattern = patternOf(element);
        return set(pattern >>> 8, pattern & 0xff);
    }

    /** Raises register {@code index} to {@code count}: 1 if it grew, 0 if not, -1 if corrupt. */
    public int set(int index, int count) {
        if (buf[ENCODING] == DENSE) {
            if (count > denseRegister(buf, HEADER, index)) {
                setDenseRegister(buf, index, count);
                return 1;
            }
            return 0;
        }
        return sparseSet(index, count);
    }

    public void invalidateCache() {
        buf[CARD + 7] |= (byte) 0x80;
    }

    public void setCachedCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            buf[CARD + i] = (byte) (card >>> (8 * i));
        }
    }

    /** The estimate, or -1 when a sparse body does not cover exactly the 16384 registers. */
    public long count() {
        int[] histogram = new int[64];
        if (buf[ENCODING] == DENSE) {
            for (int p = HEADER; p < DENSE_SIZE; p += 3) {
                int b0 = buf[p] & 0xff;
                int b1 = buf[p + 1] & 0xff;
                int b2 = buf[p + 2] & 0xff;
                histogram[b0 & 63]++;
                histogram[(b0 >>> 6 | b1 << 2) & 63]++;
                histogram[(b1 >>> 4 | b2 << 4) & 63]++;
                histogram[b2 >>> 2]++;
            }
        } else if (!sparseHistogram(histogram)) {
            return -1;
        }
        return HllEstimator.estimate(histogram);
    }

    /** The estimate for raw one-byte registers (the union PFCOUNT builds). */
    public static long countRaw(byte[] registers) {
        // Four histograms filled in turn: runs of equal registers would otherwise wait on one counter.
        int[] h = new int[4 * 64];
        for (int i = 0; i < REGISTERS; i += 4) {
            h[registers[i]]++;
            h[64 + registers[i + 1]]++;
            h[128 + registers[i + 2]]++;
            h[192 + registers[i + 3]]++;
        }
        int[] histogram = new int[64];
        for (int v = 0; v < 64; v++) {
            histogram[v] = h[v] + h[64 + v] + h[128 + v] + h[192 + v];
        }
        return HllEstimator.estimate(histogram);
    }

    /**
     * Raises each {@code max[i]} to this value's register i. False if the sparse body is corrupt;
     * {@code max} may then be partly updated, as in Redis.
     */
    public static boolean mergeInto(byte[] value, byte[] max) {
        if (value[ENCODING] == DENSE) {
            // Four registers per three bytes, unpacked without per-register bounds arithmetic.
            for (int i = 0, p = HEADER; i < REGISTERS; i += 4, p += 3) {
                int b0 = value[p] & 0xff;
                int b1 = value[p + 1] & 0xff;
                int b2 = value[p + 2] & 0xff;
                raise(max, i, b0 & 63);
                raise(max, i + 1, (b0 >>> 6 | b1 << 2) & 63);
                raise(max, i + 2, (b1 >>> 4 | b2 << 4) & 63);
                raise(max, i + 3, b2 >>> 2);
            }
            return true;
        }
        int idx = 0;
        int end = value.length;
        for (int p = HEADER; p < end; ) {
            int b = value[p] & 0xff;
            if ((b & 0xc0) == 0) {
                idx += (b & 0x3f) + 1;
                p++;
            } else if ((b & 0x80) == 0) {
                idx += xzeroLength(value, p, end);
                p += 2;
            } else {
                int run = (b & 3) + 1;
                int v = ((b >> 2) & 0x1f) + 1;
                if (run + idx > REGISTERS) {
                    break;
                }
                for (; run > 0; run--, idx++) {
                    raise(max, idx, v);
                }
                p++;
            }
        }
        return idx == REGISTERS;
    }

    private static void raise(byte[] max, int i, int v) {
        max[i] = (byte) Math.max(max[i], v);
    }

    /** Converts a sparse value to dense; false (leaving it sparse) if the sparse body is corrupt. */
    public boolean toDense() {
        if (buf[ENCODING] == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(buf, 0, dense, 0, HEADER);
        dense[ENCODING] = DENSE;
        int idx = 0;
        for (int p = HEADER; p < len; ) {
            int b = buf[p] & 0xff;
            if ((b & 0xc0) == 0) {
                idx += (b & 0x3f) + 1;
                p++;
            } else if ((b & 0x80) == 0) {
                idx += xzeroLength(buf, p, len);
                p += 2;
            } else {
                int run = (b & 3) + 1;
                int v = ((b >> 2) & 0x1f) + 1;
                if (run + idx > REGISTERS) {
                    break;
                }
                for (; run > 0; run--, idx++) {
                    setDenseRegister(dense, idx, v);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    /** Register i of a dense value. */
    public int register(int i) {
        return denseRegister(buf, HEADER, i);
    }

    /** Sets register i of a dense value to any value, lower or higher (the self test's register check). */
    void overwriteRegister(int i, int value) {
        setDenseRegister(buf, i, value);
    }

    /** PFDEBUG DECODE's text for a sparse value: "z:len", "Z:len" and "v:value,len" separated by spaces. */
    public String decodeSparse() {
        StringBuilder s = new StringBuilder();
        for (int p = HEADER; p < len; ) {
            int b = buf[p] & 0xff;
            if ((b & 0xc0) == 0) {
                s.append("z:").append((b & 0x3f) + 1).append(' ');
                p++;
            } else if ((b & 0x80) == 0) {
                s.append("Z:").append(xzeroLength(buf, p, len)).append(' ');
                p += 2;
            } else {
                s.append("v:")
                        .append(((b >> 2) & 0x1f) + 1)
                        .append(',')
                        .append((b & 3) + 1)
                        .append(' ');
                p++;
            }
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        s.setLength(end);
        return s.toString();
    }

    /** The string value as Redis stores it. */
    public byte[] toByteArray() {
        return buf.length == len ? buf : Arrays.copyOf(buf, len);
    }

    private boolean sparseHistogram(int[] histogram) {
        int idx = 0;
        for (int p = HEADER; p < len; ) {
            int b = buf[p] & 0xff;
            if ((b & 0xc0) == 0) {
                int run = (b & 0x3f) + 1;
                idx += run;
                histogram[0] += run;
                p++;
            } else if ((b & 0x80) == 0) {
                int run = xzeroLength(buf, p, len);
                idx += run;
                histogram[0] += run;
                p += 2;
            } else {
                int run = (b & 3) + 1;
                idx += run;
                histogram[((b >> 2) & 0x1f) + 1] += run;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /**
     * Redis's sparse update: split the opcode covering {@code index} into at most five, then merge
     * neighbouring VAL opcodes of equal value; promote to dense when the value no longer fits a VAL
     * opcode or the string would pass hll-sparse-max-bytes.
     */
    private int sparseSet(int index, int count) {
        if (count > VAL_MAX_VALUE) {
            return promote(index, count);
        }
        int end = len;
        int p = HEADER;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int b = buf[p] & 0xff;
            int oplen = 1;
            if ((b & 0xc0) == 0) {
                span = (b & 0x3f) + 1;
            } else if ((b & 0x80) != 0) {
                span = (b & 3) + 1;
            } else {
                span = xzeroLength(buf, p, end);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int op = buf[p] & 0xff;
        boolean isXZero = (op & 0xc0) == 0x40;
        boolean isZero = (op & 0xc0) == 0;
        boolean isVal = !isXZero && !isZero;
        int next = isXZero ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        int runlen = isZero ? (op & 0x3f) + 1 : isXZero ? xzeroLength(buf, p, end) : (op & 3) + 1;
        if (isVal) {
            int old = ((op >> 2) & 0x1f) + 1;
            if (old >= count) {
                return 0;
            }
        }
        if (runlen == 1 && !isXZero) {
            buf[p] = valOpcode(count, 1);
            return merged(prev, end);
        }
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (isVal) {
            int current = ((op >> 2) & 0x1f) + 1;
            if (index != first) {
                seq[n++] = valOpcode(current, index - first);
            }
            seq[n++] = valOpcode(count, 1);
            if (index != last) {
                seq[n++] = valOpcode(current, last - index);
            }
        } else {
            if (index != first) {
                n = putZeros(seq, n, index - first);
            }
            seq[n++] = valOpcode(count, 1);
            if (index != last) {
                n = putZeros(seq, n, last - index);
            }
        }
        int delta = n - (isXZero ? 2 : 1);
        if (delta > 0 && len + delta > sparseMaxBytes) {
            return promote(index, count);
        }
        if (len + delta + 1 > buf.length) {
            int grown = len + delta + 1;
            buf = Arrays.copyOf(buf, grown + Math.min(grown, 300));
        }
        if (delta != 0 && next >= 0) {
            System.arraycopy(buf, next, buf, next + delta, end - next);
        }
        len += delta;
        System.arraycopy(seq, 0, buf, p, n);
        end += delta;
        return merged(prev, end);
    }

    /** Merges adjacent VAL opcodes with the same value, scanning up to five opcodes from {@code prev}. */
    private int merged(int prev, int end) {
        int p = prev >= 0 ? prev : HEADER;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int b = buf[p] & 0xff;
            if ((b & 0xc0) == 0x40) {
                p += 2;
                continue;
            } else if ((b & 0xc0) == 0) {
                p++;
                continue;
            }
            if (p + 1 < end && (buf[p + 1] & 0x80) != 0) {
                int b2 = buf[p + 1] & 0xff;
                int v1 = ((b >> 2) & 0x1f) + 1;
                int v2 = ((b2 >> 2) & 0x1f) + 1;
                if (v1 == v2) {
                    int run = (b & 3) + 1 + (b2 & 3) + 1;
                    if (run <= VAL_MAX_LEN) {
                        buf[p + 1] = valOpcode(v1, run);
                        System.arraycopy(buf, p + 1, buf, p, end - p - 1);
                        end--;
                        len--;
                        buf[len] = 0;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        setDenseRegister(buf, index, count);
        return 1;
    }

    private static int putZeros(byte[] seq, int n, int run) {
        if (run > ZERO_MAX_LEN) {
            return putXZero(seq, n, run);
        }
        seq[n] = (byte) (run - 1);
        return n + 1;
    }

    private static int putXZero(byte[] b, int p, int run) {
        int l = run - 1;
        b[p] = (byte) ((l >> 8) | 0x40);
        b[p + 1] = (byte) l;
        return p + 2;
    }

    private static byte valOpcode(int value, int run) {
        return (byte) (((value - 1) << 2 | (run - 1)) | 0x80);
    }

    /** An XZERO opcode's run; a truncated opcode reads its missing byte as 0, as Redis reads the terminator. */
    private static int xzeroLength(byte[] b, int p, int end) {
        int low = p + 1 < end ? b[p + 1] & 0xff : 0;
        return (((b[p] & 0x3f) << 8) | low) + 1;
    }

    private static int denseRegister(byte[] b, int offset, int i) {
        int bit = i * 6;
        int at = offset + (bit >>> 3);
        int shift = bit & 7;
        int v = (b[at] & 0xff) >>> shift;
        if (shift > 2 && at + 1 < b.length) {
            v |= (b[at + 1] & 0xff) << (8 - shift);
        }
        return v & 63;
    }

    private static void setDenseRegister(byte[] b, int i, int value) {
        int bit = i * 6;
        int at = HEADER + (bit >>> 3);
        int shift = bit & 7;
        b[at] = (byte) ((b[at] & ~(63 << shift)) | (value << shift));
        if (shift > 2) {
            int high = 8 - shift;
            b[at + 1] = (byte) ((b[at + 1] & ~(63 >>> high)) | (value >>> high));
        }
    }
}
