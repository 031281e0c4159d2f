package dev.respite.server.command;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The timeout argument of the blocking commands, read as Redis 7.2 reads it: seconds as a long double,
 * times 1000 and rounded up to whole milliseconds; 0 means forever. A deadline past the 64-bit
 * millisecond clock is "out of range" (so is +inf), anything below zero "negative".
 */
public final class BlockingTimeout {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private BlockingTimeout() {}

    /** The timeout in milliseconds, or a CommandError with Redis's text. */
    public static long millis(byte[] arg) {
        Numbers.Parsed p = Numbers.parseLongDouble(arg);
        if (p.refusal() == Numbers.Refusal.NOT_A_NUMBER) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (p.refusal() == Numbers.Refusal.INFINITE) {
            throw new CommandError(arg[0] == '-' ? "ERR timeout is negative" : "ERR timeout is out of range");
        }
        BigDecimal ms = p.value().signum() == 0
                ? BigDecimal.ZERO
                : Numbers.toLongDouble(p.value().multiply(THOUSAND));
        if (ms == null || ms.compareTo(LONG_MAX) > 0) {
            throw new CommandError("ERR timeout is out of range");
        }
        long millis = ms.setScale(0, RoundingMode.CEILING).longValueExact();
        if (millis < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (millis > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw new CommandError("ERR timeout is out of range");
        }
        return millis;
    }
}
