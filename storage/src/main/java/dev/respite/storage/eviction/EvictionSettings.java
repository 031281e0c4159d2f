package dev.respite.storage.eviction;

/**
 * The eviction directives the keyspace reads on every access (maxmemory-policy, lfu-log-factor,
 * lfu-decay-time): one object the configuration changes in place, as with the encoding limits.
 */
public final class EvictionSettings {
    public EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    public int lfuLogFactor = 10;
    public int lfuDecayMinutes = 1;
}
