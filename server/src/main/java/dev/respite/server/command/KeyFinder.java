package dev.respite.server.command;

/**
 * The one place that says which arguments of a command are keys, and how each is used: ACL key checks,
 * COMMAND GETKEYS and GETKEYSANDFLAGS, the snapshot's copy-before-write and keyspace hit counting all ask
 * it. It follows Redis 7's rules: the key specs when they are complete and their flags fixed, otherwise
 * the command's own key finder ({@link KeyProcs}).
 */
public final class KeyFinder {
    private KeyFinder() {}

    /**
     * Fills {@code out} with the keys of {@code args} (args[0] being the command name) for {@code spec} and
     * returns how many there are; none when the arguments are malformed, which the command reports itself.
     */
    public static int find(CommandSpec spec, byte[][] args, KeyRefs out) {
        out.clear();
        if (spec.keySpecsReliable() && fromSpecs(spec, args, out)) {
            return out.size();
        }
        out.clear();
        KeyProcs.Proc proc = spec.keyProc();
        if (proc != null) {
            proc.find(args, out);
        }
        return out.size();
    }

    /** Whether the key specs alone found the keys; false when one is unknown, incomplete or malformed. */
    private static boolean fromSpecs(CommandSpec spec, byte[][] args, KeyRefs out) {
        int argc = args.length;
        for (KeySpec s : spec.keySpecs()) {
            if (s.has(KeyFlags.NOT_KEY)) {
                continue;
            }
            int first;
            if (s.begin() instanceof KeySpec.Index i) {
                first = i.index();
            } else if (s.begin() instanceof KeySpec.Keyword k) {
                first = afterKeyword(args, k);
                if (first == 0) {
                    continue;
                }
            } else {
                return false;
            }
            int last;
            int step;
            if (s.find() instanceof KeySpec.Range r) {
                step = r.keyStep();
                if (r.lastKey() >= 0) {
                    last = first + r.lastKey();
                } else if (r.limit() == 0) {
                    last = argc + r.lastKey();
                } else {
                    last = first + ((argc - first) / r.limit() + r.lastKey());
                }
            } else if (s.find() instanceof KeySpec.KeyNum n) {
                step = n.keyStep();
                int countAt = first + n.keyNumIdx();
                if (countAt >= argc) {
                    return false;
                }
                long count = strictCount(args[countAt]);
                if (count < 0) {
                    return false;
                }
                first += n.firstKey();
                last = (int) Math.min(Integer.MAX_VALUE, first + count - 1);
            } else {
                return false;
            }
            if (last >= argc || last < first || first >= argc) {
                return false;
            }
            for (int i = first; i <= last; i += step) {
                out.add(i, s.flags());
            }
            if (s.has(KeyFlags.INCOMPLETE)) {
                return false;
            }
        }
        return true;
    }

    /** The position after the keyword's first occurrence in the search direction, or 0 when it is absent. */
    private static int afterKeyword(byte[][] args, KeySpec.Keyword k) {
        int argc = args.length;
        int start = k.startFrom() > 0 ? k.startFrom() : argc + k.startFrom();
        int end = k.startFrom() > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) {
                break;
            }
            if (Args.is(args[i], k.lowerCase())) {
                return i + 1;
            }
        }
        return 0;
    }

    /** A key count as a strict non-negative integer, or -1. */
    private static long strictCount(byte[] arg) {
        try {
            long n = Args.toLong(arg);
            return n < 0 ? -1 : n;
        } catch (CommandError e) {
            return -1;
        }
    }
}
