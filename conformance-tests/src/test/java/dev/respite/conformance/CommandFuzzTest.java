package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespReader;
import dev.respite.conformance.support.RespReader.Value;
import dev.respite.conformance.support.RespiteProcess;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random command sequences drawn from the server's own command table (read with COMMAND over the
 * wire), with arities around the declared ones and arguments from a pool of awkward values. Every command
 * must get a well-formed reply within a few seconds, never an internal error or a dropped connection, and
 * the server must still answer a new client at the end. Rerun a failure with {@code -Dfuzz.seed=<seed>};
 * {@code -Dfuzz.commands=} changes how many commands are sent.
 */
class CommandFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int COMMANDS = Integer.getInteger("fuzz.commands", 15_000);
    /** A safety cap so a slow machine still finishes; the seed reproduces whatever prefix was run. */
    private static final long TIME_CAP_NANOS = 25_000_000_000L;

    private static final int REPLY_TIMEOUT_MILLIS = 5_000;

    /**
     * Commands that end, silence or take over the connection or the server. AUTH goes too: the fuzzing
     * creates ACL users, and logging in as one of them would turn the rest of the run into NOPERM replies.
     * The replication commands turn the connection into a replica or the server into one; WAIT with no
     * replicas blocks for as long as its timeout says. SCRIPT DEBUG makes the connection's next EVAL a
     * debugging session, a conversation that ends with the connection closed.
     */
    private static final Set<String> EXCLUDED = Set.of(
            "shutdown",
            "monitor",
            "subscribe",
            "psubscribe",
            "ssubscribe",
            "quit",
            "reset",
            "auth",
            "client|kill",
            "client|pause",
            "client|reply",
            "acl|save",
            "acl|load",
            "sync",
            "psync",
            "replconf",
            "replicaof",
            "slaveof",
            "wait",
            "waitaof",
            "script|debug");
    /** Slow (they write the whole keyspace to disk): a few of each per run. */
    private static final Set<String> RATIONED = Set.of("save", "bgsave", "bgrewriteaof");
    /**
     * These answer once per channel named. Inside MULTI, Redis (and so Respite) then sends more replies than
     * EXEC's array announces, so they get at most one channel and every command has exactly one reply.
     */
    private static final Set<String> ONE_CHANNEL = Set.of("unsubscribe", "punsubscribe", "sunsubscribe");
    /** Blocking commands whose timeout is the argument after the name; the rest have it last. */
    private static final Set<String> TIMEOUT_FIRST = Set.of("blmpop", "bzmpop");
    /** Commands that allocate as much as a number argument says: offsets and lengths stay small. */
    private static final Set<String> SIZE_BOUNDED = Set.of("setbit", "setrange", "bitfield", "lolwut");
    /** Negative counts return that many elements (repeats allowed), as in Redis: they stay small. */
    private static final Set<String> COUNT_BOUNDED = Set.of("srandmember", "hrandfield", "zrandmember");
    /** CONFIG SET parameters that cannot stop the server, close this connection or refuse every write. */
    private static final List<String> SAFE_CONFIG = List.of(
            "slowlog-log-slower-than",
            "slowlog-max-len",
            "latency-monitor-threshold",
            "hash-max-listpack-entries",
            "hash-max-listpack-value",
            "list-max-listpack-size",
            "set-max-intset-entries",
            "set-max-listpack-entries",
            "zset-max-listpack-entries",
            "zset-max-listpack-value",
            "notify-keyspace-events",
            "acllog-max-len",
            "latency-tracking",
            "active-expire-effort");

    private static final List<String> KEYS = List.of(
            "k:str",
            "k:int",
            "k:float",
            "k:list",
            "k:biglist",
            "k:set",
            "k:intset",
            "k:bigset",
            "k:zset",
            "k:bigzset",
            "k:hash",
            "k:bighash",
            "k:missing");
    private static final List<String> NUMBERS = List.of(
            "0",
            "1",
            "-1",
            "2",
            "3",
            "7",
            "10",
            "100",
            "-100",
            "1.5",
            "-0",
            "0.0",
            "1e308",
            "-1e308",
            "1e-320",
            "inf",
            "-inf",
            "+inf",
            "nan",
            "NaN",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "4294967296",
            "99999999999999999999999",
            " 1",
            "1 ",
            "0x1f",
            "1e",
            "--1",
            "+5");
    private static final List<String> TEXTS = List.of(
            "",
            "a",
            "b",
            "field",
            "member",
            "abc",
            "\0",
            "a\0b",
            "\r\n",
            "x\r\ny",
            "*1\r\n$4\r\nPING\r\n",
            "\u00ff\u00fe",
            "\u00e9t\u00e9",
            "[a",
            "(a",
            "[",
            "(",
            "-",
            "+",
            "(1",
            "*",
            "?",
            "[a-z]*",
            "\\",
            "k:*",
            "#0",
            "#1",
            "%",
            "~*",
            "&*",
            "on",
            "off",
            "nopass",
            ">pw",
            "+@all",
            "-@all",
            "allkeys",
            "user1",
            "chan",
            "x".repeat(10_000));
    private static final List<String> KEYWORDS = List.of(
            "NX",
            "XX",
            "GT",
            "LT",
            "CH",
            "INCR",
            "WITHSCORES",
            "WITHSCORE",
            "LIMIT",
            "COUNT",
            "MATCH",
            "TYPE",
            "BYSCORE",
            "BYLEX",
            "REV",
            "LEFT",
            "RIGHT",
            "BEFORE",
            "AFTER",
            "MIN",
            "MAX",
            "RANK",
            "MAXLEN",
            "EX",
            "PX",
            "EXAT",
            "PXAT",
            "KEEPTTL",
            "GET",
            "PERSIST",
            "WEIGHTS",
            "AGGREGATE",
            "SUM",
            "IDX",
            "LEN",
            "MINMATCHLEN",
            "WITHMATCHLEN",
            "BIT",
            "BYTE",
            "AND",
            "OR",
            "XOR",
            "NOT",
            "SET",
            "INCRBY",
            "OVERFLOW",
            "WRAP",
            "SAT",
            "FAIL",
            "u8",
            "i64",
            "i65",
            "u63",
            "u64",
            "REPLACE",
            "ABSTTL",
            "IDLETIME",
            "FREQ",
            "DB",
            "ASYNC",
            "SYNC",
            "ID",
            "ON",
            "OFF",
            "YES",
            "NO",
            "HELP",
            "USER",
            "ADDR",
            "LADDR",
            "SKIPME",
            "MAXAGE",
            "SETNAME",
            "LIB-NAME",
            "LIB-VER",
            "TIMEOUT",
            "ERROR",
            "RESET",
            "VERSION",
            "WITHVALUES",
            "NOVALUE");

    private static RespiteProcess respite;

    /** One entry of the command table as COMMAND reports it. */
    private record Spec(String name, int arity, int firstKey, int lastKey, int step, boolean blocking) {
        String[] nameWords() {
            return name.split("\\|");
        }
    }

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void randomCommandsGetWellFormedRepliesAndNeverBreakTheServer() throws Exception {
        Random rnd = new Random(SEED);
        System.out.println("CommandFuzzTest seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        List<Spec> specs;
        try (Conn c = new Conn(respite.port())) {
            specs = commandTable(c);
        }
        assertTrue(specs.size() > 150, "COMMAND lists the whole table: " + specs.size());
        Map<String, Integer> rationed = new HashMap<>();
        Deque<String> history = new ArrayDeque<>();
        int sent = 0;
        long deadline = System.nanoTime() + TIME_CAP_NANOS;
        try (Conn setup = new Conn(respite.port());
                Conn c = new Conn(respite.port())) {
            populate(setup);
            for (; sent < COMMANDS && System.nanoTime() < deadline; sent++) {
                Spec spec = specs.get(rnd.nextInt(specs.size()));
                if (RATIONED.contains(spec.name()) && rationed.merge(spec.name(), 1, Integer::sum) > 2) {
                    continue;
                }
                byte[][] args = arguments(spec, rnd);
                history.addLast(describe(args));
                if (history.size() > 15) {
                    history.removeFirst();
                }
                check(c, args, history, sent);
                if (sent % 500 == 0
                        || spec.name().startsWith("flush")
                        || spec.name().equals("swapdb")) {
                    populate(setup);
                }
            }
        }
        System.out.println("CommandFuzzTest sent " + sent + " commands (seed " + SEED + ")");
        try (Conn fresh = new Conn(respite.port())) {
            fresh.send(new byte[][] {bytes("PING")});
            assertEquals("+PONG", fresh.read().toString(), "seed " + SEED);
        }
        String log = respite.log();
        assertFalse(
                log.contains("Exception") || log.contains("failed unexpectedly"),
                () -> "seed " + SEED + ": the server logged an exception:\n" + log);
    }

    /** Sends the command and an ECHO marker: a reply of the wrong shape would show as a lost marker. */
    private static void check(Conn c, byte[][] args, Deque<String> history, int index) throws IOException {
        String marker = "marker-" + index;
        c.send(args, new byte[][] {bytes("ECHO"), bytes(marker)});
        Value reply;
        Value echoed;
        try {
            reply = c.read();
            echoed = c.read();
        } catch (SocketTimeoutException e) {
            throw failure("no reply within " + REPLY_TIMEOUT_MILLIS + " ms", history, e);
        } catch (IOException e) {
            throw failure("connection broken or reply malformed: " + e.getMessage(), history, e);
        }
        for (Value v : reply.flatten()) {
            if (v.isError() || v.type() == '+') {
                String t = v.text();
                if (t.contains("internal error")
                        || t.contains("Exception")
                        || t.contains("\tat ")
                        || t.contains("java.")) {
                    throw failure("internal error text " + t, history, null);
                }
            }
        }
        boolean markerBack = echoed.text().equals(marker) || echoed.toString().equals("+QUEUED");
        if (!markerBack) {
            throw failure("reply out of step: ECHO answered " + echoed + " after " + reply, history, null);
        }
    }

    private static AssertionError failure(String what, Deque<String> history, Throwable cause) {
        AssertionError e = new AssertionError("seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + "): " + what
                + "\nlast commands, newest last:\n  " + String.join("\n  ", history));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private static List<Spec> commandTable(Conn c) throws IOException {
        c.send(new byte[][] {bytes("COMMAND")});
        List<Spec> out = new ArrayList<>();
        for (Value entry : c.read().elements()) {
            List<Value> e = entry.elements();
            Spec spec = spec(e);
            List<Value> subs = e.size() > 9 ? e.get(9).elements() : null;
            if (subs != null && !subs.isEmpty()) {
                for (Value sub : subs) {
                    addUnlessExcluded(out, spec(sub.elements()));
                }
            }
            addUnlessExcluded(out, spec);
        }
        return out;
    }

    private static Spec spec(List<Value> e) {
        boolean blocking = e.get(2).elements().stream().anyMatch(f -> f.text().equals("blocking"));
        return new Spec(
                e.get(0).text(),
                Integer.parseInt(e.get(1).text()),
                Integer.parseInt(e.get(3).text()),
                Integer.parseInt(e.get(4).text()),
                Integer.parseInt(e.get(5).text()),
                blocking);
    }

    private static void addUnlessExcluded(List<Spec> out, Spec spec) {
        if (!EXCLUDED.contains(spec.name())) {
            out.add(spec);
        }
    }

    private static byte[][] arguments(Spec spec, Random rnd) {
        String[] words = spec.nameWords();
        int declared = Math.abs(spec.arity());
        int n;
        if (rnd.nextInt(10) < 8) {
            n = spec.arity() > 0 ? declared : declared + rnd.nextInt(5);
        } else {
            n = Math.max(words.length, declared + rnd.nextInt(5) - 2);
        }
        List<String> args = new ArrayList<>();
        for (String w : words) {
            args.add(rnd.nextBoolean() ? w : w.toUpperCase(Locale.ROOT));
        }
        while (args.size() < n) {
            int pos = args.size();
            args.add(isKeyPosition(spec, pos, n) && rnd.nextInt(10) < 8 ? pick(KEYS, rnd) : value(spec, rnd));
        }
        if (spec.name().equals("config|set")) {
            for (int i = 2; i < args.size(); i += 2) {
                args.set(i, pick(SAFE_CONFIG, rnd));
            }
        }
        if (spec.name().equals("debug") && args.size() > 1) {
            // DEBUG's other subcommands sleep, crash or reload on purpose.
            args.set(1, pick(List.of("OBJECT", "HELP", "SET-ACTIVE-EXPIRE", "DIGEST", "nonsense"), rnd));
        }
        if (ONE_CHANNEL.contains(spec.name()) && args.size() > 2) {
            args.subList(2, args.size()).clear();
        }
        if (spec.blocking()) {
            int at = TIMEOUT_FIRST.contains(spec.name()) ? 1 : args.size() - 1;
            if (at > 0 && at < args.size()) {
                // A blocked command would hold the connection for its whole timeout: keep it short.
                args.set(at, pick(List.of("0.01", "0.001", "-1", "abc", "nan"), rnd));
            }
        }
        byte[][] out = new byte[args.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = args.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    private static boolean isKeyPosition(Spec spec, int pos, int argc) {
        if (spec.firstKey() <= 0 || pos < spec.firstKey()) {
            return false;
        }
        int last = spec.lastKey() < 0 ? argc + spec.lastKey() : spec.lastKey();
        return pos <= last && (pos - spec.firstKey()) % Math.max(1, spec.step()) == 0;
    }

    private static String value(Spec spec, Random rnd) {
        while (true) {
            String v = switch (rnd.nextInt(4)) {
                case 0 -> pick(NUMBERS, rnd);
                case 1 -> pick(TEXTS, rnd);
                case 2 -> pick(KEYWORDS, rnd);
                default -> rnd.nextBoolean() ? pick(KEYS, rnd) : Integer.toString(rnd.nextInt(2000) - 1000);
            };
            if (acceptable(spec, v)) {
                return v;
            }
        }
    }

    /** Keeps out the values for which Redis itself would allocate gigabytes or stream billions of elements. */
    private static boolean acceptable(Spec spec, String v) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return true;
        }
        if (SIZE_BOUNDED.contains(spec.name()) && d > 100_000 && d < 1e12) {
            return false;
        }
        return !(COUNT_BOUNDED.contains(spec.name()) && d < -100_000 && d > -1e19);
    }

    private static String pick(List<String> from, Random rnd) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** Recreates one key of each type and encoding in database 0, replacing whatever the fuzzing made of them. */
    private static void populate(Conn setup) throws IOException {
        List<byte[][]> cmds = new ArrayList<>();
        cmds.add(cmd("DEL", KEYS.toArray(String[]::new)));
        cmds.add(cmd("SET", "k:str", "hello"));
        cmds.add(cmd("SET", "k:int", "42"));
        cmds.add(cmd("SET", "k:float", "3.5"));
        cmds.add(cmd("RPUSH", "k:list", "a", "b", "c", "1", "-2"));
        cmds.add(cmd("SADD", "k:set", "a", "b", "c"));
        cmds.add(cmd("SADD", "k:intset", "1", "2", "3", "-40000", "5000000000"));
        cmds.add(cmd("ZADD", "k:zset", "1.5", "a", "inf", "top", "-inf", "bottom", "2", "b"));
        cmds.add(cmd("HSET", "k:hash", "f1", "v1", "n", "42", "f", "1.5"));
        List<String> list = new ArrayList<>(List.of("RPUSH", "k:biglist"));
        List<String> set = new ArrayList<>(List.of("SADD", "k:bigset"));
        List<String> zset = new ArrayList<>(List.of("ZADD", "k:bigzset"));
        List<String> hash = new ArrayList<>(List.of("HSET", "k:bighash"));
        for (int i = 0; i < 300; i++) {
            list.add("element-" + i);
            set.add("member-" + i);
            zset.add(Double.toString(i / 3.0));
            zset.add("m" + i);
            hash.add("field-" + i);
            hash.add("value-" + i);
        }
        for (List<String> big : List.of(list, set, zset, hash)) {
            cmds.add(cmd(big.get(0), big.subList(1, big.size()).toArray(String[]::new)));
        }
        cmds.add(cmd("EXPIRE", "k:hash", "100000"));
        setup.send(cmds.toArray(byte[][][]::new));
        for (int i = 0; i < cmds.size(); i++) {
            Value v = setup.read();
            assertFalse(v.isError(), () -> "setup failed: " + v);
        }
    }

    private static byte[][] cmd(String name, String... args) {
        byte[][] out = new byte[args.length + 1][];
        out[0] = bytes(name);
        for (int i = 0; i < args.length; i++) {
            out[i + 1] = bytes(args[i]);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String describe(byte[][] args) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) {
            String s = new String(a, StandardCharsets.ISO_8859_1);
            if (s.length() > 40) {
                s = s.substring(0, 20) + "...(" + s.length() + " chars)";
            }
            sb.append('"')
                    .append(s.replace("\\", "\\\\")
                            .replace("\r", "\\r")
                            .replace("\n", "\\n")
                            .replace("\0", "\\0"))
                    .append("\" ");
        }
        return sb.toString().trim();
    }

    /** A connection sending multibulk requests and reading replies strictly, each within the reply timeout. */
    private static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final RespReader reader;

        Conn(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            reader = new RespReader(new BufferedInputStream(socket.getInputStream()));
        }

        void send(byte[][]... commands) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (byte[][] args : commands) {
                buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (byte[] a : args) {
                    buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    buf.writeBytes(a);
                    buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.write(buf.toByteArray());
            out.flush();
        }

        Value read() throws IOException {
            return reader.read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
