package dev.respite.storage.types;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Parsing and formatting of sorted-set scores exactly as Redis 7.0 does it. Invalid input is reported
 * as {@link Double#NaN}, which is never a valid score, so parsing does not allocate a result holder.
 */
public final class Doubles {
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

    private Doubles() {
    }

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
     * Formats a score as Redis 7.0 replies with it: C {@code printf("%.17g")}, so 3.0 is "3", 0.1 is
     * "0.10000000000000001", 1e20 is "1e+20", 1.5e-7 is "1.4999999999999999e-07", infinities are
     * "inf"/"-inf" and negative zero is "-0".
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
        // Integral values with at most 17 digits print exactly; this avoids BigDecimal for the common case.
        if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN_DIGITS);
        String digits = rounded.unscaledValue().abs().toString();
        int exp10 = digits.length() - 1 - rounded.scale();
        int significant = digits.length();
        while (significant > 1 && digits.charAt(significant - 1) == '0') {
            significant--;
        }
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (exp10 < -4 || exp10 >= 17) {
            out.append(digits.charAt(0));
            if (significant > 1) {
                out.append('.').append(digits, 1, significant);
            }
            out.append('e').append(exp10 < 0 ? '-' : '+');
            int magnitude = Math.abs(exp10);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (exp10 >= 0) {
            for (int k = 0; k <= exp10; k++) {
                out.append(k < significant ? digits.charAt(k) : '0');
            }
            if (significant > exp10 + 1) {
                out.append('.').append(digits, exp10 + 1, significant);
            }
        } else {
            out.append("0.");
            for (int k = -1; k > exp10; k--) {
                out.append('0');
            }
            out.append(digits, 0, significant);
        }
        return out.toString();
    }

    /** {@link #format(double)} as ASCII bytes, ready for a bulk-string reply. */
    public static byte[] formatBytes(double value) {
        return format(value).getBytes(StandardCharsets.ISO_8859_1);
    }
}
