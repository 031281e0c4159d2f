package dev.respite.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTableTest {
    private static byte[] k(int i) {
        return ("key:" + i).getBytes();
    }

    @Test
    void aRefusedGrowthWaitsUntilTheLoadPassesRedissMaximum() {
        List<Long> asked = new ArrayList<>();
        KeyTable t = new KeyTable(bytes -> {
            asked.add(bytes);
            return false;
        });
        for (int i = 0; i < 16; i++) {
            t.insert(k(i), "v");
        }
        assertEquals(16, t.buckets());
        assertEquals(List.of(), asked, "a table that is not over-full asks nothing");
        t.insert(k(16), "v");
        assertEquals(16, t.buckets());
        assertEquals(List.of(32L * KeyTable.BUCKET_BYTES), asked, "the whole new array is asked for");
        // 16 buckets hold up to 1.618 keys each before growth no longer asks: the 27th key finds 26 in place.
        for (int i = 17; i < 26; i++) {
            t.insert(k(i), "v");
        }
        assertEquals(16, t.buckets());
        t.insert(k(26), "v");
        assertEquals(32, t.buckets());
        for (int i = 0; i < 27; i++) {
            assertEquals("v", t.get(k(i)).value);
        }
    }

    @Test
    void anAllowedGrowthDoublesAFullTable() {
        KeyTable t = new KeyTable(bytes -> true);
        for (int i = 0; i < 17; i++) {
            t.insert(k(i), "v");
        }
        assertEquals(32, t.buckets());
    }
}
