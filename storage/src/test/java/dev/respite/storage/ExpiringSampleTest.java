package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Database.sampleExpiring, which volatile eviction policies draw their candidates from. */
class ExpiringSampleTest {
    private static final long NOW = 1_000_000;

    private final Keyspace keyspace = new Keyspace(1, () -> NOW);
    private final Database db = keyspace.db(0);

    private static byte[] k(int i) {
        return ("k:" + i).getBytes();
    }

    /**
     * A sparse table whose last bucket in walk order is empty: a sample starting just before it must go
     * round to the start rather than come back empty (which made volatile-random refuse writes with OOM).
     */
    @Test
    void aSampleAlwaysOffersAKeyWithATtlWhenThereIsOne() {
        for (int i = 0; i < 600; i++) {
            db.setExpireAt(db.set(k(i), "v".getBytes()), NOW + 100_000);
        }
        KeyTable table = db.table();
        assertEquals(1024, table.buckets());
        int lastBucket = table.buckets() - 1;
        int kept = 0;
        for (int i = 0; i < 600; i++) {
            if (kept < 150 && table.bucketOf(k(i)) != lastBucket) {
                kept++;
            } else {
                db.delete(k(i));
            }
        }
        assertEquals(1024, table.buckets(), "the table stays sparse");
        assertEquals(150, db.expiringKeys());
        for (int round = 0; round < 400; round++) {
            List<Entry> offered = new ArrayList<>();
            db.sampleExpiring(1, offered::add);
            assertEquals(1, offered.size(), "sample " + round + " offered nothing");
            assertTrue(offered.get(0).hasExpiry());
        }
    }

    @Test
    void aFewKeysWithATtlAmongManyWithoutAreFound() {
        for (int i = 0; i < 5000; i++) {
            db.set(k(i), "v".getBytes());
        }
        db.setExpireAt(db.lookup(k(4321)), NOW + 100_000);
        for (int round = 0; round < 3; round++) {
            List<Entry> offered = new ArrayList<>();
            db.sampleExpiring(5, offered::add);
            assertEquals(1, offered.size());
            assertEquals("k:4321", new String(offered.get(0).key()));
        }
    }
}
