package dev.respite.server.command;

import dev.respite.storage.types.Doubles;
import java.nio.charset.StandardCharsets;

/** Reading command arguments with Redis's rules: exact integer syntax, case-insensitive keywords. */
public final class Args {
    private Args() {}

    /** True if {@code arg} equals the lowercase ASCII {@code keyword}, ignoring case. */
    public static boolean is(byte[] arg, String keyword) {
        int n = keyword.length();
        if (arg.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Parses as Redis's string2ll; throws "value is not an integer or out of range" otherwise. */
    public static long toLong(byte[] arg) {
        return toLong(arg, CommandError.NOT_INTEGER);
    }

    public static long toLong(byte[] arg, String error) {
        long v = parseLong(arg, 0, arg.length);
        if (v == Long.MIN_VALUE && !isLongMin(arg)) {
            throw new CommandError(error);
        }
        return v;
    }

    /** An int as Redis's getIntFromObjectOrReply reads it (database indexes). */
    public static int toInt(byte[] arg) {
        return (int) toLongInRange(arg, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * An integer within [min, max] as Redis's getRangeLongFromObjectOrReply reads it: "value is not an integer or
     * out of range" for non-integers, "value is out of range, value must between min and max" outside.
     */
    public static long toLongInRange(byte[] arg, long min, long max) {
        long v = toLong(arg);
        if (v < min || v > max) {
            throw new CommandError("ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /** A non-negative integer, for counts; Redis's "value is out of range, must be positive" otherwise. */
    public static long toNonNegative(byte[] arg) {
        long v = toLong(arg);
        if (v < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return v;
    }

    /**
     * Integer parse with string2ll rules, returning Long.MIN_VALUE for anything invalid (callers that must
     * accept Long.MIN_VALUE itself check with {@link #isLongMin}). No allocation.
     */
    public static long parseLong(byte[] s, int off, int len) {
        if (len == 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        if (len == 1 && s[off] == '0') {
            return 0;
        }
        int p = off;
        int end = off + len;
        boolean negative = false;
        if (s[p] == '-') {
            negative = true;
            p++;
            if (p == end) {
                return Long.MIN_VALUE;
            }
        }
        if (s[p] < '1' || s[p] > '9') {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; p < end; p++) {
            int d = s[p] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            // Accumulate negatively so that Long.MIN_VALUE itself fits.
            if (v < (Long.MIN_VALUE + d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 - d;
        }
        if (negative) {
            return v;
        }
        if (v == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return -v;
    }

    public static boolean isLongMin(byte[] s) {
        return s.length == 20 && new String(s, StandardCharsets.US_ASCII).equals("-9223372036854775808");
    }

    /** True if the bytes are exactly a canonical signed 64-bit integer. */
    public static boolean isLong(byte[] s) {
        return parseLong(s, 0, s.length) != Long.MIN_VALUE || isLongMin(s);
    }

    /**
     * Parses a double as Redis's getDoubleFromObject does (strtod and its checks, see {@link Doubles#parse}):
     * hex and "inf" accepted; spaces, trailing bytes, NaN, overflow and underflow to zero refused.
     */
    public static double toDouble(byte[] arg, String error) {
        double d = Doubles.parse(arg);
        if (Double.isNaN(d)) {
            throw new CommandError(error);
        }
        return d;
    }

    public static String str(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes as Redis quotes them in error messages: printable as is, up to 128 bytes or the first NUL. */
    public static String quoteForError(byte[] arg) {
        String s = new String(arg, 0, Math.min(cStringLength(arg), 128), StandardCharsets.UTF_8);
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    /** An argument as Redis's "%s" prints it in an error: the bytes before the first NUL. */
    public static String cString(byte[] arg) {
        return new String(arg, 0, cStringLength(arg), StandardCharsets.UTF_8);
    }

    private static int cStringLength(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return n;
    }
}
