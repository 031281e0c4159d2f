package dev.respite.storage.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.SortedSetValue;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reused scan: each search sees only its own points, and a search allocates nothing per point. */
class GeoSearchTest {
    private static SortedSetValue points(int n) {
        SortedSetValue z = new SortedSetValue(new EncodingLimits());
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            double lon = random.nextDouble(9, 11);
            double lat = random.nextDouble(44, 46);
            z.add(("m" + i).getBytes(StandardCharsets.US_ASCII), GeoHash.align52(GeoHash.encode(lon, lat, 26), 26), 0);
        }
        return z;
    }

    private static List<String> members(GeoSearch scan) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < scan.size(); i++) {
            out.add(new String(scan.get(i).member(), StandardCharsets.US_ASCII) + "@"
                    + scan.get(i).distance());
        }
        return out;
    }

    @Test
    void aReusedScanAnswersAsAFreshOne() {
        SortedSetValue z = points(5000);
        GeoShape[] shapes = {
            GeoShape.circle(10, 45, 300, 1000),
            GeoShape.circle(10, 45, 5, 1000),
            GeoShape.box(10.5, 45.5, 80, 60, 1000),
            GeoShape.circle(-50, 0, 1, 1000),
            GeoShape.circle(10, 45, 300, 1000),
        };
        GeoSearch reused = new GeoSearch();
        for (GeoShape shape : shapes) {
            for (boolean needDistance : new boolean[] {false, true}) {
                reused.collect(z, shape, 0, needDistance);
                GeoSearch fresh = new GeoSearch();
                fresh.collect(z, shape, 0, needDistance);
                assertEquals(members(fresh), members(reused));
                reused.collect(z, shape, 3, needDistance);
                assertEquals(Math.min(3, fresh.size()), reused.size());
                assertEquals(members(fresh).subList(0, reused.size()), members(reused));
            }
        }
        reused.clear();
        assertEquals(0, reused.size());
    }

    @Test
    void theScanAllocatesNothingPerPointFound() {
        SortedSetValue z = points(20_000);
        GeoShape shape = GeoShape.circle(10, 45, 10, 1000);
        GeoSearch scan = new GeoSearch();
        for (int i = 0; i < 200; i++) {
            scan.collect(z, shape, 0, i % 2 == 0);
        }
        int found = scan.size();
        assertTrue(found > 100, "found " + found);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            scan.collect(z, shape, 0, i % 2 == 0);
        }
        long perSearch = (threads.getCurrentThreadAllocatedBytes() - before) / 1000;
        // A record per point found would take over 40 bytes each; the scan's only allocation is one 4-double array.
        assertTrue(perSearch < 200, perSearch + " bytes per search finding " + found + " points");
        assertEquals(found, scan.size());
    }
}
