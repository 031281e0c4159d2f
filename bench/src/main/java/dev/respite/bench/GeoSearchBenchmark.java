package dev.respite.bench;

import dev.respite.storage.geo.GeoHash;
import dev.respite.storage.geo.GeoSearch;
import dev.respite.storage.geo.GeoShape;
import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.SortedSetValue;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The scan of {@code GEOSEARCH points FROMLONLAT 13.361389 38.115556 BYRADIUS 100 km} in a geo set of a million
 * random points, the search bench/geo-hll-benchmark.sh sends (about 600 points scanned, 45 found), without the
 * request and reply around it. {@code needDistance} true is what a search sorted or WITHDIST costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GeoSearchBenchmark {
    private static final int MEMBERS = 1_000_000;

    @Param({"false", "true"})
    public boolean needDistance;

    private final SortedSetValue points = new SortedSetValue(new EncodingLimits());
    private final GeoSearch scan = new GeoSearch();
    private final GeoShape circle = GeoShape.circle(13.361389, 38.115556, 100, 1000);

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < MEMBERS; i++) {
            double lon = rnd.nextDouble(-180, 180);
            double lat = rnd.nextDouble(GeoHash.LAT_MIN, GeoHash.LAT_MAX);
            long score = GeoHash.align52(GeoHash.encode(lon, lat, GeoHash.STEP_MAX), GeoHash.STEP_MAX);
            points.add(("m" + i).getBytes(StandardCharsets.US_ASCII), score, 0);
        }
    }

    @Benchmark
    public int search() {
        scan.collect(points, circle, 0, needDistance);
        return scan.size();
    }
}
