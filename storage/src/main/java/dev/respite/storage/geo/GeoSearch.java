package dev.respite.storage.geo;

import dev.respite.storage.types.SortedSetValue;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The scan behind GEOSEARCH and GEORADIUS: the points of a geo set inside a shape, in Redis's scan order. One
 * instance is reused search after search, with its {@link Found} slots: a search allocates nothing per point,
 * so its garbage no longer walks the heap into pages the kernel must first fault in (tens of microseconds each
 * on a virtual machine, more than the whole search; docs/performance.md).
 */
public final class GeoSearch implements SortedSetValue.EntryConsumer {
    /** Slots kept between searches; a search that found more gives the rest back to the collector. */
    private static final int RETAINED = 1024;

    /** One point found; its distance (meters) is NaN when the search was told no reply or order needs it. */
    public static final class Found {
        private byte[] member;
        private double score;
        private double distance;
        private double longitude;
        private double latitude;

        public byte[] member() {
            return member;
        }

        public double score() {
            return score;
        }

        public double distance() {
            return distance;
        }

        public double longitude() {
            return longitude;
        }

        public double latitude() {
            return latitude;
        }
    }

    private Found[] found = new Found[16];
    private int size;
    private final double[] xy = new double[4];
    private final long[] ranges = new long[18];
    private GeoShape shape;
    private long limit;
    private boolean needDistance;

    /**
     * Replaces the previous results with the points inside {@code shape}: the covering cells' score ranges, each in
     * score order; with a limit (ANY) stops taking points once it has enough. Without {@code needDistance}
     * membership is decided by {@link GeoShape#contains}, which spares most points the exact distance.
     */
    public void collect(SortedSetValue z, GeoShape shape, long limit, boolean needDistance) {
        clear();
        this.shape = shape;
        this.limit = limit;
        this.needDistance = needDistance;
        shape.scoreRanges(ranges);
        for (int i = 0; i < 9; i++) {
            if (ranges[2 * i] < 0) {
                continue;
            }
            if (limit > 0 && size >= limit) {
                break;
            }
            z.forEachInScoreRange(ranges[2 * i], ranges[2 * i + 1], this);
        }
        this.shape = null;
    }

    /** One point of a cell's range; public only as the scan's callback. */
    @Override
    public void accept(byte[] member, double score) {
        if (limit > 0 && size >= limit) {
            return;
        }
        GeoHash.decodeScore(score, xy);
        double distance = Double.NaN;
        if (needDistance) {
            distance = shape.distanceIfInside(xy[0], xy[1]);
            if (distance < 0) {
                return;
            }
        } else if (!shape.contains(xy[0], xy[1])) {
            return;
        }
        if (size == found.length) {
            found = Arrays.copyOf(found, size * 2);
        }
        Found f = found[size];
        if (f == null) {
            f = new Found();
            found[size] = f;
        }
        size++;
        f.member = member;
        f.score = score;
        f.distance = distance;
        f.longitude = xy[0];
        f.latitude = xy[1];
    }

    public int size() {
        return size;
    }

    public Found get(int i) {
        return found[i];
    }

    /** A stable sort of the results: equal keys keep their scan order. */
    public void sort(Comparator<Found> order) {
        Arrays.sort(found, 0, size, order);
    }

    /** The slots holding the results, at indexes below {@link #size()}, for sorts of the caller's own. */
    public Found[] slots() {
        return found;
    }

    /** Forgets the results, so that the reused slots keep no member alive, and drops slots beyond the retained few. */
    public void clear() {
        for (int i = 0; i < size; i++) {
            found[i].member = null;
        }
        size = 0;
        if (found.length > RETAINED) {
            found = Arrays.copyOf(found, RETAINED);
        }
    }
}
