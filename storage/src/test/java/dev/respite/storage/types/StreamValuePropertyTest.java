package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random appends, deletions, trims and range reads against a StreamValue and a TreeMap model of its live
 * entries, compared after every step, under random node limits. Set -Drespite.seed=N to replay one seed.
 */
class StreamValuePropertyTest {
    private static final int STEPS = 2500;

    @Test
    void matchesModel() {
        Long fixed = Long.getLong("respite.seed");
        if (fixed != null) {
            run(fixed);
            return;
        }
        for (long seed = 1; seed <= 25; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random rnd = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        limits.streamNodeMaxEntries = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(20);
        limits.streamNodeMaxBytes = rnd.nextInt(3) == 0 ? 0 : 16 + rnd.nextInt(300);
        StreamValue s = new StreamValue(limits);
        TreeMap<StreamId, byte[][]> model = new TreeMap<>();
        long ms = rnd.nextBoolean() ? 0 : Long.MAX_VALUE;
        long seq = 0;
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + " step " + step;
            int op = rnd.nextInt(100);
            if (op < 55) {
                if (rnd.nextBoolean()) {
                    ms += 1 + rnd.nextInt(3000);
                    seq = rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(5);
                } else {
                    seq++;
                }
                StreamId id = new StreamId(ms, seq);
                byte[][] fv = randomEntry(rnd);
                s.append(id, fv, 0, fv.length / 2);
                model.put(id, fv);
                assertEquals(id, s.lastId(), where);
            } else if (op < 70 && !model.isEmpty()) {
                StreamId id = rnd.nextInt(4) == 0 ? new StreamId(ms, rnd.nextInt(10)) : pick(rnd, model);
                assertEquals(model.remove(id) != null, s.delete(id), where);
            } else if (op < 75) {
                long maxLen = rnd.nextInt(Math.max(1, model.size() + 3));
                boolean approx = rnd.nextBoolean();
                long limit = approx && rnd.nextBoolean() ? rnd.nextInt(50) : 0;
                long before = s.length();
                long removed = s.trimToLength(maxLen, approx, limit);
                assertEquals(before - removed, s.length(), where);
                for (long i = 0; i < removed; i++) {
                    model.pollFirstEntry();
                }
                if (!approx) {
                    assertEquals(Math.min(before, maxLen), s.length(), where);
                }
            } else if (op < 80 && !model.isEmpty()) {
                StreamId min = pick(rnd, model);
                boolean approx = rnd.nextBoolean();
                long removed = s.trimToMinId(min, approx, 0);
                for (long i = 0; i < removed; i++) {
                    StreamId gone = model.pollFirstEntry().getKey();
                    assertTrue(gone.compareTo(min) < 0, where);
                }
                if (!approx) {
                    assertTrue(model.isEmpty() || model.firstKey().compareTo(min) >= 0, where);
                }
            } else {
                StreamId a = model.isEmpty() ? StreamId.MIN : pick(rnd, model);
                StreamId b = model.isEmpty() ? StreamId.MAX : pick(rnd, model);
                if (a.compareTo(b) > 0) {
                    StreamId t = a;
                    a = b;
                    b = t;
                }
                if (rnd.nextInt(5) == 0) {
                    a = StreamId.MIN;
                }
                if (rnd.nextInt(5) == 0) {
                    b = StreamId.MAX;
                }
                boolean reverse = rnd.nextBoolean();
                Map<StreamId, byte[][]> expected =
                        reverse ? model.subMap(a, true, b, true).descendingMap() : model.subMap(a, true, b, true);
                assertRange(where, expected, s.cursor(a, b, reverse));
            }
            assertEquals(model.size(), s.length(), where);
            assertEquals(model.isEmpty() ? StreamId.MIN : model.lastKey(), s.lastLiveId(), where);
        }
        assertRange("seed " + seed + " final", model, s.cursor(StreamId.MIN, StreamId.MAX, false));
        assertEquals(model.isEmpty() ? StreamId.MIN : model.firstKey(), s.firstId());
        StreamValue copy = s.copy(limits);
        assertRange("seed " + seed + " copy", model, copy.cursor(StreamId.MIN, StreamId.MAX, false));
    }

    private static void assertRange(String where, Map<StreamId, byte[][]> expected, StreamValue.Cursor c) {
        StreamEntry e = new StreamEntry();
        for (Map.Entry<StreamId, byte[][]> m : expected.entrySet()) {
            assertTrue(c.next(e), where + " missing " + m.getKey());
            assertEquals(m.getKey(), e.id(), where);
            byte[][] fv = m.getValue();
            assertEquals(fv.length / 2, e.pairs(), where);
            for (int i = 0; i < e.pairs(); i++) {
                assertArrayEquals(fv[2 * i], e.field(i), where);
                assertArrayEquals(fv[2 * i + 1], e.value(i), where);
            }
        }
        assertFalse(c.next(e), where + " extra entry");
    }

    private static StreamId pick(Random rnd, TreeMap<StreamId, byte[][]> model) {
        List<StreamId> keys = new ArrayList<>(model.keySet());
        return keys.get(rnd.nextInt(keys.size()));
    }

    private static byte[][] randomEntry(Random rnd) {
        int pairs = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(5) : 3;
        byte[][] fv = new byte[pairs * 2][];
        boolean usual = rnd.nextInt(4) != 0;
        for (int i = 0; i < pairs; i++) {
            fv[2 * i] = (usual ? "f" + i : "x" + rnd.nextInt(4)).getBytes(StandardCharsets.US_ASCII);
            byte[] v = new byte[rnd.nextInt(10) == 0 ? 200 : rnd.nextInt(8)];
            rnd.nextBytes(v);
            fv[2 * i + 1] = v;
        }
        return fv;
    }
}
