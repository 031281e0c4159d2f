package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.storage.types.StreamId;

/**
 * Stream ID arguments as Redis reads them: {@code ms-seq}, {@code ms} (the sequence filled in by the
 * caller), {@code -} and {@code +} where allowed, {@code ms-*} for XADD, and {@code (id} for exclusive
 * range bounds.
 */
final class StreamIds {
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /** An XADD ID: the ID and whether its sequence was given ({@code ms-*} and {@code ms} leave it open). */
    record Explicit(StreamId id, boolean seqGiven) {}

    private StreamIds() {}

    /** Any ID, {@code -} and {@code +} included; a bare {@code ms} gets {@code missingSeq}. */
    static StreamId parse(byte[] arg, long missingSeq) {
        StreamId id = tryParse(arg, missingSeq, false);
        if (id == null) {
            throw new CommandError(INVALID);
        }
        return id;
    }

    /** An ID where {@code -} and {@code +} are not allowed. */
    static StreamId parseStrict(byte[] arg, long missingSeq) {
        StreamId id = tryParse(arg, missingSeq, true);
        if (id == null) {
            throw new CommandError(INVALID);
        }
        return id;
    }

    /** XADD's explicit ID: strict, and {@code ms-*} leaves the sequence to be generated. */
    static Explicit parseForAdd(byte[] arg) {
        int dash = indexOf(arg, (byte) '-');
        if (dash > 0 && dash == arg.length - 2 && arg[arg.length - 1] == '*' && arg.length <= 127) {
            long[] ms = new long[1];
            if (!unsigned(arg, 0, dash, ms)) {
                throw new CommandError(INVALID);
            }
            return new Explicit(new StreamId(ms[0], 0), false);
        }
        return new Explicit(parseStrict(arg, 0), true);
    }

    /** A range bound written {@code (id} excludes the ID itself. */
    static boolean isExclusive(byte[] arg) {
        return arg.length > 1 && arg[0] == '(';
    }

    /** The inclusive start of a range given as {@code arg}. */
    static StreamId rangeStart(byte[] arg) {
        if (isExclusive(arg)) {
            StreamId id = parseStrict(java.util.Arrays.copyOfRange(arg, 1, arg.length), 0);
            StreamId next = id.next();
            if (next == null) {
                throw new CommandError("ERR invalid start ID for the interval");
            }
            return next;
        }
        return parse(arg, 0);
    }

    /** The inclusive end of a range given as {@code arg}. */
    static StreamId rangeEnd(byte[] arg) {
        if (isExclusive(arg)) {
            StreamId id = parseStrict(java.util.Arrays.copyOfRange(arg, 1, arg.length), -1L);
            StreamId previous = id.previous();
            if (previous == null) {
                throw new CommandError("ERR invalid end ID for the interval");
            }
            return previous;
        }
        return parse(arg, -1L);
    }

    private static StreamId tryParse(byte[] a, long missingSeq, boolean strict) {
        if (a.length > 127) {
            return null;
        }
        if (a.length == 1 && (a[0] == '-' || a[0] == '+')) {
            if (strict) {
                return null;
            }
            return a[0] == '-' ? StreamId.MIN : StreamId.MAX;
        }
        int dash = indexOf(a, (byte) '-');
        long[] ms = new long[1];
        if (!unsigned(a, 0, dash < 0 ? a.length : dash, ms)) {
            return null;
        }
        if (dash < 0) {
            return new StreamId(ms[0], missingSeq);
        }
        long[] seq = new long[1];
        return unsigned(a, dash + 1, a.length, seq) ? new StreamId(ms[0], seq[0]) : null;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An unsigned 64-bit decimal as Redis's string2ull reads it: a canonical signed integer must not be
     * negative; anything else goes to strtoull, which takes leading spaces, a sign (a minus wraps around),
     * leading zeros and nothing after the digits. Stores the value in {@code out[0]}; false when refused.
     */
    private static boolean unsigned(byte[] a, int from, int to, long[] out) {
        int len = to - from;
        long canonical = Args.parseLong(a, from, len);
        if (canonical != Long.MIN_VALUE) {
            out[0] = canonical;
            return canonical >= 0;
        }
        int p = from;
        while (p < to && (a[p] == ' ' || (a[p] >= '\t' && a[p] <= '\r'))) {
            p++;
        }
        boolean negative = false;
        if (p < to && (a[p] == '+' || a[p] == '-')) {
            negative = a[p] == '-';
            p++;
        }
        if (p == to) {
            return false;
        }
        long v = 0;
        for (; p < to; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return false;
            }
            v = next;
        }
        out[0] = negative ? -v : v;
        return true;
    }
}
