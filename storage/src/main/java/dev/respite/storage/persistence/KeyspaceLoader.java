package dev.respite.storage.persistence;

import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import java.io.IOException;

/**
 * Puts what an RDB file holds into a keyspace, one function library or key at a time, as the reader hands them
 * over: keys whose time has passed are left out (and told to {@code expired}), a key already present fails the
 * load unless {@code merge} replaces it. Must run on the thread that owns the keyspace.
 */
public final class KeyspaceLoader {
    private final Keyspace keyspace;
    private final SnapshotFile.ExpiredKeys expired;
    private final boolean merge;
    private final long now;
    private long loaded;
    private long expiredSkipped;

    public KeyspaceLoader(Keyspace keyspace, SnapshotFile.ExpiredKeys expired, boolean merge) {
        this.keyspace = keyspace;
        this.expired = expired;
        this.merge = merge;
        this.now = keyspace.now();
    }

    /** A function library's code, read at {@code offset}. */
    public void function(byte[] code, long offset) throws RdbFormatException {
        try {
            keyspace.functions().restore(code, merge);
        } catch (IOException e) {
            throw new RdbFormatException("Failed loading library: " + e.getMessage(), offset);
        }
    }

    /** A key, read by the time the reader was at {@code offset}. */
    public void entry(RdbEntry e, long offset) throws RdbFormatException {
        entry(e.db(), e.key(), e.value(), e.expireAt(), e.idleSeconds(), offset);
    }

    /** The same, its fields taken apart (what a batch of keys handed between threads keeps). */
    public void entry(int dbIndex, byte[] key, Object value, long fileExpireAt, long idleSeconds, long offset)
            throws RdbFormatException {
        if (dbIndex >= keyspace.count()) {
            throw new RdbFormatException(
                    "The file has database " + dbIndex + " but the server has only " + keyspace.count()
                            + " (see the databases directive)",
                    offset);
        }
        if (fileExpireAt >= 0 && fileExpireAt <= now) {
            expiredSkipped++;
            expired.skipped(dbIndex, key);
            return;
        }
        Database db = keyspace.db(dbIndex);
        long expireAt = fileExpireAt < 0 ? Entry.NO_EXPIRY : fileExpireAt;
        Entry added = db.load(key, value, expireAt);
        if (added == null && merge) {
            db.delete(key);
            added = db.load(key, value, expireAt);
        }
        if (added == null) {
            throw new RdbFormatException(
                    "Duplicate key '" + RdbReader.printable(key) + "' in database " + dbIndex, offset);
        }
        if (idleSeconds >= 0) {
            added.setAccess((int) (now / 1000 - idleSeconds));
        }
        loaded++;
    }

    /** Keys loaded so far. */
    public long loaded() {
        return loaded;
    }

    /** Keys left out so far because their time had passed. */
    public long expiredSkipped() {
        return expiredSkipped;
    }
}
