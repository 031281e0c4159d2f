package dev.respite.server.scripting;

/** The 48-bit linear congruential generator behind Redis's math.random (lrand48), so seeded sequences match. */
final class Lrand48 {
    private static final long MASK = (1L << 48) - 1;
    private static final long A = 0x5DEECE66DL;
    private static final long C = 0xB;
    private long x = 0x1234ABCD330EL;

    /** The next value, 0 to 2^31 - 1. */
    int next() {
        x = (A * x + C) & MASK;
        return (int) (x >>> 17);
    }

    void seed(int seed) {
        x = ((seed & 0xFFFFFFFFL) << 16) | 0x330E;
    }
}
