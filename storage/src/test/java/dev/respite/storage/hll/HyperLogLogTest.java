package dev.respite.storage.hll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Register and run length of the prefixes of "abcdefghijklmnopq" (lengths 0 to 17, so every tail length
     * of the hash's 8-byte blocks), read from PFDEBUG DECODE on redis-server 7.2.5 after PFADD of each alone.
     */
    @Test
    void hashPicksRedissRegisterAndRunForEveryTailLength() {
        int[][] expected = {
            {5938, 2}, {12711, 2}, {719, 1}, {9474, 1}, {11070, 8}, {3726, 4}, {13647, 2}, {5634, 2}, {1383, 1},
            {6903, 1}, {12228, 1}, {14121, 1}, {9695, 5}, {9157, 1}, {5697, 2}, {12377, 4}, {9328, 1}, {4271, 1},
        };
        String s = "abcdefghijklmnopq";
        for (int n = 0; n <= 17; n++) {
            int pattern = HyperLogLog.patternOf(bytes(s.substring(0, n)));
            assertEquals(expected[n][0], pattern >>> 8, "register of length " + n);
            assertEquals(expected[n][1], pattern & 0xff, "run of length " + n);
            HyperLogLog h = HyperLogLog.create(3000);
            h.add(bytes(s.substring(0, n)));
            assertEquals(
                    "Z:" + expected[n][0] + " v:" + expected[n][1] + ",1 Z:" + (16383 - expected[n][0]),
                    h.decodeSparse());
        }
    }

    /** The string redis-server 7.2.5 stores after PFADD t a b c, before and after PFCOUNT caches 3. */
    @Test
    void sparseBytesAndCacheHeaderMatchRedis() {
        byte[] body = {
            0x60, (byte) 0xf3, (byte) 0x80, 0x50, (byte) 0xb1, (byte) 0x84, 0x4b, (byte) 0xfb, (byte) 0x80, 0x42, 0x5a
        };
        HyperLogLog h = HyperLogLog.create(3000);
        for (String e : new String[] {"a", "b", "c"}) {
            assertEquals(1, h.add(bytes(e)));
        }
        h.invalidateCache();
        byte[] stale = h.toByteArray();
        byte[] header = {'H', 'Y', 'L', 'L', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80};
        assertArrayEquals(concat(header, body), stale);
        assertEquals(-1, HyperLogLog.cachedCardinality(stale));
        HyperLogLog counted = HyperLogLog.copyOf(stale, 3000);
        assertEquals(3, counted.count());
        counted.setCachedCardinality(3);
        byte[] cached = counted.toByteArray();
        header[15] = 0;
        header[8] = 3;
        assertArrayEquals(concat(header, body), cached);
        assertEquals(3, HyperLogLog.cachedCardinality(cached));
    }

    @Test
    void emptyHyperLogLogIsEighteenBytesAndCountsZero() {
        HyperLogLog h = HyperLogLog.create(3000);
        byte[] v = h.toByteArray();
        assertEquals(18, v.length);
        assertEquals(0x7f, v[16] & 0xff);
        assertEquals(0xff, v[17] & 0xff);
        assertTrue(HyperLogLog.isValid(v));
        assertEquals(0, h.count());
        assertEquals(0, HyperLogLog.cachedCardinality(v));
    }

    @Test
    void sparseAndDenseAgreeRegisterForRegisterAndInCount() {
        SplittableRandom random = new SplittableRandom(42);
        HyperLogLog sparse = HyperLogLog.create(1_000_000);
        HyperLogLog dense = HyperLogLog.create(3000);
        assertTrue(dense.toDense());
        for (int i = 0; i < 5000; i++) {
            byte[] e = bytes("e" + random.nextInt(100_000));
            assertEquals(dense.add(e), sparse.add(e), "element " + i);
            if (i % 500 == 0) {
                assertTrue(sparse.isSparse());
                assertEquals(dense.count(), sparse.count());
            }
        }
        HyperLogLog converted = HyperLogLog.copyOf(sparse.toByteArray(), 3000);
        assertTrue(converted.toDense());
        for (int r = 0; r < HyperLogLog.REGISTERS; r++) {
            assertEquals(dense.register(r), converted.register(r), "register " + r);
        }
        byte[] max = new byte[HyperLogLog.REGISTERS];
        assertTrue(HyperLogLog.mergeInto(sparse.toByteArray(), max));
        assertEquals(dense.count(), HyperLogLog.countRaw(max));
        byte[] fromDense = new byte[HyperLogLog.REGISTERS];
        assertTrue(HyperLogLog.mergeInto(dense.toByteArray(), fromDense));
        assertArrayEquals(max, fromDense);
    }

    @Test
    void sparseTurnsDenseAtTheConfiguredSize() {
        HyperLogLog h = HyperLogLog.create(200);
        int i = 0;
        while (h.isSparse()) {
            h.add(bytes("x" + i++));
            assertTrue(h.toByteArray().length <= 200 || !h.isSparse());
        }
        assertEquals(HyperLogLog.DENSE_SIZE, h.toByteArray().length);
        assertTrue(i > 20, "promoted after " + i);
    }

    @Test
    void registerAboveThirtyTwoPromotesToDense() {
        HyperLogLog h = HyperLogLog.create(3000);
        assertEquals(1, h.set(100, 33));
        assertFalse(h.isSparse());
        assertEquals(33, h.register(100));
        assertEquals(0, h.set(100, 20));
    }

    @Test
    void denseRegistersKeepTheirNeighbours() {
        HyperLogLog h = HyperLogLog.create(3000);
        assertTrue(h.toDense());
        SplittableRandom random = new SplittableRandom(1);
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            expected[i] = random.nextInt(64);
            h.overwriteRegister(i, expected[i]);
        }
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            assertEquals(expected[i], h.register(i), "register " + i);
        }
    }

    @Test
    void estimateStaysWithinThreeStandardErrors() {
        HyperLogLog h = HyperLogLog.create(3000);
        for (int n = 1; n <= 200_000; n++) {
            h.add(bytes(Integer.toString(n)));
            if (n == 100 || n == 10_000 || n == 200_000) {
                double error = Math.abs(h.count() - n) / (double) n;
                assertTrue(error < 3 * 1.04 / 128, "n=" + n + " estimate=" + h.count());
            }
        }
    }

    @Test
    void headerChecksRejectForeignStrings() {
        assertFalse(HyperLogLog.isValid(bytes("hello")));
        assertFalse(HyperLogLog.isValid(bytes("HYLL\u0002\0\0\0\0\0\0\0\0\0\0\0")));
        assertFalse(HyperLogLog.isValid(bytes("HYLX\u0001\0\0\0\0\0\0\0\0\0\0\0\u007f\u00ff")));
        byte[] shortDense = HyperLogLog.create(3000).toByteArray();
        shortDense[4] = 0;
        assertFalse(HyperLogLog.isValid(shortDense));
    }

    /** Random sparse bodies must end in a clean answer (a value or "corrupt"), never an exception. */
    @Test
    void corruptSparseBodiesAreReportedNotThrown() {
        SplittableRandom random = new SplittableRandom(99);
        Set<Integer> outcomes = new HashSet<>();
        for (int round = 0; round < 20_000; round++) {
            HyperLogLog good = HyperLogLog.create(3000);
            for (int i = 0; i < random.nextInt(40); i++) {
                good.add(bytes("r" + random.nextInt()));
            }
            byte[] v = good.toByteArray();
            v = Arrays.copyOf(v, Math.max(HyperLogLog.HEADER + 1, v.length + random.nextInt(-2, 3)));
            v[4] = 1;
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                v[16 + random.nextInt(v.length - 16)] = (byte) random.nextInt(256);
            }
            HyperLogLog h = HyperLogLog.copyOf(v, 3000);
            outcomes.add(h.count() < 0 ? -1 : 1);
            byte[] max = new byte[HyperLogLog.REGISTERS];
            HyperLogLog.mergeInto(v, max);
            for (int i = 0; i < 5; i++) {
                int r = h.add(bytes("z" + random.nextInt()));
                assertTrue(r >= -1 && r <= 1);
            }
            h.decodeSparse();
            HyperLogLog.copyOf(v, 3000).toDense();
        }
        assertEquals(Set.of(-1, 1), outcomes);
    }

    @Test
    void selfTestPasses() {
        assertNull(HyperLogLogSelfTest.run(3000));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
