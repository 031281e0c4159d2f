package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.storage.Glob;

/**
 * The arguments of SCAN, SSCAN, HSCAN and ZSCAN: an unsigned 64-bit cursor read as C's strtoul reads it
 * (one rule for all four, as in Redis), then COUNT and MATCH options.
 */
final class ScanRequest {
    final long cursor;
    final int count;
    private final byte[] pattern;

    private ScanRequest(long cursor, int count, byte[] pattern) {
        this.cursor = cursor;
        this.count = count;
        this.pattern = pattern;
    }

    /**
     * Redis reads the cursor with strtoul: an optional sign, and "-1" wraps to 2^64-1; an empty
     * argument is cursor 0. Leading spaces, other text and overflow are refused.
     */
    static long parseCursor(byte[] arg) {
        // strtoul reads a C string: a NUL byte ends the cursor.
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        int i = 0;
        boolean negative = false;
        if (end > 0 && (arg[0] == '+' || arg[0] == '-')) {
            negative = arg[0] == '-';
            i = 1;
            if (end == 1) {
                throw invalidCursor();
            }
        }
        long v = 0;
        for (; i < end; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw invalidCursor();
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw invalidCursor();
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static CommandError invalidCursor() {
        return new CommandError("ERR invalid cursor");
    }

    /** Reads the options after the cursor, which sits at {@code args[optionsFrom - 1]}. */
    static ScanRequest parse(long cursor, byte[][] args, int optionsFrom) {
        long count = 10;
        byte[] pattern = null;
        for (int i = optionsFrom; i < args.length; i += 2) {
            boolean hasValue = i + 1 < args.length;
            if (hasValue && Args.is(args[i], "count")) {
                count = Args.toLong(args[i + 1]);
                if (count < 1) {
                    throw CommandError.syntax();
                }
            } else if (hasValue && Args.is(args[i], "match")) {
                pattern = args[i + 1];
                // "*" matches everything: Redis skips the filter for it, and so do we.
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else {
                throw CommandError.syntax();
            }
        }
        return new ScanRequest(cursor, (int) Math.min(count, Integer.MAX_VALUE), pattern);
    }

    boolean matches(byte[] member) {
        return pattern == null || Glob.matches(pattern, member);
    }

    /** The reply for a missing key: cursor 0 and no elements. */
    static void emptyPage(RespWriter r) {
        r.array(2);
        r.bulk("0");
        r.array(0);
    }

    static String cursorText(long cursor) {
        return Long.toUnsignedString(cursor);
    }
}
