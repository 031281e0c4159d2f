package dev.respite.storage.hll;

import java.util.concurrent.ThreadLocalRandom;

/**
 * PFSELFTEST: checks that six-bit registers read back what was written without disturbing their
 * neighbours, and that dense and sparse HyperLogLogs fed the same ten million elements agree and stay
 * within six standard errors of the true cardinality at every power of ten.
 */
public final class HyperLogLogSelfTest {
    private static final int CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    private HyperLogLogSelfTest() {}

    /** Null when every check passes, otherwise what failed. */
    public static String run(int sparseMaxBytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HyperLogLog dense = HyperLogLog.create(sparseMaxBytes);
        dense.toDense();
        byte[] expected = new byte[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = (byte) random.nextInt(64);
                dense.overwriteRegister(i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                if (dense.register(i) != expected[i]) {
                    return "Register " + i + " should be " + expected[i] + " but is " + dense.register(i);
                }
            }
        }
        dense = HyperLogLog.create(sparseMaxBytes);
        dense.toDense();
        HyperLogLog sparse = HyperLogLog.create(sparseMaxBytes);
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long seed = random.nextLong();
        byte[] element = new byte[8];
        long checkpoint = 1;
        for (long j = 1; j <= ELEMENTS; j++) {
            long e = j ^ seed;
            for (int b = 0; b < 8; b++) {
                element[b] = (byte) (e >>> (8 * b));
            }
            dense.add(element);
            sparse.add(element);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && !sparse.isSparse()) {
                return "sparse encoding not used";
            }
            long estimate = dense.count();
            if (estimate != sparse.count()) {
                return "dense/sparse disagree";
            }
            long maxError = j == 10 ? 1 : (long) Math.ceil(relativeError * 6 * checkpoint);
            long error = Math.abs(checkpoint - estimate);
            if (error > maxError) {
                return "Too big error. card:" + checkpoint + " abserr:" + error;
            }
            checkpoint *= 10;
        }
        return null;
    }
}
