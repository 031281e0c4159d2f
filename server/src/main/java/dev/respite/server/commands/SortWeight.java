package dev.respite.server.commands;

import dev.respite.storage.types.Doubles;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A SORT weight read as Redis reads it, with C's strtod: leading whitespace allowed, the empty string is 0,
 * and trailing garbage, NaN, overflow and underflow (strtod's ERANGE) make it no number at all.
 */
final class SortWeight {
    /** What strtod consumes whole: decimal, hex (0x, optional p exponent) or inf/infinity, after whitespace. */
    private static final Pattern NUMBER = Pattern.compile("[ \\t\\n\\x0B\\f\\r]*[+-]?("
            + "(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"
            + "|0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?"
            + "|(?i:inf|infinity))");

    private SortWeight() {}

    /** The weight, or NaN when Redis would refuse it. */
    static double parse(byte[] s) {
        if (s.length == 0) {
            return 0;
        }
        if (!NUMBER.matcher(new String(s, StandardCharsets.ISO_8859_1)).matches()) {
            return Double.NaN;
        }
        double v = Doubles.parseRangeValue(s, 0, s.length);
        if (Double.isNaN(v)) {
            return v;
        }
        if (Double.isInfinite(v) && !spellsInfinity(s)) {
            return Double.NaN;
        }
        if (Math.abs(v) < Double.MIN_NORMAL && hasNonZeroMantissa(s)) {
            return Double.NaN;
        }
        return v;
    }

    private static boolean spellsInfinity(byte[] s) {
        for (byte b : s) {
            if (b == 'i' || b == 'I') {
                return true;
            }
            if (Character.isDigit(b)) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasNonZeroMantissa(byte[] s) {
        boolean hex = false;
        for (int i = 0; i < s.length; i++) {
            byte b = s[i];
            if (b == 'x' || b == 'X') {
                hex = true;
            } else if (hex ? b == 'p' || b == 'P' : b == 'e' || b == 'E') {
                return false;
            } else if ((b >= '1' && b <= '9') || (hex && ((b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')))) {
                return true;
            }
        }
        return false;
    }
}
