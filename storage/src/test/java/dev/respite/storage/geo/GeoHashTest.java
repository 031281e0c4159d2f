package dev.respite.storage.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Expected scores, positions and distances were read from redis-server 7.2.5 (ZSCORE, GEOPOS, GEODIST). */
class GeoHashTest {
    private static long score(double lon, double lat) {
        return GeoHash.align52(GeoHash.encode(lon, lat, GeoHash.STEP_MAX), GeoHash.STEP_MAX);
    }

    @Test
    void scoresMatchRedisIncludingTheEdgesOfTheMap() {
        assertEquals(3479099956230698L, score(13.361389, 38.115556));
        assertEquals(3479447370796909L, score(15.087269, 37.502669));
        assertEquals(4128299658423479L, score(179.9999, 0.0001));
        assertEquals(375299968947016L, score(-179.9999, -0.0001));
        assertEquals(3752999689392132L, score(0, 85.05));
        assertEquals(2251799813768529L, score(0, -85.05));
        // 180 degrees scales to 2^26, one past the 26-bit cells: Redis stores a 54-bit score for it.
        assertEquals(10133099161583616L, score(180, 0));
        assertEquals(1125899906842624L, score(-180, 0));
    }

    @Test
    void decodingGivesTheCellCentreClampedToTheMap() {
        double[] p = GeoHash.decodeScore(3479099956230698.0);
        assertEquals(13.36138933897018433, p[0], 0);
        assertEquals(38.11555639549629859, p[1], 0);
        double[] e = GeoHash.decodeScore(10133099161583616.0);
        assertEquals(180.0, e[0], 0);
        assertEquals(0.00000126736058093, e[1], 5e-18);
        double[] south = GeoHash.decodeScore(2251799813768529.0);
        assertEquals(-85.04999956172352427, south[1], 0);
    }

    @Test
    void distancesMatchRedis() {
        double[] a = GeoHash.decodeScore(3479099956230698.0);
        double[] b = GeoHash.decodeScore(3479447370796909.0);
        assertEquals(166274.1516, Math.rint(GeoDistance.meters(a[0], a[1], b[0], b[1]) * 10000) / 10000, 0);
        double[] w = GeoHash.decodeScore(4128299658423479.0);
        double[] e = GeoHash.decodeScore(375299968947016.0);
        assertEquals(31.4, Math.rint(GeoDistance.meters(w[0], w[1], e[0], e[1]) * 10) / 10, 0);
        double[] n = GeoHash.decodeScore(3752999689392132.0);
        double[] s = GeoHash.decodeScore(2251799813768529.0);
        assertEquals(11756.1196, Math.rint(GeoDistance.meters(n[0], n[1], s[0], s[1]) / 1609.34 * 10000) / 10000, 0);
    }

    @Test
    void interleaveRoundTrips() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            long x = random.nextLong() & 0xffffffffL;
            long y = random.nextLong() & 0xffffffffL;
            long both = GeoHash.deinterleave(GeoHash.interleave(x, y));
            assertEquals(x, both & 0xffffffffL);
            assertEquals(y, both >>> 32);
        }
    }

    @Test
    void neighbourMovesStepOneCell() {
        long h = GeoHash.encode(10, 10, 8);
        double[] cell = GeoHash.area(h, 8);
        double[] east = GeoHash.area(GeoHash.moveX(h, 8, 1), 8);
        double[] north = GeoHash.area(GeoHash.moveY(h, 8, 1), 8);
        assertEquals(cell[1], east[0], 1e-9);
        assertEquals(cell[3], north[2], 1e-9);
        assertEquals(h, GeoHash.moveX(GeoHash.moveX(h, 8, 1), 8, -1));
        assertEquals(h, GeoHash.moveY(GeoHash.moveY(h, 8, -1), 8, 1));
    }

    @Test
    void shapesKeepWhatIsInsideAndCoverItWithCells() {
        GeoShape circle = GeoShape.circle(15, 37, 200, 1000);
        double[] palermo = GeoHash.decodeScore(3479099956230698.0);
        assertTrue(circle.distanceIfInside(palermo[0], palermo[1]) > 0);
        assertTrue(GeoShape.circle(15, 37, 100, 1000).distanceIfInside(palermo[0], palermo[1]) < 0);
        long[] ranges = new long[18];
        circle.scoreRanges(ranges);
        long s = 3479099956230698L;
        boolean covered = false;
        for (int i = 0; i < 9; i++) {
            covered |= ranges[2 * i] >= 0 && s >= ranges[2 * i] && s < ranges[2 * i + 1];
        }
        assertTrue(covered);
        GeoShape box = GeoShape.box(15, 37, 400, 400, 1000);
        assertTrue(box.distanceIfInside(palermo[0], palermo[1]) > 0);
        assertFalse(GeoShape.box(15, 37, 400, 100, 1000).distanceIfInside(palermo[0], palermo[1]) > 0);
    }

    @Test
    void stepsNarrowTowardsThePoles() {
        assertEquals(26, GeoShape.estimateSteps(0, 0));
        int equator = GeoShape.estimateSteps(1000, 0);
        assertEquals(equator - 1, GeoShape.estimateSteps(1000, 70));
        assertEquals(equator - 2, GeoShape.estimateSteps(1000, -85));
        assertEquals(1, GeoShape.estimateSteps(1e9, 0));
    }
}
