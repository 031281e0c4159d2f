package dev.respite.server.commands;

import dev.respite.server.blocking.BlockedClients;
import dev.respite.server.command.WatchedKeys;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.server.pubsub.KeyspaceNotifier;
import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;

/**
 * What a data family (strings, hashes, lists, sets, sorted sets, keys, expiry...) works with: the keyspace
 * (its databases, limits and clock, {@link Keyspace#now()}), keyspace notifications, blocked clients,
 * WATCH, and the two configuration values data commands read. Built once by the server; a test builds one
 * around a keyspace of its own. It also holds the two write rules every collection family follows: what
 * happens after members leave a collection ({@link #removed}) and how a STORE form writes its destination
 * ({@link #storeOrDelete}).
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

    /** lazyfree-lazy-user-del: DEL frees as UNLINK does. */
    public boolean lazyfreeUserDel() {
        return config.lazyfreeLazyUserDel;
    }

    /** sanitize-dump-payload: no, yes or clients. */
    public String sanitizeDumpPayload() {
        return config.sanitizeDumpPayload;
    }

    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION is on: RESTORE does not check payload checksums. */
    public boolean skipChecksumValidation() {
        return config.skipChecksumValidation;
    }

    /** cluster-enabled: only database 0 exists for commands then. */
    public boolean clusterEnabled() {
        return config.cluster.enabled;
    }

    /** maxmemory-policy as configured (RESTORE keeps an LFU or an LRU access figure by it). */
    public String maxmemoryPolicy() {
        return config.maxmemoryPolicy;
    }

    /**
     * Makes a command's share of INFO's dirty counter exactly {@code changes}, the figure Redis counts for it,
     * whatever creating, signalling and deleting keys added since {@code dirtyBefore}: taken after the
     * command's lookups, so that a key expired by them still counts.
     */
    public void countChanges(long dirtyBefore, long changes) {
        keyspace.addDirty(dirtyBefore + changes - keyspace.dirty());
    }

    /**
     * After members left the collection at {@code key} (HDEL, SREM, LPOP, ZREM, LTRIM...): publishes
     * {@code event} in class {@code type}, then deletes the key with a "del" event when the collection is
     * now {@code empty}, otherwise reports the in-place change. That is Redis's order of events.
     */
    public void removed(Database db, byte[] key, boolean empty, int type, String event) {
        notifier.notify(type, event, db, key);
        if (empty) {
            db.delete(key);
            notifier.notify(KeyspaceEvents.GENERIC, "del", db, key);
        } else {
            db.signalModified(key);
        }
    }

    /**
     * The STORE forms' write (SINTERSTORE, ZUNIONSTORE, GEOSEARCHSTORE, SORT ... STORE...): a non-empty
     * {@code result} replaces whatever {@code destination} held, TTL included, and {@code event} is published
     * in class {@code type}; an {@code empty} result deletes the destination instead, with a "del" event if
     * it existed. Returns whether the keyspace changed.
     */
    public boolean storeOrDelete(
            Database db, byte[] destination, Object result, boolean empty, int type, String event) {
        if (empty) {
            if (!db.delete(destination)) {
                return false;
            }
            notifier.notify(KeyspaceEvents.GENERIC, "del", db, destination);
            return true;
        }
        db.set(destination, result);
        notifier.notify(type, event, db, destination);
        return true;
    }
}
