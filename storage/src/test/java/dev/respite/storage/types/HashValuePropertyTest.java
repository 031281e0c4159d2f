package dev.respite.storage.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs random operations against a HashValue and a LinkedHashMap model and compares every result and the
 * full contents after each step. Set -Drespite.seed=N to replay one seed.
 */
class HashValuePropertyTest {
    private static final int STEPS = 3000;

    private static String key(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String key(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    @Test
    void matchesModel() {
        Long fixed = Long.getLong("respite.seed");
        if (fixed != null) {
            run(fixed);
            return;
        }
        for (long seed = 1; seed <= 30; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random rnd = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        limits.hashMaxListpackEntries = rnd.nextInt(12);
        limits.hashMaxListpackValue = 2 + rnd.nextInt(8);
        HashValue hash = new HashValue(limits);
        Map<String, byte[]> model = new LinkedHashMap<>();
        boolean converted = false;
        int fieldSpace = 4 + rnd.nextInt(40);
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + " step " + step;
            byte[] field = randomBytes(rnd, fieldSpace);
            byte[] value = randomValue(rnd);
            int op = rnd.nextInt(100);
            if (op < 35) {
                boolean added = hash.put(field, value);
                assertEquals(!model.containsKey(key(field)), added, where + " put");
                model.put(key(field), value);
                converted |= tooLong(limits, field, value) || model.size() > limits.hashMaxListpackEntries;
            } else if (op < 45) {
                converted |= tooLong(limits, field, value);
                boolean set = hash.putIfAbsent(field, value);
                assertEquals(!model.containsKey(key(field)), set, where + " putIfAbsent");
                model.putIfAbsent(key(field), value);
                converted |= model.size() > limits.hashMaxListpackEntries;
            } else if (op < 65) {
                assertEquals(model.remove(key(field)) != null, hash.remove(field), where + " remove");
            } else if (op < 75) {
                assertArrayEquals(model.get(key(field)), hash.get(field), where + " get");
                assertEquals(model.containsKey(key(field)), hash.contains(field), where + " contains");
                byte[] expected = model.get(key(field));
                assertEquals(expected == null ? -1 : expected.length, hash.valueLength(field), where + " strlen");
            } else if (op < 85) {
                checkRandom(hash, model, rnd, where);
            } else if (op < 92) {
                checkScan(hash, model, rnd, where);
            } else if (op < 94) {
                // a configuration change applies from the next write on
                limits.hashMaxListpackEntries = rnd.nextInt(12);
                limits.hashMaxListpackValue = 2 + rnd.nextInt(8);
            } else {
                model.keySet().removeIf(k -> rnd.nextInt(3) == 0);
                Set<String> keep = model.keySet();
                List<byte[]> drop = new ArrayList<>();
                hash.forEach((fb, fo, fl, vb, vo, vl) -> {
                    if (!keep.contains(key(fb, fo, fl))) {
                        drop.add(Arrays.copyOfRange(fb, fo, fo + fl));
                    }
                });
                for (byte[] f : drop) {
                    assertTrue(hash.remove(f), where + " bulk remove");
                }
            }
            assertEquals(converted ? "hashtable" : "listpack", hash.encoding(), where + " encoding");
            assertContents(hash, model, where);
        }
    }

    private static boolean tooLong(EncodingLimits limits, byte[] field, byte[] value) {
        return field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue;
    }

    private static byte[] randomBytes(Random rnd, int space) {
        return ("f" + rnd.nextInt(space)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomValue(Random rnd) {
        byte[] v = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(200) : rnd.nextInt(8)];
        rnd.nextBytes(v);
        return v;
    }

    private static void assertContents(HashValue hash, Map<String, byte[]> model, String where) {
        assertEquals(model.size(), hash.size(), where + " size");
        List<String> order = new ArrayList<>();
        Map<String, byte[]> seen = new HashMap<>();
        hash.forEach((fb, fo, fl, vb, vo, vl) -> {
            String f = key(fb, fo, fl);
            order.add(f);
            seen.put(f, Arrays.copyOfRange(vb, vo, vo + vl));
        });
        assertEquals(model.size(), seen.size(), where + " duplicate fields in iteration");
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), seen.get(e.getKey()), where + " value of " + e.getKey());
        }
        if (hash.encoding().equals("listpack")) {
            assertEquals(new ArrayList<>(model.keySet()), order, where + " listpack order");
        }
    }

    private static void checkRandom(HashValue hash, Map<String, byte[]> model, Random rnd, String where) {
        byte[] one = hash.randomField(rnd);
        assertEquals(model.isEmpty(), one == null, where + " randomField");
        if (one != null) {
            assertTrue(model.containsKey(key(one)), where + " randomField present");
        }
        long count = rnd.nextInt(2 * model.size() + 3) - model.size() - 1;
        List<String> got = new ArrayList<>();
        long n = hash.randomEntries(count, rnd, (fb, fo, fl, vb, vo, vl) -> {
            String f = key(fb, fo, fl);
            assertArrayEquals(model.get(f), Arrays.copyOfRange(vb, vo, vo + vl), where + " random pair");
            got.add(f);
        });
        long expected = model.isEmpty() ? 0 : count < 0 ? -count : Math.min(count, model.size());
        assertEquals(expected, n, where + " randomEntries count " + count);
        assertEquals(expected, got.size(), where + " randomEntries emitted");
        if (count > 0) {
            assertEquals(got.size(), new HashSet<>(got).size(), where + " distinct");
        }
    }

    private static void checkScan(HashValue hash, Map<String, byte[]> model, Random rnd, String where) {
        Set<String> got = new HashSet<>();
        long cursor = 0;
        int guard = 0;
        do {
            cursor = hash.scan(cursor, 1 + rnd.nextInt(5), (fb, fo, fl, vb, vo, vl) -> got.add(key(fb, fo, fl)));
            assertTrue(++guard < 100_000, where + " scan terminates");
        } while (cursor != 0);
        assertEquals(model.keySet(), got, where + " scan coverage");
    }
}
