package dev.respite.storage.geo;

import dev.respite.storage.types.SortedSetValue;
import java.util.ArrayList;
import java.util.List;

/** The scan behind GEOSEARCH and GEORADIUS: the points of a geo set inside a shape, in Redis's scan order. */
public final class GeoSearch {
    /** One point found; its distance (meters) is NaN when the search was told no reply or order needs it. */
    public record Found(byte[] member, double score, double distance, double longitude, double latitude) {}

    private GeoSearch() {}

    /**
     * Scans the covering cells' score ranges, each in score order; with a limit (ANY) stops taking points once it
     * has enough. Without {@code needDistance} membership is decided by {@link GeoShape#contains}, which spares
     * most points the exact distance.
     */
    public static List<Found> collect(SortedSetValue z, GeoShape shape, long limit, boolean needDistance) {
        long[] ranges = shape.scoreRanges();
        List<Found> found = new ArrayList<>();
        double[] xy = new double[4];
        for (int i = 0; i < 9; i++) {
            if (ranges[2 * i] < 0) {
                continue;
            }
            if (limit > 0 && found.size() >= limit) {
                break;
            }
            z.forEachInScoreRange(ranges[2 * i], ranges[2 * i + 1], (member, score) -> {
                if (limit > 0 && found.size() >= limit) {
                    return;
                }
                GeoHash.decodeScore(score, xy);
                if (needDistance) {
                    double d = shape.distanceIfInside(xy[0], xy[1]);
                    if (d >= 0) {
                        found.add(new Found(member, score, d, xy[0], xy[1]));
                    }
                } else if (shape.contains(xy[0], xy[1])) {
                    found.add(new Found(member, score, Double.NaN, xy[0], xy[1]));
                }
            });
        }
        return found;
    }
}
