package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.storage.types.StreamId;
import dev.respite.storage.types.StreamValue;

/**
 * The options XADD and XTRIM share: MAXLEN or MINID with {@code =} or {@code ~}, LIMIT, and for XADD
 * NOMKSTREAM and the ID. Parsed with Redis's checks in Redis's order, including its error texts.
 */
final class StreamTrimArgs {
    enum Strategy {
        NONE,
        MAXLEN,
        MINID
    }

    Strategy strategy = Strategy.NONE;
    boolean approx;
    long maxLen;
    StreamId minId;
    long limit;
    /** Index of the MAXLEN/MINID value argument, rewritten for the append-only file after "~". */
    int valueIndex;

    boolean noMkStream;
    /** XADD: index of the ID argument. */
    int idIndex;

    StreamIds.Explicit id;

    /**
     * Parses {@code a} from index 2. {@code obeyAll} (a replayed log) skips the LIMIT checks and limits,
     * as Redis does for its master and AOF clients.
     */
    static StreamTrimArgs parse(byte[][] a, boolean xadd, boolean obeyAll, long nodeMaxEntries) {
        StreamTrimArgs t = new StreamTrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < a.length; i++) {
            int more = a.length - 1 - i;
            byte[] opt = a[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (Args.is(opt, "maxlen") && more > 0) {
                t.exclusive();
                i = t.approxMarker(a, i, more);
                long v = Args.toLong(a[i + 1]);
                if (v < 0) {
                    throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                }
                t.maxLen = v;
                i++;
                t.strategy = Strategy.MAXLEN;
                t.valueIndex = i;
            } else if (Args.is(opt, "minid") && more > 0) {
                t.exclusive();
                i = t.approxMarker(a, i, more);
                t.minId = StreamIds.parseStrict(a[i + 1], 0);
                i++;
                t.strategy = Strategy.MINID;
                t.valueIndex = i;
            } else if (Args.is(opt, "limit") && more > 0) {
                t.limit = Args.toLong(a[i + 1]);
                if (t.limit < 0) {
                    throw new CommandError("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                t.noMkStream = true;
            } else if (xadd) {
                t.id = StreamIds.parseForAdd(opt);
                break;
            } else {
                throw CommandError.syntax();
            }
        }
        t.idIndex = i;
        if (t.limit != 0 && t.strategy == Strategy.NONE) {
            throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && t.strategy == Strategy.NONE) {
            throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (obeyAll) {
            t.limit = 0;
        } else if (limitGiven) {
            if (!t.approx) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (t.approx) {
            // Bounds the work of one trim to about a hundred nodes, as Redis does.
            t.limit = 100 * nodeMaxEntries;
            if (t.limit <= 0 || t.limit > 1_000_000) {
                t.limit = t.limit <= 0 ? 10000 : 1_000_000;
            }
        } else {
            t.limit = 0;
        }
        return t;
    }

    private void exclusive() {
        if (strategy != Strategy.NONE) {
            throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        approx = false;
    }

    private int approxMarker(byte[][] a, int i, int more) {
        byte[] next = a[i + 1];
        if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
            approx = next[0] == '~';
            return i + 1;
        }
        return i;
    }

    /** Applies the trim; returns how many entries went. */
    long apply(StreamValue s) {
        return switch (strategy) {
            case NONE -> 0;
            case MAXLEN -> s.trimToLength(maxLen, approx, limit);
            case MINID -> s.trimToMinId(minId, approx, limit);
        };
    }
}
