package dev.respite.server.commands;

/**
 * The arithmetic of BITFIELD: reading and writing integers of 1 to 64 bits at any bit offset of a byte array
 * (most significant bit first, as Redis lays them out), and Redis's overflow rules for INCRBY and SET.
 * Java's long arithmetic wraps exactly as C's uint64_t does, which the WRAP policy relies on.
 */
final class Bitfield {
    static final int WRAP = 0;
    static final int SAT = 1;
    static final int FAIL = 2;

    private Bitfield() {}

    /** Bits past the end of {@code p} read as zero. */
    static long getUnsigned(byte[] p, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++, offset++) {
            long index = offset >>> 3;
            int bit = index < p.length ? (p[(int) index] >> (7 - (int) (offset & 7))) & 1 : 0;
            value = (value << 1) | bit;
        }
        return value;
    }

    static long getSigned(byte[] p, long offset, int bits) {
        long value = getUnsigned(p, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of {@code value}; {@code p} must be long enough. */
    static void set(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            boolean on = (value & (1L << (bits - 1 - j))) != 0;
            int index = (int) (offset >>> 3);
            int mask = 1 << (7 - (int) (offset & 7));
            p[index] = (byte) (on ? p[index] | mask : p[index] & ~mask);
        }
    }

    /**
     * The result of {@code value + incr} in an unsigned field of {@code bits} bits under {@code policy}, or
     * null when it overflows and the policy is FAIL.
     */
    static Long addUnsigned(long value, long incr, int bits, int policy) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        boolean overflow = Long.compareUnsigned(value, max) > 0
                || (bits != 64 && incr > maxIncr)
                || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean underflow = !overflow && incr < 0 && incr < minIncr;
        if (!overflow && !underflow) {
            return value + incr;
        }
        return switch (policy) {
            case WRAP -> (value + incr) & ~(-1L << bits);
            case SAT -> overflow ? max : 0L;
            default -> null;
        };
    }

    /** As {@link #addUnsigned} for a signed (two's complement) field. */
    static Long addSigned(long value, long incr, int bits, int policy) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        boolean overflow = value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr);
        boolean underflow = !overflow
                && (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr));
        if (!overflow && !underflow) {
            return value + incr;
        }
        return switch (policy) {
            case WRAP -> {
                long c = value + incr;
                if (bits < 64) {
                    long mask = -1L << bits;
                    c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
                }
                yield c;
            }
            case SAT -> overflow ? max : min;
            default -> null;
        };
    }
}
