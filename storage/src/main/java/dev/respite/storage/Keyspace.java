package dev.respite.storage;

import dev.respite.storage.eviction.EvictionPolicy;
import dev.respite.storage.eviction.EvictionSettings;
import dev.respite.storage.eviction.LfuCounter;
import dev.respite.storage.types.EncodingLimits;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * All databases of the server, with the clock, change counter and statistics they share. Owned by one
 * thread: nothing here is synchronized.
 */
public final class Keyspace {
    private final Database[] databases;
    private final EncodingLimits limits;
    private final LongSupplier clock;
    private long frozenMicros = -1;
    /** Commands running (EXEC and scripts nest them), and the clock read when the outermost one started. */
    private int commandDepth;

    private long commandMillis;
    private boolean expiryHeld;
    private boolean expiryDeletes = true;
    private java.util.function.BooleanSupplier expiryDeletesHeld = () -> false;
    private KeyspaceListener listener = KeyspaceListener.NONE;
    private dev.respite.storage.persistence.FunctionLibrarySource functions =
            dev.respite.storage.persistence.FunctionLibrarySource.NONE;
    private EvictionSettings eviction = new EvictionSettings();
    private LongPredicate tableGrowth = bytes -> true;

    private boolean touchAccess = true;
    private KeyspaceSnapshot snapshot;
    private long dirty;
    private long expiredKeys;
    private long lazyfreedObjects;
    private long keyspaceHits;
    private long keyspaceMisses;

    public Keyspace(int count) {
        this(count, System::currentTimeMillis);
    }

    public Keyspace(int count, LongSupplier clock) {
        this(count, clock, new EncodingLimits());
    }

    /** A keyspace whose values follow {@code limits}, an object the configuration keeps changing. */
    public Keyspace(int count, LongSupplier clock, EncodingLimits limits) {
        this.clock = clock;
        this.limits = limits;
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

    public EvictionPolicy policy() {
        return eviction.policy;
    }

    /**
     * Follows {@code settings}, an object the configuration keeps changing. When the policy switches
     * between LRU and LFU, access words keep their bits and are read the other way until each key is next
     * touched, as in Redis.
     */
    public void useEvictionSettings(EvictionSettings settings) {
        this.eviction = settings;
    }

    /**
     * Decides whether a key table may allocate a bigger bucket array of the given bytes: the server says no
     * when that would pass maxmemory, so that growing the table does not itself cause evictions.
     */
    public void limitTableGrowth(LongPredicate allowed) {
        this.tableGrowth = allowed;
    }

    boolean allowsTableGrowth(long bytes) {
        return tableGrowth.test(bytes);
    }

    /** The LFU counter of an entry as of now (OBJECT FREQ, eviction), decayed but not incremented. */
    public int lfuFrequency(Entry e) {
        return LfuCounter.decayed(e.access, now(), eviction.lfuDecayMinutes);
    }

    /** Estimated bytes of every key and value: the dataset part of used_memory. */
    public long datasetBytes() {
        long n = 0;
        for (Database d : databases) {
            n += d.bytes();
        }
        return n;
    }

    /** Function libraries, which snapshots save and load along with the data. */
    public dev.respite.storage.persistence.FunctionLibrarySource functions() {
        return functions;
    }

    public void setFunctions(dev.respite.storage.persistence.FunctionLibrarySource functions) {
        this.functions = functions;
    }

    public EncodingLimits limits() {
        return limits;
    }

    public long now() {
        if (frozenMicros >= 0) {
            return frozenMicros / 1000;
        }
        return commandDepth > 0 ? commandMillis : clock.getAsLong();
    }

    /**
     * A command starts: until the outermost one finishes, {@link #now()} is the time it started, as Redis's
     * commandTimeSnapshot (keys expire, and TTLs and LRU clocks count, from one instant per command or
     * transaction). It also spares a clock read per key touched, which on a virtual machine costs more
     * than the lookup itself.
     */
    public void commandStarted() {
        if (commandDepth++ == 0) {
            commandMillis = clock.getAsLong();
        }
    }

    public void commandFinished() {
        commandDepth--;
    }

    /**
     * Stops time at {@code micros} for what runs until {@link #thawTime()}: a script sees one instant, so a key
     * it sets with a short TTL does not expire under it and TIME repeats, as in Redis.
     */
    public void freezeTime(long micros) {
        frozenMicros = micros;
    }

    public void thawTime() {
        frozenMicros = -1;
    }

    /** Whether time stands still (a script or a transaction runs): a nested run keeps the outer instant. */
    public boolean timeFrozen() {
        return frozenMicros >= 0;
    }

    /** Now in microseconds (TIME), or the instant time stands at. */
    public long nowMicros() {
        return frozenMicros >= 0 ? frozenMicros : clock.getAsLong() * 1000 + (System.nanoTime() / 1000) % 1000;
    }

    /**
     * The time keys expire against: the clock, except while expiry is held (a replica applying its master's
     * stream, where only the master's DELs remove keys and no past expiry deletes), when nothing has expired.
     */
    public long expiryNow() {
        return expiryHeld ? Long.MIN_VALUE : now();
    }

    public void holdExpiry(boolean held) {
        expiryHeld = held;
    }

    /**
     * Off on a replica: a key whose time passed is invisible to lookups but stays until the master's DEL,
     * so that a command the master sent before its own expiry still finds it.
     */
    public void setExpiryDeletes(boolean deletes) {
        expiryDeletes = deletes;
        if (deletes) {
            // A master again: active expiry covers every key, including those written while a replica.
            for (Database db : databases) {
                db.forgetOwnExpiring();
            }
        }
    }

    /**
     * While {@code held} answers true (CLIENT PAUSE WRITE), a key past its time is hidden from lookups but not
     * deleted, and active expiry waits: a pause must not change the dataset.
     */
    public void holdExpiryDeletesWhile(java.util.function.BooleanSupplier held) {
        expiryDeletesHeld = held;
    }

    /**
     * On a replica, a write by one of its own clients (replica-read-only no), not by the master client, which
     * runs with expiry held: a TTL set then is this replica's to enforce, since no DEL will come for it.
     */
    public boolean replicaOwnWrite() {
        return !expiryDeletes && !expiryHeld;
    }

    /** On a replica while no pause holds deletes: the keys its own clients gave a TTL may be removed. */
    public boolean replicaOwnExpiryAllowed() {
        return !expiryDeletes && !expiryDeletesHeld.getAsBoolean();
    }

    public boolean expiryDeletes() {
        return expiryDeletes && !expiryDeletesHeld.getAsBoolean();
    }

    /** Changes since start; persistence compares it to decide what to save. */
    public long dirty() {
        return dirty;
    }

    /** After a successful save: the snapshot now holds every change. */
    public void resetDirty() {
        dirty = 0;
    }

    public void addDirty(long n) {
        dirty += n;
    }

    public long expiredKeys() {
        return expiredKeys;
    }

    /** Values Redis would have freed on its background thread (INFO lazyfreed_objects). */
    public long lazyfreedObjects() {
        return lazyfreedObjects;
    }

    public void countLazyFreed(long n) {
        lazyfreedObjects += n;
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
        lazyfreedObjects = 0;
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
        beforeWholeChange();
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

    /** Off while a CLIENT NO-TOUCH client's command runs: its reads leave access times alone. */
    public void setTouchAccess(boolean touchAccess) {
        this.touchAccess = touchAccess;
    }

    /**
     * Starts a point-in-time snapshot that writes every key as it is now to {@code sink}, in small steps
     * ({@link KeyspaceSnapshot#step}) while commands keep running. Only one runs at a time.
     */
    public KeyspaceSnapshot startSnapshot(KeyspaceSnapshot.Sink sink) {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already running");
        }
        snapshot = new KeyspaceSnapshot(this, sink);
        return snapshot;
    }

    public KeyspaceSnapshot snapshot() {
        return snapshot;
    }

    void snapshotDone(KeyspaceSnapshot s) {
        if (snapshot == s) {
            snapshot = null;
        }
    }

    /** A command is about to change {@code key} in place: a running snapshot saves its current state first. */
    public void beforeWrite(Database db, byte[] key) {
        if (snapshot != null) {
            Entry e = db.table().get(key);
            if (e != null) {
                snapshot.beforeChange(db, e);
            }
        }
    }

    void beforeChange(Database db, Entry e) {
        if (snapshot != null) {
            snapshot.beforeChange(db, e);
        }
    }

    void inserted(Database db, byte[] key) {
        if (snapshot != null) {
            snapshot.inserted(db, key);
        }
    }

    /** A whole database is about to be emptied or swapped: a running snapshot completes first. */
    void beforeWholeChange() {
        if (snapshot != null) {
            snapshot.finish();
        }
    }

    void touch(Entry e) {
        if (touchAccess) {
            EvictionSettings s = eviction;
            e.access = s.policy.lfu()
                    ? LfuCounter.touch(e.access, now(), s.lfuLogFactor, s.lfuDecayMinutes)
                    : (int) (now() / 1000);
        }
    }

    /** The access word of a new key: the LRU clock, or the LFU counter at its starting value. */
    int initialAccess() {
        return eviction.policy.lfu() ? LfuCounter.initial(now()) : (int) (now() / 1000);
    }

    void evicted(Database db, byte[] key) {
        dirty++;
        listener.keyModified(db, key);
        listener.keyEvicted(db, key);
    }

    void modified(Database db, byte[] key) {
        dirty++;
        listener.keyModified(db, key);
    }

    void created(Database db, byte[] key) {
        listener.keyCreated(db, key);
    }

    void expired(Database db, byte[] key) {
        expiredKeys++;
        dirty++;
        listener.keyModified(db, key);
        listener.keyExpired(db, key);
    }
}
