package dev.respite.server.commands;

import dev.respite.server.command.CommandError;
import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.LexBound;

/**
 * A score interval as ZRANGEBYSCORE, ZCOUNT and ZREMRANGEBYSCORE take it: each end a double, {@code inf}
 * or {@code -inf}, exclusive when prefixed by {@code (}.
 */
record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
    static final String NOT_A_FLOAT = "ERR min or max is not a float";
    static final String NOT_A_LEX_ITEM = "ERR min or max not valid string range item";

    static ScoreRange parse(byte[] min, byte[] max) {
        boolean minExclusive = min.length > 0 && min[0] == '(';
        boolean maxExclusive = max.length > 0 && max[0] == '(';
        return new ScoreRange(bound(min, minExclusive), minExclusive, bound(max, maxExclusive), maxExclusive);
    }

    /** Redis reads the text after an optional '(' with strtod, for which an empty text is 0. */
    private static double bound(byte[] arg, boolean exclusive) {
        int from = exclusive ? 1 : 0;
        // Redis hands the argument to strtod as a C string: it ends at the first NUL byte, and an empty one is 0.
        int end = from;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        if (end == from) {
            return 0;
        }
        double v = Doubles.parseRangeValue(arg, from, end - from);
        if (Double.isNaN(v)) {
            throw new CommandError(NOT_A_FLOAT);
        }
        return v;
    }

    static LexBound lex(byte[] arg) {
        LexBound bound = LexBound.parse(arg);
        if (bound == null) {
            throw new CommandError(NOT_A_LEX_ITEM);
        }
        return bound;
    }
}
