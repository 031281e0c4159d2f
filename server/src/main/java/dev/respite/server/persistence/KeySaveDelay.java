package dev.respite.server.persistence;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * rdb-key-save-delay: microseconds a snapshot walk (BGSAVE, AOF rewrite, a replica's payload) waits after
 * each key, so that a save can be caught in progress. A negative value -N waits one microsecond after one
 * key in N on average, as Redis does. The walk is never put to sleep on the keyspace thread: it asks
 * {@link #holding()} and, while held, comes back later; a delay set back to 0 releases it at once.
 */
public final class KeySaveDelay {
    /** How long a held walk waits before asking again. */
    public static final long RECHECK_NANOS = 10_000_000;

    private final IntSupplier micros;
    private long resumeAt;

    public KeySaveDelay(IntSupplier micros) {
        this.micros = micros;
    }

    /** Whether a delay is configured: the walk then steps one bucket at a time. */
    public boolean active() {
        return micros.getAsInt() != 0;
    }

    /** Buckets to walk per step: one while a delay is configured, {@code normal} otherwise. */
    public int bucketsPerStep(int normal) {
        return active() ? 1 : normal;
    }

    /** Called for each key the walk writes. */
    public void keySaved() {
        int d = micros.getAsInt();
        if (d == 0) {
            return;
        }
        long wait = d > 0 ? d * 1000L : (ThreadLocalRandom.current().nextInt(-d) == 0 ? 1000L : 0L);
        if (wait > 0) {
            resumeAt = Math.max(resumeAt, System.nanoTime()) + wait;
        }
    }

    /** Whether the walk must wait now; false as soon as the delay is set back to 0. */
    public boolean holding() {
        if (resumeAt == 0) {
            return false;
        }
        if (micros.getAsInt() == 0 || System.nanoTime() - resumeAt >= 0) {
            resumeAt = 0;
            return false;
        }
        return true;
    }

    /** Nanoseconds to wait before asking {@link #holding()} again. */
    public long recheckNanos() {
        return Math.max(1, Math.min(RECHECK_NANOS, resumeAt - System.nanoTime()));
    }
}
