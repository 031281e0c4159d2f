package dev.respite.storage.geo;

/**
 * The area of a GEOSEARCH: a circle (BYRADIUS) or a box (BYBOX) around a centre, its sizes in the
 * request's unit and {@code conversion} meters per unit. It decides membership the way Redis does and
 * finds the geohash cells that cover it.
 */
public final class GeoShape {
    /** Angles (radians) up to which {@link #contains} trusts its series; their truncation errs by less than 1e-9 relatively. */
    private static final double SERIES_MAX_ANGLE = 0.1;
    /**
     * How far (relatively) a point's haversine term from the series must be from the limit to be decided by it.
     * The series and the floating-point rounding of either formula err by less than 1e-9 relatively.
     */
    private static final double SERIES_MARGIN = 1e-6;

    private final double longitude;
    private final double latitude;
    private final double conversion;
    private final boolean circle;
    private final double radius;
    private final double width;
    private final double height;
    /** The cosine of the centre's latitude, which every distance from the centre needs, and its sine. */
    private final double cosLatitude;

    private final double sinLatitude;
    /**
     * The haversine term of a circle's radius, sin²(radius / 2R): a point is inside exactly when its own term
     * is at most this. Zero when the radius is too large for {@link #contains}'s series.
     */
    private final double haversineLimit;

    private GeoShape(
            double longitude,
            double latitude,
            double conversion,
            boolean circle,
            double radius,
            double width,
            double height) {
        this.longitude = longitude;
        this.latitude = latitude;
        this.conversion = conversion;
        this.circle = circle;
        this.radius = radius;
        this.width = width;
        this.height = height;
        this.cosLatitude = Math.cos(GeoDistance.degToRad(latitude));
        this.sinLatitude = Math.sin(GeoDistance.degToRad(latitude));
        double halfAngle = radius * conversion / (2 * GeoDistance.EARTH_RADIUS_METERS);
        double sinHalf = Math.sin(halfAngle);
        this.haversineLimit = circle && halfAngle < SERIES_MAX_ANGLE ? sinHalf * sinHalf : 0;
    }

    public static GeoShape circle(double longitude, double latitude, double radius, double conversion) {
        return new GeoShape(longitude, latitude, conversion, true, radius, 0, 0);
    }

    public static GeoShape box(double longitude, double latitude, double width, double height, double conversion) {
        return new GeoShape(longitude, latitude, conversion, false, 0, width, height);
    }

    public double conversion() {
        return conversion;
    }

    /**
     * The distance in meters from the centre to the point when the point is inside, else -1
     * (distances are never negative).
     */
    public double distanceIfInside(double lon, double lat) {
        if (circle) {
            double limit = radius * conversion;
            // The great-circle distance is never shorter than the distance along the meridian, so a point that
            // far outside in latitude alone is out; the margin dwarfs any rounding of either formula.
            if (GeoDistance.latitudeDistance(latitude, lat) > limit * (1 + 1e-9)) {
                return -1;
            }
            double d = GeoDistance.meters(longitude, latitude, cosLatitude, lon, lat);
            return d > limit ? -1 : d;
        }
        double w = width * conversion;
        double h = height * conversion;
        if (GeoDistance.latitudeDistance(latitude, lat) > h / 2) {
            return -1;
        }
        if (GeoDistance.meters(lon, lat, longitude, lat) > w / 2) {
            return -1;
        }
        return GeoDistance.meters(longitude, latitude, cosLatitude, lon, lat);
    }

    /**
     * Whether the point is inside, as {@code distanceIfInside(lon, lat) >= 0} answers, but cheaper: a circle's
     * search decides most points without trigonometry. Near the centre the haversine term is computed from
     * Taylor series of sine and cosine (the point's cosine of latitude from the centre's by the angle-sum
     * formula); a point whose term is clearly below or above the radius's is decided by it, and only the
     * few within {@link #SERIES_MARGIN} of the boundary (or far from the centre) go through the exact formula.
     */
    public boolean contains(double lon, double lat) {
        if (haversineLimit > 0) {
            if (GeoDistance.latitudeDistance(latitude, lat) > radius * conversion * (1 + 1e-9)) {
                return false;
            }
            double dPhi = GeoDistance.degToRad(lat) - GeoDistance.degToRad(latitude);
            double dLambda = GeoDistance.degToRad(lon) - GeoDistance.degToRad(longitude);
            if (Math.abs(dPhi) < SERIES_MAX_ANGLE && Math.abs(dLambda) < SERIES_MAX_ANGLE) {
                double sinHalfPhi = sinSeries(dPhi / 2);
                double sinHalfLambda = sinSeries(dLambda / 2);
                double p2 = dPhi * dPhi;
                double cosPhi = 1 - p2 / 2 * (1 - p2 / 12 * (1 - p2 / 30));
                double cosLat2 = cosLatitude * cosPhi - sinLatitude * sinSeries(dPhi);
                double a = sinHalfPhi * sinHalfPhi + cosLatitude * cosLat2 * sinHalfLambda * sinHalfLambda;
                if (a < haversineLimit * (1 - SERIES_MARGIN)) {
                    return true;
                }
                if (a > haversineLimit * (1 + SERIES_MARGIN)) {
                    return false;
                }
            }
        }
        return distanceIfInside(lon, lat) >= 0;
    }

    /** sin x to the x⁵ term; for |x| &lt; 0.1 it errs by less than 3e-10 relatively. */
    private static double sinSeries(double x) {
        double x2 = x * x;
        return x * (1 - x2 / 6 * (1 - x2 / 20));
    }

    /**
     * The score ranges to scan, in Redis's order (the centre cell, then north, south, east, west,
     * north-east, north-west, south-east, south-west), written into {@code ranges} (18 entries): pairs of
     * [min inclusive, max exclusive) 52-bit scores, with -1 for a cell that is left out. The caller's array, and
     * one scratch array for the cells' bounds, keep a search from allocating here.
     */
    public void scoreRanges(long[] ranges) {
        double h = conversion * (circle ? radius : height / 2);
        double w = conversion * (circle ? radius : width / 2);
        double latDelta = GeoDistance.radToDeg(h / GeoDistance.EARTH_RADIUS_METERS);
        double longDeltaTop = GeoDistance.radToDeg(
                w / GeoDistance.EARTH_RADIUS_METERS / Math.cos(GeoDistance.degToRad(latitude + latDelta)));
        double longDeltaBottom = GeoDistance.radToDeg(
                w / GeoDistance.EARTH_RADIUS_METERS / Math.cos(GeoDistance.degToRad(latitude - latDelta)));
        boolean south = latitude < 0;
        double minLon = south ? longitude - longDeltaBottom : longitude - longDeltaTop;
        double maxLon = south ? longitude + longDeltaBottom : longitude + longDeltaTop;
        double minLat = latitude - latDelta;
        double maxLat = latitude + latDelta;

        double radiusMeters = circle ? radius : Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2));
        radiusMeters *= conversion;
        int step = estimateSteps(radiusMeters, latitude);
        long hash = GeoHash.encode(longitude, latitude, step);
        double[] area = new double[4];
        GeoHash.area(GeoHash.moveY(hash, step, 1), step, area);
        boolean decrease = area[3] < maxLat;
        GeoHash.area(GeoHash.moveY(hash, step, -1), step, area);
        decrease |= area[2] > minLat;
        GeoHash.area(GeoHash.moveX(hash, step, 1), step, area);
        decrease |= area[1] < maxLon;
        GeoHash.area(GeoHash.moveX(hash, step, -1), step, area);
        decrease |= area[0] > minLon;
        if (step > 1 && decrease) {
            step--;
            hash = GeoHash.encode(longitude, latitude, step);
        }
        // Bit i set: cell i is left out, as Redis zeroes the neighbours beyond the searched area.
        int zero = 0;
        if (step >= 2) {
            GeoHash.area(hash, step, area);
            if (area[2] < minLat) {
                zero |= 1 << 2 | 1 << 8 | 1 << 7;
            }
            if (area[3] > maxLat) {
                zero |= 1 << 1 | 1 << 5 | 1 << 6;
            }
            if (area[0] < minLon) {
                zero |= 1 << 4 | 1 << 8 | 1 << 6;
            }
            if (area[1] > maxLon) {
                zero |= 1 << 3 | 1 << 7 | 1 << 5;
            }
        }
        long lastCell = 0;
        int lastProcessed = -1;
        for (int i = 0; i < 9; i++) {
            long cell = neighbour(hash, step, i);
            // A zeroed cell (bits and step 0) is skipped, as is a repeat of the last scanned cell (huge radii).
            if ((zero & 1 << i) != 0 || (lastProcessed > 0 && cell == lastCell)) {
                ranges[2 * i] = -1;
                ranges[2 * i + 1] = -1;
                continue;
            }
            ranges[2 * i] = GeoHash.align52(cell, step);
            ranges[2 * i + 1] = GeoHash.align52(cell + 1, step);
            lastProcessed = i;
            lastCell = cell;
        }
    }

    /** Cell {@code i} of the nine around {@code hash}, in {@link #scoreRanges}'s order. */
    private static long neighbour(long hash, int step, int i) {
        return switch (i) {
            case 0 -> hash;
            case 1 -> GeoHash.moveY(hash, step, 1);
            case 2 -> GeoHash.moveY(hash, step, -1);
            case 3 -> GeoHash.moveX(hash, step, 1);
            case 4 -> GeoHash.moveX(hash, step, -1);
            case 5 -> GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, 1);
            case 6 -> GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, 1);
            case 7 -> GeoHash.moveY(GeoHash.moveX(hash, step, 1), step, -1);
            default -> GeoHash.moveY(GeoHash.moveX(hash, step, -1), step, -1);
        };
    }

    /** Bits per axis of the cells to scan for a radius, narrower towards the poles. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < GeoDistance.MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }
}
