package dev.respite.server.commands;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Redis's INCRBYFLOAT arithmetic: C {@code long double} on x86-64 (a 64-bit significand), parsed by strtold and
 * printed with {@code %.17Lf} minus trailing zeros. Java's double would print different digits ("10.6" comes out
 * as 10.59999999999999964), so values are held exactly as BigDecimal and rounded to 64 significant bits after
 * every parse and every addition, which is what the hardware does.
 */
final class LongDouble {
    /** string2ld refuses inputs this long. */
    private static final int MAX_CHARS = 5 * 1024;
    private static final int SIGNIFICAND_BITS = 64;
    private static final int MAX_EXPONENT = 16383;
    private static final int MIN_SUBNORMAL_EXPONENT = -16445;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(SIGNIFICAND_BITS);

    private LongDouble() {
    }

    /** True for the spellings strtold reads as an infinity, which Redis accepts as an operand. */
    static boolean isInfinity(byte[] s) {
        String t = new String(s, StandardCharsets.ISO_8859_1).toLowerCase();
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        return t.equals("inf") || t.equals("infinity");
    }

    /** The finite long double a string denotes, or null if Redis would refuse it as "not a valid float". */
    static BigDecimal parse(byte[] s) {
        if (s.length == 0 || s.length >= MAX_CHARS) {
            return null;
        }
        for (byte b : s) {
            boolean ok = (b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
            if (!ok) {
                return null;
            }
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(new String(s, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return round(exact);
    }

    /** The sum rounded as the FPU rounds it, or null if it overflows to infinity. */
    static BigDecimal add(BigDecimal a, BigDecimal b) {
        return round(a.add(b));
    }

    /** {@code %.17Lf} with trailing zeros (and a bare point) removed, "-0" shown as "0". */
    static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
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

    /** Rounds to 64 significant bits, half to even; null on overflow or underflow to zero. */
    static BigDecimal round(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigInteger p = x.unscaledValue().abs();
        BigInteger q = BigInteger.ONE;
        if (x.scale() > 0) {
            q = BigInteger.TEN.pow(x.scale());
        } else if (x.scale() < 0) {
            p = p.multiply(BigInteger.TEN.pow(-x.scale()));
        }
        // Find k with 2^63 <= p * 2^k / q < 2^64; the value is then m * 2^-k.
        int k = SIGNIFICAND_BITS - p.bitLength() + q.bitLength();
        BigInteger[] qr = divide(p, q, k);
        if (qr[0].bitLength() > SIGNIFICAND_BITS) {
            k--;
            qr = divide(p, q, k);
        }
        BigInteger m = qr[0];
        BigInteger den = k >= 0 ? q : q.shiftLeft(-k);
        int half = qr[1].shiftLeft(1).compareTo(den);
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
            if (m.equals(TWO_TO_64)) {
                m = m.shiftRight(1);
                k--;
            }
        }
        int exponent = SIGNIFICAND_BITS - 1 - k;
        if (exponent > MAX_EXPONENT || exponent < MIN_SUBNORMAL_EXPONENT) {
            return null;
        }
        if (x.signum() < 0) {
            m = m.negate();
        }
        // m * 2^-k exactly: 2^-k is 5^k / 10^k.
        return k > 0 ? new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(k)), k) : new BigDecimal(m.shiftLeft(-k));
    }

    private static BigInteger[] divide(BigInteger p, BigInteger q, int k) {
        return k >= 0 ? p.shiftLeft(k).divideAndRemainder(q) : p.divideAndRemainder(q.shiftLeft(-k));
    }
}
