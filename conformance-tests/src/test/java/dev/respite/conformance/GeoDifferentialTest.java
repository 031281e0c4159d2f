package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Geo commands against redis-server 7.2.5, reply bytes compared, in RESP2 and RESP3, on a seeded corpus
 * of points near the poles, on both sides of the antimeridian and around the equator and the prime
 * meridian, plus the exact edges of the map.
 */
class GeoDifferentialTest extends DifferentialSuite {
    private static final String[] UNITS = {"m", "km", "ft", "mi", "KM"};

    /** Seeded points: {longitude, latitude} as the text sent. */
    private static List<String[]> corpus() {
        SplittableRandom random = new SplittableRandom(2024);
        List<String[]> points = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double lon = random.nextDouble(-180, 180);
            points.add(new String[] {fmt(lon), fmt(random.nextDouble(80, 85.05112878))});
            points.add(new String[] {fmt(random.nextDouble(-180, 180)), fmt(-random.nextDouble(80, 85.05112878))});
            double side = random.nextBoolean() ? 1 : -1;
            points.add(new String[] {fmt(side * random.nextDouble(178.5, 180)), fmt(random.nextDouble(-60, 60))});
            points.add(new String[] {fmt(random.nextDouble(-2, 2)), fmt(random.nextDouble(-2, 2))});
            points.add(new String[] {fmt(random.nextDouble(-180, 180)), fmt(random.nextDouble(-1, 1))});
        }
        String[][] edges = {
            {"180", "0"},
            {"-180", "0"},
            {"0", "85.05112878"},
            {"0", "-85.05112878"},
            {"180", "85.05112878"},
            {"-180", "-85.05112878"},
            {"0", "0"},
            {"-0", "-0"},
            {"179.9999999", "0.0000001"},
            {"1e-10", "-1e-10"}
        };
        for (String[] e : edges) {
            points.add(e);
        }
        return points;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.9f", d);
    }

    private void load(List<String[]> points) throws IOException {
        List<String> args = new ArrayList<>(List.of("GEOADD", "pts"));
        for (int i = 0; i < points.size(); i++) {
            args.add(points.get(i)[0]);
            args.add(points.get(i)[1]);
            args.add("p" + i);
        }
        d.check(args.toArray(String[]::new));
    }

    @Test
    void positionsHashesAndDistancesMatch() throws IOException {
        List<String[]> points = corpus();
        load(points);
        for (String protocol : new String[] {"2", "3"}) {
            d.hello(protocol);
            List<String> members = new ArrayList<>(List.of("GEOPOS", "pts"));
            for (int i = 0; i < points.size(); i++) {
                members.add("p" + i);
            }
            members.add("missing");
            d.check(members.toArray(String[]::new));
            members.set(0, "GEOHASH");
            d.check(members.toArray(String[]::new));
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 300; i++) {
                d.check(
                        "GEODIST",
                        "pts",
                        "p" + random.nextInt(points.size()),
                        "p" + random.nextInt(points.size()),
                        UNITS[random.nextInt(UNITS.length)]);
            }
            d.check("GEODIST", "pts", "p1", "missing");
            d.check("GEODIST", "nokey", "p1", "p2");
            d.check("ZRANGE", "pts", "0", "-1", "WITHSCORES");
        }
        d.hello("2");
    }

    @Test
    void searchesMatch() throws IOException {
        List<String[]> points = corpus();
        load(points);
        SplittableRandom random = new SplittableRandom(77);
        String[] radii = {"1", "50", "300", "1500", "5000", "20000"};
        for (int i = 0; i < 400; i++) {
            String[] centre = points.get(random.nextInt(points.size()));
            String member = "p" + random.nextInt(points.size());
            String unit = random.nextBoolean() ? "km" : "mi";
            String radius = radii[random.nextInt(radii.length)];
            List<String> opts = new ArrayList<>();
            if (random.nextBoolean()) {
                opts.add("WITHDIST");
            }
            if (random.nextBoolean()) {
                opts.add("WITHCOORD");
            }
            if (random.nextBoolean()) {
                opts.add("WITHHASH");
            }
            int order = random.nextInt(3);
            if (order > 0) {
                opts.add(order == 1 ? "ASC" : "DESC");
            }
            if (random.nextInt(3) == 0) {
                opts.add("COUNT");
                opts.add(Integer.toString(random.nextInt(1, 30)));
                if (random.nextInt(3) == 0) {
                    opts.add("ANY");
                }
            }
            List<String> search = new ArrayList<>(List.of("GEOSEARCH", "pts"));
            if (random.nextBoolean()) {
                search.addAll(List.of("FROMLONLAT", centre[0], centre[1]));
            } else {
                search.addAll(List.of("FROMMEMBER", member));
            }
            if (random.nextBoolean()) {
                search.addAll(List.of("BYRADIUS", radius, unit));
            } else {
                search.addAll(List.of("BYBOX", radius, radii[random.nextInt(radii.length)], unit));
            }
            search.addAll(opts);
            d.hello(random.nextBoolean() ? "2" : "3");
            d.check(search.toArray(String[]::new));
            List<String> radiusCmd = new ArrayList<>(List.of(
                    random.nextBoolean() ? "GEORADIUS" : "GEORADIUS_RO", "pts", centre[0], centre[1], radius, unit));
            radiusCmd.addAll(opts);
            d.check(radiusCmd.toArray(String[]::new));
            List<String> byMember = new ArrayList<>(List.of(
                    random.nextBoolean() ? "GEORADIUSBYMEMBER" : "GEORADIUSBYMEMBER_RO", "pts", member, radius, unit));
            byMember.addAll(opts);
            d.check(byMember.toArray(String[]::new));
        }
        d.hello("2");
    }

    /** Many members share a few positions: the order of equal distances follows Redis's sorts exactly. */
    @Test
    void equalDistancesComeOutInRedisOrder() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        String[][] spots = {{"10", "10"}, {"10.001", "10"}, {"9.999", "10.001"}, {"10", "9.998"}, {"179.999", "-84"}};
        List<String> args = new ArrayList<>(List.of("GEOADD", "ties"));
        for (int i = 0; i < 150; i++) {
            String[] spot = spots[random.nextInt(spots.length)];
            args.addAll(List.of(spot[0], spot[1], "m" + i));
        }
        d.check(args.toArray(String[]::new));
        for (String count : new String[] {"1", "2", "5", "7", "8", "40", "41", "100", "149"}) {
            for (String order : new String[] {"ASC", "DESC"}) {
                d.check(
                        "GEOSEARCH",
                        "ties",
                        "FROMLONLAT",
                        "10",
                        "10",
                        "BYRADIUS",
                        "1000",
                        "km",
                        order,
                        "COUNT",
                        count,
                        "WITHDIST");
                d.check("GEORADIUSBYMEMBER", "ties", "m3", "20000", "km", order, "COUNT", count);
            }
        }
        d.check("GEOSEARCH", "ties", "FROMLONLAT", "10", "10", "BYRADIUS", "1000", "km", "DESC");
        d.check("GEOSEARCH", "ties", "FROMLONLAT", "10", "10", "BYBOX", "1000", "1000", "km", "ASC", "COUNT", "150");
    }

    @Test
    void storeVariantsWriteTheSameSortedSets() throws IOException {
        load(corpus());
        String[][] commands = {
            {"GEOSEARCHSTORE", "dst", "pts", "FROMLONLAT", "0", "0", "BYRADIUS", "300", "km"},
            {"GEOSEARCHSTORE", "dst", "pts", "FROMLONLAT", "179.5", "0", "BYBOX", "2000", "9000", "km", "STOREDIST"},
            {
                "GEOSEARCHSTORE",
                "dst",
                "pts",
                "FROMMEMBER",
                "p0",
                "BYRADIUS",
                "800",
                "km",
                "DESC",
                "COUNT",
                "3",
                "STOREDIST"
            },
            {"GEORADIUS", "pts", "0", "0", "300", "km", "STORE", "dst"},
            {"GEORADIUS", "pts", "-179.9", "10", "1000", "mi", "STOREDIST", "dst"},
            {"GEORADIUSBYMEMBER", "pts", "p3", "2000", "km", "COUNT", "5", "STORE", "dst"},
            {"GEOSEARCHSTORE", "dst", "pts", "FROMLONLAT", "90", "0", "BYRADIUS", "1", "m"},
            {"GEOSEARCHSTORE", "dst", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"},
        };
        for (String[] cmd : commands) {
            d.check("SET", "dst", "old");
            d.check(cmd);
            d.check("TYPE", "dst");
            d.check("ZRANGE", "dst", "0", "-1", "WITHSCORES");
            d.check("OBJECT", "ENCODING", "dst");
        }
    }

    /**
     * Searches of very different sizes one after the other, inside MULTI and inside one script: each search's reply
     * or stored set holds its own points only, however many the previous one found.
     */
    @Test
    void consecutiveSearchesKeepTheirOwnResults() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int start = 0; start < 3000; start += 500) {
            List<String> args = new ArrayList<>(List.of("GEOADD", "dense"));
            for (int i = start; i < start + 500; i++) {
                args.addAll(List.of(fmt(random.nextDouble(9, 11)), fmt(random.nextDouble(44, 46)), "d" + i));
            }
            d.check(args.toArray(String[]::new));
        }
        String[] all = {"GEOSEARCH", "dense", "FROMLONLAT", "10", "45", "BYRADIUS", "300", "km"};
        String[] few = {"GEOSEARCH", "dense", "FROMLONLAT", "10", "45", "BYRADIUS", "5", "km", "WITHDIST"};
        String[] sorted = {
            "GEOSEARCH", "dense", "FROMLONLAT", "10.5", "45.5", "BYBOX", "80", "60", "km", "DESC", "COUNT", "7"
        };
        String[] none = {"GEOSEARCH", "dense", "FROMLONLAT", "-50", "0", "BYRADIUS", "1", "km"};
        String[] store = {"GEOSEARCHSTORE", "dst", "dense", "FROMMEMBER", "d9", "BYRADIUS", "20", "km", "STOREDIST"};
        for (String[] cmd : new String[][] {all, few, sorted, all, none, sorted, store, few, all, store}) {
            d.check(cmd);
        }
        d.check("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        d.check("MULTI");
        d.check(all);
        d.check(few);
        d.check(store);
        d.check(none);
        d.check(sorted);
        d.check("EXEC");
        d.check(
                "EVAL",
                "local a = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', 10, 45, 'BYRADIUS', 300, 'km') "
                        + "local b = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', 10, 45, 'BYRADIUS', 5, 'km') "
                        + "return {#a, b}",
                "1",
                "dense");
    }

    /** Coordinates, radii and box sides are read as strtod reads them, with Redis's range checks after. */
    @Test
    void numbersAreReadAsRedisReadsThem() throws IOException {
        check("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania");
        String[] forms = {
            "0x10", "0x1p3", "-.5", "1.", "+1.5e3", "inf", "-inf", "1e309", "-1e309", "1e-400", "5e-324", "\" 1\"",
            "\"1 \"", "nan", "1d", "0x", ""
        };
        for (String f : forms) {
            check(
                    "GEOADD g " + f + " 1 m",
                    "GEOADD g 1 " + f + " m",
                    "GEORADIUS g 15 37 " + f + " km",
                    "GEORADIUS g 15 37 " + f + " km STORE dst",
                    "GEORADIUSBYMEMBER g Palermo " + f + " km",
                    "GEOSEARCH g FROMLONLAT " + f + " 37 BYRADIUS 200 km",
                    "GEOSEARCH g FROMLONLAT 15 37 BYBOX " + f + " 400 km",
                    "GEOSEARCH g FROMLONLAT 15 37 BYBOX 400 " + f + " km",
                    "GEOSEARCHSTORE dst g FROMMEMBER Palermo BYBOX " + f + " " + f + " mi COUNT 0",
                    "GEORADIUS g 15 37 " + f + " km WITHDIST STORE dst");
        }
        check("ZRANGE g 0 -1 WITHSCORES", "ZRANGE dst 0 -1 WITHSCORES");
    }

    @Test
    void argumentsAndErrorsMatch() throws IOException {
        check(
                "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
                "GEOADD g 181 0 x",
                "GEOADD g 0 86 x",
                "GEOADD g -180.0000001 0 x",
                "GEOADD g abc 0 x",
                "GEOADD g 0 nan x",
                "GEOADD g 1 2",
                "GEOADD g NX XX 1 2 x",
                "GEOADD g NX 1 2 x",
                "GEOADD g XX 3 4 x",
                "GEOADD g XX CH 3 4 Palermo",
                "GEOADD g CH NX 5 6 y 13.361389 38.115556 Palermo",
                "GEOADD g GT 1 2 z",
                "GEOADD g NX CH",
                "GEOADD g 1 2 Palermo",
                "GEOPOS g Palermo",
                "GEODIST g Palermo Catania parsecs",
                "GEODIST g Palermo Catania km extra",
                "GEODIST g Palermo",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS -1 km",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS x km",
                "GEOSEARCH g FROMLONLAT 15 37 BYBOX -1 2 km",
                "GEOSEARCH g FROMLONLAT 15 37 BYBOX a 2 km",
                "GEOSEARCH g FROMLONLAT 15 37 BYBOX 1 b km",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 10 yards",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 10 km BYBOX 1 1 km",
                "GEOSEARCH g FROMMEMBER Palermo FROMLONLAT 1 1 BYRADIUS 1 km",
                "GEOSEARCH g FROMMEMBER nobody BYRADIUS 1 km",
                "GEOSEARCH g BYRADIUS 1 km WITHDIST",
                "GEOSEARCH g FROMLONLAT 1 1 WITHDIST ASC",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km ANY",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km COUNT 0",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km COUNT -3",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km COUNT x",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km COUNT",
                "GEOSEARCH g FROMLONLAT 1 1 BYRADIUS 1 km STORE x",
                "GEOSEARCH g FROMLONLAT 200 1 BYRADIUS 1 km",
                "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST",
                "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 200 km STORE x",
                "GEORADIUS g 15 37 200 km WITHCOORD STORE x",
                "GEORADIUS_RO g 15 37 200 km STORE x",
                "GEORADIUS g 15 37 200 km STORE",
                "GEORADIUS g 15 37 200",
                "GEORADIUSBYMEMBER g nobody 10 km",
                "GEORADIUSBYMEMBER nokey nobody 10 km",
                "GEORADIUSBYMEMBER nokey nobody 10 km STORE x",
                "GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 km",
                "GEOSEARCH nokey FROMLONLAT 1 1 BYBOX 1 1 km COUNT 2 ANY",
                "GEOHASH nokey a b",
                "GEOPOS nokey a",
                "GEODIST nokey a b",
                "SET s x",
                "GEOADD s 1 1 a",
                "GEOPOS s a",
                "GEOHASH s a",
                "GEODIST s a b",
                "GEOSEARCH s FROMLONLAT 1 1 BYRADIUS 1 km",
                "GEORADIUS s 1 1 1 km",
                "GEORADIUSBYMEMBER s a 1 km",
                "GEOSEARCHSTORE d s FROMLONLAT 1 1 BYRADIUS 1 km",
                "GEOSEARCHSTORE s g FROMLONLAT 15 37 BYRADIUS 200 km",
                "TYPE s",
                "ZADD plain 0 zero -1 minus 9007199254740992 big",
                "GEOPOS plain zero minus big",
                "GEOHASH plain zero big",
                "ZADD plain inf pinf -inf ninf 1e300 huge 18446744073709551616 two64 9223372036854775808 two63",
                "GEOPOS plain pinf ninf huge two64 two63",
                "GEOHASH plain pinf ninf huge two64 two63",
                "GEODIST plain pinf ninf",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST WITHHASH WITHCOORD COUNT 1 DESC",
                "GEOSEARCH g FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHCOORD",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 0 m",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 0 m WITHDIST");
    }
}
