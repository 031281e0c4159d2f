package dev.respite.storage.types;

import java.util.Arrays;

/**
 * One end of a lexicographic range as ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX take it: {@code -}
 * (below everything), {@code +} (above everything), {@code [member} (inclusive) or {@code (member}
 * (exclusive). Members compare as unsigned bytes.
 */
public final class LexBound {
    /** The {@code -} bound: sorts before every member. */
    public static final LexBound NEGATIVE_INFINITY = new LexBound(null, false, -1);
    /** The {@code +} bound: sorts after every member. */
    public static final LexBound POSITIVE_INFINITY = new LexBound(null, false, 1);

    private final byte[] member;
    private final boolean inclusive;
    private final int infinity;

    private LexBound(byte[] member, boolean inclusive, int infinity) {
        this.member = member;
        this.inclusive = inclusive;
        this.infinity = infinity;
    }

    public static LexBound inclusive(byte[] member) {
        return new LexBound(member, true, 0);
    }

    public static LexBound exclusive(byte[] member) {
        return new LexBound(member, false, 0);
    }

    /** Parses a command argument; returns null when it is not a valid bound ("min or max not valid string range item"). */
    public static LexBound parse(byte[] arg) {
        if (arg.length == 0) {
            return null;
        }
        switch (arg[0]) {
            case '+':
                return arg.length == 1 ? POSITIVE_INFINITY : null;
            case '-':
                return arg.length == 1 ? NEGATIVE_INFINITY : null;
            case '[':
                return inclusive(Arrays.copyOfRange(arg, 1, arg.length));
            case '(':
                return exclusive(Arrays.copyOfRange(arg, 1, arg.length));
            default:
                return null;
        }
    }

    /** The member, or null for the infinite bounds. */
    public byte[] member() {
        return member;
    }

    public boolean isInclusive() {
        return inclusive;
    }

    /** -1 for {@code -}, 1 for {@code +}, 0 for a member bound. */
    public int infinity() {
        return infinity;
    }
}
