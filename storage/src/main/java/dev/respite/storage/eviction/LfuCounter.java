package dev.respite.storage.eviction;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's LFU approximation packed into an entry's access word: the low 8 bits are a logarithmic access
 * counter, the 16 bits above them the minute (modulo 2^16) it was last decremented. The counter grows with
 * probability 1 / ((counter - 5) * log-factor + 1), so it saturates at 255 only after about a million hits
 * with the default factor, and loses one per lfu-decay-time minutes without access.
 */
public final class LfuCounter {
    /** New keys start here so that they are not the first to go before they had a chance to be read. */
    public static final int INITIAL = 5;

    private static final int MAX = 255;

    private LfuCounter() {}

    /** The access word of a key created now. */
    public static int initial(long nowMillis) {
        return (minutes(nowMillis) << 8) | INITIAL;
    }

    /** The access word after one access: decay for the time elapsed, then a probabilistic increment. */
    public static int touch(int access, long nowMillis, int logFactor, int decayMinutes) {
        int counter = decayed(access, nowMillis, decayMinutes);
        if (counter < MAX) {
            int base = Math.max(0, counter - INITIAL);
            double p = 1.0 / ((double) base * logFactor + 1);
            if (ThreadLocalRandom.current().nextDouble() < p) {
                counter++;
            }
        }
        return (minutes(nowMillis) << 8) | counter;
    }

    /** The counter as it stands now, once the minutes since its last decrement are taken off. */
    public static int decayed(int access, long nowMillis, int decayMinutes) {
        int counter = access & 0xff;
        if (decayMinutes <= 0) {
            return counter;
        }
        int last = (access >>> 8) & 0xffff;
        int now = minutes(nowMillis);
        int elapsed = now >= last ? now - last : 0xffff - last + now;
        int periods = elapsed / decayMinutes;
        return periods >= counter ? 0 : counter - periods;
    }

    private static int minutes(long nowMillis) {
        return (int) ((nowMillis / 60_000) & 0xffff);
    }
}
