package dev.respite.server.config;

/**
 * maxmemory-clients: how much memory all normal and pub/sub clients together may use before the largest are
 * disconnected, in bytes (with a unit) or as a percentage of maxmemory, stored as Redis stores it: a negative
 * number is a percentage. 0 turns client eviction off.
 */
public final class MaxmemoryClients {
    /** Redis's floor: a smaller limit would cut off every client, the one that could raise it included. */
    static final long MIN_BYTES = 128 * 1024;

    private long value;

    /** The limit in force in bytes, 0 when there is none (also for a percentage while maxmemory is 0). */
    public long bytes(long maxmemory) {
        long limit;
        if (value < 0 && maxmemory > 0) {
            limit = (long) ((double) maxmemory * -value / 100);
        } else if (value > 0) {
            limit = value;
        } else {
            return 0;
        }
        return Math.max(limit, MIN_BYTES);
    }

    void set(String text) throws ConfigValueException {
        value = parse(text);
    }

    /** Bytes, or a percentage below 0 (Redis reads "0%" as 0, which CONFIG GET shows as "0"). */
    static long parse(String text) throws ConfigValueException {
        try {
            return Units.parseMemory(text);
        } catch (ConfigValueException notMemory) {
            long percent = text.length() > 1 && text.endsWith("%") ? percent(text) : -1;
            if (percent < 0) {
                throw new ConfigValueException("argument must be a memory or percent value");
            }
            if (percent > 100) {
                throw new ConfigValueException("percentage argument must be less or equal to 100");
            }
            return -percent;
        }
    }

    /** The number before '%' as Redis's string2ll reads it; -1 when it is not one. */
    private static long percent(String text) {
        String digits = text.substring(0, text.length() - 1);
        if (!digits.matches("0|-?[1-9][0-9]{0,18}")) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return -1;
        }
    }

    /** As CONFIG GET and CONFIG REWRITE show it: bytes, or the percentage with its sign. */
    @Override
    public String toString() {
        return value < 0 ? -value + "%" : Long.toString(value);
    }
}
