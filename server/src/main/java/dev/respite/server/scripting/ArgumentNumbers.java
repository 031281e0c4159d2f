package dev.respite.server.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Numbers as Redis 7.2 writes doubles (d2string): integral values within half the long range as integers,
 * others with the fewest digits that read back exactly, in fpconv's plain or scientific layout.
 */
final class ArgumentNumbers {
    private static final double LIMIT = Long.MAX_VALUE / 2;

    private ArgumentNumbers() {}

    static byte[] format(double d) {
        return text(d).getBytes(StandardCharsets.US_ASCII);
    }

    static String text(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        if (d >= -LIMIT && d <= LIMIT && d == Math.rint(d)) {
            return Long.toString((long) d);
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        return layout(digits, -shortest.scale(), d < 0);
    }

    /** fpconv's emit_digits: {@code digits} times ten to the {@code k}. */
    private static String layout(String digits, int k, boolean negative) {
        int n = digits.length();
        int exp = Math.abs(k + n - 1);
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (k >= 0 && exp < n + 7) {
            out.append(digits);
            out.append("0".repeat(k));
            return out.toString();
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            if (offset <= 0) {
                out.append("0.").append("0".repeat(-offset)).append(digits);
            } else {
                out.append(digits, 0, offset).append('.').append(digits, offset, n);
            }
            return out.toString();
        }
        int shown = Math.min(n, 18 - (negative ? 1 : 0));
        out.append(digits.charAt(0));
        if (shown > 1) {
            out.append('.').append(digits, 1, shown);
        }
        out.append('e').append(k + shown - 1 < 0 ? '-' : '+').append(exp);
        return out.toString();
    }
}
