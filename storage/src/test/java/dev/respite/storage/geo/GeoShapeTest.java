package dev.respite.storage.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link GeoShape#contains} must answer exactly as the exact distance does, boundary included. */
class GeoShapeTest {
    private static final double[] UNITS = {1, 1000, 0.3048, 1609.34};

    @Test
    void containsAgreesWithTheExactDistanceEverywhere() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int shapes = 0; shapes < 2000; shapes++) {
            double lon = centreLongitude(random);
            double lat = centreLatitude(random);
            double conversion = UNITS[random.nextInt(UNITS.length)];
            double meters = Math.pow(10, random.nextDouble(-1, 6.5));
            GeoShape shape = GeoShape.circle(lon, lat, meters / conversion, conversion);
            for (int points = 0; points < 200; points++) {
                double[] p = pointNear(random, lon, lat, meters);
                boolean exact = shape.distanceIfInside(p[0], p[1]) >= 0;
                assertEquals(
                        exact,
                        shape.contains(p[0], p[1]),
                        "seed " + seed + ": centre " + lon + "," + lat + " radius " + meters + " m, point " + p[0] + ","
                                + p[1]);
            }
        }
    }

    @Test
    void pointsOnTheCircleItselfAreDecidedByTheExactFormula() {
        GeoShape shape = GeoShape.circle(13.361389, 38.115556, 100, 1000);
        double onCircleLat = 38.115556 + GeoDistance.radToDeg(100_000 / GeoDistance.EARTH_RADIUS_METERS);
        assertEquals(shape.distanceIfInside(13.361389, onCircleLat) >= 0, shape.contains(13.361389, onCircleLat));
        assertTrue(shape.contains(13.361389, 38.115556));
        assertFalse(shape.contains(13.361389 + 2, 38.115556));
    }

    private static double centreLongitude(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> 180 - random.nextDouble(0.01);
            case 1 -> -180 + random.nextDouble(0.01);
            default -> random.nextDouble(-180, 180);
        };
    }

    private static double centreLatitude(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> GeoHash.LAT_MAX - random.nextDouble(1);
            case 1 -> GeoHash.LAT_MIN + random.nextDouble(1);
            case 2 -> random.nextDouble(-0.01, 0.01);
            default -> random.nextDouble(GeoHash.LAT_MIN, GeoHash.LAT_MAX);
        };
    }

    /**
     * A point around the centre: half of them at a distance within a millionth of the radius (found by
     * bisection along a random bearing), so the margin between the series and the exact formula is exercised.
     */
    private static double[] pointNear(SplittableRandom random, double lon, double lat, double meters) {
        double bearing = random.nextDouble(2 * Math.PI);
        double reach = meters / GeoDistance.EARTH_RADIUS_METERS;
        if (random.nextBoolean()) {
            double angle = GeoDistance.radToDeg(reach * random.nextDouble(0, 3));
            return clamp(lon + angle * Math.sin(bearing), lat + angle * Math.cos(bearing));
        }
        double lo = 0;
        double hi = GeoDistance.radToDeg(reach * 3);
        for (int i = 0; i < 80; i++) {
            double mid = (lo + hi) / 2;
            double[] p = clamp(lon + mid * Math.sin(bearing), lat + mid * Math.cos(bearing));
            if (GeoDistance.meters(lon, lat, p[0], p[1]) < meters) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double angle = lo * (1 + random.nextDouble(-1e-6, 1e-6));
        return clamp(lon + angle * Math.sin(bearing), lat + angle * Math.cos(bearing));
    }

    private static double[] clamp(double lon, double lat) {
        return new double[] {
            Math.max(GeoHash.LONG_MIN, Math.min(GeoHash.LONG_MAX, lon)),
            Math.max(GeoHash.LAT_MIN, Math.min(GeoHash.LAT_MAX, lat))
        };
    }
}
