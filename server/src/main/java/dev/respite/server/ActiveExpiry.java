package dev.respite.server;

import dev.respite.storage.Keyspace;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * Reclaims expired keys nobody touches, driven by the cron on the keyspace thread. As in Redis, one cron tick
 * may spend at most a quarter of its period on it; unlike a single long pass, that time is cut into slices of
 * about a millisecond, each queued behind the I/O the event loop has waiting, so no client waits on more than
 * one slice.
 */
public final class ActiveExpiry {
    /** Registrations examined between clock readings; small enough that one batch takes microseconds. */
    private static final int BATCH = 512;

    private static final long SLICE_NANOS = 1_000_000;

    private final Keyspace keyspace;
    private final Executor loop;
    private final LongConsumer sliceMillis;
    private boolean enabled = true;
    private long tickDeadline;
    private boolean sliceQueued;
    private int nextDb;

    /** {@code sliceMillis} hears how long each slice that expired keys took (LATENCY's expire-cycle event). */
    ActiveExpiry(Keyspace keyspace, Executor loop, LongConsumer sliceMillis) {
        this.keyspace = keyspace;
        this.loop = loop;
        this.sliceMillis = sliceMillis;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Starts this tick's work: a quarter of {@code periodMillis} at most. */
    void cron(long periodMillis) {
        if (!enabled) {
            return;
        }
        tickDeadline = System.nanoTime() + periodMillis * 250_000L;
        if (!sliceQueued) {
            slice();
        }
    }

    private void slice() {
        sliceQueued = false;
        if (!enabled) {
            return;
        }
        if (keyspace.replicaOwnExpiryAllowed()) {
            // A replica expires only what its own clients wrote with a TTL; the master's DELs do the rest.
            long now = keyspace.now();
            for (int db = 0; db < keyspace.count(); db++) {
                keyspace.db(db).expireOwnKeys(now);
            }
            return;
        }
        if (!keyspace.expiryDeletes()) {
            return;
        }
        long start = System.nanoTime();
        expireFor(Math.min(start + SLICE_NANOS, tickDeadline));
        sliceMillis.accept((System.nanoTime() - start) / 1_000_000);
    }

    private void expireFor(long sliceEnd) {
        long now = keyspace.now();
        int dbs = keyspace.count();
        // Round-robin over the databases, resuming where the last slice ran out of time.
        for (int visited = 0; visited < dbs; visited++) {
            int db = (nextDb + visited) % dbs;
            while (keyspace.db(db).activeExpire(now, BATCH) == BATCH) {
                long t = System.nanoTime();
                if (t >= sliceEnd) {
                    nextDb = db;
                    if (t < tickDeadline) {
                        sliceQueued = true;
                        loop.execute(this::slice);
                    }
                    return;
                }
            }
        }
    }
}
