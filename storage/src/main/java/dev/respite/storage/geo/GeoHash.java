package dev.respite.storage.geo;

/**
 * Redis's geohash: longitude and latitude scaled to 26-bit cells over [-180, 180] x [-85.05112878,
 * 85.05112878] (the Web Mercator limits) and interleaved, latitude in the even bits, into the 52-bit
 * integer a geo set stores as a member's score. Shorter hashes ({@code step} &lt; 26 bits per axis)
 * name the larger cells a search walks.
 */
public final class GeoHash {
    public static final int STEP_MAX = 26;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;

    private GeoHash() {}

    /** True when Redis accepts the pair (GEOADD, FROMLONLAT). */
    public static boolean valid(double longitude, double latitude) {
        return !(longitude < LONG_MIN || longitude > LONG_MAX || latitude < LAT_MIN || latitude > LAT_MAX);
    }

    /** The {@code step}-bit-per-axis hash of a valid point over Redis's ranges. */
    public static long encode(double longitude, double latitude, int step) {
        return encode(longitude, latitude, step, LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
    }

    /** The hash over explicit ranges (GEOHASH re-encodes over the standard [-90, 90] latitudes). */
    public static long encode(
            double longitude, double latitude, int step, double longMin, double longMax, double latMin, double latMax) {
        double latOffset = (latitude - latMin) / (latMax - latMin);
        double longOffset = (longitude - longMin) / (longMax - longMin);
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        // C converts each offset to a 32-bit unsigned integer; 180 degrees reaches 2^26 itself.
        return interleave((long) latOffset & 0xffffffffL, (long) longOffset & 0xffffffffL);
    }

    /** The 52-bit score of a hash of {@code step} bits per axis: the hash shifted to the top. */
    public static long align52(long bits, int step) {
        return bits << (52 - step * 2);
    }

    /**
     * The cell of a hash: {longMin, longMax, latMin, latMax}.
     */
    public static double[] area(long bits, int step) {
        double[] a = new double[4];
        area(bits, step, a);
        return a;
    }

    /** {@link #area(long, int)} into {@code out}. */
    static void area(long bits, int step, double[] out) {
        long separated = deinterleave(bits);
        long lat = separated & 0xffffffffL;
        long lon = separated >>> 32;
        double cells = (double) (1L << step);
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        out[0] = LONG_MIN + (lon * 1.0 / cells) * longScale;
        out[1] = LONG_MIN + ((lon + 1) * 1.0 / cells) * longScale;
        out[2] = LAT_MIN + (lat * 1.0 / cells) * latScale;
        out[3] = LAT_MIN + ((lat + 1) * 1.0 / cells) * latScale;
    }

    /** The centre of a stored score's cell, clamped to the valid ranges: {longitude, latitude}. */
    public static double[] decodeScore(double score) {
        double[] a = new double[4];
        decodeScore(score, a);
        return new double[] {a[0], a[1]};
    }

    /**
     * {@link #decodeScore(double)} into {@code out[0]} (longitude) and {@code out[1]} (latitude); {@code out}
     * has four elements, the last two scratch. Searches decode every scanned point this way, allocating nothing.
     */
    public static void decodeScore(double score, double[] out) {
        area(toUnsigned(score), STEP_MAX, out);
        double lon = (out[0] + out[1]) / 2;
        double lat = (out[2] + out[3]) / 2;
        out[0] = Math.max(LONG_MIN, Math.min(LONG_MAX, lon));
        out[1] = Math.max(LAT_MIN, Math.min(LAT_MAX, lat));
    }

    /**
     * C's (uint64_t) conversion of a score as x86-64 code does it: values past 2^63 are converted less 2^63 and
     * get the top bit back, and a value out of the instruction's range (infinities, 2^64 and above) converts
     * to 2^63, which becomes 0 once the top bit is flipped.
     */
    private static long toUnsigned(double score) {
        if (score >= 0x1p63) {
            return truncate(score - 0x1p63) ^ Long.MIN_VALUE;
        }
        return truncate(score);
    }

    /** cvttsd2si: out-of-range values give 2^63, where Java's cast saturates. */
    private static long truncate(double d) {
        return d >= 0x1p63 || d < -0x1p63 ? Long.MIN_VALUE : (long) d;
    }

    /** Moves a hash one cell east (d &gt; 0) or west (d &lt; 0); longitude is in the odd bits. */
    static long moveX(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        return x | y;
    }

    /** Moves a hash one cell north (d &gt; 0) or south (d &lt; 0); latitude is in the even bits. */
    static long moveY(long bits, int step, int d) {
        if (d == 0) {
            return bits;
        }
        long x = bits & 0xaaaaaaaaaaaaaaaaL;
        long y = bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= 0x5555555555555555L >>> (64 - step * 2);
        return x | y;
    }

    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** Latitude bits in the low half, longitude bits in the high half. */
    static long deinterleave(long bits) {
        return squeeze(bits) | (squeeze(bits >>> 1) << 32);
    }

    private static long squeeze(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }
}
