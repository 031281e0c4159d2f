package dev.respite.storage;

import dev.respite.storage.types.EncodingLimits;

import java.util.function.LongSupplier;

/**
 * All databases of the server, with the clock, change counter and statistics they share. Owned by one
 * thread: nothing here is synchronized.
 */
public final class Keyspace {
    private final Database[] databases;
    private final EncodingLimits limits = new EncodingLimits();
    private final LongSupplier clock;
    private KeyspaceListener listener = KeyspaceListener.NONE;

    private long dirty;
    private long expiredKeys;
    private long keyspaceHits;
    private long keyspaceMisses;

    public Keyspace(int count) {
        this(count, System::currentTimeMillis);
    }

    public Keyspace(int count, LongSupplier clock) {
        this.clock = clock;
        databases = new Database[count];
        for (int i = 0; i < count; i++) {
            databases[i] = new Database(this, i);
        }
    }

    public void setListener(KeyspaceListener listener) {
        this.listener = listener;
    }

    public int count() {
        return databases.length;
    }

    public Database db(int index) {
        return databases[index];
    }

    public EncodingLimits limits() {
        return limits;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** Changes since start; persistence compares it to decide what to save. */
    public long dirty() {
        return dirty;
    }

    public void addDirty(long n) {
        dirty += n;
    }

    public long expiredKeys() {
        return expiredKeys;
    }

    public long keyspaceHits() {
        return keyspaceHits;
    }

    public long keyspaceMisses() {
        return keyspaceMisses;
    }

    public void countHit(boolean hit) {
        if (hit) {
            keyspaceHits++;
        } else {
            keyspaceMisses++;
        }
    }

    public void resetStats() {
        expiredKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
    }

    public long totalKeys() {
        long n = 0;
        for (Database d : databases) {
            n += d.size();
        }
        return n;
    }

    public long flushAll() {
        long n = 0;
        for (Database d : databases) {
            n += d.clear();
        }
        dirty += n;
        return n;
    }

    public void swap(int a, int b) {
        databases[a].swapContents(databases[b]);
    }

    void touch(Entry e) {
        e.access = (int) (now() / 1000);
    }

    void modified(Database db, byte[] key) {
        dirty++;
        listener.keyModified(db, key);
    }

    void expired(Database db, byte[] key) {
        expiredKeys++;
        dirty++;
        listener.keyModified(db, key);
        listener.keyExpired(db, key);
    }
}
