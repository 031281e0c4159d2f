package dev.respite.server.config;

/** Redis's spellings of configuration values: memory sizes and yes/no flags. */
public final class Units {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    private Units() {}

    /**
     * Parses a memory size the way Redis's memtoull does: decimal digits followed by an optional case-insensitive
     * unit, {@code b} (1), {@code k} (1000), {@code kb} (1024), {@code m} (10^6), {@code mb} (2^20), {@code g}
     * (10^9) or {@code gb} (2^30). No sign, space or fraction is allowed. As in Redis, missing digits count as 0
     * ({@code ""} and {@code "mb"} are 0). Unlike Redis, which wraps or saturates, sizes beyond
     * {@link Long#MAX_VALUE} are rejected.
     *
     * @throws ConfigValueException "argument must be a memory value"
     */
    public static long parseMemory(String value) throws ConfigValueException {
        int digitsEnd = 0;
        while (digitsEnd < value.length() && value.charAt(digitsEnd) >= '0' && value.charAt(digitsEnd) <= '9') {
            digitsEnd++;
        }
        long multiplier = unitMultiplier(value.substring(digitsEnd));
        long number = 0;
        for (int i = 0; i < digitsEnd; i++) {
            int digit = value.charAt(i) - '0';
            if (number > (Long.MAX_VALUE - digit) / 10) {
                throw notMemory();
            }
            number = number * 10 + digit;
        }
        if (number > Long.MAX_VALUE / multiplier) {
            throw notMemory();
        }
        return number * multiplier;
    }

    private static long unitMultiplier(String unit) throws ConfigValueException {
        if (unit.isEmpty() || equalsAsciiIgnoreCase(unit, "b")) {
            return 1;
        }
        if (equalsAsciiIgnoreCase(unit, "k")) {
            return 1000;
        }
        if (equalsAsciiIgnoreCase(unit, "kb")) {
            return KB;
        }
        if (equalsAsciiIgnoreCase(unit, "m")) {
            return 1000 * 1000;
        }
        if (equalsAsciiIgnoreCase(unit, "mb")) {
            return MB;
        }
        if (equalsAsciiIgnoreCase(unit, "g")) {
            return 1000L * 1000 * 1000;
        }
        if (equalsAsciiIgnoreCase(unit, "gb")) {
            return GB;
        }
        throw notMemory();
    }

    /**
     * C's strcasecmp against a lowercase ASCII word. String.equalsIgnoreCase would also fold non-ASCII look-alikes
     * (the Kelvin sign equals 'k'), which Redis does not accept.
     */
    private static boolean equalsAsciiIgnoreCase(String value, String lowercaseWord) {
        if (value.length() != lowercaseWord.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != lowercaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static ConfigValueException notMemory() {
        return new ConfigValueException("argument must be a memory value");
    }

    /**
     * Parses {@code yes} or {@code no}, in any case.
     *
     * @throws ConfigValueException "argument must be 'yes' or 'no'"
     */
    public static boolean parseBoolean(String value) throws ConfigValueException {
        if (equalsAsciiIgnoreCase(value, "yes")) {
            return true;
        }
        if (equalsAsciiIgnoreCase(value, "no")) {
            return false;
        }
        throw new ConfigValueException("argument must be 'yes' or 'no'");
    }

    /** How CONFIG GET shows a boolean. */
    public static String formatBoolean(boolean value) {
        return value ? "yes" : "no";
    }

    /** How CONFIG GET shows a memory size: the plain byte count (maxmemory 1mb reads back as 1048576). */
    public static String formatMemory(long bytes) {
        return Long.toString(bytes);
    }

    /**
     * How CONFIG REWRITE writes a memory size: in the largest of gb, mb and kb that divides it exactly, else in
     * bytes (1048576 is written 1mb, 0 is written 0).
     */
    public static String formatMemoryWithUnit(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "gb";
        }
        if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "mb";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return Long.toString(bytes);
    }
}
