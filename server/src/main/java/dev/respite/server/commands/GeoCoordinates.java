package dev.respite.server.commands;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The number formats of geo replies and errors, as Redis prints them with C's printf. */
final class GeoCoordinates {
    private GeoCoordinates() {}

    /** GEOPOS and WITHCOORD: "%.17Lf" of the exact value with trailing zeros (and a bare dot) removed. */
    static String human(double d) {
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /** Distances: rounded to four decimals, half to even, always printed with four. */
    static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long scaled = (long) Math.rint(d * 10000.0);
        boolean negative = scaled < 0;
        String digits = Long.toString(Math.abs(scaled));
        if (digits.length() < 5) {
            digits = "0".repeat(5 - digits.length()) + digits;
        }
        int point = digits.length() - 4;
        return (negative ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
    }

    /** C's "%f": six decimals of the exact value. */
    static String sixDecimals(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        // BigDecimal has no negative zero; printf keeps the sign of -0 and of tiny negatives.
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        return negative && s.charAt(0) != '-' ? "-" + s : s;
    }
}
