package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyspaceSnapshotTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Captures what the snapshot writes as "db:key" -> "value@expireAt", failing on any key written twice. */
    private static final class Capture implements KeyspaceSnapshot.Sink {
        final Map<String, String> seen = new HashMap<>();

        @Override
        public void entry(int db, byte[] key, Object value, long expireAt) {
            String k = db + ":" + s(key);
            String prev = seen.put(k, s((byte[]) value) + "@" + expireAt);
            assertNull(prev, "written twice: " + k);
        }
    }

    private static Map<String, String> contents(Keyspace ks) {
        Map<String, String> out = new HashMap<>();
        for (int d = 0; d < ks.count(); d++) {
            int db = d;
            ks.db(d).forEach(e -> out.put(db + ":" + s(e.key()), s((byte[]) e.value()) + "@" + e.expireAt()));
        }
        return out;
    }

    @Test
    void snapshotEqualsTheKeyspaceAtItsStartDespiteConcurrentWrites() {
        for (int round = 0; round < 20; round++) {
            long seed = System.nanoTime() + round;
            Random rnd = new Random(seed);
            long[] now = {1_000_000};
            Keyspace ks = new Keyspace(3, () -> now[0]);
            for (int i = 0; i < 2000; i++) {
                Database db = ks.db(rnd.nextInt(3));
                Entry e = db.set(b("k" + rnd.nextInt(3000)), b("v" + i));
                if (rnd.nextInt(4) == 0) {
                    db.setExpireAt(e, now[0] + 1 + rnd.nextInt(100_000));
                }
            }
            Map<String, String> before = contents(ks);
            Capture capture = new Capture();
            KeyspaceSnapshot snap = ks.startSnapshot(capture);
            int ops = 0;
            while (!snap.step(1 + rnd.nextInt(8))) {
                for (int k = 0; k < 5; k++, ops++) {
                    Database db = ks.db(rnd.nextInt(3));
                    byte[] key = b("k" + rnd.nextInt(4000));
                    switch (rnd.nextInt(5)) {
                        case 0 -> db.delete(key);
                        case 1 -> db.set(key, b("new" + ops));
                        case 2 -> {
                            Entry e = db.lookup(key);
                            if (e != null) {
                                db.setExpireAt(e, now[0] + 5);
                            }
                        }
                        case 3 -> {
                            Entry e = db.lookup(key);
                            if (e != null) {
                                db.persist(e);
                            }
                        }
                        default -> db.setKeepTtl(key, b("kept" + ops));
                    }
                }
            }
            assertEquals(before, capture.seen, "seed " + seed);
            assertNull(ks.snapshot(), "seed " + seed);
        }
    }

    @Test
    void flushDuringASnapshotCompletesItFirst() {
        Keyspace ks = new Keyspace(2);
        for (int i = 0; i < 100; i++) {
            ks.db(i % 2).set(b("k" + i), b("v" + i));
        }
        Map<String, String> before = contents(ks);
        Capture capture = new Capture();
        KeyspaceSnapshot snap = ks.startSnapshot(capture);
        snap.step(1);
        ks.flushAll();
        assertTrue(snap.isDone());
        assertEquals(before, capture.seen);
    }

    @Test
    void keysAlreadyExpiredAtTheStartAreLeftOut() {
        long[] now = {5000};
        Keyspace ks = new Keyspace(1, () -> now[0]);
        Entry e = ks.db(0).set(b("gone"), b("x"));
        ks.db(0).setExpireAt(e, 4000);
        ks.db(0).set(b("kept"), b("y"));
        Capture capture = new Capture();
        ks.startSnapshot(capture).finish();
        assertEquals(Map.of("0:kept", "y@-1"), capture.seen);
    }

    @Test
    void onlyOneSnapshotAtATime() {
        Keyspace ks = new Keyspace(1);
        ks.startSnapshot((db, k, v, x) -> {});
        assertThrows(IllegalStateException.class, () -> ks.startSnapshot((db, k, v, x) -> {}));
    }
}
