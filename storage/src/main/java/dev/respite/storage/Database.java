package dev.respite.storage;

import dev.respite.storage.eviction.EntryFootprint;
import dev.respite.storage.expiry.ExpiryCallback;
import dev.respite.storage.expiry.ExpiryWheel;
import dev.respite.storage.types.AccountedValue;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One numbered database: keys, values and expiry times. An expired key is invisible: every lookup checks
 * it and removes it on the spot. Every change goes through here or is reported with
 * {@link #signalModified}, so WATCH and the change counter see it.
 */
public final class Database {
    /** Wheel geometry: 100 ms ticks (the default hz) and a rotation of about 102 seconds. */
    private static final int WHEEL_SLOTS = 1024;

    private static final long WHEEL_TICK_MILLIS = 100;

    private final Keyspace keyspace;
    private final int index;
    private final Reaper reaper = new Reaper();
    private KeyTable table;
    private ExpiryWheel<Entry> wheel = new ExpiryWheel<>(WHEEL_SLOTS, WHEEL_TICK_MILLIS);
    private int expiring;
    /** Sum of the footprints of this database's entries: the dataset part of used_memory. */
    private long bytes;
    /** Where the next sample of keys with a TTL starts (they are found by walking the table). */
    private long sampleCursor;

    private final ExpiringSampler expiringSampler = new ExpiringSampler();
    /** Cluster mode's keys-by-slot index; null otherwise. */
    private KeyIndex keyIndex;
    /**
     * On a writable replica: entries its own clients gave a TTL, which it expires itself (the master knows
     * nothing of them), as Redis 7.2 tracks them apart; null until there is one.
     */
    private Set<Entry> ownExpiring;

    Database(Keyspace keyspace, int index) {
        this.keyspace = keyspace;
        this.index = index;
        this.table = newTable();
    }

    private KeyTable newTable() {
        return new KeyTable(keyspace::allowsTableGrowth);
    }

    /** Keeps {@code index} up to date from now on (the database must be empty). */
    public void setKeyIndex(KeyIndex index) {
        this.keyIndex = index;
    }

    public int index() {
        return index;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public int size() {
        return table.size();
    }

    /** Estimated bytes of this database's keys and values alone. */
    public long entryBytes() {
        return bytes;
    }

    /** Estimated bytes of this database's keys and values, plus its table's bucket array. */
    public long bytes() {
        return bytes + (long) KeyTable.BUCKET_BYTES * table.buckets();
    }

    /** Keys with a TTL. */
    public int expiringKeys() {
        return expiring;
    }

    /** Average remaining TTL in milliseconds of keys with one, estimated from a sample (INFO avg_ttl). */
    public long averageTtl() {
        if (expiring == 0) {
            return 0;
        }
        long now = keyspace.now();
        long sum = 0;
        int n = 0;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom();
        for (int i = 0; i < 256 && n < 64; i++) {
            Entry e = table.random(rnd);
            if (e != null && e.expireAt != Entry.NO_EXPIRY && e.expireAt > now) {
                sum += e.expireAt - now;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** The live entry for a key, or null; an expired one is removed first. Counts as an access. */
    public Entry lookup(byte[] key) {
        Entry e = peek(key);
        if (e != null) {
            keyspace.touch(e);
        }
        return e;
    }

    /** Like {@link #lookup} but without counting as an access (TYPE-like inspection, OBJECT). */
    public Entry peek(byte[] key) {
        Entry e = table.get(key);
        if (e == null) {
            return null;
        }
        if (e.expireAt != Entry.NO_EXPIRY && e.expireAt <= keyspace.expiryNow()) {
            if (keyspace.expiryDeletes()) {
                expire(e);
            }
            return null;
        }
        return e;
    }

    /**
     * The live entry for a key, or null, without any side effect: a key past its time is reported missing
     * but stays, so that nothing is deleted (nor propagated) by looking (Redis's LOOKUP_NOEFFECTS).
     */
    public Entry peekWithoutExpiring(byte[] key) {
        Entry e = table.get(key);
        return e == null || (e.expireAt != Entry.NO_EXPIRY && e.expireAt <= keyspace.expiryNow()) ? null : e;
    }

    /** The value of a live key, or null. */
    public Object get(byte[] key) {
        Entry e = lookup(key);
        return e == null ? null : e.value;
    }

    public boolean exists(byte[] key) {
        return peek(key) != null;
    }

    /** Sets a key's value and drops any TTL it had (SET semantics). */
    public Entry set(byte[] key, Object value) {
        Entry e = peek(key);
        long before = 0;
        if (e == null) {
            e = insert(key, value);
        } else {
            keyspace.beforeChange(this, e);
            before = counted(e);
            e.value = value;
            clearExpiry(e);
            keyspace.touch(e);
        }
        changed(e, before);
        return e;
    }

    /** Sets a key's value keeping its TTL (KEEPTTL, in-place updates that replace the object). */
    public Entry setKeepTtl(byte[] key, Object value) {
        Entry e = peek(key);
        if (e == null) {
            e = insert(key, value);
            changed(e, 0);
        } else {
            replaceValue(e, value);
        }
        return e;
    }

    /**
     * Gives a live entry the caller just looked up a new value, keeping its TTL (Redis's dbReplaceValue): a
     * read-modify-write such as INCR needs one lookup, not a second one to store the result.
     */
    public void replaceValue(Entry e, Object value) {
        keyspace.beforeChange(this, e);
        long before = counted(e);
        e.value = value;
        keyspace.touch(e);
        changed(e, before);
    }

    /** Adds a key the caller knows is absent (a new hash, list...). */
    public Entry add(byte[] key, Object value) {
        Entry e = insert(key, value);
        changed(e, 0);
        return e;
    }

    /**
     * Adds a key read from a snapshot at startup: no change is signalled or counted, as the data is not new.
     * Returns null when the key is already present (a damaged file), leaving the present one alone.
     */
    public Entry load(byte[] key, Object value, long expireAt) {
        if (table.get(key) != null) {
            return null;
        }
        Entry e = table.insert(key, value);
        if (keyIndex != null) {
            keyIndex.added(key);
        }
        e.access = keyspace.initialAccess();
        if (expireAt != Entry.NO_EXPIRY) {
            e.expireAt = expireAt;
            expiring++;
            wheel.schedule(e, expireAt);
        }
        recount(e, 0);
        return e;
    }

    public boolean delete(byte[] key) {
        Entry e = peek(key);
        if (e == null) {
            return false;
        }
        removeEntry(e);
        signalModified(key);
        return true;
    }

    /** Sets an absolute expiry in Unix milliseconds; the caller deletes keys whose time already passed. */
    public void setExpireAt(Entry e, long unixMillis) {
        keyspace.beforeChange(this, e);
        long before = counted(e);
        if (e.expireAt == Entry.NO_EXPIRY) {
            expiring++;
        }
        if (e.expireAt != unixMillis) {
            e.expireAt = unixMillis;
            wheel.schedule(e, unixMillis);
        }
        if (keyspace.replicaOwnWrite()) {
            if (ownExpiring == null) {
                ownExpiring = new HashSet<>();
            }
            ownExpiring.add(e);
        }
        changed(e, before);
    }

    /**
     * A writable replica's active expiry: removes the keys its own clients gave a TTL once that passed, and
     * forgets those gone or persisted meanwhile. Returns how many it removed.
     */
    public int expireOwnKeys(long now) {
        if (ownExpiring == null) {
            return 0;
        }
        int removed = 0;
        for (Iterator<Entry> it = ownExpiring.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.expireAt == Entry.NO_EXPIRY || table.get(e.key) != e) {
                it.remove();
            } else if (e.expireAt <= now) {
                it.remove();
                expire(e);
                removed++;
            }
        }
        return removed;
    }

    void forgetOwnExpiring() {
        ownExpiring = null;
    }

    /**
     * One bounded step of active expiry: removes keys whose time has passed without anyone touching them,
     * examining at most {@code budget} expiry registrations. Returns how many it examined; fewer than the
     * budget means every key due by {@code now} is gone.
     */
    public int activeExpire(long now, int budget) {
        reaper.examined = 0;
        wheel.advance(now, budget, reaper);
        return reaper.examined;
    }

    /** Removes a TTL; true if there was one. */
    public boolean persist(Entry e) {
        if (e.expireAt == Entry.NO_EXPIRY) {
            return false;
        }
        keyspace.beforeChange(this, e);
        long before = counted(e);
        clearExpiry(e);
        changed(e, before);
        return true;
    }

    /**
     * Reports an in-place change of a value (HSET on an existing hash, LPUSH on a list...), and every other
     * change made here: it refreshes the key's size estimate, so the dataset total follows every write.
     */
    public void signalModified(byte[] key) {
        Entry e = table.get(key);
        if (e != null) {
            recount(e, counted(e));
        }
        keyspace.modified(this, key);
    }

    /** The entry for a key as stored, expired or not, without any side effect (eviction candidates, propagation). */
    public Entry entryFor(byte[] key) {
        return table.get(key);
    }

    /** A random entry for eviction sampling, expired or not; null when empty. */
    public Entry sampleEntry(RandomGenerator rnd) {
        return table.random(rnd);
    }

    /**
     * Offers up to {@code n} entries with a TTL to {@code sink}, walking the table from where the last
     * sample stopped (there is no separate index of them). The walk stops after a bounded number of entries
     * once it has found one, but goes on (over the whole table at worst) until it finds one: when a key has a
     * TTL, a sample always offers one, as sampling Redis's expires dict does.
     */
    public void sampleExpiring(int n, Consumer<Entry> sink) {
        if (expiring == 0) {
            return;
        }
        ExpiringSampler s = expiringSampler;
        s.sink = sink;
        s.wanted = n;
        s.found = 0;
        s.visited = 0;
        int limit = Math.max(1024, n * 64);
        // The cursor passes 0 once per lap: by the second time the walk has covered every bucket.
        int wraps = 0;
        do {
            sampleCursor = table.scan(sampleCursor, n, s);
            if (sampleCursor == 0) {
                wraps++;
            }
        } while (s.found < n && (s.found == 0 || s.visited < limit) && wraps < 2);
        s.sink = null;
    }

    /** Removes a key chosen by the eviction policy, reported as evicted (notifications, WATCH, the AOF). */
    public void evict(Entry e) {
        removeEntry(e);
        keyspace.evicted(this, e.key);
    }

    public Entry randomEntry(RandomGenerator rnd) {
        for (int tries = 0; tries < 100 && table.size() > 0; tries++) {
            Entry e = table.random(rnd);
            if (e.expireAt == Entry.NO_EXPIRY || e.expireAt > keyspace.expiryNow()) {
                return e;
            }
            if (keyspace.expiryDeletes()) {
                expire(e);
            }
        }
        return table.random(rnd);
    }

    /**
     * One SCAN step: visits the stored entries, expired or not (SCAN removes the expired ones it meets, as
     * Redis does, once the step is over), and returns the next cursor.
     */
    public long scan(long cursor, int count, Consumer<Entry> visitor) {
        return table.scan(cursor, count, visitor);
    }

    /** Visits every live entry; the visitor must not change the table. */
    public void forEach(Consumer<Entry> visitor) {
        long now = keyspace.now();
        table.forEach(e -> {
            if (e.expireAt == Entry.NO_EXPIRY || e.expireAt > now) {
                visitor.accept(e);
            }
        });
    }

    /**
     * Every key held, including those whose time passed but that no deletion removed yet: a snapshot saves them as
     * Redis does, and the load that reads it decides (a master leaves them out and propagates their deletion).
     */
    public void forEachHeld(Consumer<Entry> visitor) {
        table.forEach(visitor);
    }

    /** The table, for a snapshot walking it bucket by bucket. */
    KeyTable table() {
        return table;
    }

    /** Removes every key; returns how many there were. */
    public int clear() {
        keyspace.beforeWholeChange();
        int n = table.size();
        table = newTable();
        if (keyIndex != null) {
            keyIndex.cleared();
        }
        wheel.clear();
        expiring = 0;
        bytes = 0;
        ownExpiring = null;
        return n;
    }

    /** Exchanges contents with another database (SWAPDB). */
    void swapContents(Database other) {
        keyspace.beforeWholeChange();
        KeyTable t = table;
        table = other.table;
        other.table = t;
        ExpiryWheel<Entry> w = wheel;
        wheel = other.wheel;
        other.wheel = w;
        int x = expiring;
        expiring = other.expiring;
        other.expiring = x;
        long b = bytes;
        bytes = other.bytes;
        other.bytes = b;
        Set<Entry> own = ownExpiring;
        ownExpiring = other.ownExpiring;
        other.ownExpiring = own;
    }

    /** Active expiry: removes the key of {@code e} if it is still this table's entry and is due. */
    boolean expireIfDue(Entry e, long now) {
        if (e.expireAt == Entry.NO_EXPIRY || e.expireAt > now || table.get(e.key) != e) {
            return false;
        }
        expire(e);
        return true;
    }

    /**
     * The entry's current expiry, NO_EXPIRY once it left the table: removal clears it, so no lookup is
     * needed (an entry object is never put back into a table).
     */
    long currentExpiry(Entry e) {
        return e.expireAt;
    }

    /** The wheel's view of this database's entries; counts what it examined for {@link #activeExpire}. */
    private final class Reaper implements ExpiryCallback<Entry> {
        int examined;

        @Override
        public long currentExpireAt(Entry e) {
            examined++;
            return currentExpiry(e);
        }

        @Override
        public void expire(Entry e) {
            expireIfDue(e, e.expireAt);
        }
    }

    private final class ExpiringSampler implements Consumer<Entry> {
        Consumer<Entry> sink;
        int wanted;
        int found;
        int visited;

        @Override
        public void accept(Entry e) {
            visited++;
            if (found < wanted && e.expireAt != Entry.NO_EXPIRY) {
                found++;
                sink.accept(e);
            }
        }
    }

    /** A change through this class, whose entry is at hand: no second lookup. */
    private void changed(Entry e, long before) {
        recount(e, before);
        keyspace.modified(this, e.key);
    }

    /**
     * What the total holds for a key: its fixed part and string array as they are, a collection at what it
     * was last counted (it may have changed in place since).
     */
    private static long counted(Entry e) {
        Object v = e.value;
        return EntryFootprint.fixed(e) + (v instanceof AccountedValue a ? a.accounted() : EntryFootprint.value(v));
    }

    /** Moves the total from {@code before}, what it held for the key, to the key's size now. */
    private void recount(Entry e, long before) {
        if (e.value instanceof AccountedValue a) {
            a.accounted(EntryFootprint.value(a));
        }
        bytes += counted(e) - before;
    }

    private void expire(Entry e) {
        removeEntry(e);
        keyspace.expired(this, e.key);
    }

    private Entry insert(byte[] key, Object value) {
        if (!keyspace.expiryDeletes()) {
            // A replica's own client writing a key whose time passed (lookups hid it but kept it): it goes
            // now, as Redis deletes an expired key on a writable replica's write lookup.
            Entry stale = table.get(key);
            if (stale != null) {
                expire(stale);
            }
        }
        keyspace.inserted(this, key);
        Entry e = table.insert(key, value);
        if (keyIndex != null) {
            keyIndex.added(key);
        }
        e.access = keyspace.initialAccess();
        keyspace.created(this, key);
        return e;
    }

    private void removeEntry(Entry e) {
        keyspace.beforeChange(this, e);
        table.remove(e.key);
        if (keyIndex != null) {
            keyIndex.removed(e.key);
        }
        bytes -= counted(e);
        if (e.expireAt != Entry.NO_EXPIRY) {
            expiring--;
            // Tells a stale wheel registration that this entry is gone.
            e.expireAt = Entry.NO_EXPIRY;
        }
        // A stale expiry registration may still point here: let the value go now.
        e.value = null;
    }

    private void clearExpiry(Entry e) {
        if (e.expireAt != Entry.NO_EXPIRY) {
            e.expireAt = Entry.NO_EXPIRY;
            expiring--;
        }
    }
}
