package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static Set<String> members(SetValue set) {
        Set<String> out = new HashSet<>();
        for (byte[] m : set) {
            assertTrue(out.add(s(m)), "duplicate " + s(m));
        }
        return out;
    }

    private static SetValue filled(EncodingLimits limits, int n, String prefix) {
        SetValue set = new SetValue(limits);
        for (int i = 0; i < n; i++) {
            assertTrue(set.add(b(prefix + i)));
        }
        return set;
    }

    @Test
    void basicOperations() {
        SetValue set = new SetValue(new EncodingLimits());
        assertTrue(set.isEmpty());
        assertTrue(set.add(b("5")));
        assertFalse(set.add(b("5")));
        assertTrue(set.add(b("-3")));
        assertTrue(set.contains(b("5")));
        assertFalse(set.contains(b("05")));
        assertFalse(set.contains(b("x")));
        assertEquals(2, set.size());
        assertEquals(List.of("-3", "5"), iterationOrder(set));
        assertTrue(set.remove(b("5")));
        assertFalse(set.remove(b("5")));
        assertFalse(set.remove(b("nope")));
        assertEquals(Set.of("-3"), members(set));
        assertEquals("intset", set.encoding());
    }

    private static List<String> iterationOrder(SetValue set) {
        List<String> out = new ArrayList<>();
        set.forEach(m -> out.add(s(m)));
        return out;
    }

    @Test
    void intsetWidensAndKeepsOrder() {
        SetValue set = new SetValue(new EncodingLimits());
        for (String v : new String[] {
            "1",
            "40000",
            "-40000",
            "3000000000",
            "-3000000000",
            "9223372036854775807",
            "-9223372036854775808",
            "0",
            "-1"
        }) {
            assertTrue(set.add(b(v)));
        }
        assertEquals("intset", set.encoding());
        assertEquals(
                List.of(
                        "-9223372036854775808",
                        "-3000000000",
                        "-40000",
                        "-1",
                        "0",
                        "1",
                        "40000",
                        "3000000000",
                        "9223372036854775807"),
                iterationOrder(set));
        assertTrue(set.contains(b("3000000000")));
        assertTrue(set.remove(b("-40000")));
        assertFalse(set.contains(b("-40000")));
    }

    @Test
    void nonCanonicalIntegersLeaveIntset() {
        for (String v : new String[] {
            "007", "+1", "-0", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "1.0", "", "-"
        }) {
            SetValue set = new SetValue(new EncodingLimits());
            set.add(b("1"));
            assertTrue(set.add(b(v)), v);
            assertEquals("listpack", set.encoding(), v);
            assertTrue(set.contains(b(v)));
            assertTrue(set.contains(b("1")));
        }
    }

    @Test
    void intsetToHashtableAtMaxIntsetEntries() {
        EncodingLimits limits = new EncodingLimits();
        SetValue set = filled(limits, 512, "");
        assertEquals("intset", set.encoding());
        set.add(b("512"));
        assertEquals("hashtable", set.encoding());
        assertEquals(513, set.size());
        assertTrue(set.contains(b("0")));
    }

    @Test
    void intsetToListpackOrHashtableOnString() {
        EncodingLimits limits = new EncodingLimits();
        SetValue small = filled(limits, 127, "");
        small.add(b("a"));
        assertEquals("listpack", small.encoding());
        assertEquals(128, small.size());

        SetValue full = filled(limits, 128, "");
        full.add(b("a"));
        assertEquals("hashtable", full.encoding());

        SetValue longMember = filled(limits, 3, "");
        longMember.add(b("x".repeat(64)));
        assertEquals("listpack", longMember.encoding());
        SetValue tooLong = filled(limits, 3, "");
        tooLong.add(b("x".repeat(65)));
        assertEquals("hashtable", tooLong.encoding());

        // Redis also checks the widest integer already present against set-max-listpack-value.
        limits.setMaxListpackValue = 3;
        SetValue wide = new SetValue(limits);
        wide.add(b("1000"));
        wide.add(b("a"));
        assertEquals("hashtable", wide.encoding());
        SetValue negative = new SetValue(limits);
        negative.add(b("-99"));
        negative.add(b("a"));
        assertEquals("listpack", negative.encoding());
    }

    @Test
    void listpackToHashtableAtThresholds() {
        EncodingLimits limits = new EncodingLimits();
        SetValue set = filled(limits, 128, "m");
        assertEquals("listpack", set.encoding());
        set.add(b("m0"));
        assertEquals("listpack", set.encoding());
        set.add(b("extra"));
        assertEquals("hashtable", set.encoding());
        assertEquals(129, set.size());

        SetValue value = filled(limits, 2, "m");
        value.add(b("y".repeat(64)));
        assertEquals("listpack", value.encoding());
        value.add(b("y".repeat(65)));
        assertEquals("hashtable", value.encoding());
        assertEquals(4, value.size());
        assertTrue(value.remove(b("m1")));
        assertEquals("hashtable", value.encoding());
    }

    @Test
    void zeroLimitsGoStraightToHashtable() {
        EncodingLimits limits = new EncodingLimits();
        limits.setMaxIntsetEntries = 0;
        limits.setMaxListpackEntries = 0;
        SetValue ints = new SetValue(limits);
        ints.add(b("1"));
        assertEquals("hashtable", ints.encoding());
        SetValue strings = new SetValue(limits);
        strings.add(b("a"));
        assertEquals("hashtable", strings.encoding());
    }

    @Test
    void randomMembersAndPop() {
        for (int size : new int[] {5, 100, 1000}) {
            for (String prefix : new String[] {"", "m"}) {
                SetValue set = filled(new EncodingLimits(), size, prefix);
                Random random = new Random(size);
                Set<String> all = members(set);
                assertTrue(all.contains(s(set.randomMember(random))));

                List<String> distinct = new ArrayList<>();
                assertEquals(size / 2, set.randomMembers(size / 2, random, m -> distinct.add(s(m))));
                assertEquals(size / 2, new HashSet<>(distinct).size());
                assertTrue(all.containsAll(distinct));
                List<String> few = new ArrayList<>();
                set.randomMembers(3, random, m -> few.add(s(m)));
                assertEquals(3, new HashSet<>(few).size());
                List<String> everything = new ArrayList<>();
                assertEquals(size, set.randomMembers(size + 10, random, m -> everything.add(s(m))));
                assertEquals(all, new HashSet<>(everything));

                List<String> repeats = new ArrayList<>();
                assertEquals(3 * size, set.randomMembers(-3L * size, random, m -> repeats.add(s(m))));
                assertEquals(3 * size, repeats.size());
                assertTrue(all.containsAll(repeats));

                List<String> popped = new ArrayList<>();
                assertEquals(2, set.pop(2, random, m -> popped.add(s(m))));
                assertEquals(size - 2, set.size());
                for (String p : popped) {
                    assertFalse(set.contains(b(p)));
                }
                assertEquals(size - 2, set.pop(size, random, m -> popped.add(s(m))));
                assertEquals(all, new HashSet<>(popped));
                assertTrue(set.isEmpty());
                assertNull(set.pop(random));
                assertNull(set.randomMember(random));
            }
        }
    }

    @Test
    void randomMemberIsRoughlyUniform() {
        SetValue set = filled(new EncodingLimits(), 1000, "m");
        int[] hits = new int[1000];
        Random random = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            hits[Integer.parseInt(s(set.randomMember(random)).substring(1))]++;
        }
        for (int h : hits) {
            assertTrue(h > 100 && h < 340, "count " + h);
        }
    }

    @Test
    void scanCompactEncodingsReturnEverything() {
        SetValue set = filled(new EncodingLimits(), 10, "");
        Set<String> seen = new HashSet<>();
        assertEquals(0, set.scan(0, 2, m -> seen.add(s(m))));
        assertEquals(members(set), seen);
    }

    @Test
    void scanSurvivesResizesBetweenCalls() {
        EncodingLimits limits = new EncodingLimits();
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 20; round++) {
            SetValue set = filled(limits, 50 + random.nextInt(2000), "stable");
            Set<String> stable = members(set);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int extra = 0;
            do {
                cursor = set.scan(cursor, 1 + random.nextInt(20), m -> seen.add(s(m)));
                // Grow and shrink the table between calls, without touching the stable members.
                if (random.nextBoolean()) {
                    for (int i = random.nextInt(300); i > 0; i--) {
                        set.add(b("extra" + extra++));
                    }
                } else {
                    for (int i = 0; i < extra; i++) {
                        set.remove(b("extra" + i));
                    }
                }
            } while (cursor != 0);
            assertTrue(seen.containsAll(stable), "round " + round);
        }
    }

    @Test
    void memoryUsageGrowsWithContent() {
        SetValue set = new SetValue(new EncodingLimits());
        long empty = set.memoryUsage();
        for (int i = 0; i < 1000; i++) {
            set.add(b("member" + i));
        }
        assertTrue(set.memoryUsage() > empty + 1000 * 6);
    }

    /** Thousands of random operations against a HashSet, with small limits so every conversion happens. */
    @Test
    void propertyAgainstHashSet() {
        for (long seed = 1; seed <= 30; seed++) {
            runProperty(seed);
        }
    }

    private static final List<String> ENCODING_ORDER = List.of("intset", "listpack", "hashtable");

    private static void runProperty(long seed) {
        Random random = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        limits.setMaxIntsetEntries = 1 + random.nextInt(12);
        limits.setMaxListpackEntries = 1 + random.nextInt(10);
        limits.setMaxListpackValue = 1 + random.nextInt(5);
        SetValue set = new SetValue(limits);
        Set<String> model = new HashSet<>();
        int encodingRank = 0;
        boolean onlyIntsEver = true;
        for (int step = 0; step < 3000; step++) {
            String context = "seed " + seed + " step " + step;
            String member = randomMember(random);
            int op = random.nextInt(100);
            if (op < 45) {
                boolean wasPresent = model.contains(member);
                assertEquals(model.add(member), set.add(b(member)), context);
                if (!wasPresent) {
                    onlyIntsEver &= ByteStrings.isCanonicalLong(b(member));
                }
            } else if (op < 70) {
                assertEquals(model.remove(member), set.remove(b(member)), context);
            } else if (op < 80) {
                assertEquals(model.contains(member), set.contains(b(member)), context);
            } else if (op < 85) {
                byte[] popped = set.pop(random);
                if (model.isEmpty()) {
                    assertNull(popped, context);
                } else {
                    assertTrue(model.remove(s(popped)), context);
                }
            } else if (op < 90) {
                int count = random.nextInt(4);
                List<String> popped = new ArrayList<>();
                long n = set.pop(count, random, m -> popped.add(s(m)));
                assertEquals(Math.min(count, model.size()), n, context);
                assertEquals(n, popped.size(), context);
                for (String p : popped) {
                    assertTrue(model.remove(p), context);
                }
            } else if (op < 95) {
                long count = random.nextInt(12) - 6;
                List<String> got = new ArrayList<>();
                long n = set.randomMembers(count, random, m -> got.add(s(m)));
                long expected = model.isEmpty() ? 0 : count < 0 ? -count : Math.min(count, model.size());
                assertEquals(expected, n, context);
                assertEquals(expected, got.size(), context);
                assertTrue(model.containsAll(got), context);
                if (count > 0) {
                    assertEquals(got.size(), new HashSet<>(got).size(), context);
                }
            } else {
                Set<String> seen = new HashSet<>();
                long cursor = 0;
                int calls = 0;
                do {
                    cursor = set.scan(cursor, 1 + random.nextInt(5), m -> seen.add(s(m)));
                    assertTrue(++calls < 10_000, context);
                } while (cursor != 0);
                assertEquals(model, seen, context);
            }
            assertEquals(model.size(), set.size(), context);
            assertEquals(model, members(set), context);
            int rank = ENCODING_ORDER.indexOf(set.encoding());
            assertTrue(rank >= encodingRank, context + ": encoding went back to " + set.encoding());
            encodingRank = rank;
            if (set.encoding().equals("intset")) {
                assertTrue(onlyIntsEver, context);
                assertTrue(set.size() <= limits.setMaxIntsetEntries, context);
            }
            if (set.encoding().equals("listpack")) {
                assertTrue(set.size() <= limits.setMaxListpackEntries, context);
                for (String m : model) {
                    assertTrue(m.length() <= limits.setMaxListpackValue, context);
                }
            }
        }
    }

    private static String randomMember(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return Integer.toString(random.nextInt(40) - 20);
            case 1:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 2:
                return new String[] {"-0", "007", "+1", "1 ", "x", "", "\u00ff", "9223372036854775808"}
                        [random.nextInt(8)];
            default:
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(7); i > 0; i--) {
                    sb.append((char) ('a' + random.nextInt(4)));
                }
                return sb.toString();
        }
    }
}
