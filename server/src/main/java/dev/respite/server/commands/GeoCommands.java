package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.geo.GeoDistance;
import dev.respite.storage.geo.GeoHash;
import dev.respite.storage.geo.GeoSearch;
import dev.respite.storage.geo.GeoSearch.Found;
import dev.respite.storage.geo.GeoShape;
import dev.respite.storage.types.SortedSetValue;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The geo family. A geo set is a sorted set whose scores are 52-bit geohashes ({@link GeoHash}), so every
 * sorted-set command works on it; GEOADD is ZADD with the coordinates turned into scores.
 */
public final class GeoCommands {
    private static final String GEO_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";
    private static final String COMPLEXITY_RADIUS =
            "O(N+log(M)) where N is the number of elements inside the bounding box of "
                    + "the circular area delimited by center and radius and M is the number of items inside the index.";
    private static final String COMPLEXITY_SEARCH = "O(N+log(M)) where N is the number of elements in the grid-aligned "
            + "bounding box area around the shape provided as the filter and M is the number of items inside the shape";

    /** How a search command reads its arguments (Redis's georadiusGeneric flags). */
    private enum Variant {
        RADIUS(6, true),
        RADIUS_RO(6, false),
        BYMEMBER(5, true),
        BYMEMBER_RO(5, false),
        SEARCH(2, false),
        SEARCHSTORE(3, true);

        final int baseArgs;
        final boolean store;

        Variant(int baseArgs, boolean store) {
            this.baseArgs = baseArgs;
            this.store = store;
        }

        boolean search() {
            return this == SEARCH || this == SEARCHSTORE;
        }
    }

    private final DataContext server;
    private final SortedSetCommands sortedSets;
    /** Every search's results, reused: commands run one at a time on the keyspace thread, and none searches twice. */
    private final GeoSearch scan = new GeoSearch();

    public GeoCommands(DataContext server, SortedSetCommands sortedSets) {
        this.server = server;
        this.sortedSets = sortedSets;
    }

    public void register(CommandTable t) {
        t.bind("geoadd", this::geoadd);
        t.bind("geodist", this::geodist);
        t.bind("geohash", this::geohash);
        t.bind("geopos", this::geopos);
        t.bind("georadius", (c, a) -> search(c, a, Variant.RADIUS));
        t.bind("georadius_ro", (c, a) -> search(c, a, Variant.RADIUS_RO));
        t.bind("georadiusbymember", (c, a) -> search(c, a, Variant.BYMEMBER));
        t.bind("georadiusbymember_ro", (c, a) -> search(c, a, Variant.BYMEMBER_RO));
        t.bind("geosearch", (c, a) -> search(c, a, Variant.SEARCH));
        t.bind("geosearchstore", (c, a) -> search(c, a, Variant.SEARCHSTORE));
    }

    /** GEOADD key [NX|XX] [CH] lon lat member ...: validated here, then run as ZADD with geohash scores. */
    private void geoadd(Client c, byte[][] a) {
        boolean nx = false;
        boolean xx = false;
        int first = 2;
        for (; first < a.length; first++) {
            if (Args.is(a[first], "nx")) {
                nx = true;
            } else if (Args.is(a[first], "xx")) {
                xx = true;
            } else if (!Args.is(a[first], "ch")) {
                break;
            }
        }
        if ((a.length - first) % 3 != 0 || (xx && nx)) {
            throw CommandError.syntax();
        }
        int elements = (a.length - first) / 3;
        byte[][] zargs = new byte[first + elements * 2][];
        zargs[0] = "zadd".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 1, zargs, 1, first - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(a, first + i * 3);
            long score = GeoHash.align52(GeoHash.encode(xy[0], xy[1], GeoHash.STEP_MAX), GeoHash.STEP_MAX);
            zargs[first + i * 2] = Long.toString(score).getBytes(StandardCharsets.US_ASCII);
            zargs[first + i * 2 + 1] = a[first + i * 3 + 2];
        }
        sortedSets.zadd(c, zargs);
    }

    /** A longitude, latitude pair at {@code at}, with Redis's range check and error. */
    private static double[] lonLat(byte[][] a, int at) {
        double lon = Args.toDouble(a[at], CommandError.NOT_FLOAT);
        double lat = Args.toDouble(a[at + 1], CommandError.NOT_FLOAT);
        if (!GeoHash.valid(lon, lat)) {
            throw new CommandError("ERR invalid longitude,latitude pair " + GeoCoordinates.sixDecimals(lon) + ","
                    + GeoCoordinates.sixDecimals(lat));
        }
        return new double[] {lon, lat};
    }

    /** Meters per unit: m, km, ft, mi. */
    private static double unit(byte[] u) {
        if (Args.is(u, "m")) {
            return 1;
        } else if (Args.is(u, "km")) {
            return 1000;
        } else if (Args.is(u, "ft")) {
            return 0.3048;
        } else if (Args.is(u, "mi")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    private void geodist(Client c, byte[][] a) {
        double toMeters = 1;
        if (a.length == 5) {
            toMeters = unit(a[4]);
        } else if (a.length > 5) {
            throw CommandError.syntax();
        }
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        double s1 = z.scoreOrNaN(a[2]);
        double s2 = z.scoreOrNaN(a[3]);
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            c.reply().nullBulk();
            return;
        }
        double[] p1 = GeoHash.decodeScore(s1);
        double[] p2 = GeoHash.decodeScore(s2);
        c.reply().bulk(GeoCoordinates.distance(GeoDistance.meters(p1[0], p1[1], p2[0], p2[1]) / toMeters));
    }

    private void geohash(Client c, byte[][] a) {
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int j = 2; j < a.length; j++) {
            double score = z == null ? Double.NaN : z.scoreOrNaN(a[j]);
            if (Double.isNaN(score)) {
                r.nullBulk();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            // The stored hash spans latitudes -85..85; the standard geohash text spans -90..90.
            long bits = GeoHash.encode(xy[0], xy[1], GeoHash.STEP_MAX, -180, 180, -90, 90);
            byte[] text = new byte[11];
            for (int i = 0; i < 11; i++) {
                int idx = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
                text[i] = (byte) GEO_ALPHABET.charAt(idx);
            }
            r.bulk(text);
        }
    }

    private void geopos(Client c, byte[][] a) {
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int j = 2; j < a.length; j++) {
            double score = z == null ? Double.NaN : z.scoreOrNaN(a[j]);
            if (Double.isNaN(score)) {
                r.nullArray();
                continue;
            }
            double[] xy = GeoHash.decodeScore(score);
            r.array(2);
            r.doubleValue(GeoCoordinates.human(xy[0]));
            r.doubleValue(GeoCoordinates.human(xy[1]));
        }
    }

    /** GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and GEOSEARCHSTORE, parsed as Redis does. */
    private void search(Client c, byte[][] a, Variant variant) {
        Database db = c.db();
        int srcIndex = variant == Variant.SEARCHSTORE ? 2 : 1;
        SortedSetValue z = TypeChecked.get(db, a[srcIndex], SortedSetValue.class);
        byte[] storeKey = variant == Variant.SEARCHSTORE ? a[1] : null;
        boolean storeDist = false;
        double lon = 0;
        double lat = 0;
        double radius = 0;
        double width = 0;
        double height = 0;
        double conversion = 1;
        boolean circle = true;
        if (variant == Variant.RADIUS || variant == Variant.RADIUS_RO) {
            double[] xy = lonLat(a, 2);
            lon = xy[0];
            lat = xy[1];
            radius = distanceArg(a[4]);
            conversion = unit(a[5]);
        } else if ((variant == Variant.BYMEMBER || variant == Variant.BYMEMBER_RO) && z != null) {
            double[] xy = memberPosition(z, a[2]);
            lon = xy[0];
            lat = xy[1];
            radius = distanceArg(a[3]);
            conversion = unit(a[4]);
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoord = false;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byRadius = false;
        boolean byBox = false;
        int sort = 0;
        boolean any = false;
        long count = 0;
        int base = variant.baseArgs;
        int remaining = a.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = a[base + i];
            if (Args.is(arg, "withdist")) {
                withDist = true;
            } else if (Args.is(arg, "withhash")) {
                withHash = true;
            } else if (Args.is(arg, "withcoord")) {
                withCoord = true;
            } else if (Args.is(arg, "any")) {
                any = true;
            } else if (Args.is(arg, "asc")) {
                sort = 1;
            } else if (Args.is(arg, "desc")) {
                sort = -1;
            } else if (Args.is(arg, "count") && i + 1 < remaining) {
                count = Args.toLong(a[base + i + 1]);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if ((Args.is(arg, "store") || Args.is(arg, "storedist"))
                    && i + 1 < remaining
                    && variant.store
                    && !variant.search()) {
                storeKey = a[base + i + 1];
                storeDist = Args.is(arg, "storedist");
                i++;
            } else if (Args.is(arg, "storedist") && variant == Variant.SEARCHSTORE) {
                storeDist = true;
            } else if (Args.is(arg, "frommember") && i + 1 < remaining && variant.search() && !fromLonLat) {
                if (z != null) {
                    double[] xy = memberPosition(z, a[base + i + 1]);
                    lon = xy[0];
                    lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && variant.search() && !fromMember) {
                double[] xy = lonLat(a, base + i + 1);
                lon = xy[0];
                lat = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "byradius") && i + 2 < remaining && variant.search() && !byBox) {
                radius = distanceArg(a[base + i + 1]);
                conversion = unit(a[base + i + 2]);
                circle = true;
                byRadius = true;
                i += 2;
            } else if (Args.is(arg, "bybox") && i + 3 < remaining && variant.search() && !byRadius) {
                width = Args.toDouble(a[base + i + 1], "ERR need numeric width");
                height = Args.toDouble(a[base + i + 2], "ERR need numeric height");
                if (width < 0 || height < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                conversion = unit(a[base + i + 3]);
                circle = false;
                byBox = true;
                i += 3;
            } else {
                throw CommandError.syntax();
            }
        }
        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandError(
                    "ERR " + (variant == Variant.SEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                            + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (variant.search() && !(fromMember || fromLonLat)) {
            throw new CommandError(
                    "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + Args.str(a[0]));
        }
        if (variant.search() && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + Args.str(a[0]));
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
        if (z == null) {
            if (storeKey != null) {
                store(db, storeKey, scan, 0, 1, false, variant.search());
                c.reply().integer(0);
            } else {
                c.reply().array(0);
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }
        GeoShape shape = circle
                ? GeoShape.circle(lon, lat, radius, conversion)
                : GeoShape.box(lon, lat, width, height, conversion);
        boolean needDistance = sort != 0 || withDist || storeDist;
        scan.collect(z, shape, any ? count : 0, needDistance);
        try {
            reply(c, scan, storeKey, db, count, sort, conversion, withDist, withHash, withCoord, storeDist, variant);
        } finally {
            scan.clear();
        }
    }

    /** Orders the scan's results as asked, then replies with them or stores them. */
    private void reply(
            Client c,
            GeoSearch found,
            byte[] storeKey,
            Database db,
            long count,
            int sort,
            double conversion,
            boolean withDist,
            boolean withHash,
            boolean withCoord,
            boolean storeDist,
            Variant variant) {
        if (found.size() == 0 && storeKey == null) {
            c.reply().array(0);
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != 0) {
            Comparator<Found> order = sort > 0 ? GeoCommands::nearerFirst : (x, y) -> -nearerFirst(x, y);
            if (returned == found.size()) {
                // A stable sort: equal distances keep their scan order, as with glibc's merge-sorting qsort.
                found.sort(order);
            } else {
                PartialSort.sort(found.slots(), found.size(), order, 0, returned - 1);
            }
        }
        if (storeKey == null) {
            reply(c.reply(), found, returned, conversion, withDist, withHash, withCoord);
        } else {
            store(db, storeKey, found, returned, conversion, storeDist, variant.search());
            c.reply().integer(returned);
        }
    }

    /** Redis's comparator: by distance alone, so equal distances compare equal whatever the members. */
    private static int nearerFirst(Found x, Found y) {
        return x.distance() > y.distance() ? 1 : x.distance() == y.distance() ? 0 : -1;
    }

    private static double distanceArg(byte[] arg) {
        double d = Args.toDouble(arg, "ERR need numeric radius");
        if (d < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return d;
    }

    private static double[] memberPosition(SortedSetValue z, byte[] member) {
        double score = z.scoreOrNaN(member);
        if (Double.isNaN(score)) {
            throw new CommandError("ERR could not decode requested zset member");
        }
        return GeoHash.decodeScore(score);
    }

    private static void reply(
            RespWriter r,
            GeoSearch found,
            int returned,
            double conversion,
            boolean withDist,
            boolean withHash,
            boolean withCoord) {
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        r.array(returned);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            if (options > 0) {
                r.array(options + 1);
            }
            r.bulk(f.member());
            if (withDist) {
                r.bulk(GeoCoordinates.distance(f.distance() / conversion));
            }
            if (withHash) {
                r.integer((long) f.score());
            }
            if (withCoord) {
                r.array(2);
                r.doubleValue(GeoCoordinates.human(f.longitude()));
                r.doubleValue(GeoCoordinates.human(f.latitude()));
            }
        }
    }

    /** GEORADIUS ... STORE/STOREDIST and GEOSEARCHSTORE: the first {@code returned} found, or deletion when none. */
    private void store(
            Database db,
            byte[] key,
            GeoSearch found,
            int returned,
            double conversion,
            boolean storeDist,
            boolean search) {
        SortedSetValue out = new SortedSetValue(server.keyspace().limits());
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            out.add(f.member(), storeDist ? f.distance() / conversion : f.score(), 0);
        }
        String event = search ? "geosearchstore" : "georadiusstore";
        if (server.storeOrDelete(db, key, out, returned == 0, KeyspaceEvents.ZSET, event)) {
            server.keyspace().addDirty(returned == 0 ? 1 : returned);
        }
        if (returned > 0) {
            server.blocking().signalKeyReady(db, key);
        }
    }
}
