package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DatabaseExpiryTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Keyspace keyspace = new Keyspace(2, clock::get);
    private final Database db = keyspace.db(0);

    private static byte[] k(String s) {
        return s.getBytes();
    }

    private Entry setWithTtl(String key, long ttl) {
        Entry e = db.set(k(key), k("v"));
        db.setExpireAt(e, clock.get() + ttl);
        return e;
    }

    /** Runs budgeted steps until one finishes short of its budget, which means it caught up. */
    private void drain() {
        int steps = 0;
        while (db.activeExpire(clock.get(), 10) == 10) {
            steps++;
            assertTrue(steps < 10_000);
        }
    }

    @Test
    void aCommandSeesTheTimeTheOutermostOneStarted() {
        setWithTtl("k", 100);
        keyspace.commandStarted();
        clock.addAndGet(100);
        assertNotNull(db.lookup(k("k")), "past its time on the clock, not at the command's start");
        keyspace.commandStarted();
        clock.addAndGet(50);
        assertEquals(1_000_000, keyspace.now(), "a nested command keeps the outer one's instant");
        keyspace.commandFinished();
        assertNotNull(db.lookup(k("k")));
        keyspace.commandFinished();
        assertEquals(1_000_150, keyspace.now());
        assertNull(db.lookup(k("k")));
        assertEquals(1, keyspace.expiredKeys());
    }

    @Test
    void untouchedKeysAreReclaimedOnceDueAndCounted() {
        for (int i = 0; i < 1000; i++) {
            setWithTtl("k" + i, 500 + i);
        }
        db.set(k("forever"), k("v"));
        drain();
        assertEquals(1001, db.size());
        clock.addAndGet(1000);
        drain();
        assertEquals(500, db.size(), "ttl 500..1000 are due, 1001..1499 are not");
        clock.addAndGet(600);
        drain();
        assertEquals(1, db.size());
        assertEquals(1000, keyspace.expiredKeys());
        assertEquals(0, db.expiringKeys());
    }

    @Test
    void lookingWithoutExpiringHidesAKeyPastItsTimeButKeepsIt() {
        Entry e = setWithTtl("k", 100);
        assertEquals(e, db.peekWithoutExpiring(k("k")));
        clock.addAndGet(100);
        assertNull(db.peekWithoutExpiring(k("k")));
        assertEquals(1, db.size());
        assertEquals(0, keyspace.expiredKeys());
        assertNull(db.peek(k("k")));
        assertEquals(0, db.size());
        assertEquals(1, keyspace.expiredKeys());
    }

    @Test
    void budgetBoundsTheWorkOfOneStep() {
        for (int i = 0; i < 100; i++) {
            setWithTtl("k" + i, 10);
        }
        clock.addAndGet(200);
        assertEquals(10, db.activeExpire(clock.get(), 10));
        assertEquals(90, db.size());
    }

    @Test
    void persistedReplacedAndDeletedKeysAreNotExpiredByStaleRegistrations() {
        Entry a = setWithTtl("a", 10);
        db.persist(a);
        setWithTtl("b", 10);
        db.set(k("b"), k("new"));
        setWithTtl("c", 10);
        db.delete(k("c"));
        db.set(k("c"), k("again"));
        Entry d = setWithTtl("d", 10);
        db.setExpireAt(d, clock.get() + 100_000);
        clock.addAndGet(1000);
        drain();
        assertNotNull(db.peek(k("a")));
        assertNotNull(db.peek(k("b")));
        assertNotNull(db.peek(k("c")));
        assertNotNull(db.peek(k("d")));
        assertEquals(0, keyspace.expiredKeys());
    }

    @Test
    void swapdbCarriesTheWheelWithTheKeys() {
        setWithTtl("x", 10);
        keyspace.swap(0, 1);
        clock.addAndGet(1000);
        while (keyspace.db(1).activeExpire(clock.get(), 10) == 10) {
            assertTrue(keyspace.db(1).size() > 0);
        }
        assertEquals(0, keyspace.db(1).size());
        assertNull(keyspace.db(0).peek(k("x")));
    }

    @Test
    void flushDropsRegistrations() {
        setWithTtl("x", 10);
        db.clear();
        db.set(k("x"), k("v"));
        clock.addAndGet(1000);
        drain();
        assertNotNull(db.peek(k("x")));
    }
}
