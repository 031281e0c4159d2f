package dev.respite.storage.types;

/** Byte-string helpers shared by the value types. */
final class ByteStrings {
    /** Decimal digits of Long.MIN_VALUE, with the sign. */
    private static final int MAX_LONG_TEXT = 20;

    private ByteStrings() {}

    /**
     * Whether the bytes are a signed 64-bit integer in canonical form, Redis's string2ll rule: optional
     * '-', no '+', no leading zeros, no spaces, in range, and "-0" is not canonical.
     */
    static boolean isCanonicalLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > MAX_LONG_TEXT) {
            return false;
        }
        if (len == 1 && s[0] == '0') {
            return true;
        }
        int i = s[0] == '-' ? 1 : 0;
        if (i == len || s[i] < '1' || s[i] > '9') {
            return false;
        }
        long magnitude = 0;
        // Accumulate negatively so Long.MIN_VALUE fits.
        for (; i < len; i++) {
            byte b = s[i];
            if (b < '0' || b > '9') {
                return false;
            }
            int digit = b - '0';
            if (magnitude < (Long.MIN_VALUE + digit) / 10) {
                return false;
            }
            magnitude = magnitude * 10 - digit;
        }
        return s[0] == '-' || magnitude != Long.MIN_VALUE;
    }

    /** Parses bytes already accepted by {@link #isCanonicalLong}. */
    static long parseCanonicalLong(byte[] s) {
        boolean negative = s[0] == '-';
        long value = 0;
        for (int i = negative ? 1 : 0; i < s.length; i++) {
            value = value * 10 - (s[i] - '0');
        }
        return negative ? value : -value;
    }

    /** Number of characters in the decimal form of v, sign included. */
    static int decimalLength(long v) {
        if (v == Long.MIN_VALUE) {
            return MAX_LONG_TEXT;
        }
        int length = v < 0 ? 2 : 1;
        for (long m = Math.abs(v); m >= 10; m /= 10) {
            length++;
        }
        return length;
    }

    static byte[] toDecimal(long v) {
        byte[] out = new byte[decimalLength(v)];
        int i = out.length;
        long rest = v;
        // Work with non-positive values so Long.MIN_VALUE needs no special case.
        if (rest > 0) {
            rest = -rest;
        }
        do {
            out[--i] = (byte) ('0' - rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (v < 0) {
            out[0] = '-';
        }
        return out;
    }

    /** Heap bytes of a byte[] of the given length: 16-byte header, 8-byte alignment. */
    static long arrayBytes(int length) {
        return (16L + length + 7) & ~7L;
    }
}
