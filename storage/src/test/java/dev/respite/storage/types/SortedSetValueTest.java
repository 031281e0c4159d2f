package dev.respite.storage.types;

import static dev.respite.storage.types.SortedSetValue.AddResult.ADDED;
import static dev.respite.storage.types.SortedSetValue.AddResult.NAN;
import static dev.respite.storage.types.SortedSetValue.AddResult.NOT_PERFORMED;
import static dev.respite.storage.types.SortedSetValue.AddResult.UNCHANGED;
import static dev.respite.storage.types.SortedSetValue.AddResult.UPDATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortedSetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Collects "member=score" strings, scores in Redis format. */
    private static final class Collector implements SortedSetValue.EntryConsumer {
        final List<String> items = new ArrayList<>();

        @Override
        public void accept(byte[] member, double score) {
            items.add(s(member) + "=" + Doubles.format(score));
        }
    }

    private static SortedSetValue zset(EncodingLimits limits, Object... memberScorePairs) {
        SortedSetValue z = new SortedSetValue(limits);
        for (int i = 0; i < memberScorePairs.length; i += 2) {
            z.add(b((String) memberScorePairs[i]), ((Number) memberScorePairs[i + 1]).doubleValue(), 0);
        }
        return z;
    }

    private static List<String> all(SortedSetValue z) {
        Collector c = new Collector();
        z.forEach(c);
        return c.items;
    }

    private static EncodingLimits skiplistOnly() {
        EncodingLimits limits = new EncodingLimits();
        limits.zsetMaxListpackEntries = 0;
        return limits;
    }

    private static List<EncodingLimits> bothEncodings() {
        return List.of(new EncodingLimits(), skiplistOnly());
    }

    @Test
    void addFlagsFollowZadd() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = new SortedSetValue(limits);
            assertEquals(ADDED, z.add(b("a"), 1, 0));
            assertEquals(UNCHANGED, z.add(b("a"), 1, 0));
            assertEquals(UPDATED, z.add(b("a"), 2, 0));
            assertEquals(NOT_PERFORMED, z.add(b("a"), 5, SortedSetValue.NX));
            assertEquals(2.0, z.scoreAfterAdd());
            assertEquals(NOT_PERFORMED, z.add(b("b"), 5, SortedSetValue.XX));
            assertTrue(Double.isNaN(z.scoreAfterAdd()));
            assertFalse(z.contains(b("b")));
            assertEquals(NOT_PERFORMED, z.add(b("a"), 1, SortedSetValue.GT));
            assertEquals(NOT_PERFORMED, z.add(b("a"), 2, SortedSetValue.GT));
            assertEquals(UPDATED, z.add(b("a"), 3, SortedSetValue.GT));
            assertEquals(NOT_PERFORMED, z.add(b("a"), 4, SortedSetValue.LT));
            assertEquals(UPDATED, z.add(b("a"), -1, SortedSetValue.LT | SortedSetValue.XX));
            assertEquals(ADDED, z.add(b("c"), 7, SortedSetValue.GT));
            assertEquals(UPDATED, z.add(b("a"), 2.5, SortedSetValue.INCR));
            assertEquals(1.5, z.scoreAfterAdd());
            assertEquals(UNCHANGED, z.add(b("a"), 0, SortedSetValue.INCR));
            assertEquals(1.5, z.scoreAfterAdd());
            assertEquals(NOT_PERFORMED, z.add(b("a"), -1, SortedSetValue.INCR | SortedSetValue.GT));
            assertEquals(ADDED, z.add(b("d"), 4, SortedSetValue.INCR));
            assertEquals(4.0, z.scoreAfterAdd());
            assertEquals(ADDED, z.add(b("inf"), Double.POSITIVE_INFINITY, 0));
            assertEquals(NAN, z.add(b("inf"), Double.NEGATIVE_INFINITY, SortedSetValue.INCR));
            assertEquals(Double.POSITIVE_INFINITY, z.score(b("inf")));
            assertEquals(NAN, z.add(b("x"), Double.NaN, 0));
            assertEquals(List.of("a=1.5", "d=4", "c=7", "inf=inf"), all(z));
            assertNull(z.score(b("missing")));
            assertTrue(Double.isNaN(z.scoreOrNaN(b("missing"))));
        }
    }

    @Test
    void negativeZeroEqualsZero() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "b", 0.0, "a", -0.0, "c", 0.0);
            // Redis's listpack keeps scores as text and turns -0 into 0; its skiplist keeps -0.
            String a = z.encoding().equals("listpack") ? "a=0" : "a=-0";
            assertEquals(List.of(a, "b=0", "c=0"), all(z));
            assertEquals(UNCHANGED, z.add(b("b"), -0.0, 0));
            assertEquals(3, z.count(0, false, 0, false));
            assertEquals(0, z.count(-0.0, true, 0, false));
        }
    }

    @Test
    void ordersMembersAsUnsignedBytes() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "\u00ff", 1, "a", 1, "", 1, "ab", 1, "b", 0);
            assertEquals(List.of("b=0", "=1", "a=1", "ab=1", "\u00ff=1"), all(z));
        }
    }

    @Test
    void rankAndRangeByRank() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "a", 1, "b", 2, "c", 3, "d", 4);
            assertEquals(0, z.rank(b("a"), false));
            assertEquals(3, z.rank(b("a"), true));
            assertEquals(2, z.rank(b("c"), false));
            assertEquals(-1, z.rank(b("x"), false));
            assertRange(List.of("a=1", "b=2", "c=3", "d=4"), z, 0, -1, false);
            assertRange(List.of("d=4", "c=3"), z, 0, 1, true);
            assertRange(List.of("c=3", "d=4"), z, -2, 100, false);
            assertRange(List.of("a=1"), z, -100, 0, false);
            assertRange(List.of(), z, 2, 1, false);
            assertRange(List.of(), z, 4, 10, false);
            assertRange(List.of("b=2", "a=1"), z, -2, -1, true);
        }
    }

    private static void assertRange(List<String> expected, SortedSetValue z, long start, long stop, boolean reverse) {
        Collector c = new Collector();
        assertEquals(expected.size(), z.rangeByRank(start, stop, reverse, c));
        assertEquals(expected, c.items);
    }

    @Test
    void rangeByScoreWithLimit() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "a", 1, "b", 2, "c", 2, "d", 3, "e", Double.POSITIVE_INFINITY);
            Collector c = new Collector();
            z.rangeByScore(2, false, 3, false, false, 0, -1, c);
            assertEquals(List.of("b=2", "c=2", "d=3"), c.items);
            c = new Collector();
            z.rangeByScore(2, true, Double.POSITIVE_INFINITY, false, false, 0, -1, c);
            assertEquals(List.of("d=3", "e=inf"), c.items);
            c = new Collector();
            z.rangeByScore(Double.NEGATIVE_INFINITY, false, 3, true, true, 1, 2, c);
            assertEquals(List.of("b=2", "a=1"), c.items);
            c = new Collector();
            assertEquals(2, z.rangeByScore(1, false, 3, false, false, 1, 2, c));
            assertEquals(List.of("b=2", "c=2"), c.items);
            assertEquals(0, z.rangeByScore(1, false, 3, false, false, -1, 2, new Collector()));
            assertEquals(0, z.rangeByScore(1, false, 3, false, false, 10, 2, new Collector()));
            assertEquals(0, z.rangeByScore(3, false, 1, false, false, 0, -1, new Collector()));
            assertEquals(0, z.rangeByScore(2, true, 2, false, false, 0, -1, new Collector()));
            assertEquals(3, z.count(2, false, 3, false));
            assertEquals(1, z.count(2, true, 3, true) + 1);
            assertEquals(5, z.count(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false));
        }
    }

    @Test
    void lexRanges() {
        assertNull(LexBound.parse(b("a")));
        assertNull(LexBound.parse(b("")));
        assertNull(LexBound.parse(b("+a")));
        assertEquals(1, LexBound.parse(b("+")).infinity());
        assertEquals(-1, LexBound.parse(b("-")).infinity());
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "a", 0, "b", 0, "c", 0, "d", 0, "e", 0);
            assertLex(List.of("a", "b", "c", "d", "e"), z, "-", "+", false, 0, -1);
            assertLex(List.of("b", "c"), z, "[b", "(d", false, 0, -1);
            assertLex(List.of("c", "d"), z, "(b", "[d", false, 0, -1);
            assertLex(List.of("d", "c"), z, "(b", "[d", true, 0, -1);
            assertLex(List.of("d"), z, "-", "+", true, 1, 1);
            assertLex(List.of(), z, "+", "-", false, 0, -1);
            assertLex(List.of(), z, "[c", "(c", false, 0, -1);
            assertLex(List.of("c"), z, "[c", "[c", false, 0, -1);
            assertEquals(2, z.lexCount(LexBound.parse(b("[aa")), LexBound.parse(b("(d"))));
            assertEquals(2, z.removeRangeByLex(LexBound.parse(b("(a")), LexBound.parse(b("[c"))));
            assertEquals(List.of("a=0", "d=0", "e=0"), all(z));
        }
    }

    private static void assertLex(
            List<String> expected, SortedSetValue z, String min, String max, boolean reverse, long offset, long count) {
        List<String> got = new ArrayList<>();
        z.rangeByLex(LexBound.parse(b(min)), LexBound.parse(b(max)), reverse, offset, count, (m, sc) -> got.add(s(m)));
        assertEquals(expected, got, min + " " + max);
    }

    @Test
    void removeRangesAndPops() {
        for (EncodingLimits limits : bothEncodings()) {
            SortedSetValue z = zset(limits, "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", 6);
            assertEquals(2, z.removeRangeByRank(-2, -1));
            assertEquals(List.of("a=1", "b=2", "c=3", "d=4"), all(z));
            assertEquals(0, z.removeRangeByRank(5, 10));
            assertEquals(2, z.removeRangeByScore(1, true, 3, false));
            assertEquals(List.of("a=1", "d=4"), all(z));
            z.add(b("x"), 9, 0);
            z.add(b("y"), 0, 0);
            Collector c = new Collector();
            assertEquals(2, z.popMax(2, c));
            assertEquals(List.of("x=9", "d=4"), c.items);
            c = new Collector();
            assertEquals(2, z.popMin(5, c));
            assertEquals(List.of("y=0", "a=1"), c.items);
            assertTrue(z.isEmpty());
            assertEquals(0, z.popMin(1, c));
        }
    }

    @Test
    void listpackToSkiplistAtThresholds() {
        EncodingLimits limits = new EncodingLimits();
        SortedSetValue z = new SortedSetValue(limits);
        for (int i = 0; i < 128; i++) {
            z.add(b("m" + i), i, 0);
        }
        assertEquals("listpack", z.encoding());
        z.add(b("m0"), 1000, 0);
        assertEquals("listpack", z.encoding());
        z.add(b("new"), 1, 0);
        assertEquals("skiplist", z.encoding());
        assertEquals(129, z.size());
        assertEquals(1000.0, z.score(b("m0")));
        assertEquals(128, z.rank(b("m0"), false));

        SortedSetValue wide = new SortedSetValue(limits);
        wide.add(b("v".repeat(64)), 1, 0);
        assertEquals("listpack", wide.encoding());
        wide.add(b("v".repeat(65)), 2, 0);
        assertEquals("skiplist", wide.encoding());
        assertEquals(List.of("v".repeat(64) + "=1", "v".repeat(65) + "=2"), all(wide));
        wide.remove(b("v".repeat(65)));
        assertEquals("skiplist", wide.encoding());
    }

    @Test
    void randomMembers() {
        for (EncodingLimits limits : bothEncodings()) {
            for (int size : new int[] {5, 60, 500}) {
                SortedSetValue z = new SortedSetValue(limits);
                Map<String, Double> model = new HashMap<>();
                for (int i = 0; i < size; i++) {
                    z.add(b("m" + i), i, 0);
                    model.put("m" + i, (double) i);
                }
                Random random = new Random(size);
                for (long count : new long[] {1, 3, size / 2, size - 1, size, size + 5, -1, -3L * size}) {
                    List<String> got = new ArrayList<>();
                    long n = z.randomMembers(count, random, (m, sc) -> {
                        assertEquals(model.get(s(m)), sc);
                        got.add(s(m));
                    });
                    long expected = count < 0 ? -count : Math.min(count, size);
                    assertEquals(expected, n);
                    assertEquals(expected, got.size());
                    if (count > 0) {
                        assertEquals(got.size(), new HashSet<>(got).size());
                    }
                }
                assertTrue(model.containsKey(s(z.randomMember(random))));
            }
        }
        assertNull(new SortedSetValue(new EncodingLimits()).randomMember(new Random()));
    }

    @Test
    void scanSkiplistCoversEverything() {
        SortedSetValue z = new SortedSetValue(skiplistOnly());
        for (int i = 0; i < 3000; i++) {
            z.add(b("m" + i), i, 0);
        }
        Map<String, Double> seen = new HashMap<>();
        long cursor = 0;
        int extra = 0;
        do {
            cursor = z.scan(cursor, 10, (m, sc) -> seen.put(s(m), sc));
            for (int i = 0; i < 50; i++) {
                z.add(b("extra" + extra++), -1, 0);
            }
        } while (cursor != 0);
        for (int i = 0; i < 3000; i++) {
            assertEquals((double) i, seen.get("m" + i));
        }
        assertTrue(z.memoryUsage() > new SortedSetValue(skiplistOnly()).memoryUsage());
    }

    /** Thousands of random operations against a sorted model, small limits so conversions happen. */
    @Test
    void propertyWithRandomScores() {
        for (long seed = 1; seed <= 25; seed++) {
            runProperty(seed, false);
        }
    }

    /** Same with all scores equal so lexicographic operations are meaningful. */
    @Test
    void propertyWithEqualScores() {
        for (long seed = 100; seed <= 120; seed++) {
            runProperty(seed, true);
        }
    }

    private static int compareEntries(Map.Entry<String, Double> x, Map.Entry<String, Double> y) {
        double a = x.getValue();
        double c = y.getValue();
        if (a < c) {
            return -1;
        }
        if (a > c) {
            return 1;
        }
        return x.getKey().compareTo(y.getKey());
    }

    private static final double[] SCORES = {
        -2, -1, -0.0, 0, 0.5, 1, 2, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    };

    private static void runProperty(long seed, boolean equalScores) {
        Random random = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        limits.zsetMaxListpackEntries = random.nextInt(10);
        limits.zsetMaxListpackValue = random.nextInt(5);
        SortedSetValue z = new SortedSetValue(limits);
        Map<String, Double> model = new HashMap<>();
        boolean converted = false;
        for (int step = 0; step < 2500; step++) {
            String context = "seed " + seed + " step " + step;
            List<Map.Entry<String, Double>> sorted = new ArrayList<>(model.entrySet());
            sorted.sort(SortedSetValueTest::compareEntries);
            int n = sorted.size();
            String member = randomMember(random);
            double score = equalScores ? 0 : SCORES[random.nextInt(SCORES.length)];
            int op = random.nextInt(100);
            if (op < 40) {
                int flags = random.nextInt(32);
                if ((flags & SortedSetValue.NX) != 0) {
                    flags &= ~(SortedSetValue.XX | SortedSetValue.GT | SortedSetValue.LT);
                }
                if ((flags & SortedSetValue.GT) != 0) {
                    flags &= ~SortedSetValue.LT;
                }
                SortedSetValue.AddResult expected = modelAdd(model, member, score, flags);
                assertEquals(expected, z.add(b(member), score, flags), context + " flags " + flags);
                Double now = model.get(member);
                if (expected != NAN) {
                    assertEquals(now == null ? Double.NaN : now, z.scoreAfterAdd(), context);
                }
                if (now != null && z.encoding().equals("listpack")) {
                    // Like Redis's listpack, ours stores -0 as 0 (the reply above still showed -0).
                    model.put(member, now + 0.0);
                }
            } else if (op < 55) {
                assertEquals(model.remove(member) != null, z.remove(b(member)), context);
            } else if (op < 60) {
                assertEquals(model.get(member), z.score(b(member)), context);
                int index = indexOf(sorted, member);
                boolean reverse = random.nextBoolean();
                assertEquals(index < 0 ? -1 : reverse ? n - 1 - index : index, z.rank(b(member), reverse), context);
            } else if (op < 66) {
                long start = random.nextInt(16) - 8;
                long stop = random.nextInt(16) - 8;
                boolean reverse = random.nextBoolean();
                List<Map.Entry<String, Double>> view = reverse ? reversed(sorted) : sorted;
                long s0 = start < 0 ? Math.max(0, start + n) : start;
                long s1 = stop < 0 ? stop + n : Math.min(stop, n - 1);
                List<String> expected = s0 > s1 || s0 >= n ? List.of() : render(view.subList((int) s0, (int) s1 + 1));
                Collector c = new Collector();
                z.rangeByRank(start, stop, reverse, c);
                assertEquals(expected, c.items, context);
            } else if (op < 74) {
                double min = SCORES[random.nextInt(SCORES.length)];
                double max = SCORES[random.nextInt(SCORES.length)];
                boolean minEx = random.nextBoolean();
                boolean maxEx = random.nextBoolean();
                boolean reverse = random.nextBoolean();
                long offset = random.nextInt(5) - 1;
                long count = random.nextInt(5) - 1;
                List<Map.Entry<String, Double>> matching = new ArrayList<>();
                for (Map.Entry<String, Double> e : reverse ? reversed(sorted) : sorted) {
                    double v = e.getValue();
                    if ((minEx ? v > min : v >= min) && (maxEx ? v < max : v <= max)) {
                        matching.add(e);
                    }
                }
                assertEquals(matching.size(), z.count(min, minEx, max, maxEx), context);
                Collector c = new Collector();
                z.rangeByScore(min, minEx, max, maxEx, reverse, offset, count, c);
                assertEquals(render(window(matching, offset, count)), c.items, context);
                if (random.nextInt(4) == 0) {
                    assertEquals(matching.size(), z.removeRangeByScore(min, minEx, max, maxEx), context);
                    matching.forEach(e -> model.remove(e.getKey()));
                }
            } else if (op < 80 && equalScores) {
                LexBound min = randomLex(random);
                LexBound max = randomLex(random);
                boolean reverse = random.nextBoolean();
                long offset = random.nextInt(5) - 1;
                long count = random.nextInt(5) - 1;
                List<Map.Entry<String, Double>> matching = new ArrayList<>();
                for (Map.Entry<String, Double> e : reverse ? reversed(sorted) : sorted) {
                    if (aboveMin(e.getKey(), min) && belowMax(e.getKey(), max)) {
                        matching.add(e);
                    }
                }
                assertEquals(matching.size(), z.lexCount(min, max), context);
                Collector c = new Collector();
                z.rangeByLex(min, max, reverse, offset, count, c);
                assertEquals(render(window(matching, offset, count)), c.items, context);
                if (random.nextInt(4) == 0) {
                    assertEquals(matching.size(), z.removeRangeByLex(min, max), context);
                    matching.forEach(e -> model.remove(e.getKey()));
                }
            } else if (op < 84) {
                long start = random.nextInt(12) - 6;
                long stop = random.nextInt(12) - 6;
                long s0 = start < 0 ? Math.max(0, start + n) : start;
                long s1 = stop < 0 ? stop + n : Math.min(stop, n - 1);
                List<Map.Entry<String, Double>> doomed =
                        s0 > s1 || s0 >= n ? List.of() : sorted.subList((int) s0, (int) s1 + 1);
                assertEquals(doomed.size(), z.removeRangeByRank(start, stop), context);
                doomed.forEach(e -> model.remove(e.getKey()));
            } else if (op < 90) {
                boolean max = random.nextBoolean();
                int count = random.nextInt(4);
                List<Map.Entry<String, Double>> view = max ? reversed(sorted) : sorted;
                List<Map.Entry<String, Double>> expected = view.subList(0, Math.min(count, n));
                Collector c = new Collector();
                assertEquals(expected.size(), max ? z.popMax(count, c) : z.popMin(count, c), context);
                assertEquals(render(expected), c.items, context);
                expected.forEach(e -> model.remove(e.getKey()));
            } else if (op < 95) {
                long count = random.nextInt(14) - 7;
                List<String> got = new ArrayList<>();
                long emitted = z.randomMembers(count, random, (m, sc) -> {
                    assertEquals(model.get(s(m)), sc, context);
                    got.add(s(m));
                });
                long expected = n == 0 ? 0 : count < 0 ? -count : Math.min(count, n);
                assertEquals(expected, emitted, context);
                assertEquals(expected, got.size(), context);
                if (count > 0) {
                    assertEquals(got.size(), new HashSet<>(got).size(), context);
                }
            } else {
                Map<String, Double> seen = new HashMap<>();
                long cursor = 0;
                do {
                    cursor = z.scan(cursor, 1 + random.nextInt(4), (m, sc) -> seen.put(s(m), sc));
                } while (cursor != 0);
                assertEquals(model, seen, context);
            }
            List<Map.Entry<String, Double>> expectedOrder = new ArrayList<>(model.entrySet());
            expectedOrder.sort(SortedSetValueTest::compareEntries);
            assertEquals(model.size(), z.size(), context);
            assertEquals(render(expectedOrder), all(z), context);
            if (z.encoding().equals("skiplist")) {
                converted = true;
            } else {
                assertFalse(converted, context + ": went back to listpack");
                assertTrue(z.size() <= limits.zsetMaxListpackEntries, context);
            }
        }
    }

    /** Reference ZADD semantics, written independently of the implementation. */
    private static SortedSetValue.AddResult modelAdd(
            Map<String, Double> model, String member, double score, int flags) {
        Double current = model.get(member);
        boolean incr = (flags & SortedSetValue.INCR) != 0;
        if (current == null) {
            if ((flags & SortedSetValue.XX) != 0) {
                return NOT_PERFORMED;
            }
            model.put(member, score);
            return ADDED;
        }
        if ((flags & SortedSetValue.NX) != 0) {
            return NOT_PERFORMED;
        }
        double target = incr ? current + score : score;
        if (Double.isNaN(target)) {
            return NAN;
        }
        if ((flags & SortedSetValue.GT) != 0 && !(target > current)) {
            return NOT_PERFORMED;
        }
        if ((flags & SortedSetValue.LT) != 0 && !(target < current)) {
            return NOT_PERFORMED;
        }
        if (target == current) {
            return UNCHANGED;
        }
        model.put(member, target);
        return UPDATED;
    }

    private static int indexOf(List<Map.Entry<String, Double>> sorted, String member) {
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).getKey().equals(member)) {
                return i;
            }
        }
        return -1;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static <T> List<T> window(List<T> list, long offset, long count) {
        if (offset < 0 || offset >= list.size() || count == 0) {
            return List.of();
        }
        long end = count < 0 ? list.size() : Math.min(list.size(), offset + count);
        return list.subList((int) offset, (int) end);
    }

    private static List<String> render(List<Map.Entry<String, Double>> entries) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : entries) {
            out.add(e.getKey() + "=" + Doubles.format(e.getValue()));
        }
        return out;
    }

    private static LexBound randomLex(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return LexBound.NEGATIVE_INFINITY;
            case 1:
                return LexBound.POSITIVE_INFINITY;
            case 2:
            case 3:
                return LexBound.inclusive(b(randomMember(random)));
            default:
                return LexBound.exclusive(b(randomMember(random)));
        }
    }

    private static boolean aboveMin(String member, LexBound min) {
        if (min.infinity() != 0) {
            return min.infinity() < 0;
        }
        int c = member.compareTo(s(min.member()));
        return min.isInclusive() ? c >= 0 : c > 0;
    }

    private static boolean belowMax(String member, LexBound max) {
        if (max.infinity() != 0) {
            return max.infinity() > 0;
        }
        int c = member.compareTo(s(max.member()));
        return max.isInclusive() ? c <= 0 : c < 0;
    }

    private static String randomMember(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            sb.append(random.nextInt(8) == 0 ? '\u00e9' : (char) ('a' + random.nextInt(3)));
        }
        return sb.toString();
    }
    /** GEOSEARCH's walk gives exactly rangeByScore's [min, max) window, in both encodings, ties by member. */
    @Test
    void scoreRangeWalkMatchesRangeByScore() {
        Random random = new Random(5);
        for (EncodingLimits limits : new EncodingLimits[] {new EncodingLimits(), skiplistOnly()}) {
            SortedSetValue z = new SortedSetValue(limits);
            for (int i = 0; i < 100; i++) {
                z.add(b("m" + random.nextInt(1000)), random.nextInt(40), 0);
            }
            for (int lo = -1; lo <= 41; lo++) {
                for (int hi = lo; hi <= 42; hi += 3) {
                    Collector expected = new Collector();
                    z.rangeByScore(lo, false, hi, true, false, 0, -1, expected);
                    Collector walked = new Collector();
                    z.forEachInScoreRange(lo, hi, walked);
                    assertEquals(expected.items, walked.items, "[" + lo + ", " + hi + ")");
                }
            }
        }
    }
}
