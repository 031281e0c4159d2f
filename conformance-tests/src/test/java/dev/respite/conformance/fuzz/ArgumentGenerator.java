package dev.respite.conformance.fuzz;

import dev.respite.conformance.fuzz.Grammar.Arg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Random argument vectors for one command, following its grammar most of the time and breaking it on
 * purpose the rest: values at and one past the 64-bit limits, zero and negative counts, empty and binary
 * strings, keywords in every case, missing keys and keys of each type, an argument dropped or added.
 * Values that would make either server allocate gigabytes (huge offsets, counts in the billions) and
 * relative expiry times short enough to race between the two servers are never drawn.
 */
final class ArgumentGenerator {
    /** Keys the fixture fills with one value of each type; the others start missing. */
    static final List<String> KEYS =
            List.of("str", "int", "flt", "list", "hash", "set", "iset", "zset", "bits", "missing", "new");

    private static final String[] INTEGERS = {
        "0",
        "1",
        "-1",
        "2",
        "3",
        "5",
        "10",
        "-10",
        "100",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "-9223372036854775809",
        "abc",
        "",
        "1.5",
        "01",
        "-0",
        "+1",
        " 1",
        "0x10",
        "1e3"
    };
    private static final String[] DOUBLES = {
        "0",
        "1",
        "-1",
        "1.1",
        "-2.5",
        "0.1",
        "3",
        "10",
        "1e308",
        "1e309",
        "-1e309",
        "inf",
        "-inf",
        "+inf",
        "INF",
        "nan",
        "abc",
        "",
        "1.7976931348623157e308",
        "5e-324",
        "1e-400",
        " 1",
        "1 ",
        "0x10",
        "1.",
        "-.5",
        "+1.5e3",
        "9007199254740993",
        "17179869184.5"
    };
    private static final String[] STRINGS = {
        "",
        "a",
        "b",
        "c",
        "abc",
        "v",
        "1",
        "-1",
        "10",
        "1.5",
        "hello world",
        "\u0000\u00ff\u0001",
        "\r\n",
        "caf\u00c3\u00a9",
        "f1",
        "f2",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    };
    private static final String[] MEMBERS = {"a", "b", "c", "d", "f1", "f2", "1", "2", "3", ""};
    private static final String[] PATTERNS = {"*", "a*", "?", "h[ae]llo", "[a-", "\\*", "", "*t*", "s*"};
    private static final String[] RANGES = {
        "0",
        "1",
        "-1",
        "2",
        "10",
        "(1",
        "[a",
        "(a",
        "-",
        "+",
        "[",
        "(",
        "inf",
        "-inf",
        "+inf",
        "(inf",
        "abc",
        "",
        "1.5",
        "(-1",
        "9223372036854775807",
        "-9223372036854775809"
    };
    private static final String[] RELATIVE_TIMES = {
        "0",
        "-1",
        "100000",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "abc",
        "",
        "1.5",
        "9223372036854775",
        "9223372036854"
    };
    private static final String[] TIMEOUTS = {"0.01", "-1", "abc", "0.001", "nan", "inf"};
    private static final String[] BLOCK_MILLIS = {"1", "10", "-1", "abc", "1.5", ""};
    private static final String[] CURSORS = {
        "0",
        "1",
        "-1",
        "+5",
        "",
        "abc",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775808",
        "00",
        " 0",
        "0x0"
    };
    private static final String[] ENCODINGS = {
        "i8", "u8", "I8", "U8", "i64", "u63", "u64", "i63", "i65", "i0", "u0", "i1", "u1", "#", "x8", "i", ""
    };
    private static final String[] BIT_OFFSETS = {
        "0", "1", "5", "#0", "#1", "#-1", "-1", "abc", "9223372036854775807", ""
    };
    private static final String[] WORDS = {
        "NX",
        "XX",
        "GT",
        "LT",
        "CH",
        "WITHSCORES",
        "LIMIT",
        "COUNT",
        "MATCH",
        "BYSCORE",
        "BYLEX",
        "REV",
        "LEFT",
        "RIGHT",
        "GET",
        "EX",
        "PX",
        "KEEPTTL",
        "STORE",
        "BY",
        "nosort",
        "TYPE",
        "string"
    };

    private final Random rnd;

    ArgumentGenerator(Random rnd) {
        this.rnd = rnd;
    }

    /** One command: its name in a random case, then arguments for the grammar, sometimes broken. */
    byte[][] generate(Grammar g) {
        List<String> out = new ArrayList<>();
        for (String word : g.command().split("\\|")) {
            out.add(caseVariant(word));
        }
        args(g.args(), out);
        int roll = rnd.nextInt(100);
        if (roll < 6 && out.size() > 1) {
            out.remove(1 + rnd.nextInt(out.size() - 1));
        } else if (roll < 10) {
            out.add(1 + rnd.nextInt(out.size()), any());
        } else if (roll < 15 && out.size() > 1) {
            out.set(1 + rnd.nextInt(out.size() - 1), any());
        }
        keepTimeoutShort(g, out);
        keepBlockShort(g, out);
        keepExpiryFar(g, out);
        byte[][] b = new byte[out.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return b;
    }

    /**
     * A blocking command whose timeout a mutation replaced or shifted would wait for seconds, or forever
     * for 0: its timeout position (second word for BLMPOP/BZMPOP, last otherwise) gets a short one back.
     */
    private void keepTimeoutShort(Grammar g, List<String> out) {
        if (g.args().stream().noneMatch(a -> a.name().equals("timeout")) || out.size() < 2) {
            return;
        }
        boolean first = g.args().get(0).name().equals("timeout");
        out.set(first ? 1 : out.size() - 1, pick(TIMEOUTS));
    }

    /** XREAD and XREADGROUP take their timeout after BLOCK, in milliseconds: 0 would wait forever. */
    private void keepBlockShort(Grammar g, List<String> out) {
        if (!g.command().equals("xread") && !g.command().equals("xreadgroup")) {
            return;
        }
        for (int i = 1; i + 1 < out.size(); i++) {
            if (out.get(i).equalsIgnoreCase("block")) {
                out.set(i + 1, pick(BLOCK_MILLIS));
            }
        }
    }

    /**
     * A relative expiry of a few (milli)seconds that a mutation put in place would expire the key between the
     * two servers' replies: such times are pushed far out.
     */
    private static void keepExpiryFar(Grammar g, List<String> out) {
        boolean timeSecond = Set.of("expire", "pexpire", "setex", "psetex").contains(g.command());
        for (int i = 2; i < out.size(); i++) {
            boolean afterToken =
                    out.get(i - 1).equalsIgnoreCase("ex") || out.get(i - 1).equalsIgnoreCase("px");
            if ((afterToken || (timeSecond && i == 2)) && isShortTime(out.get(i))) {
                out.set(i, "100000");
            }
        }
    }

    private static boolean isShortTime(String s) {
        try {
            long v = Long.parseLong(s.trim());
            return v > 0 && v < 100_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void args(List<Arg> args, List<String> out) {
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            if (a.name().equals("numkeys") && i + 1 < args.size()) {
                numkeysThenKeys(args.get(i + 1), out);
                i++;
                continue;
            }
            if (a.optional() && rnd.nextInt(100) < 55) {
                continue;
            }
            int times = a.multiple() ? 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 5 : 2) : 1;
            for (int t = 0; t < times; t++) {
                one(a, out, t);
            }
        }
    }

    /** The count usually matches the keys that follow; sometimes it is one off, zero, negative or not a number. */
    private void numkeysThenKeys(Arg keys, List<String> out) {
        int n = 1 + rnd.nextInt(3);
        String count = rnd.nextInt(100) < 75
                ? Integer.toString(n)
                : pick(new String[] {
                    "0",
                    "-1",
                    Integer.toString(n + 1),
                    Integer.toString(n - 1),
                    "abc",
                    "9223372036854775807",
                    "",
                    "2147483648"
                });
        out.add(count);
        for (int k = 0; k < n; k++) {
            one(keys, out, k);
        }
    }

    private void one(Arg a, List<String> out, int repetition) {
        // WEIGHTS w1 w2 writes its token once; GET p1 GET p2 (flag multiple_token) repeats it.
        boolean tokenWritten = a.token() != null && (repetition == 0 || a.tokenRepeats());
        if (tokenWritten && !a.type().equals("pure-token")) {
            out.add(caseVariant(a.token()));
        }
        switch (a.type()) {
            case "pure-token" -> out.add(caseVariant(a.token()));
            case "oneof" -> one(a.children().get(rnd.nextInt(a.children().size())), out, 0);
            case "block" -> args(a.children(), out);
            case "key" -> out.add(rnd.nextInt(100) < 90 ? pick(KEYS.toArray(String[]::new)) : any());
            case "integer" -> out.add(integer(a.name()));
            case "double" -> out.add(double_(a.name()));
            case "pattern" -> out.add(pick(PATTERNS));
            case "unix-time" ->
                out.add(pick(new String[] {
                    "0",
                    "1",
                    "100",
                    "2000000000",
                    "2000000000000",
                    "-1",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "abc",
                    ""
                }));
            default -> out.add(string(a.name()));
        }
    }

    private String integer(String name) {
        return switch (name) {
            case "seconds", "milliseconds" -> pick(RELATIVE_TIMES);
            case "timeout" -> pick(TIMEOUTS);
            case "cursor" -> pick(CURSORS);
            case "offset" -> pick(BIT_OFFSETS);
            default -> pick(INTEGERS);
        };
    }

    private String double_(String name) {
        if (name.equals("timeout")) {
            return pick(TIMEOUTS);
        }
        if (name.equals("min") || name.equals("max")) {
            return pick(RANGES);
        }
        return pick(DOUBLES);
    }

    private String string(String name) {
        return switch (name) {
            case "encoding" -> pick(ENCODINGS);
            case "cursor" -> pick(CURSORS);
            case "offset" -> pick(BIT_OFFSETS);
            case "min", "max", "start", "stop" -> pick(RANGES);
            case "member", "field", "element", "pivot", "source", "destination" -> pick(MEMBERS);
            case "increment", "score" -> pick(DOUBLES);
            case "pattern" -> pick(PATTERNS);
            default -> rnd.nextInt(4) == 0 ? pick(INTEGERS) : pick(STRINGS);
        };
    }

    /** Anything at all: a stray value where the grammar expects something else. */
    private String any() {
        return switch (rnd.nextInt(5)) {
            case 0 -> pick(INTEGERS);
            case 1 -> pick(DOUBLES);
            case 2 -> caseVariant(pick(WORDS));
            case 3 -> pick(KEYS.toArray(String[]::new));
            default -> pick(STRINGS);
        };
    }

    /** The word as written, lower case, upper case or mixed: Redis matches keywords without regard to case. */
    String caseVariant(String word) {
        return switch (rnd.nextInt(4)) {
            case 0 -> word.toLowerCase(Locale.ROOT);
            case 1 -> word.toUpperCase(Locale.ROOT);
            case 2 -> {
                StringBuilder sb = new StringBuilder();
                for (char c : word.toCharArray()) {
                    sb.append(rnd.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
                yield sb.toString();
            }
            default -> word;
        };
    }

    private String pick(String[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
