package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListpackTest {

    private static byte[] filled(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> forward(Listpack lp) {
        List<byte[]> out = new ArrayList<>();
        for (int p = 0; p < lp.end(); p = lp.next(p)) {
            out.add(lp.copy(p));
        }
        return out;
    }

    private static List<byte[]> backward(Listpack lp) {
        List<byte[]> out = new ArrayList<>();
        for (int p = lp.prev(lp.end()); p >= 0; p = lp.prev(p)) {
            out.add(0, lp.copy(p));
        }
        return out;
    }

    private static void assertEntries(List<byte[]> expected, Listpack lp) {
        assertEquals(expected.size(), lp.count());
        List<byte[]> f = forward(lp);
        List<byte[]> r = backward(lp);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), f.get(i), "forward entry " + i);
            assertArrayEquals(expected.get(i), r.get(i), "backward entry " + i);
            assertArrayEquals(expected.get(i), lp.copy(lp.offsetOf(i)), "offsetOf " + i);
        }
    }

    @Test
    void varintSizesAtBoundaries() {
        assertEquals(1, Listpack.varintSize(0));
        assertEquals(1, Listpack.varintSize(127));
        assertEquals(2, Listpack.varintSize(128));
        assertEquals(2, Listpack.varintSize(16383));
        assertEquals(3, Listpack.varintSize(16384));
        assertEquals(3, Listpack.varintSize((1 << 21) - 1));
        assertEquals(4, Listpack.varintSize(1 << 21));
        assertEquals(5, Listpack.varintSize(1 << 28));
    }

    @Test
    void entriesOfEveryLengthClassRoundTripBothDirections() {
        Listpack lp = new Listpack();
        List<byte[]> expected = new ArrayList<>();
        int[] lengths = {0, 1, 127, 128, 129, 16383, 16384, 1 << 21, 5};
        for (int i = 0; i < lengths.length; i++) {
            byte[] v = filled(lengths[i], i);
            lp.append(v);
            expected.add(v);
        }
        assertEntries(expected, lp);
        assertEquals(Arrays.stream(lengths).mapToLong(Listpack::entrySize).sum(), lp.end());
        assertEquals(lp.end() + Listpack.REDIS_OVERHEAD, lp.bytes());
    }

    @Test
    void insertReplaceAndDeleteKeepEntriesConsistent() {
        Listpack lp = new Listpack();
        List<byte[]> expected = new ArrayList<>();
        lp.append(b("a"));
        lp.append(b("c"));
        lp.insert(lp.offsetOf(1), b("b"));
        lp.insert(0, b("start"));
        expected.addAll(List.of(b("start"), b("a"), b("b"), b("c")));
        assertEntries(expected, lp);

        lp.replace(lp.offsetOf(1), filled(300, 7));
        expected.set(1, filled(300, 7));
        assertEntries(expected, lp);
        lp.replace(lp.offsetOf(1), b(""));
        expected.set(1, b(""));
        assertEntries(expected, lp);

        lp.delete(lp.offsetOf(2));
        expected.remove(2);
        assertEntries(expected, lp);
        lp.deleteRange(0, lp.offsetOf(2), 2);
        expected.subList(0, 2).clear();
        assertEntries(expected, lp);
        assertTrue(lp.matches(0, b("c")));
        assertFalse(lp.matches(0, b("cc")));
    }

    @Test
    void removeMatchingHonoursSkipAndMax() {
        Listpack lp = new Listpack();
        for (String s : "x a x b x c x".split(" ")) {
            lp.append(b(s));
        }
        assertEquals(4, lp.countMatching(b("x")));
        assertEquals(2, lp.removeMatching(b("x"), 1, 2));
        assertEntries(List.of(b("x"), b("a"), b("b"), b("c"), b("x")), lp);
        assertEquals(2, lp.removeMatching(b("x"), 0, Integer.MAX_VALUE));
        assertEntries(List.of(b("a"), b("b"), b("c")), lp);
        assertEquals(0, lp.removeMatching(b("zz"), 0, 5));
    }

    @Test
    void splitOffMovesTheTail() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 6; i++) {
            lp.append(filled(i * 50, i));
        }
        Listpack tail = lp.splitOff(lp.offsetOf(4), 4);
        assertEntries(List.of(filled(0, 0), filled(50, 1), filled(100, 2), filled(150, 3)), lp);
        assertEntries(List.of(filled(200, 4), filled(250, 5)), tail);
    }

    @Test
    void emptiedBufferReleasesMemory() {
        Listpack lp = new Listpack();
        long empty = lp.memoryUsage();
        for (int i = 0; i < 100; i++) {
            lp.append(filled(100, i));
        }
        assertTrue(lp.memoryUsage() > empty + 100 * 100);
        lp.deleteRange(0, lp.end(), 100);
        assertEquals(empty, lp.memoryUsage());
        assertEquals(-1, lp.prev(lp.end()));
    }

    @Test
    void trimLeavesOnlyAlignmentPadding() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 10; i++) {
            lp.append(b("field" + i));
            lp.append(b("value" + (1000 + i * 7919)));
        }
        assertTrue(lp.array().length - lp.end() >= 8, "geometric growth leaves slack");
        lp.trim();
        int capacity = lp.array().length;
        assertTrue(capacity - lp.end() < 8, "slack " + (capacity - lp.end()));
        assertEquals(0, (16 + capacity) % 8);
    }

    @Test
    void appendsGrowGeometrically() {
        Listpack lp = new Listpack();
        int reallocations = 0;
        byte[] last = lp.array();
        for (int i = 0; i < 400; i++) {
            lp.append(filled(20, i));
            if (lp.array() != last) {
                reallocations++;
                last = lp.array();
            }
        }
        // 400 entries of 22 bytes: about 13 steps of a half from 16 bytes, not one copy per append
        assertTrue(reallocations < 20, "reallocations " + reallocations);
    }

    @Test
    void reservedRoomTakesABatchWithoutReallocatingAndTrimReturnsTheRest() {
        Listpack lp = new Listpack();
        lp.reserve(Listpack.entrySize(5) * 10L + 100);
        byte[] reserved = lp.array();
        for (int i = 0; i < 10; i++) {
            lp.append(filled(5, i));
        }
        assertTrue(lp.array() == reserved, "appends within the reservation keep the array");
        lp.trim();
        assertEquals(Listpack.exactCapacity(lp.end()), lp.array().length);
        assertEquals(10, lp.count());
    }
}
