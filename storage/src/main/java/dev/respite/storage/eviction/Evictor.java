package dev.respite.storage.eviction;

import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Frees memory by evicting keys until the used figure is back under maxmemory, as Redis's
 * performEvictions does: on the keyspace thread, before a command that may grow the dataset, and from the
 * cron while a lowered limit is still exceeded. Each call runs for at most a time limit derived from
 * maxmemory-eviction-tenacity, so a large overshoot is worked off over several calls.
 */
public final class Evictor {
    /** What a call achieved. */
    public enum Result {
        /** Used memory is within the limit. */
        OK,
        /** Still over the limit, but keys were evicted and more can be: the cron continues. */
        RUNNING,
        /** Over the limit and nothing can be evicted: writes that may grow memory are refused. */
        FAIL
    }

    private final Keyspace keyspace;
    private final EvictionPool pool = new EvictionPool();
    private final Sampler sampler = new Sampler();
    private int nextRandomDb;
    private long evictedKeys;

    public Evictor(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    public long evictedKeys() {
        return evictedKeys;
    }

    public void resetStats() {
        evictedKeys = 0;
    }

    /**
     * Evicts under {@code policy} until {@code used} is at most {@code limit}, sampling {@code samples}
     * keys per database for each choice, for at most {@code timeLimitMicros}.
     */
    public Result perform(EvictionPolicy policy, long limit, LongSupplier used, int samples, long timeLimitMicros) {
        if (used.getAsLong() <= limit) {
            return Result.OK;
        }
        if (policy == EvictionPolicy.NOEVICTION) {
            return Result.FAIL;
        }
        long deadline = System.nanoTime() + timeLimitMicros * 1000;
        int evicted = 0;
        while (used.getAsLong() > limit) {
            Database db = policy.order() == EvictionPolicy.Order.RANDOM
                    ? randomVictim(policy)
                    : pooledVictim(policy, samples);
            if (db == null) {
                return evicted == 0 ? Result.FAIL : Result.RUNNING;
            }
            db.evict(sampler.victim);
            sampler.victim = null;
            evictedKeys++;
            evicted++;
            // Reading the clock costs more than an eviction: look at it every 16.
            if ((evicted & 15) == 0 && System.nanoTime() > deadline) {
                return Result.RUNNING;
            }
        }
        return Result.OK;
    }

    /** Redis's eviction time limit: 50 µs per tenacity step up to 10, then growing 15 % a step; 100 is unbounded. */
    public static long timeLimitMicros(int tenacity) {
        if (tenacity <= 10) {
            return 50L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE / 1000;
    }

    /** The chosen database, with its victim in {@code sampler.victim}; null when no key may be evicted. */
    private Database pooledVictim(EvictionPolicy policy, int samples) {
        for (int round = 0; round < 4; round++) {
            boolean sampled = false;
            for (int i = 0; i < keyspace.count(); i++) {
                Database db = keyspace.db(i);
                if (policy.volatileOnly() ? db.expiringKeys() == 0 : db.size() == 0) {
                    continue;
                }
                sampled = true;
                sampler.start(policy, i);
                if (policy.volatileOnly()) {
                    db.sampleExpiring(samples, sampler);
                } else {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int s = 0; s < samples; s++) {
                        Entry e = db.sampleEntry(rnd);
                        if (e != null) {
                            sampler.accept(e);
                        }
                    }
                }
            }
            if (!sampled) {
                pool.clear();
                return null;
            }
            while (!pool.isEmpty()) {
                Database db = keyspace.db(pool.bestDb());
                Entry e = db.entryFor(pool.popKey());
                // The candidate may have been deleted, replaced or persisted since it was sampled.
                if (e != null && (!policy.volatileOnly() || e.hasExpiry())) {
                    sampler.victim = e;
                    return db;
                }
            }
        }
        return null;
    }

    private Database randomVictim(EvictionPolicy policy) {
        int n = keyspace.count();
        for (int k = 0; k < n; k++) {
            int i = (nextRandomDb + k) % n;
            Database db = keyspace.db(i);
            if (policy.volatileOnly() ? db.expiringKeys() == 0 : db.size() == 0) {
                continue;
            }
            nextRandomDb = (i + 1) % n;
            if (policy.volatileOnly()) {
                sampler.start(policy, i);
                db.sampleExpiring(1, sampler);
                return sampler.victim == null ? null : db;
            }
            sampler.victim = db.sampleEntry(ThreadLocalRandom.current());
            return sampler.victim == null ? null : db;
        }
        return null;
    }

    /** Scores sampled entries into the pool; for volatile-random it just keeps the first one. */
    private final class Sampler implements Consumer<Entry> {
        EvictionPolicy policy;
        int db;
        long nowMillis;
        Entry victim;

        void start(EvictionPolicy policy, int db) {
            this.policy = policy;
            this.db = db;
            this.nowMillis = keyspace.now();
        }

        @Override
        public void accept(Entry e) {
            switch (policy.order()) {
                case LRU -> pool.offer(db, e, Math.max(0, nowMillis / 1000 - e.access()));
                case LFU -> pool.offer(db, e, 255 - keyspace.lfuFrequency(e));
                case TTL -> pool.offer(db, e, Long.MAX_VALUE - e.expireAt());
                default -> {
                    if (victim == null) {
                        victim = e;
                    }
                }
            }
        }
    }
}
