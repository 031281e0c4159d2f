package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ListValueTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] sized(int length) {
        byte[] v = new byte[length];
        Arrays.fill(v, (byte) 'x');
        return v;
    }

    private static EncodingLimits fill(int fill) {
        EncodingLimits l = new EncodingLimits();
        l.listMaxListpackSize = fill;
        return l;
    }

    private static ListValue of(EncodingLimits limits, String... values) {
        ListValue list = new ListValue(limits);
        for (String v : values) {
            list.pushTail(b(v));
        }
        return list;
    }

    private static List<String> range(ListValue list, long start, long stop) {
        List<String> out = new ArrayList<>();
        list.range(start, stop, (bytes, off, len) -> out.add(new String(bytes, off, len, StandardCharsets.ISO_8859_1)));
        return out;
    }

    private static List<String> all(ListValue list) {
        list.verifyStructure();
        return range(list, 0, -1);
    }

    private static List<Long> positions(ListValue list, String value, long rank, long count, long maxlen) {
        List<Long> out = new ArrayList<>();
        long n = list.positions(b(value), rank, count, maxlen, out::add);
        assertEquals(out.size(), n);
        return out;
    }

    /** Elements of at least {@code threshold} bytes get plain nodes, within nodes of {@code fill}. */
    private static EncodingLimits plain(int fill, long threshold) {
        EncodingLimits l = fill(fill);
        l.listPackedThreshold = threshold;
        return l;
    }

    /** Small limits first so that each behaviour is exercised in both encodings, and with plain nodes. */
    private static List<EncodingLimits> everyShape() {
        return List.of(new EncodingLimits(), fill(1), fill(2), fill(3), plain(3, 3), plain(-2, 2));
    }

    @Test
    void plainNodesHoldOneElementAndNeverConvertBack() {
        EncodingLimits l = plain(4, 5);
        ListValue list = of(l, "aa", "bb", "cc", "dd", "ee");
        assertEquals("quicklist", list.encoding());
        list.set(2, b("eeeeeeeeee"));
        list.insert(b("bb"), b("ffffff"), true);
        list.pushHead(b("gggggg"));
        assertEquals(List.of("gggggg", "aa", "bb", "ffffff", "eeeeeeeeee", "dd", "ee"), all(list));
        list.trim(4, 4);
        assertEquals(List.of("eeeeeeeeee"), all(list));
        assertEquals("quicklist", list.encoding());
        list.set(0, b("x"));
        assertEquals("listpack", list.encoding());
    }

    @Test
    void emptyList() {
        ListValue list = new ListValue(new EncodingLimits());
        assertEquals(0, list.size());
        assertTrue(list.isEmpty());
        assertEquals("listpack", list.encoding());
        assertNull(list.popHead());
        assertNull(list.popTail());
        assertNull(list.get(0));
        assertNull(list.get(-1));
        assertFalse(list.set(0, b("x")));
        assertEquals(-1, list.insert(b("p"), b("x"), true));
        assertEquals(0, list.remove(0, b("x")));
        assertEquals(List.of(), all(list));
        assertFalse(list.iterator().hasNext());
        assertFalse(list.descendingIterator().hasNext());
        list.trim(0, -1);
        assertEquals(0, list.size());
    }

    @Test
    void pushAndPopAtBothEnds() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = new ListValue(l);
            list.pushHead(b("b"));
            list.pushHead(b("a"));
            list.pushTail(b("c"));
            list.pushTail(b("d"));
            assertEquals(List.of("a", "b", "c", "d"), all(list));
            assertArrayEquals(b("a"), list.popHead());
            assertArrayEquals(b("d"), list.popTail());
            assertArrayEquals(b("c"), list.popTail());
            assertArrayEquals(b("b"), list.popTail());
            assertNull(list.popTail());
            assertNull(list.popHead());
            assertEquals(0, list.size());
            list.pushTail(b("again"));
            assertEquals(List.of("again"), all(list));
        }
    }

    @Test
    void getAndSetWithNegativeAndOutOfRangeIndexes() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "b", "c", "d", "e");
            assertArrayEquals(b("a"), list.get(0));
            assertArrayEquals(b("e"), list.get(4));
            assertArrayEquals(b("e"), list.get(-1));
            assertArrayEquals(b("a"), list.get(-5));
            assertNull(list.get(5));
            assertNull(list.get(-6));
            assertNull(list.get(Long.MIN_VALUE));
            assertTrue(list.set(1, b("B")));
            assertTrue(list.set(-1, b("E")));
            assertFalse(list.set(5, b("x")));
            assertFalse(list.set(-6, b("x")));
            assertEquals(List.of("a", "B", "c", "d", "E"), all(list));
        }
    }

    @Test
    void insertRelativeToFirstPivot() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "p", "b", "p");
            assertEquals(5, list.insert(b("p"), b("before"), false));
            assertEquals(6, list.insert(b("p"), b("after"), true));
            assertEquals(-1, list.insert(b("missing"), b("x"), true));
            assertEquals(7, list.insert(b("p"), b("tail"), true));
            assertEquals(List.of("a", "before", "p", "tail", "after", "b", "p"), all(list));
            assertEquals(8, list.insert(b("p"), b("end"), true));
            assertEquals(9, list.insert(b("a"), b("start"), false));
            assertEquals(List.of("start", "a", "before", "p", "end", "tail", "after", "b", "p"), all(list));
        }
    }

    @Test
    void removeFromHeadTailOrEverywhere() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "x", "a", "x", "b", "x", "c", "x");
            assertEquals(2, list.remove(2, b("x")));
            assertEquals(List.of("a", "b", "x", "c", "x"), all(list));
            list = of(l, "x", "a", "x", "b", "x", "c", "x");
            assertEquals(3, list.remove(-3, b("x")));
            assertEquals(List.of("x", "a", "b", "c"), all(list));
            list = of(l, "x", "a", "x", "b", "x", "c", "x");
            assertEquals(4, list.remove(0, b("x")));
            assertEquals(List.of("a", "b", "c"), all(list));
            assertEquals(0, list.remove(0, b("x")));
            assertEquals(3, list.remove(Long.MIN_VALUE, b("a")) + 2);
            assertEquals(List.of("b", "c"), all(list));
        }
    }

    @Test
    void trimWithLtrimSemantics() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "b", "c", "d", "e");
            list.trim(1, -2);
            assertEquals(List.of("b", "c", "d"), all(list));
            list.trim(-100, 100);
            assertEquals(List.of("b", "c", "d"), all(list));
            list.trim(1, 1);
            assertEquals(List.of("c"), all(list));
            list = of(l, "a", "b", "c");
            list.trim(2, 1);
            assertEquals(List.of(), all(list));
            list = of(l, "a", "b", "c");
            list.trim(3, 10);
            assertEquals(List.of(), all(list));
            list = of(l, "a", "b", "c");
            list.trim(0, -4);
            assertEquals(List.of(), all(list));
        }
    }

    @Test
    void rangeWithLrangeSemantics() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "b", "c", "d", "e");
            assertEquals(List.of("a", "b", "c", "d", "e"), range(list, 0, -1));
            assertEquals(List.of("d", "e"), range(list, -2, -1));
            assertEquals(List.of("a", "b"), range(list, -100, 1));
            assertEquals(List.of("c", "d", "e"), range(list, 2, 100));
            assertEquals(List.of(), range(list, 5, 10));
            assertEquals(List.of(), range(list, 3, 2));
            assertEquals(List.of(), range(list, 0, -6));
            assertEquals(
                    List.of("e"), range(list, Long.MIN_VALUE, Long.MAX_VALUE).subList(4, 5));
        }
    }

    @Test
    void positionsWithLposSemantics() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "b", "c", "1", "2", "3", "c", "c");
            assertEquals(List.of(2L), positions(list, "c", 1, 1, 0));
            assertEquals(List.of(2L, 6L, 7L), positions(list, "c", 1, 0, 0));
            assertEquals(List.of(6L, 7L), positions(list, "c", 2, 0, 0));
            assertEquals(List.of(7L), positions(list, "c", -1, 1, 0));
            assertEquals(List.of(7L, 6L, 2L), positions(list, "c", -1, 0, 0));
            assertEquals(List.of(6L, 2L), positions(list, "c", -2, 2, 0));
            assertEquals(List.of(), positions(list, "c", 4, 0, 0));
            assertEquals(List.of(), positions(list, "zz", 1, 0, 0));
            assertEquals(List.of(2L), positions(list, "c", 1, 0, 3));
            assertEquals(List.of(), positions(list, "c", 1, 0, 2));
            assertEquals(List.of(7L), positions(list, "c", -1, 0, 1));
            assertEquals(List.of(7L, 6L), positions(list, "c", -1, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> list.positions(b("c"), 0, 0, 0, i -> {}));
            assertThrows(IllegalArgumentException.class, () -> list.positions(b("c"), 1, -1, 0, i -> {}));
        }
    }

    @Test
    void iteratesInBothDirections() {
        for (EncodingLimits l : everyShape()) {
            ListValue list = of(l, "a", "b", "c", "d");
            List<String> forward = new ArrayList<>();
            list.iterator().forEachRemaining(v -> forward.add(new String(v, StandardCharsets.ISO_8859_1)));
            assertEquals(List.of("a", "b", "c", "d"), forward);
            List<String> backward = new ArrayList<>();
            Iterator<byte[]> it = list.descendingIterator();
            it.forEachRemaining(v -> backward.add(new String(v, StandardCharsets.ISO_8859_1)));
            assertEquals(List.of("d", "c", "b", "a"), backward);
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void countLimitConvertsAtTheThresholdAndBackAtHalf() {
        EncodingLimits l = fill(4);
        ListValue list = of(l, "a", "b", "c", "d");
        assertEquals("listpack", list.encoding());
        list.pushTail(b("e"));
        assertEquals("quicklist", list.encoding());
        all(list);
        assertArrayEquals(b("e"), list.popTail());
        assertEquals("quicklist", list.encoding(), "4 > 4/2");
        assertArrayEquals(b("d"), list.popTail());
        assertEquals("quicklist", list.encoding(), "3 > 4/2");
        assertArrayEquals(b("c"), list.popTail());
        assertEquals("listpack", list.encoding(), "2 <= 4/2");
        assertEquals(List.of("a", "b"), all(list));
    }

    @Test
    void singleEntryNodesNeverConvertBack() {
        ListValue list = of(fill(1), "a");
        assertEquals("listpack", list.encoding());
        list.pushHead(b("b"));
        assertEquals("quicklist", list.encoding());
        list.popHead();
        assertEquals("quicklist", list.encoding(), "count limit 1 halves to 0");
        assertEquals(List.of("a"), all(list));
    }

    @Test
    void sizeLimitConvertsAtTheExactByteThreshold() {
        // fill -1 is 4096 bytes; one entry of length L >= 128 occupies L + 4 bytes plus the listpack overhead
        int fits = 4096 - Listpack.REDIS_OVERHEAD - 4;
        ListValue list = new ListValue(fill(-1));
        list.pushTail(sized(fits));
        assertEquals("listpack", list.encoding());
        ListValue over = new ListValue(fill(-1));
        over.pushTail(sized(fits + 1));
        assertEquals("quicklist", over.encoding());
        all(over);

        // back to listpack only at half the node size (2048 bytes)
        ListValue shrinking = new ListValue(fill(-1));
        shrinking.pushTail(sized(2048 - Listpack.REDIS_OVERHEAD - 4 - 3));
        shrinking.pushTail(b("a"));
        shrinking.pushTail(sized(3000));
        assertEquals("quicklist", shrinking.encoding());
        shrinking.popTail();
        assertEquals("listpack", shrinking.encoding(), "exactly 2048 bytes left");

        ListValue justAbove = new ListValue(fill(-1));
        justAbove.pushTail(sized(2048 - Listpack.REDIS_OVERHEAD - 4 - 2));
        justAbove.pushTail(b("a"));
        justAbove.pushTail(sized(3000));
        justAbove.popTail();
        assertEquals("quicklist", justAbove.encoding(), "2049 bytes left");
    }

    @Test
    void countLimitAlsoHasTheEightKilobyteSafetyLimit() {
        ListValue list = new ListValue(fill(100));
        list.pushTail(sized(8192 - Listpack.REDIS_OVERHEAD - 4));
        assertEquals("listpack", list.encoding());
        list.pushTail(b(""));
        assertEquals("quicklist", list.encoding());
        all(list);
    }

    @Test
    void defaultLimitIsEightKilobytes() {
        ListValue list = new ListValue(new EncodingLimits());
        int n = 0;
        while (list.encoding().equals("listpack")) {
            list.pushTail(sized(100));
            n++;
        }
        // each entry is 102 bytes; 80 of them plus the overhead fit in 8192, the 81st does not
        assertEquals(81, n);
        all(list);
    }

    @Test
    void largeElementsGetTheirOwnNode() {
        EncodingLimits l = fill(-1);
        ListValue list = of(l, "a", "b", "c", "d");
        list.pushTail(sized(10_000));
        list.pushTail(b("e"));
        list.insert(b("b"), sized(20_000), true);
        list.set(0, sized(5000));
        assertEquals(7, all(list).size());
        assertEquals(20_000, list.get(2).length);
        assertEquals(10_000, list.get(-2).length);
        assertEquals(5000, list.get(0).length);
        assertArrayEquals(b("e"), list.popTail());
        list.verifyStructure();
    }

    @Test
    void setIsCheckedForGrowthBeforeTheRangeCheckAsInRedis() {
        ListValue list = of(fill(2), "a", "b");
        assertEquals("listpack", list.encoding());
        assertFalse(list.set(5, b("x")));
        assertEquals("quicklist", list.encoding());
        assertEquals(List.of("a", "b"), all(list));
    }

    @Test
    void setShrinkingAQuicklistConvertsItBack() {
        ListValue list = new ListValue(fill(-1));
        list.pushTail(sized(4085));
        list.pushTail(b("a"));
        assertEquals("quicklist", list.encoding());
        list.popHead();
        assertEquals("listpack", list.encoding());
        list.pushTail(sized(3000));
        list.pushTail(sized(1100));
        assertEquals("quicklist", list.encoding());
        list.remove(0, sized(1100));
        assertEquals("quicklist", list.encoding(), "3000 bytes are above half the limit");
        list.set(1, b("small"));
        assertEquals("listpack", list.encoding());
    }

    @Test
    void insertIntoFullNodesSpillsOrSplits() {
        EncodingLimits l = fill(4);
        ListValue list = new ListValue(l);
        for (int i = 0; i < 12; i++) {
            list.pushTail(b(Integer.toString(i)));
        }
        list.insert(b("3"), b("after3"), true);
        list.insert(b("4"), b("before4"), false);
        list.insert(b("5"), b("mid"), true);
        List<String> expected = new ArrayList<>(
                List.of("0", "1", "2", "3", "after3", "before4", "4", "5", "mid", "6", "7", "8", "9", "10", "11"));
        assertEquals(expected, all(list));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), new String(list.get(i), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void indexOperationsAcrossManyNodes() {
        ListValue list = new ListValue(fill(3));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.pushTail(b("v" + i));
            expected.add("v" + i);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(expected.get(i), new String(list.get(i), StandardCharsets.ISO_8859_1));
            assertEquals(expected.get(999 - i), new String(list.get(-1 - i), StandardCharsets.ISO_8859_1));
        }
        assertEquals(expected.subList(500, 510), range(list, 500, 509));
        assertEquals(List.of(777L), positions(list, "v777", -1, 0, 0));
        list.trim(100, 199);
        assertEquals(expected.subList(100, 200), all(list));
    }

    @Test
    void limitsAreReadAtEachWrite() {
        EncodingLimits l = fill(128);
        ListValue list = of(l, "a", "b", "c");
        l.listMaxListpackSize = 3;
        assertEquals("listpack", list.encoding());
        list.pushHead(b("z"));
        assertEquals("quicklist", list.encoding());
    }

    @Test
    void memoryUsageTracksContent() {
        ListValue small = of(new EncodingLimits(), "a");
        ListValue larger = new ListValue(new EncodingLimits());
        for (int i = 0; i < 1000; i++) {
            larger.pushTail(sized(50));
        }
        assertTrue(small.memoryUsage() > 0);
        assertTrue(larger.memoryUsage() > 50_000);
        assertEquals("quicklist", larger.encoding());
        larger.trim(0, 0);
        assertTrue(larger.memoryUsage() < 1000, "trimmed nodes are released");
    }
}
