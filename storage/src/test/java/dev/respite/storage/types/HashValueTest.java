package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashValueTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static EncodingLimits limits(int entries, int value) {
        EncodingLimits l = new EncodingLimits();
        l.hashMaxListpackEntries = entries;
        l.hashMaxListpackValue = value;
        return l;
    }

    /** Field to value, in the order the hash reported them. */
    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new LinkedHashMap<>();
        h.forEach((fb, fo, fl, vb, vo, vl) -> m.put(s(fb, fo, fl), s(vb, vo, vl)));
        return m;
    }

    private static HashValue filled(EncodingLimits limits, int n) {
        HashValue h = new HashValue(limits);
        for (int i = 0; i < n; i++) {
            h.put(b("f" + i), b("v" + i));
        }
        return h;
    }

    @Test
    void emptyHash() {
        HashValue h = new HashValue(new EncodingLimits());
        assertEquals(0, h.size());
        assertTrue(h.isEmpty());
        assertEquals("listpack", h.encoding());
        assertNull(h.get(b("x")));
        assertFalse(h.contains(b("x")));
        assertEquals(-1, h.valueLength(b("x")));
        assertFalse(h.remove(b("x")));
        assertNull(h.randomField(new Random(1)));
        assertEquals(0, h.randomEntries(5, new Random(1), (fb, fo, fl, vb, vo, vl) -> {}));
        assertEquals(0, h.scan(0, 10, (fb, fo, fl, vb, vo, vl) -> {}));
    }

    @Test
    void basicOperationsInBothEncodings() {
        for (EncodingLimits l : List.of(new EncodingLimits(), limits(0, 64))) {
            HashValue h = new HashValue(l);
            assertTrue(h.put(b("a"), b("1")));
            assertTrue(h.put(b("b"), b("22")));
            assertFalse(h.put(b("a"), b("333")));
            assertArrayEquals(b("333"), h.get(b("a")));
            assertEquals(3, h.valueLength(b("a")));
            assertEquals(0, h.valueLength(b("nope")) + 1);
            assertTrue(h.contains(b("b")));
            assertFalse(h.putIfAbsent(b("b"), b("x")));
            assertArrayEquals(b("22"), h.get(b("b")));
            assertTrue(h.putIfAbsent(b("c"), b("")));
            assertArrayEquals(b(""), h.get(b("c")));
            assertEquals(3, h.size());
            assertTrue(h.remove(b("a")));
            assertFalse(h.remove(b("a")));
            assertNull(h.get(b("a")));
            assertEquals(Map.of("b", "22", "c", ""), contents(h));
        }
    }

    @Test
    void listpackKeepsInsertionOrderAcrossUpdates() {
        HashValue h = new HashValue(new EncodingLimits());
        h.put(b("z"), b("1"));
        h.put(b("a"), b("2"));
        h.put(b("m"), b("3"));
        h.put(b("a"), b("updated"));
        h.remove(b("z"));
        h.put(b("z"), b("4"));
        assertEquals(List.of("a", "m", "z"), new ArrayList<>(contents(h).keySet()));
        assertEquals("updated", contents(h).get("a"));
    }

    @Test
    void convertsWhenEntriesExceedTheLimit() {
        EncodingLimits l = limits(4, 64);
        HashValue h = filled(l, 4);
        assertEquals("listpack", h.encoding());
        h.put(b("f0"), b("again"));
        assertEquals("listpack", h.encoding());
        assertFalse(h.putIfAbsent(b("f1"), b("x")));
        assertEquals("listpack", h.encoding());
        h.put(b("f4"), b("v4"));
        assertEquals("hashtable", h.encoding());
        assertEquals(5, h.size());
        assertEquals("again", contents(h).get("f0"));

        HashValue viaSetNx = filled(l, 4);
        assertTrue(viaSetNx.putIfAbsent(b("new"), b("x")));
        assertEquals("hashtable", viaSetNx.encoding());
    }

    @Test
    void convertsWhenFieldOrValueExceedsTheLengthLimit() {
        EncodingLimits l = limits(128, 8);
        HashValue h = new HashValue(l);
        h.put(b("12345678"), b("abcdefgh"));
        assertEquals("listpack", h.encoding());
        h.put(b("f"), b("123456789"));
        assertEquals("hashtable", h.encoding());

        HashValue longField = new HashValue(l);
        longField.put(b("123456789"), b("v"));
        assertEquals("hashtable", longField.encoding());

        // like HSETNX in Redis, a long value converts even when the field exists and nothing is written
        HashValue existing = new HashValue(l);
        existing.put(b("f"), b("v"));
        assertFalse(existing.putIfAbsent(b("f"), b("123456789")));
        assertEquals("hashtable", existing.encoding());
        assertArrayEquals(b("v"), existing.get(b("f")));
    }

    @Test
    void limitsAreReadAtEachWrite() {
        EncodingLimits l = limits(128, 64);
        HashValue h = filled(l, 10);
        l.hashMaxListpackEntries = 5;
        assertEquals("listpack", h.encoding());
        h.put(b("f0"), b("x"));
        assertEquals("hashtable", h.encoding());
    }

    @Test
    void neverConvertsBack() {
        EncodingLimits l = limits(2, 64);
        HashValue h = filled(l, 3);
        assertEquals("hashtable", h.encoding());
        h.remove(b("f0"));
        h.remove(b("f1"));
        h.remove(b("f2"));
        assertEquals("hashtable", h.encoding());
        assertTrue(h.isEmpty());
        h.put(b("a"), b("b"));
        assertEquals("hashtable", h.encoding());
    }

    @Test
    void hashTableGrowsAndShrinks() {
        HashValue h = filled(limits(0, 64), 5000);
        assertEquals(5000, h.size());
        for (int i = 0; i < 5000; i++) {
            assertArrayEquals(b("v" + i), h.get(b("f" + i)));
        }
        long big = h.memoryUsage();
        for (int i = 0; i < 4990; i++) {
            assertTrue(h.remove(b("f" + i)));
        }
        assertTrue(h.memoryUsage() < big / 100, "table should shrink");
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 4990; i < 5000; i++) {
            expected.put("f" + i, "v" + i);
        }
        assertEquals(expected, contents(h));
    }

    @Test
    void randomFieldReturnsPresentFields() {
        for (EncodingLimits l : List.of(new EncodingLimits(), limits(0, 64))) {
            HashValue h = filled(l, 10);
            Random r = new Random(42);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                byte[] f = h.randomField(r);
                assertTrue(h.contains(f));
                seen.add(s(f, 0, f.length));
            }
            assertEquals(10, seen.size(), "every field is eventually picked");
        }
    }

    @Test
    void randomEntriesPositiveCountIsDistinctNegativeMayRepeat() {
        for (EncodingLimits l : List.of(new EncodingLimits(), limits(0, 64))) {
            HashValue h = filled(l, 30);
            Random r = new Random(7);
            for (int count : new int[] {1, 5, 9, 10, 11, 20, 29}) {
                List<String> got = new ArrayList<>();
                assertEquals(count, h.randomEntries(count, r, (fb, fo, fl, vb, vo, vl) -> {
                    String f = s(fb, fo, fl);
                    assertEquals("v" + f.substring(1), s(vb, vo, vl));
                    got.add(f);
                }));
                assertEquals(count, new HashSet<>(got).size(), "distinct for count " + count);
            }
            List<String> all = new ArrayList<>();
            assertEquals(30, h.randomEntries(100, r, (fb, fo, fl, vb, vo, vl) -> all.add(s(fb, fo, fl))));
            assertEquals(new ArrayList<>(contents(h).keySet()), all);

            List<String> repeated = new ArrayList<>();
            assertEquals(200, h.randomEntries(-200, r, (fb, fo, fl, vb, vo, vl) -> repeated.add(s(fb, fo, fl))));
            assertEquals(200, repeated.size());
            assertTrue(new HashSet<>(repeated).size() < 200, "negative count repeats");
            assertTrue(contents(h).keySet().containsAll(repeated));
        }
    }

    @Test
    void scanOfListpackReturnsEverythingWithCursorZero() {
        HashValue h = filled(new EncodingLimits(), 20);
        Map<String, String> got = new LinkedHashMap<>();
        assertEquals(0, h.scan(0, 1, (fb, fo, fl, vb, vo, vl) -> got.put(s(fb, fo, fl), s(vb, vo, vl))));
        assertEquals(contents(h), got);
    }

    @Test
    void scanOfHashTableCoversEveryFieldInSteps() {
        HashValue h = filled(limits(0, 64), 1000);
        Set<String> got = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = h.scan(cursor, 10, (fb, fo, fl, vb, vo, vl) -> got.add(s(fb, fo, fl)));
            assertTrue(cursor >= 0);
            calls++;
        } while (cursor != 0);
        assertTrue(calls > 10, "hash table scan is incremental");
        assertEquals(contents(h).keySet(), got);
    }

    @Test
    void scanCoversStableFieldsWhileTheTableGrowsAndShrinks() {
        HashValue h = filled(limits(0, 64), 40);
        Set<String> stable = new HashSet<>(contents(h).keySet());
        Set<String> got = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = h.scan(cursor, 3, (fb, fo, fl, vb, vo, vl) -> got.add(s(fb, fo, fl)));
            step++;
            if (step == 3) {
                for (int i = 0; i < 2000; i++) {
                    h.put(b("extra" + i), b("x"));
                }
            } else if (step == 6) {
                for (int i = 0; i < 2000; i++) {
                    h.remove(b("extra" + i));
                }
            }
        } while (cursor != 0);
        assertTrue(got.containsAll(stable), "missing " + diff(stable, got));
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void memoryUsageTracksContent() {
        HashValue small = filled(new EncodingLimits(), 1);
        HashValue larger = filled(new EncodingLimits(), 100);
        assertTrue(small.memoryUsage() > 0);
        assertTrue(larger.memoryUsage() > small.memoryUsage() + 100 * 4);
        HashValue table = filled(limits(0, 64), 100);
        assertTrue(table.memoryUsage() > larger.memoryUsage(), "hash table costs more than listpack");
        long before = table.memoryUsage();
        table.put(b("f0"), new byte[1000]);
        assertTrue(table.memoryUsage() >= before + 900);
    }

    @Test
    void putAllSetsPairsInOrderAndLeavesNoSlack() {
        HashValue h = new HashValue(limits(128, 64));
        h.put(b("f3"), b("old"));
        byte[][] args = {b("hset"), b("key"), b("f1"), b("a"), b("f2"), b("bb"), b("f3"), b("ccc"), b("f1"), b("dddd")};
        assertEquals(2, h.putAll(args, 2));
        assertEquals(Map.of("f3", "ccc", "f1", "dddd", "f2", "bb"), contents(h));
        assertEquals(List.of("f3", "f1", "f2"), new ArrayList<>(contents(h).keySet()));
        // the batch reserved room for four new pairs; the two that replaced fields must not leave it behind
        long encoded = 0;
        for (String e : List.of("f3", "ccc", "f1", "dddd", "f2", "bb")) {
            encoded += Listpack.entrySize(e.length());
        }
        // one object (the hash is its own listpack: the size last counted, array, used, count, limits, table)
        // and the array
        assertEquals(40 + Footprint.bytes((int) encoded), h.memoryUsage());
    }

    @Test
    void putAllConvertsLikeRepeatedPuts() {
        HashValue h = new HashValue(limits(3, 64));
        byte[][] args = {b("f1"), b("1"), b("f2"), b("2"), b("f3"), b("3"), b("f4"), b("4")};
        assertEquals(4, h.putAll(args, 0));
        assertEquals(HashValue.HASHTABLE, h.encoding());
        HashValue g = new HashValue(limits(128, 4));
        assertEquals(2, g.putAll(new byte[][] {b("f1"), b("1"), b("f2"), b("longer")}, 0));
        assertEquals(HashValue.HASHTABLE, g.encoding());
        assertEquals(Map.of("f1", "1", "f2", "longer"), contents(g));
        // once a hash table, a batch reserves no listpack room
        assertEquals(2, h.putAll(new byte[][] {b("f5"), b("5"), b("f6"), b("6")}, 0));
        assertEquals(0, h.array().length);
    }

    @Test
    void listpackHashBuiltOneFieldAtATimeKeepsOnlyAlignmentPadding() {
        HashValue h = new HashValue(limits(128, 64));
        for (int i = 0; i < 10; i++) {
            h.put(b("field" + i), b("value" + (1000 + i * 7919)));
        }
        h.put(b("field3"), b("a longer value than before"));
        int capacity = h.array().length;
        assertTrue(capacity - h.end() < 8, "slack " + (capacity - h.end()));
        assertTrue(h.putIfAbsent(b("field10"), b("x")));
        assertTrue(h.array().length - h.end() < 8);
    }
}
