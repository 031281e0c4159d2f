package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs random operations against a ListValue and an ArrayList model and compares every result, the full
 * contents and the structural invariants after each step. Set -Drespite.seed=N to replay one seed.
 */
class ListValuePropertyTest {
    private static final int STEPS = 3000;
    /** Small count limits and the two smallest byte limits, so conversions and node splits happen often. */
    private static final int[] FILLS = {0, 1, 2, 3, 4, 5, 8, -1, -2};

    @Test
    void matchesModel() {
        Long fixed = Long.getLong("respite.seed");
        if (fixed != null) {
            run(fixed);
            return;
        }
        int[] encodings = new int[2];
        for (long seed = 1; seed <= 40; seed++) {
            int[] seen = run(seed);
            encodings[0] += seen[0];
            encodings[1] += seen[1];
        }
        assertTrue(encodings[0] > 1000 && encodings[1] > 1000, "both encodings exercised");
    }

    /** Returns how many steps ended in each encoding (listpack, quicklist). */
    private static int[] run(long seed) {
        Random rnd = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        limits.listMaxListpackSize = FILLS[rnd.nextInt(FILLS.length)];
        // A third of the seeds give larger elements plain nodes of their own.
        if (seed % 3 == 0) {
            limits.listPackedThreshold = 1 + rnd.nextInt(40);
        }
        ListValue list = new ListValue(limits);
        List<byte[]> model = new ArrayList<>();
        int[] seen = new int[2];
        int target = 5 + rnd.nextInt(60);
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + " fill " + limits.listMaxListpackSize + " packed threshold "
                    + limits.listPackedThreshold + " step " + step;
            byte[] value = randomValue(rnd);
            int n = model.size();
            boolean grow = n < target;
            int op = rnd.nextInt(100);
            if (op < 12) {
                if (grow || rnd.nextBoolean()) {
                    list.pushHead(value);
                    model.add(0, value);
                } else {
                    assertArrayEquals(n == 0 ? null : model.remove(0), list.popHead(), where + " popHead");
                }
            } else if (op < 24) {
                if (grow || rnd.nextBoolean()) {
                    list.pushTail(value);
                    model.add(value);
                } else {
                    assertArrayEquals(n == 0 ? null : model.remove(n - 1), list.popTail(), where + " popTail");
                }
            } else if (op < 32) {
                long index = randomIndex(rnd, n);
                int i = (int) (index < 0 ? index + n : index);
                boolean inRange = i >= 0 && i < n;
                assertArrayEquals(inRange ? model.get(i) : null, list.get(index), where + " get " + index);
            } else if (op < 40) {
                long index = randomIndex(rnd, n);
                int i = (int) (index < 0 ? index + n : index);
                boolean inRange = i >= 0 && i < n;
                assertEquals(inRange, list.set(index, value), where + " set " + index);
                if (inRange) {
                    model.set(i, value);
                }
            } else if (op < 50) {
                byte[] pivot = randomValue(rnd);
                boolean after = rnd.nextBoolean();
                int at = indexOf(model, pivot);
                long expected = -1;
                if (at >= 0) {
                    model.add(after ? at + 1 : at, value);
                    expected = model.size();
                }
                assertEquals(expected, list.insert(pivot, value, after), where + " insert");
            } else if (op < 58) {
                long count = rnd.nextInt(7) - 3;
                assertEquals(
                        removeFromModel(model, count, value), list.remove(count, value), where + " remove " + count);
            } else if (op < 63) {
                long start = randomIndex(rnd, n);
                long stop = randomIndex(rnd, n);
                list.trim(start, stop);
                List<byte[]> kept = slice(model, start, stop);
                model.clear();
                model.addAll(kept);
            } else if (op < 73) {
                long start = randomIndex(rnd, n);
                long stop = randomIndex(rnd, n);
                List<byte[]> got = new ArrayList<>();
                long emitted = list.range(start, stop, (b, off, len) -> got.add(Arrays.copyOfRange(b, off, off + len)));
                List<byte[]> expected = slice(model, start, stop);
                assertEquals(expected.size(), emitted, where + " range count");
                assertSame(expected, got, where + " range " + start + " " + stop);
            } else if (op < 85) {
                long rank = rnd.nextInt(3) + 1;
                if (rnd.nextBoolean()) {
                    rank = -rank;
                }
                long count = rnd.nextInt(4);
                long maxlen = rnd.nextInt(3) == 0 ? rnd.nextInt(n + 2) : 0;
                List<Long> got = new ArrayList<>();
                long found = list.positions(value, rank, count, maxlen, got::add);
                List<Long> expected = positions(model, value, rank, count, maxlen);
                assertEquals(
                        expected, got, where + " positions rank " + rank + " count " + count + " maxlen " + maxlen);
                assertEquals(expected.size(), found, where + " positions count");
            } else if (op < 90) {
                assertIterators(list, model, where);
            } else if (op < 91) {
                limits.listMaxListpackSize = FILLS[rnd.nextInt(FILLS.length)];
                target = 5 + rnd.nextInt(60);
                // nodes written under the old limit may exceed the new one, so start over from the model
                list = new ListValue(limits);
                for (byte[] v : model) {
                    list.pushTail(v);
                }
            } else {
                target = 5 + rnd.nextInt(60);
            }
            list.verifyStructure();
            assertEquals(model.size(), list.size(), where + " size");
            List<byte[]> all = new ArrayList<>();
            list.range(0, -1, (b, off, len) -> all.add(Arrays.copyOfRange(b, off, off + len)));
            assertSame(model, all, where + " contents");
            seen[list.encoding().equals("listpack") ? 0 : 1]++;
        }
        return seen;
    }

    private static byte[] randomValue(Random rnd) {
        int kind = rnd.nextInt(100);
        if (kind < 3) {
            // big enough to fill a 4 or 8 KB node in a few elements or to need a node of its own
            byte[] big = new byte[1000 + rnd.nextInt(9000)];
            Arrays.fill(big, (byte) rnd.nextInt(3));
            return big;
        }
        if (kind < 10) {
            byte[] medium = new byte[100 + rnd.nextInt(400)];
            Arrays.fill(medium, (byte) rnd.nextInt(3));
            return medium;
        }
        // a small alphabet so that LREM, LPOS and LINSERT find matches
        return new byte[] {(byte) ('a' + rnd.nextInt(5))};
    }

    private static long randomIndex(Random rnd, int n) {
        return rnd.nextInt(2 * n + 6) - n - 3;
    }

    private static int indexOf(List<byte[]> model, byte[] value) {
        for (int i = 0; i < model.size(); i++) {
            if (Arrays.equals(model.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static long removeFromModel(List<byte[]> model, long count, byte[] value) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (int i = 0; i < model.size() && removed < limit; ) {
                if (Arrays.equals(model.get(i), value)) {
                    model.remove(i);
                    removed++;
                } else {
                    i++;
                }
            }
        } else {
            for (int i = model.size() - 1; i >= 0 && removed < limit; i--) {
                if (Arrays.equals(model.get(i), value)) {
                    model.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** LRANGE/LTRIM index normalisation. */
    private static List<byte[]> slice(List<byte[]> model, long start, long stop) {
        int n = model.size();
        long s = start < 0 ? start + n : start;
        long e = stop < 0 ? stop + n : stop;
        s = Math.max(s, 0);
        if (s > e || s >= n) {
            return new ArrayList<>();
        }
        e = Math.min(e, n - 1);
        return new ArrayList<>(model.subList((int) s, (int) e + 1));
    }

    private static List<Long> positions(List<byte[]> model, byte[] value, long rank, long count, long maxlen) {
        List<Long> out = new ArrayList<>();
        int n = model.size();
        long skip = Math.abs(rank) - 1;
        long scanned = 0;
        for (int k = 0; k < n; k++) {
            if (maxlen != 0 && scanned++ == maxlen) {
                break;
            }
            int i = rank > 0 ? k : n - 1 - k;
            if (Arrays.equals(model.get(i), value)) {
                if (skip > 0) {
                    skip--;
                } else {
                    out.add((long) i);
                    if (count != 0 && out.size() == count) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static void assertIterators(ListValue list, List<byte[]> model, String where) {
        Iterator<byte[]> forward = list.iterator();
        for (byte[] expected : model) {
            assertTrue(forward.hasNext(), where + " iterator ended early");
            assertArrayEquals(expected, forward.next(), where + " iterator");
        }
        assertTrue(!forward.hasNext(), where + " iterator too long");
        Iterator<byte[]> backward = list.descendingIterator();
        for (int i = model.size() - 1; i >= 0; i--) {
            assertTrue(backward.hasNext(), where + " descending iterator ended early");
            assertArrayEquals(model.get(i), backward.next(), where + " descending iterator");
        }
        assertTrue(!backward.hasNext(), where + " descending iterator too long");
    }

    private static void assertSame(List<byte[]> expected, List<byte[]> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + " length");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), where + " element " + i);
        }
    }
}
