package dev.respite.storage.types;

import java.math.BigInteger;

/**
 * Florian Loitsch's Grisu2 digit generation, which Redis 7.2 uses for every double it replies with: the
 * digits always read back as the same double and are almost always the shortest such digits. Where Grisu2
 * is not shortest, Redis is not either, so this follows the published algorithm step for step rather than
 * using a provably shortest one. Layout of the result: plain integers up to 7 extra zeros, plain decimals
 * down to 6 places after the point (or for numbers of up to 4 integer digits), else scientific notation
 * with at least one exponent digit ({@code 1e+21}, {@code 1.5e-07} is written {@code 1.5e-7}).
 */
final class Grisu2 {
    private static final long FRACTION_MASK = 0x000F_FFFF_FFFF_FFFFL;
    private static final long HIDDEN_BIT = 0x0010_0000_0000_0000L;
    private static final int EXPONENT_BIAS = 1023 + 52;
    private static final int FIRST_POWER = -348;
    private static final int POWER_STEP = 8;
    private static final int POWERS = 87;
    private static final int MIN_TARGET_EXPONENT = -60;
    private static final int MAX_TARGET_EXPONENT = -32;
    private static final long[] TENS = new long[20];

    /** 10^(FIRST_POWER + i * POWER_STEP) as a 64-bit significand with its top bit set, and its binary exponent. */
    private static final long[] POWER_FRACTIONS = new long[POWERS];

    private static final int[] POWER_EXPONENTS = new int[POWERS];

    static {
        long t = 1;
        for (int i = 19; i >= 0; i--) {
            TENS[i] = t;
            t *= 10;
        }
        for (int i = 0; i < POWERS; i++) {
            int k = FIRST_POWER + i * POWER_STEP;
            // Scale 10^k to exactly 64 significant bits, rounding to nearest.
            BigInteger num = k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
            BigInteger den = k >= 0 ? BigInteger.ONE : BigInteger.TEN.pow(-k);
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger scaledNum = e < 0 ? num.shiftLeft(-e) : num;
            BigInteger scaledDen = e > 0 ? den.shiftLeft(e) : den;
            BigInteger q = scaledNum.divide(scaledDen);
            while (q.bitLength() > 64) {
                e++;
                scaledDen = scaledDen.shiftLeft(1);
                q = scaledNum.divide(scaledDen);
            }
            while (q.bitLength() < 64) {
                e--;
                scaledNum = scaledNum.shiftLeft(1);
                q = scaledNum.divide(scaledDen);
            }
            BigInteger remainder2 = scaledNum.subtract(q.multiply(scaledDen)).shiftLeft(1);
            if (remainder2.compareTo(scaledDen) >= 0) {
                q = q.add(BigInteger.ONE);
                if (q.bitLength() > 64) {
                    q = q.shiftRight(1);
                    e++;
                }
            }
            POWER_FRACTIONS[i] = q.longValue();
            POWER_EXPONENTS[i] = e;
        }
    }

    private Grisu2() {}

    /** A finite, non-zero double as Redis 7.2's fpconv_dtoa writes it. */
    static String format(double d) {
        long bits = Double.doubleToRawLongBits(d);
        boolean negative = bits < 0;
        char[] digits = new char[18];
        int[] k = new int[1];
        int n = digits(bits, digits, k);
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        emit(out, digits, n, k[0], negative);
        return out.toString();
    }

    private static int digits(long bits, char[] digits, int[] kOut) {
        long frac = bits & FRACTION_MASK;
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long wFrac;
        int wExp;
        if (biased != 0) {
            wFrac = frac + HIDDEN_BIT;
            wExp = biased - EXPONENT_BIAS;
        } else {
            wFrac = frac;
            wExp = -EXPONENT_BIAS + 1;
        }
        // Boundaries: the midpoints to the neighbouring doubles, upper normalized, lower on its exponent.
        long upperFrac = (wFrac << 1) + 1;
        int upperExp = wExp - 1;
        while ((upperFrac & (HIDDEN_BIT << 1)) == 0) {
            upperFrac <<= 1;
            upperExp--;
        }
        upperFrac <<= 64 - 52 - 2;
        upperExp -= 64 - 52 - 2;
        int lowerShift = wFrac == HIDDEN_BIT ? 2 : 1;
        long lowerFrac = (wFrac << lowerShift) - 1;
        int lowerExp = wExp - lowerShift;
        lowerFrac <<= lowerExp - upperExp;

        while ((wFrac & HIDDEN_BIT) == 0) {
            wFrac <<= 1;
            wExp--;
        }
        wFrac <<= 64 - 52 - 1;

        int index = cachedPowerIndex(upperExp);
        long cFrac = POWER_FRACTIONS[index];
        int cExp = POWER_EXPONENTS[index];
        int k = FIRST_POWER + index * POWER_STEP;

        long w = multiply(wFrac, cFrac);
        long upper = multiply(upperFrac, cFrac) - 1;
        long lower = multiply(lowerFrac, cFrac) + 1;
        int exp = upperExp + cExp + 64;
        kOut[0] = -k;
        return generate(w, upper, lower, exp, digits, kOut);
    }

    private static int cachedPowerIndex(int exp) {
        int approx = (int) (-(exp + POWERS) * 0.30102999566398114);
        int index = (approx - FIRST_POWER) / POWER_STEP;
        while (true) {
            int current = exp + POWER_EXPONENTS[index] + 64;
            if (current < MIN_TARGET_EXPONENT) {
                index++;
            } else if (current > MAX_TARGET_EXPONENT) {
                index--;
            } else {
                return index;
            }
        }
    }

    /** The upper 64 bits of the 128-bit product, rounded on the lower half as Grisu2 specifies. */
    private static long multiply(long a, long b) {
        long lo = 0xFFFF_FFFFL;
        long ahBl = (a >>> 32) * (b & lo);
        long alBh = (a & lo) * (b >>> 32);
        long alBl = (a & lo) * (b & lo);
        long ahBh = (a >>> 32) * (b >>> 32);
        long tmp = (ahBl & lo) + (alBh & lo) + (alBl >>> 32);
        tmp += 1L << 31;
        return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (tmp >>> 32);
    }

    private static int generate(long w, long upper, long lower, int exp, char[] digits, int[] k) {
        long wfrac = upper - w;
        long delta = upper - lower;
        int shift = -exp;
        long one = 1L << shift;
        long part1 = upper >>> shift;
        long part2 = upper & (one - 1);
        int n = 0;
        int kappa = 10;
        for (int p = 10; kappa > 0; p++) {
            long div = TENS[p];
            long digit = part1 / div;
            if (digit != 0 || n != 0) {
                digits[n++] = (char) ('0' + digit);
            }
            part1 -= digit * div;
            kappa--;
            long rest = (part1 << shift) + part2;
            if (Long.compareUnsigned(rest, delta) <= 0) {
                k[0] += kappa;
                round(digits, n, delta, rest, div << shift, wfrac);
                return n;
            }
        }
        int unit = 18;
        while (true) {
            part2 *= 10;
            delta *= 10;
            kappa--;
            long digit = part2 >>> shift;
            if (digit != 0 || n != 0) {
                digits[n++] = (char) ('0' + digit);
            }
            part2 &= one - 1;
            if (Long.compareUnsigned(part2, delta) < 0) {
                k[0] += kappa;
                round(digits, n, delta, part2, one, wfrac * TENS[unit]);
                return n;
            }
            unit--;
        }
    }

    /** Moves the last digit towards the exact value while it stays inside the boundaries. */
    private static void round(char[] digits, int n, long delta, long rem, long kappa, long frac) {
        while (Long.compareUnsigned(rem, frac) < 0
                && Long.compareUnsigned(delta - rem, kappa) >= 0
                && (Long.compareUnsigned(rem + kappa, frac) < 0
                        || Long.compareUnsigned(frac - rem, rem + kappa - frac) > 0)) {
            digits[n - 1]--;
            rem += kappa;
        }
    }

    private static void emit(StringBuilder out, char[] digits, int n, int k, boolean negative) {
        int exp = Math.abs(k + n - 1);
        if (k >= 0 && exp < n + 7) {
            out.append(digits, 0, n);
            out.append("0".repeat(k));
            return;
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            if (offset <= 0) {
                out.append("0.").append("0".repeat(-offset)).append(digits, 0, n);
            } else {
                out.append(digits, 0, offset).append('.').append(digits, offset, n - offset);
            }
            return;
        }
        int shown = Math.min(n, 18 - (negative ? 1 : 0));
        out.append(digits[0]);
        if (shown > 1) {
            out.append('.').append(digits, 1, shown - 1);
        }
        out.append('e').append(k + shown - 1 < 0 ? '-' : '+').append(exp);
    }
}
