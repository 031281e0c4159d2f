package dev.respite.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A point-in-time copy of every database, taken without stopping the world and without copying the
 * dataset: the walk visits each database's buckets in order, a few at a time, while commands keep running.
 * Consistency comes from two rules: before a key not yet visited changes, its current state is written
 * first (and the walk later skips it); a key created after the start is never written. Tables do not
 * resize during the walk, so "visited" is just "in a bucket below the cursor".
 */
public final class KeyspaceSnapshot {
    /** Receives the snapshot's entries, each exactly once; must serialize them at once (values keep changing). */
    public interface Sink {
        void entry(int db, byte[] key, Object value, long expireAt);
    }

    private record Seen(int db, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s && s.db == db && java.util.Arrays.equals(s.key, key);
        }

        @Override
        public int hashCode() {
            return db * 31 + java.util.Arrays.hashCode(key);
        }
    }

    private final Keyspace keyspace;
    private final Sink sink;
    private final long startMillis;
    /** Keys already written out of order, or created after the start: the walk skips them. */
    private final Set<Seen> handled = new HashSet<>();

    private final List<KeyTable> frozen = new ArrayList<>();
    private int db;
    private int bucket;
    private long written;
    private boolean done;

    KeyspaceSnapshot(Keyspace keyspace, Sink sink) {
        this.keyspace = keyspace;
        this.sink = sink;
        this.startMillis = keyspace.now();
        for (int i = 0; i < keyspace.count(); i++) {
            KeyTable t = keyspace.db(i).table();
            t.setFrozen(true);
            frozen.add(t);
        }
    }

    /** Entries written so far. */
    public long written() {
        return written;
    }

    public boolean isDone() {
        return done;
    }

    /** When the snapshot started, in Unix milliseconds: keys expired by then are left out. */
    public long startMillis() {
        return startMillis;
    }

    /** Walks at least {@code buckets} buckets (fewer at the very end); returns true once complete. */
    public boolean step(int buckets) {
        while (!done && buckets > 0) {
            if (db >= keyspace.count()) {
                complete();
                break;
            }
            KeyTable t = keyspace.db(db).table();
            if (bucket >= t.buckets()) {
                db++;
                bucket = 0;
                continue;
            }
            int d = db;
            t.forEachInBucket(bucket, e -> visit(d, e));
            bucket++;
            buckets--;
        }
        return done;
    }

    /** Stops the walk where it is (a background save was cancelled): nothing more is written, tables may resize. */
    public void abandon() {
        if (!done) {
            complete();
        }
    }

    /** Runs the walk to its end now (a whole database is about to change, or the caller wants it done). */
    public void finish() {
        step(Integer.MAX_VALUE);
    }

    private void visit(int d, Entry e) {
        if (!handled.isEmpty() && handled.contains(new Seen(d, e.key))) {
            return;
        }
        write(d, e);
    }

    private void write(int d, Entry e) {
        if (e.expireAt != Entry.NO_EXPIRY && e.expireAt <= startMillis) {
            return;
        }
        sink.entry(d, e.key, e.value, e.expireAt);
        written++;
    }

    private boolean visited(Database d, byte[] key) {
        if (d.index() != db) {
            return d.index() < db;
        }
        return d.table().bucketOf(key) < bucket;
    }

    void beforeChange(Database d, Entry e) {
        if (done || visited(d, e.key)) {
            return;
        }
        if (handled.add(new Seen(d.index(), e.key))) {
            write(d.index(), e);
        }
    }

    void inserted(Database d, byte[] key) {
        if (!done && !visited(d, key)) {
            handled.add(new Seen(d.index(), key));
        }
    }

    private void complete() {
        done = true;
        handled.clear();
        for (KeyTable t : frozen) {
            t.setFrozen(false);
        }
        keyspace.snapshotDone(this);
    }
}
