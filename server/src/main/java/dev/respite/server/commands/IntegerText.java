package dev.respite.server.commands;

/** Decimal text of integers written straight into a byte array, without a String in between. */
public final class IntegerText {
    private IntegerText() {}

    public static byte[] of(long v) {
        if (v == Long.MIN_VALUE) {
            return "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        boolean negative = v < 0;
        long u = negative ? -v : v;
        byte[] out = new byte[digits(u) + (negative ? 1 : 0)];
        int p = out.length;
        do {
            out[--p] = (byte) ('0' + u % 10);
            u /= 10;
        } while (u != 0);
        if (negative) {
            out[0] = '-';
        }
        return out;
    }

    /**
     * {@code head} followed by the decimal text of {@code v} (not negative), in an array of {@code length}
     * bytes: cut short or padded with zero bytes, or exactly as long as the text when {@code length} is -1.
     */
    public static byte[] joined(byte[] head, long v, int length) {
        int textLength = head.length + digits(v);
        byte[] out = new byte[length < 0 ? textLength : length];
        System.arraycopy(head, 0, out, 0, Math.min(head.length, out.length));
        for (int p = textLength - 1; p >= head.length; p--, v /= 10) {
            if (p < out.length) {
                out[p] = (byte) ('0' + v % 10);
            }
        }
        return out;
    }

    private static int digits(long nonNegative) {
        int digits = 1;
        for (long t = nonNegative; t >= 10; t /= 10) {
            digits++;
        }
        return digits;
    }
}
