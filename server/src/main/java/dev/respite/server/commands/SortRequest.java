package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import java.util.ArrayList;
import java.util.List;

/** SORT's options as parsed from its SQL-like arguments, with Redis's rules for what is a syntax error. */
final class SortRequest {
    boolean desc;
    boolean alpha;
    boolean dontSort;
    long offset;
    long count = -1;
    SortPattern by;
    byte[] store;
    final List<SortPattern> gets = new ArrayList<>();

    /** {@code readsAnyKey}: whether the user may read every key, which BY (with a pattern) and GET need. */
    static SortRequest parse(byte[][] a, boolean readonly, boolean readsAnyKey) {
        SortRequest req = new SortRequest();
        for (int j = 2; j < a.length; j++) {
            int left = a.length - j - 1;
            if (Args.is(a[j], "asc")) {
                req.desc = false;
            } else if (Args.is(a[j], "desc")) {
                req.desc = true;
            } else if (Args.is(a[j], "alpha")) {
                req.alpha = true;
            } else if (Args.is(a[j], "limit") && left >= 2) {
                req.offset = Args.toLong(a[j + 1]);
                req.count = Args.toLong(a[j + 2]);
                j += 2;
            } else if (!readonly && Args.is(a[j], "store") && left >= 1) {
                req.store = a[++j];
            } else if (Args.is(a[j], "by") && left >= 1) {
                byte[] pattern = a[++j];
                // BY a constant weighs every element the same: Redis then skips sorting altogether.
                req.dontSort = !SortPattern.substitutes(pattern);
                if (!req.dontSort && !readsAnyKey) {
                    throw new CommandError("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
                req.by = new SortPattern(pattern);
            } else if (Args.is(a[j], "get") && left >= 1) {
                if (!readsAnyKey) {
                    throw new CommandError("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                req.gets.add(new SortPattern(a[++j]));
            } else {
                throw CommandError.syntax();
            }
        }
        return req;
    }
}
