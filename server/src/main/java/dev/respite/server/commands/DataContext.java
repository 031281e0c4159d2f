package dev.respite.server.commands;

import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.storage.Keyspace;

/**
 * What a data family (strings, hashes, lists, sets, sorted sets, keys, expiry...) works with: the keyspace
 * (its databases, limits and clock, {@link Keyspace#now()}), keyspace notifications, blocked clients,
 * WATCH, and the two configuration values data commands read. Built once by the server; a test builds one
 * around a keyspace of its own.
 */
public final class DataContext {
    private final Keyspace keyspace;
    private final KeyspaceNotifier notifier;
    private final BlockedClients blocking;
    private final WatchedKeys watches;
    private final ServerConfig config;

    /** {@code config} is read at each call, so CONFIG SET applies to the next command. */
    public DataContext(
            Keyspace keyspace,
            KeyspaceNotifier notifier,
            BlockedClients blocking,
            WatchedKeys watches,
            ServerConfig config) {
        this.keyspace = keyspace;
        this.notifier = notifier;
        this.blocking = blocking;
        this.watches = watches;
        this.config = config;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /** Where families report key changes for keyspace notifications. */
    public KeyspaceNotifier notifier() {
        return notifier;
    }

    /** Where blocking commands park a client, and writers signal a key that can serve one. */
    public BlockedClients blocking() {
        return blocking;
    }

    /** WATCHed keys; a change to a whole database (SWAPDB, FLUSHDB) is reported here. */
    public WatchedKeys watches() {
        return watches;
    }

    /** proto-max-bulk-len: the largest string a command may build. */
    public long protoMaxBulkLen() {
        return config.protoMaxBulkLen;
    }

    /** maxmemory-policy as configured (RESTORE keeps an LFU or an LRU access figure by it). */
    public String maxmemoryPolicy() {
        return config.maxmemoryPolicy;
    }
}
