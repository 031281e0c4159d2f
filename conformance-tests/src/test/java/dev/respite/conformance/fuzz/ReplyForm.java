package dev.respite.conformance.fuzz;

import dev.respite.conformance.support.RespReader.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply written back as its RESP bytes, for comparison: exactly as received, except where Redis leaves
 * something unspecified. Elements of unordered collections are sorted (pairs kept together), replies chosen
 * at random keep only their shape, a partial SSCAN/HSCAN/ZSCAN page and any SCAN page keep only their shape, and a positive time to live
 * (which moves while the two servers are asked one after the other) becomes a placeholder, as does a stream ID
 * made from the clock; stream replies that carry idle times keep only their shape.
 */
final class ReplyForm {
    private static final Set<String> UNORDERED =
            Set.of("smembers", "sinter", "sunion", "sdiff", "keys", "hkeys", "hvals");
    private static final Set<String> UNORDERED_PAIRS = Set.of("hgetall");
    private static final Set<String> RANDOM = Set.of("srandmember", "spop", "hrandfield", "zrandmember", "randomkey");
    private static final Set<String> SCANS = Set.of("sscan", "hscan", "zscan");
    private static final Set<String> TIMES = Set.of("ttl", "pttl", "expiretime", "pexpiretime");
    /** Stream commands whose replies carry idle times, or whose result depends on them (min-idle-time). */
    private static final Set<String> IDLE_TIMES = Set.of("xpending", "xinfo", "xclaim", "xautoclaim");
    /** A stream ID made from the server's clock (XADD with *): both servers rarely read the same millisecond. */
    private static final Pattern STREAM_ID = Pattern.compile("(\\d{13})-\\d+");

    private static final long DAY_MILLIS = 86_400_000L;

    private ReplyForm() {}

    static String of(byte[][] command, Value reply) {
        StringBuilder sb = new StringBuilder();
        write(normalise(command, reply), sb);
        return sb.toString();
    }

    /** EXEC's elements take the form of the command each answers. */
    static String ofExec(List<byte[][]> queued, Value reply) {
        if (reply.isError() || reply.elements() == null || reply.elements().size() != queued.size()) {
            return of(new byte[][] {bytes("exec")}, reply);
        }
        List<Value> elements = new ArrayList<>();
        for (int i = 0; i < queued.size(); i++) {
            elements.add(normalise(queued.get(i), reply.elements().get(i)));
        }
        StringBuilder sb = new StringBuilder();
        write(new Value(reply.type(), null, elements), sb);
        return sb.toString();
    }

    private static Value normalise(byte[][] command, Value reply) {
        if (reply.isError()) {
            return reply;
        }
        String name = new String(command[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (isSelectionUnspecified(name, command)) {
            return count(reply);
        }
        if (RANDOM.contains(name) || IDLE_TIMES.contains(name)) {
            return shape(reply);
        }
        if (UNORDERED.contains(name) || reply.type() == '~' || isOrderUnspecified(name, command)) {
            return sorted(reply, 1);
        }
        if (UNORDERED_PAIRS.contains(name)) {
            return sorted(reply, 2);
        }
        if (name.equals("scan")) {
            // Which keys a keyspace page holds follows the server's hash table layout.
            return new Value('+', bytes("scan page"), null);
        }
        if (SCANS.contains(name) && reply.elements() != null && reply.elements().size() == 2) {
            Value cursor = reply.elements().get(0);
            // A page that starts or ends mid-way holds whatever the server's hash table layout puts there.
            if (!cursor.text().equals("0") || !isFirstPage(command[2])) {
                return new Value('+', bytes("partial scan page"), null);
            }
            int group = name.equals("hscan") || name.equals("zscan") ? 2 : 1;
            return new Value(
                    reply.type(), null, List.of(cursor, sorted(reply.elements().get(1), group)));
        }
        if (TIMES.contains(name) && reply.type() == ':' && !reply.text().startsWith("-")) {
            return new Value(':', bytes("positive"), null);
        }
        return reply;
    }

    /**
     * SORT ... BY nosort keeps the collection's own order, and SORT ... BY pattern leaves elements of equal
     * weight (a missing weight key included) in whatever order Redis's unstable quicksort leaves them.
     */
    private static boolean isOrderUnspecified(String name, byte[][] command) {
        return name.startsWith("sort") && hasWord(command, "by");
    }

    /**
     * SORT of a set or sorted set BY a pattern with LIMIT: Redis loads the elements in its hash table's order,
     * which a per-process seed decides, so which of the elements of equal weight fall inside the window is
     * unspecified too (the key's type is not known here, so lists are treated alike).
     */
    private static boolean isSelectionUnspecified(String name, byte[][] command) {
        return isOrderUnspecified(name, command) && hasWord(command, "limit");
    }

    private static boolean hasWord(byte[][] command, String word) {
        for (byte[] a : command) {
            if (new String(a, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFirstPage(byte[] cursor) {
        String c = new String(cursor, StandardCharsets.ISO_8859_1);
        return c.isEmpty() || c.equals("0");
    }

    /** The same collection with its elements (or groups of {@code group} elements) in byte order. */
    private static Value sorted(Value reply, int group) {
        List<Value> e = reply.elements();
        if (e == null) {
            return reply;
        }
        int g = reply.type() == '%' ? 2 : group;
        List<String> groups = new ArrayList<>();
        for (int i = 0; i + g <= e.size(); i += g) {
            StringBuilder sb = new StringBuilder();
            for (int j = i; j < i + g; j++) {
                write(e.get(j), sb);
            }
            groups.add(sb.toString());
        }
        groups.sort(null);
        return new Value(
                reply.type(),
                null,
                List.of(new Value('+', bytes(e.size() + " elements: " + String.join("", groups)), null)));
    }

    /** How many elements only: even whether a GET projection finds a key depends on which element came back. */
    private static Value count(Value reply) {
        if (reply.elements() == null) {
            return reply;
        }
        return new Value('+', bytes(reply.elements().size() + " elements"), null);
    }

    /** Types and counts only: which element came back is up to the server. */
    private static Value shape(Value reply) {
        if (reply.elements() != null) {
            List<Value> out = new ArrayList<>();
            for (Value v : reply.elements()) {
                out.add(shape(v));
            }
            return new Value(reply.type(), null, out);
        }
        if (reply.data() == null || reply.isError()) {
            return reply;
        }
        return new Value(reply.type(), bytes("?"), null);
    }

    private static void write(Value v, StringBuilder sb) {
        char t = v.type();
        sb.append(t);
        if (v.elements() != null) {
            int n = t == '%' || t == '|'
                    ? v.elements().size() / 2
                    : v.elements().size();
            sb.append(n).append("\r\n");
            for (Value e : v.elements()) {
                write(e, sb);
            }
            return;
        }
        String data = v.data() == null ? null : new String(v.data(), StandardCharsets.ISO_8859_1);
        if (data != null && isClockStreamId(data)) {
            data = "<stream ID from the clock>";
        }
        switch (t) {
            case '$', '=', '!' -> {
                if (data == null) {
                    sb.append("-1\r\n");
                } else {
                    sb.append(data.length()).append("\r\n").append(data).append("\r\n");
                }
            }
            case '*', '~', '>', '%', '|' -> sb.append("-1\r\n");
            default -> sb.append(data).append("\r\n");
        }
    }

    private static boolean isClockStreamId(String s) {
        Matcher m = STREAM_ID.matcher(s);
        return m.matches() && Math.abs(Long.parseLong(m.group(1)) - System.currentTimeMillis()) < DAY_MILLIS;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The RESP text made readable on one line (control bytes escaped). */
    static String printable(String resp) {
        StringBuilder sb = new StringBuilder();
        for (char c : resp.toCharArray()) {
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < ' ' || c >= 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
