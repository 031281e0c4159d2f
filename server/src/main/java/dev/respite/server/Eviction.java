package dev.respite.server;

import dev.respite.server.config.ServerConfig;
import dev.respite.server.info.MemoryAccounting;
import dev.respite.storage.Keyspace;
import dev.respite.storage.eviction.Evictor;
import java.util.function.LongSupplier;

/**
 * maxmemory enforcement: the keyspace's evictor run under the configured policy against used_memory, and the
 * limit within which key tables may grow.
 */
public final class Eviction {
    private final Evictor evictor;
    private final ServerConfig config;
    private final LongSupplier usedMemory;

    public Eviction(Keyspace keyspace, ServerConfig config, MemoryAccounting memory) {
        this.evictor = new Evictor(keyspace);
        this.config = config;
        this.usedMemory = memory::memoryForEviction;
        keyspace.limitTableGrowth(this::fitsAfterAllocation);
    }

    /**
     * Whether {@code bytes} more would keep the memory maxmemory is compared with within it (always, without a
     * limit): Redis's overMaxmemoryAfterAlloc, which a key table asks before growing its bucket array.
     */
    private boolean fitsAfterAllocation(long bytes) {
        long limit = config.maxmemory;
        return limit == 0 || usedMemory.getAsLong() + bytes <= limit;
    }

    /** One bounded round of eviction under the configured policy; FAIL means writes must be refused. */
    public Evictor.Result evictIfNeeded() {
        return evictor.perform(
                config.eviction.policy,
                config.maxmemory,
                usedMemory,
                config.maxmemorySamples,
                Evictor.timeLimitMicros(config.maxmemoryEvictionTenacity));
    }

    /**
     * Works off an overshoot left by a lowered maxmemory or by a time-limited round in a command, for up to a
     * quarter of the cron period (Redis keeps a timer event running for the same purpose).
     */
    public void cron() {
        if (config.maxmemory > 0) {
            long cronBudget = Math.max(Evictor.timeLimitMicros(config.maxmemoryEvictionTenacity), 250_000L / config.hz);
            evictor.perform(config.eviction.policy, config.maxmemory, usedMemory, config.maxmemorySamples, cronBudget);
        }
    }

    /** INFO evicted_keys. */
    public long evictedKeys() {
        return evictor.evictedKeys();
    }

    public void resetStats() {
        evictor.resetStats();
    }
}
