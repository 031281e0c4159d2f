package dev.respite.storage.eviction;

import java.util.Locale;

/** The maxmemory-policy values: which keys may go (all, or those with a TTL) and how one is chosen. */
public enum EvictionPolicy {
    NOEVICTION(false, Order.NONE),
    ALLKEYS_LRU(false, Order.LRU),
    ALLKEYS_LFU(false, Order.LFU),
    ALLKEYS_RANDOM(false, Order.RANDOM),
    VOLATILE_LRU(true, Order.LRU),
    VOLATILE_LFU(true, Order.LFU),
    VOLATILE_RANDOM(true, Order.RANDOM),
    VOLATILE_TTL(true, Order.TTL);

    /** How candidates are ranked. */
    public enum Order {
        NONE,
        LRU,
        LFU,
        RANDOM,
        TTL
    }

    private final boolean volatileOnly;
    private final Order order;

    EvictionPolicy(boolean volatileOnly, Order order) {
        this.volatileOnly = volatileOnly;
        this.order = order;
    }

    /** Only keys with a TTL may be evicted. */
    public boolean volatileOnly() {
        return volatileOnly;
    }

    public Order order() {
        return order;
    }

    /** Whether the access word of entries holds an LFU counter rather than an LRU clock. */
    public boolean lfu() {
        return order == Order.LFU;
    }

    /** Parses Redis's name ({@code allkeys-lru}); the configuration has already checked it is one of them. */
    public static EvictionPolicy parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
