package dev.respite.server.command;

import java.util.Map;

/**
 * Key finders written as code, for the commands whose key specs cannot say it all (as Redis's getkeys
 * procedures): SORT's STORE, MIGRATE's KEYS, SET and BITFIELD whose flags depend on their options, and the
 * commands with a key count, whose count Redis reads leniently when the specs reject it.
 */
public final class KeyProcs {
    /** Adds the keys of {@code args} to {@code out}, with their flags. */
    @FunctionalInterface
    public interface Proc {
        void find(byte[][] args, KeyRefs out);
    }

    private static final Map<String, Proc> PROCS = Map.ofEntries(
            Map.entry("sintercard", counted(0, 1, 2)),
            Map.entry("zintercard", counted(0, 1, 2)),
            Map.entry("zunion", counted(0, 1, 2)),
            Map.entry("zinter", counted(0, 1, 2)),
            Map.entry("zdiff", counted(0, 1, 2)),
            Map.entry("zunionstore", counted(1, 2, 3)),
            Map.entry("zinterstore", counted(1, 2, 3)),
            Map.entry("zdiffstore", counted(1, 2, 3)),
            Map.entry("eval", counted(0, 2, 3)),
            Map.entry("evalsha", counted(0, 2, 3)),
            Map.entry("eval_ro", counted(0, 2, 3)),
            Map.entry("evalsha_ro", counted(0, 2, 3)),
            Map.entry("fcall", counted(0, 2, 3)),
            Map.entry("fcall_ro", counted(0, 2, 3)),
            Map.entry("lmpop", counted(0, 1, 2)),
            Map.entry("zmpop", counted(0, 1, 2)),
            Map.entry("blmpop", counted(0, 2, 3)),
            Map.entry("bzmpop", counted(0, 2, 3)),
            Map.entry("sort", KeyProcs::sort),
            Map.entry("sort_ro", (args, out) -> out.add(1, KeyFlags.RO | KeyFlags.ACCESS)),
            Map.entry("migrate", KeyProcs::migrate),
            Map.entry("georadius", KeyProcs::georadius),
            Map.entry("georadiusbymember", KeyProcs::georadius),
            Map.entry("xread", KeyProcs::xread),
            Map.entry("xreadgroup", KeyProcs::xread),
            Map.entry("set", KeyProcs::set),
            Map.entry("bitfield", KeyProcs::bitfield));

    private KeyProcs() {}

    /** The key finder of the command named {@code fullName}, or null when its key specs are enough. */
    static Proc of(String fullName) {
        return PROCS.get(fullName);
    }

    /**
     * A key count at {@code countAt}, keys from {@code firstAt}, and a destination at {@code storeAt} (0: none).
     * The count is read as C's atoi reads it, and a count that cannot fit gives no keys at all.
     */
    private static Proc counted(int storeAt, int countAt, int firstAt) {
        return (args, out) -> {
            long count = atoi(args[countAt]);
            if (count < 1 || count > args.length - firstAt) {
                return;
            }
            for (int i = 0; i < count; i++) {
                out.add(firstAt + i, 0);
            }
            if (storeAt > 0) {
                out.add(storeAt, 0);
            }
        };
    }

    /** SORT key [BY p] [LIMIT o c] [GET p ...] [ASC|DESC] [ALPHA] [STORE dst]: the last STORE counts. */
    private static void sort(byte[][] args, KeyRefs out) {
        out.add(1, KeyFlags.RO | KeyFlags.ACCESS);
        int store = 0;
        for (int i = 2; i < args.length; i++) {
            if (Args.is(args[i], "limit")) {
                i += 2;
            } else if (Args.is(args[i], "get") || Args.is(args[i], "by")) {
                i += 1;
            } else if (Args.is(args[i], "store") && i + 1 < args.length) {
                store = i + 1;
            }
        }
        if (store > 0) {
            out.add(store, KeyFlags.OW | KeyFlags.UPDATE);
        }
    }

    /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key ...]. */
    private static void migrate(byte[][] args, KeyRefs out) {
        int first = 3;
        int count = 1;
        for (int i = 6; i < args.length; i++) {
            if (Args.is(args[i], "keys")) {
                if (args[3].length > 0) {
                    count = 0; // a key and KEYS together: MIGRATE reports the syntax error
                } else {
                    first = i + 1;
                    count = args.length - first;
                }
                break;
            }
            if (Args.is(args[i], "auth")) {
                i += 1;
            } else if (Args.is(args[i], "auth2")) {
                i += 2;
            }
        }
        for (int i = 0; i < count; i++) {
            out.add(first + i, KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.DELETE);
        }
    }

    /** GEORADIUS and GEORADIUSBYMEMBER: the key, and the last STORE or STOREDIST destination. */
    private static void georadius(byte[][] args, KeyRefs out) {
        int stored = -1;
        for (int i = 5; i < args.length; i++) {
            if ((Args.is(args[i], "store") || Args.is(args[i], "storedist")) && i + 1 < args.length) {
                stored = i + 1;
                i++;
            }
        }
        out.add(1, 0);
        if (stored > 0) {
            out.add(stored, 0);
        }
    }

    /** XREAD and XREADGROUP: the first half of what follows STREAMS, after the options before it. */
    private static void xread(byte[][] args, KeyRefs out) {
        int streams = -1;
        for (int i = 1; i < args.length; i++) {
            if (Args.is(args[i], "block") || Args.is(args[i], "count")) {
                i++;
            } else if (Args.is(args[i], "group")) {
                i += 2;
            } else if (Args.is(args[i], "streams")) {
                streams = i;
                break;
            } else if (!Args.is(args[i], "noack")) {
                break;
            }
        }
        int rest = streams < 0 ? 0 : args.length - streams - 1;
        if (rest == 0 || rest % 2 != 0) {
            return;
        }
        for (int i = streams + 1; i < args.length - rest / 2; i++) {
            out.add(i, 0);
        }
    }

    /** SET reads the old value only with GET. */
    private static void set(byte[][] args, KeyRefs out) {
        for (int i = 3; i < args.length; i++) {
            if (Args.is(args[i], "get")) {
                out.add(1, KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.UPDATE);
                return;
            }
        }
        out.add(1, KeyFlags.OW | KeyFlags.UPDATE);
    }

    /** BITFIELD only reads when every operation is a GET (OVERFLOW aside). */
    private static void bitfield(byte[][] args, KeyRefs out) {
        boolean readOnly = true;
        for (int i = 2; i < args.length; i++) {
            int remaining = args.length - i - 1;
            if (Args.is(args[i], "get") && remaining >= 2) {
                i += 2;
            } else if ((Args.is(args[i], "set") || Args.is(args[i], "incrby")) && remaining >= 3) {
                readOnly = false;
                break;
            } else if (Args.is(args[i], "overflow") && remaining >= 1) {
                i += 1;
            } else {
                readOnly = false;
                break;
            }
        }
        out.add(1, readOnly ? KeyFlags.RO | KeyFlags.ACCESS : KeyFlags.RW | KeyFlags.ACCESS | KeyFlags.UPDATE);
    }

    /** C's atoi: leading blanks, an optional sign, then digits up to the first non-digit; 0 when none. */
    static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        long n = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && n < Integer.MAX_VALUE) {
            n = n * 10 + (s[i++] - '0');
        }
        return negative ? -n : n;
    }
}
