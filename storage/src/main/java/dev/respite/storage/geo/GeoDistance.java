package dev.respite.storage.geo;

/** Redis's great-circle distance: the haversine formula on a sphere of radius 6372797.560856 m. */
public final class GeoDistance {
    public static final double EARTH_RADIUS_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    private GeoDistance() {}

    static double degToRad(double deg) {
        return deg * D_R;
    }

    static double radToDeg(double rad) {
        return rad / D_R;
    }

    /** Meters along a meridian between two latitudes. */
    static double latitudeDistance(double lat1, double lat2) {
        return EARTH_RADIUS_METERS * Math.abs(degToRad(lat2) - degToRad(lat1));
    }

    /** Meters between two points given longitude first. */
    public static double meters(double lon1, double lat1, double lon2, double lat2) {
        return meters(lon1, lat1, Math.cos(degToRad(lat1)), lon2, lat2);
    }

    /** {@link #meters(double, double, double, double)} with the cosine of the first latitude known. */
    static double meters(double lon1, double lat1, double cosLat1, double lon2, double lat2) {
        double lon1r = degToRad(lon1);
        double lon2r = degToRad(lon2);
        double v = Math.sin((lon2r - lon1r) / 2);
        // Same longitude: the distance is along the meridian, no trigonometry needed.
        if (v == 0.0) {
            return latitudeDistance(lat1, lat2);
        }
        double lat1r = degToRad(lat1);
        double lat2r = degToRad(lat2);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + cosLat1 * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(a));
    }
}
