package dev.respite.server.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis's float increments (INCRBYFLOAT, HINCRBYFLOAT, and the blocking timeouts that share its parser)
 * computed the way Redis computes them: operands are read with strtold into an x87 80-bit long double (64-bit
 * significand), added in that precision, and printed with "%.17Lf" with trailing zeros trimmed. Doing this in
 * Java doubles would differ from Redis in the last digits (Redis replies 5000.10000000000000009 to 5000 +
 * 0.1), so values are kept as exact decimals that are rounded to the 64-bit significand after every step.
 */
public final class Numbers {
    /** Largest and smallest decimal exponents an x87 long double reaches (about 1.19e4932 and 3.4e-4932). */
    private static final int MAX_DECIMAL_EXPONENT = 4932;

    private static final int MIN_DECIMAL_EXPONENT = -4951;
    private static final int SIGNIFICAND_BITS = 64;
    private static final int FIXED_DECIMALS = 17;

    /** Why a text is not a number Redis's string2ld accepts. */
    public enum Refusal {
        NOT_A_NUMBER,
        INFINITE
    }

    /** A parsed operand: either an exact value or the reason it was refused. */
    public record Parsed(BigDecimal value, Refusal refusal) {
        public boolean ok() {
            return refusal == null;
        }
    }

    /** The value of a missing key or field. */
    public static final Parsed ZERO = new Parsed(BigDecimal.ZERO, null);

    /** string2ld refuses texts this long. */
    private static final int MAX_CHARS = 5 * 1024;

    private Numbers() {}

    /**
     * Reads {@code text} as Redis's string2ld does: no surrounding space, no NaN, range errors refused;
     * "inf" and "infinity" (any case, optionally signed) are reported as {@link Refusal#INFINITE}.
     */
    public static Parsed parseLongDouble(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        if (s.isEmpty()
                || text.length >= MAX_CHARS
                || Character.isWhitespace(s.charAt(0))
                || Character.isWhitespace(s.charAt(s.length() - 1))) {
            return new Parsed(null, Refusal.NOT_A_NUMBER);
        }
        String unsigned = s.charAt(0) == '-' || s.charAt(0) == '+' ? s.substring(1) : s;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            return new Parsed(null, Refusal.INFINITE);
        }
        BigDecimal exact;
        try {
            if (isHexSyntax(unsigned)) {
                exact = hexValue(unsigned);
                if (s.charAt(0) == '-') {
                    exact = exact.negate();
                }
            } else if (isDecimalSyntax(unsigned)) {
                exact = new BigDecimal(s.charAt(0) == '+' ? unsigned : s);
            } else {
                return new Parsed(null, Refusal.NOT_A_NUMBER);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return new Parsed(null, Refusal.NOT_A_NUMBER);
        }
        if (exact.signum() == 0) {
            return new Parsed(BigDecimal.ZERO, null);
        }
        int exponent = exact.precision() - exact.scale() - 1;
        // strtold reports ERANGE on overflow and underflow; string2ld refuses both
        if (exponent > MAX_DECIMAL_EXPONENT || exponent < MIN_DECIMAL_EXPONENT) {
            return new Parsed(null, Refusal.NOT_A_NUMBER);
        }
        BigDecimal rounded = toLongDouble(exact);
        return rounded == null ? new Parsed(null, Refusal.NOT_A_NUMBER) : new Parsed(rounded, null);
    }

    /** The long double sum of two long double values, or null if it overflows to infinity. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        BigDecimal sum = a.add(b);
        return sum.signum() == 0 ? BigDecimal.ZERO : toLongDouble(sum);
    }

    /** "%.17Lf" with trailing zeros (and a bare point) removed, and "-0" written "0": Redis's LD_STR_HUMAN. */
    public static String formatHuman(BigDecimal value) {
        String s = value.setScale(FIXED_DECIMALS, RoundingMode.HALF_EVEN).toPlainString();
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

    /**
     * Rounds an exact decimal to the nearest value with a 64-bit binary significand (ties to even), as
     * the x87 unit does; null if the magnitude is beyond a long double's range.
     */
    static BigDecimal toLongDouble(BigDecimal exact) {
        BigInteger unscaled = exact.unscaledValue().abs();
        BigInteger num = exact.scale() > 0 ? unscaled : unscaled.multiply(BigInteger.TEN.pow(-exact.scale()));
        BigInteger den = exact.scale() > 0 ? BigInteger.TEN.pow(exact.scale()) : BigInteger.ONE;
        // value = num / den; find e with 2^63 <= value / 2^e < 2^64
        int e = num.bitLength() - den.bitLength() - SIGNIFICAND_BITS;
        BigInteger[] qr;
        while (true) {
            BigInteger n = e < 0 ? num.shiftLeft(-e) : num;
            BigInteger d = e > 0 ? den.shiftLeft(e) : den;
            qr = n.divideAndRemainder(d);
            int bits = qr[0].bitLength();
            if (bits > SIGNIFICAND_BITS) {
                e++;
            } else if (bits < SIGNIFICAND_BITS) {
                e--;
            } else {
                int half = qr[1].shiftLeft(1).compareTo(d);
                BigInteger m = qr[0];
                if (half > 0 || (half == 0 && m.testBit(0))) {
                    m = m.add(BigInteger.ONE);
                }
                if (m.bitLength() > SIGNIFICAND_BITS) {
                    m = m.shiftRight(1);
                    e++;
                }
                return scaled(exact.signum() < 0 ? m.negate() : m, e);
            }
        }
    }

    /** m * 2^e as an exact decimal, or null past the long double exponent range (16383). */
    private static BigDecimal scaled(BigInteger m, int e) {
        if (e + SIGNIFICAND_BITS > 16384) {
            return null;
        }
        if (e >= 0) {
            return new BigDecimal(m.shiftLeft(e));
        }
        // m / 2^k == m * 5^k / 10^k
        return new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
    }

    private static final Pattern HEX =
            Pattern.compile("0[xX]([0-9a-fA-F]*)(?:\\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]{1,9}))?");

    /** strtold's hexadecimal form: 0x, hex digits with an optional point, an optional binary exponent p. */
    private static boolean isHexSyntax(String s) {
        Matcher m = HEX.matcher(s);
        return m.matches()
                && (!m.group(1).isEmpty() || (m.group(2) != null && !m.group(2).isEmpty()));
    }

    /** The exact value of a string accepted by {@link #isHexSyntax}: mantissa times 2 to the exponent. */
    private static BigDecimal hexValue(String s) {
        Matcher m = HEX.matcher(s);
        m.matches();
        String fraction = m.group(2) == null ? "" : m.group(2);
        BigInteger mantissa = new BigInteger(m.group(1) + fraction + "0", 16).shiftRight(4);
        long exponent = (m.group(3) == null ? 0 : Long.parseLong(m.group(3))) - 4L * fraction.length();
        if (mantissa.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (Math.abs(exponent) > 20000) {
            throw new ArithmeticException("beyond long double range");
        }
        return exponent >= 0
                ? new BigDecimal(mantissa.shiftLeft((int) exponent))
                : new BigDecimal(mantissa.multiply(BigInteger.valueOf(5).pow((int) -exponent)), (int) -exponent);
    }

    /** Digits with an optional point and exponent; BigDecimal alone would also accept forms strtold reads differently. */
    private static boolean isDecimalSyntax(String s) {
        int i = 0;
        int n = s.length();
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }
}
