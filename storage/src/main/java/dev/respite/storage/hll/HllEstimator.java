package dev.respite.storage.hll;

/**
 * Turns a histogram of register values into a cardinality with Otmar Ertl's improved estimator
 * ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), the one Redis 5 and later
 * use. The arithmetic follows the same order of double operations, so results match Redis exactly.
 */
final class HllEstimator {
    private static final double ALPHA_INF = 0.721347520444481703680;

    private HllEstimator() {}

    /** {@code histogram[v]} counts registers holding v; it has at least Q + 2 entries. */
    static long estimate(int[] histogram) {
        double m = HyperLogLog.REGISTERS;
        double z = m * tau((m - histogram[HyperLogLog.Q + 1]) / m);
        for (int j = HyperLogLog.Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double previous;
        double y = 1;
        double z = x;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double previous;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }
}
