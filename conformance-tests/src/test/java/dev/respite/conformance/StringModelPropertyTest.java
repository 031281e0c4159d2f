package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random string and keyspace commands sent to Respite and to a plain in-memory model of Redis's semantics (two
 * databases of string keys); every reply must be the model's, byte for byte. Seeded, so a failure replays.
 */
class StringModelPropertyTest {
    private static final long SEED = 20261127L;
    private static final int OPERATIONS = 20_000;
    private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");
    private static final String[] VALUES = {
        "", "a", "bc", "10", "-5", "007", " 1", "9223372036854775807", "-9223372036854775808", "xyz"
    };

    private final Random rnd = new Random(SEED);
    private List<Map<String, String>> dbs = new ArrayList<>(List.of(new HashMap<>(), new HashMap<>()));

    @Test
    void everyReplyMatchesTheModel() throws Exception {
        try (RespiteProcess server = RespiteProcess.start();
                RawConnection conn = new RawConnection(server.port())) {
            for (int i = 0; i < OPERATIONS; i++) {
                List<String> cmd = new ArrayList<>();
                String expected = step(cmd);
                String actual = conn.call(cmd.toArray(new String[0]));
                if (cmd.get(0).equals("KEYS")) {
                    actual = sortedArray(actual);
                }
                int op = i;
                assertEquals(
                        expected, actual, () -> "operation " + op + " (seed " + SEED + "): " + String.join(" ", cmd));
            }
        }
    }

    private String key() {
        return "k" + rnd.nextInt(8);
    }

    private String value() {
        return rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(200) - 100) : VALUES[rnd.nextInt(VALUES.length)];
    }

    private Map<String, String> db() {
        return dbs.get(0);
    }

    /** Chooses a command, fills {@code cmd}, applies it to the model and returns the model's RESP2 reply. */
    private String step(List<String> cmd) {
        String k = key();
        String v = value();
        Map<String, String> db = db();
        switch (rnd.nextInt(20)) {
            case 0 -> {
                boolean nx = rnd.nextInt(4) == 0;
                boolean xx = !nx && rnd.nextInt(4) == 0;
                boolean get = rnd.nextBoolean();
                add(cmd, "SET", k, v);
                if (nx) {
                    cmd.add("NX");
                }
                if (xx) {
                    cmd.add("XX");
                }
                if (get) {
                    cmd.add("GET");
                }
                String old = db.get(k);
                boolean apply = !(nx && old != null) && !(xx && old == null);
                if (apply) {
                    db.put(k, v);
                }
                return get ? bulk(old) : apply ? "+OK\r\n" : "$-1\r\n";
            }
            case 1 -> {
                add(cmd, "GET", k);
                return bulk(db.get(k));
            }
            case 2 -> {
                String k2 = key();
                add(cmd, "DEL", k, k2);
                int n = (db.remove(k) != null ? 1 : 0) + (db.remove(k2) != null ? 1 : 0);
                return integer(n);
            }
            case 3 -> {
                String k2 = key();
                add(cmd, "EXISTS", k, k2, k);
                return integer((db.containsKey(k) ? 2 : 0) + (db.containsKey(k2) ? 1 : 0));
            }
            case 4 -> {
                add(cmd, "APPEND", k, v);
                String n = db.getOrDefault(k, "") + v;
                db.put(k, n);
                return integer(n.length());
            }
            case 5 -> {
                add(cmd, "STRLEN", k);
                return integer(db.getOrDefault(k, "").length());
            }
            case 6 -> {
                long by = rnd.nextInt(3) == 0 ? Long.MAX_VALUE - rnd.nextInt(3) : rnd.nextInt(21) - 10;
                add(cmd, "INCRBY", k, Long.toString(by));
                String old = db.getOrDefault(k, "0");
                if (!INTEGER.matcher(old).matches() || !fitsLong(old)) {
                    return "-ERR value is not an integer or out of range\r\n";
                }
                long o = Long.parseLong(old);
                long r;
                try {
                    r = Math.addExact(o, by);
                } catch (ArithmeticException e) {
                    return "-ERR increment or decrement would overflow\r\n";
                }
                db.put(k, Long.toString(r));
                return integer(r);
            }
            case 7 -> {
                int s = rnd.nextInt(10) - 5;
                int e = rnd.nextInt(10) - 5;
                add(cmd, "GETRANGE", k, Integer.toString(s), Integer.toString(e));
                return bulk(range(db.getOrDefault(k, ""), s, e));
            }
            case 8 -> {
                int off = rnd.nextInt(6);
                add(cmd, "SETRANGE", k, Integer.toString(off), v);
                String old = db.get(k);
                if (v.isEmpty()) {
                    return integer(old == null ? 0 : old.length());
                }
                StringBuilder sb = new StringBuilder(old == null ? "" : old);
                while (sb.length() < off + v.length()) {
                    sb.append('\0');
                }
                sb.replace(off, off + v.length(), v);
                db.put(k, sb.toString());
                return integer(sb.length());
            }
            case 9 -> {
                String k2 = key();
                String v2 = value();
                add(cmd, "MSET", k, v, k2, v2);
                db.put(k, v);
                db.put(k2, v2);
                return "+OK\r\n";
            }
            case 10 -> {
                String k2 = key();
                add(cmd, "MGET", k, k2);
                return "*2\r\n" + bulk(db.get(k)) + bulk(db.get(k2));
            }
            case 11 -> {
                add(cmd, "GETDEL", k);
                return bulk(db.remove(k));
            }
            case 12 -> {
                add(cmd, "SETNX", k, v);
                return integer(db.putIfAbsent(k, v) == null ? 1 : 0);
            }
            case 13 -> {
                String k2 = key();
                boolean nx = rnd.nextBoolean();
                add(cmd, nx ? "RENAMENX" : "RENAME", k, k2);
                String val = db.get(k);
                if (val == null) {
                    return "-ERR no such key\r\n";
                }
                if (k.equals(k2)) {
                    return nx ? integer(0) : "+OK\r\n";
                }
                if (nx && db.containsKey(k2)) {
                    return integer(0);
                }
                db.remove(k);
                db.put(k2, val);
                return nx ? integer(1) : "+OK\r\n";
            }
            case 14 -> {
                String k2 = key();
                boolean replace = rnd.nextBoolean();
                add(cmd, "COPY", k, k2);
                if (replace) {
                    cmd.add("REPLACE");
                }
                if (k.equals(k2)) {
                    return "-ERR source and destination objects are the same\r\n";
                }
                String val = db.get(k);
                if (val == null || (db.containsKey(k2) && !replace)) {
                    return integer(0);
                }
                db.put(k2, val);
                return integer(1);
            }
            case 15 -> {
                add(cmd, "DBSIZE");
                return integer(db.size());
            }
            case 16 -> {
                add(cmd, "MOVE", k, "1");
                String val = db.get(k);
                if (val == null || dbs.get(1).containsKey(k)) {
                    return integer(0);
                }
                db.remove(k);
                dbs.get(1).put(k, val);
                return integer(1);
            }
            case 17 -> {
                add(cmd, "SWAPDB", "0", "1");
                dbs = new ArrayList<>(List.of(dbs.get(1), dbs.get(0)));
                return "+OK\r\n";
            }
            case 18 -> {
                add(cmd, "KEYS", "*");
                TreeSet<String> keys = new TreeSet<>(db.keySet());
                StringBuilder sb = new StringBuilder("*" + keys.size() + "\r\n");
                for (String key : keys) {
                    sb.append(bulk(key));
                }
                return sb.toString();
            }
            default -> {
                add(cmd, "TYPE", k);
                return db.containsKey(k) ? "+string\r\n" : "+none\r\n";
            }
        }
    }

    /** KEYS answers in table order: its elements sorted, to compare with the model's sorted keys. */
    private static String sortedArray(String reply) {
        String[] lines = reply.split("\r\n");
        List<String> elements = new ArrayList<>();
        for (int i = 1; i + 1 < lines.length; i += 2) {
            elements.add(lines[i + 1]);
        }
        elements.sort(null);
        StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
        for (String e : elements) {
            sb.append(bulk(e));
        }
        return sb.toString();
    }

    private static void add(List<String> cmd, String... parts) {
        cmd.addAll(List.of(parts));
    }

    private static boolean fitsLong(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String range(String s, long start, long end) {
        long len = s.length();
        if (start < 0 && end < 0 && start > end) {
            return "";
        }
        if (start < 0) {
            start = Math.max(0, len + start);
        }
        if (end < 0) {
            end = Math.max(0, len + end);
        }
        end = Math.min(end, len - 1);
        return start > end || len == 0 ? "" : s.substring((int) start, (int) end + 1);
    }

    private static String bulk(String s) {
        return s == null ? "$-1\r\n" : "$" + s.length() + "\r\n" + s + "\r\n";
    }

    private static String integer(long n) {
        return ":" + n + "\r\n";
    }
}
