package dev.respite.storage.types;

import java.nio.charset.StandardCharsets;

/**
 * Parsing and formatting of sorted-set scores exactly as Redis 7.2 does it. Invalid input is reported
 * as {@link Double#NaN}, which is never a valid score, so parsing does not allocate a result holder.
 */
public final class Doubles {
    private Doubles() {}

    /**
     * Parses a score the way ZADD, ZINCRBY and friends do (C strtod plus Redis's checks): decimal or hex
     * ({@code 0x1p3}) notation, optional sign, {@code inf}/{@code infinity} in any case; rejects empty
     * input, leading or trailing whitespace, trailing garbage, NaN, overflow to infinity and underflow
     * to zero.
     *
     * @return the value, or NaN when the text is not a valid score
     */
    public static double parse(byte[] text) {
        return parse(text, 0, text.length, true);
    }

    /** {@link #parse(byte[])} over {@code text[offset, offset+length)}. */
    public static double parse(byte[] text, int offset, int length) {
        return parse(text, offset, length, true);
    }

    /**
     * Parses a score range bound as ZRANGEBYSCORE/ZCOUNT do after stripping an optional {@code (}: plain
     * strtod, so leading whitespace is skipped and out-of-range values saturate to infinity or zero;
     * trailing garbage and NaN are still rejected.
     *
     * @return the value, or NaN when invalid
     */
    public static double parseRangeValue(byte[] text, int offset, int length) {
        return parse(text, offset, length, false);
    }

    private static double parse(byte[] s, int off, int len, boolean strict) {
        int end = off + len;
        int i = off;
        if (len == 0) {
            return Double.NaN;
        }
        if (strict) {
            if (isSpace(s[i])) {
                return Double.NaN;
            }
        } else {
            while (i < end && isSpace(s[i])) {
                i++;
            }
        }
        int start = i;
        boolean negative = false;
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (matchesIgnoreCase(s, i, end, "inf") || matchesIgnoreCase(s, i, end, "infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean hex = i + 1 < end && s[i] == '0' && (s[i + 1] | 0x20) == 'x';
        int digits = 0;
        boolean nonZero = false;
        boolean exponent = false;
        if (hex) {
            i += 2;
            for (; i < end && Character.digit(s[i], 16) >= 0; i++, digits++) {
                nonZero |= s[i] != '0';
            }
            if (i < end && s[i] == '.') {
                i++;
                for (; i < end && Character.digit(s[i], 16) >= 0; i++, digits++) {
                    nonZero |= s[i] != '0';
                }
            }
            if (digits > 0 && i < end && (s[i] | 0x20) == 'p') {
                i = exponentEnd(s, i + 1, end);
                exponent = true;
            }
        } else {
            for (; i < end && isDigit(s[i]); i++, digits++) {
                nonZero |= s[i] != '0';
            }
            if (i < end && s[i] == '.') {
                i++;
                for (; i < end && isDigit(s[i]); i++, digits++) {
                    nonZero |= s[i] != '0';
                }
            }
            if (digits > 0 && i < end && (s[i] | 0x20) == 'e') {
                i = exponentEnd(s, i + 1, end);
            }
        }
        // strtod stops at the first character it cannot use; Redis rejects anything left over.
        if (digits == 0 || i != end) {
            return Double.NaN;
        }
        String literal = new String(s, start, end - start, StandardCharsets.ISO_8859_1);
        double value = Double.parseDouble(hex && !exponent ? literal + "p0" : literal);
        if (strict && (Double.isInfinite(value) || (value == 0 && nonZero))) {
            return Double.NaN;
        }
        return value;
    }

    /** Returns the index after a well-formed exponent starting at {@code i}, or -1 if it has no digits. */
    private static int exponentEnd(byte[] s, int i, int end) {
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        int first = i;
        while (i < end && isDigit(s[i])) {
            i++;
        }
        return i == first ? -1 : i;
    }

    private static boolean matchesIgnoreCase(byte[] s, int i, int end, String word) {
        if (end - i != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((s[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /**
     * Formats a double as Redis 7.2 replies with it (and stores scores in listpacks): integral values up to 2^62
     * in magnitude as integers, other finite values in the digits of Grisu2, which Redis 7.2 uses ("0.1", "1.1",
     * "9223372036854776000", "1e+20", "1.5e-7"; almost always the shortest that read back as the same double,
     * and where not, the same as Redis's); infinities are "inf"/"-inf" and negative zero is "-0".
     */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        if (value == Math.rint(value) && Math.abs(value) <= LONG_FORMAT_LIMIT) {
            return Long.toString((long) value);
        }
        return Grisu2.format(value);
    }

    /** Above this Redis stops printing integral doubles as integers: LLONG_MAX / 2 as a double. */
    private static final double LONG_FORMAT_LIMIT = (double) (Long.MAX_VALUE / 2);

    /** {@link #format(double)} as ASCII bytes, ready for a bulk-string reply. */
    public static byte[] formatBytes(double value) {
        return format(value).getBytes(StandardCharsets.ISO_8859_1);
    }
}
