package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.BlockingTimeout;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.commands.ZSetAggregation.Operation;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.LexBound;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.SortedSetValue.AddResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The sorted-set family: members ordered by a double score, stored as {@link SortedSetValue}. */
public final class SortedSetCommands {
    private static final byte[] ZREM = "ZREM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);
    private static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
    private static final String LOG_N =
            "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";

    private enum RangeType {
        RANK,
        SCORE,
        LEX
    }

    private final DataContext server;
    // Only the keyspace thread draws from it, so an unsynchronized generator is enough.
    private final SplittableRandom random = new SplittableRandom();

    public SortedSetCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("zadd", this::zadd);
        t.bind("zincrby", this::zincrby);
        t.bind("zrem", this::zrem);
        t.bind("zcard", this::zcard);
        t.bind("zcount", this::zcount);
        t.bind("zlexcount", this::zlexcount);
        t.bind("zscore", this::zscore);
        t.bind("zmscore", this::zmscore);
        t.bind("zrank", (c, a) -> zrank(c, a, false));
        t.bind("zrevrank", (c, a) -> zrank(c, a, true));
        t.bind("zrange", (c, a) -> range(c, a, 1, null, null, null));
        t.bind("zrangestore", (c, a) -> range(c, a, 2, a[1], null, null));
        t.bind("zrevrange", (c, a) -> range(c, a, 1, null, RangeType.RANK, true));
        t.bind("zrangebyscore", (c, a) -> range(c, a, 1, null, RangeType.SCORE, false));
        t.bind("zrevrangebyscore", (c, a) -> range(c, a, 1, null, RangeType.SCORE, true));
        t.bind("zrangebylex", (c, a) -> range(c, a, 1, null, RangeType.LEX, false));
        t.bind("zrevrangebylex", (c, a) -> range(c, a, 1, null, RangeType.LEX, true));
        t.bind("zremrangebyrank", (c, a) -> removeRange(c, a, RangeType.RANK));
        t.bind("zremrangebyscore", (c, a) -> removeRange(c, a, RangeType.SCORE));
        t.bind("zremrangebylex", (c, a) -> removeRange(c, a, RangeType.LEX));
        t.bind("zpopmin", (c, a) -> zpop(c, a, false));
        t.bind("zpopmax", (c, a) -> zpop(c, a, true));
        t.bind("bzpopmin", (c, a) -> bzpop(c, a, false));
        t.bind("bzpopmax", (c, a) -> bzpop(c, a, true));
        t.bind("zmpop", (c, a) -> zmpop(c, a, 1));
        t.bind("bzmpop", (c, a) -> zmpop(c, a, 2));
        t.bind("zrandmember", this::zrandmember);
        t.bind("zunion", (c, a) -> aggregate(c, a, "zunion", Operation.UNION, false, false));
        t.bind("zunionstore", (c, a) -> aggregate(c, a, "zunionstore", Operation.UNION, true, false));
        t.bind("zinter", (c, a) -> aggregate(c, a, "zinter", Operation.INTER, false, false));
        t.bind("zinterstore", (c, a) -> aggregate(c, a, "zinterstore", Operation.INTER, true, false));
        t.bind("zintercard", (c, a) -> aggregate(c, a, "zintercard", Operation.INTER, false, true));
        t.bind("zdiff", (c, a) -> aggregate(c, a, "zdiff", Operation.DIFF, false, false));
        t.bind("zdiffstore", (c, a) -> aggregate(c, a, "zdiffstore", Operation.DIFF, true, false));
        t.bind("zscan", this::zscan);
    }

    /** {@link DataContext#removed} for members that left a sorted set, each member counted as a change. */
    private void removed(Database db, byte[] key, SortedSetValue z, long count, String event) {
        if (count > 0) {
            server.removed(db, key, z.isEmpty(), KeyspaceEvents.ZSET, event);
            server.keyspace().addDirty(count);
        }
    }

    /** {@link DataContext#storeOrDelete} for a sorted set result; {@code event} is the command's name. */
    private void store(Database db, byte[] destination, SortedSetValue result, String event) {
        if (server.storeOrDelete(db, destination, result, result.isEmpty(), KeyspaceEvents.ZSET, event)) {
            server.keyspace().addDirty(1);
        }
        if (!result.isEmpty()) {
            // The stored set may serve a client blocked on the destination (BZPOPMIN, BZMPOP).
            server.blocking().signalKeyReady(db, destination);
        }
    }

    /** ZADD; GEOADD runs it with the scores it computed. */
    void zadd(Client c, byte[][] a) {
        int flags = 0;
        boolean ch = false;
        int i = 2;
        for (; i < a.length; i++) {
            byte[] opt = a[i];
            if (Args.is(opt, "nx")) {
                flags |= SortedSetValue.NX;
            } else if (Args.is(opt, "xx")) {
                flags |= SortedSetValue.XX;
            } else if (Args.is(opt, "gt")) {
                flags |= SortedSetValue.GT;
            } else if (Args.is(opt, "lt")) {
                flags |= SortedSetValue.LT;
            } else if (Args.is(opt, "ch")) {
                ch = true;
            } else if (Args.is(opt, "incr")) {
                flags |= SortedSetValue.INCR;
            } else {
                break;
            }
        }
        int pairs = a.length - i;
        if (pairs == 0 || pairs % 2 != 0) {
            throw CommandError.syntax();
        }
        pairs /= 2;
        boolean nx = (flags & SortedSetValue.NX) != 0;
        boolean gt = (flags & SortedSetValue.GT) != 0;
        boolean lt = (flags & SortedSetValue.LT) != 0;
        boolean incr = (flags & SortedSetValue.INCR) != 0;
        if (nx && (flags & SortedSetValue.XX) != 0) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            scores[p] = parseScore(a[i + 2 * p]);
        }
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[1], SortedSetValue.class);
        if (z == null && (flags & SortedSetValue.XX) != 0) {
            if (incr) {
                c.reply().nullBulk();
            } else {
                c.reply().integer(0);
            }
            return;
        }
        long added = 0;
        long updated = 0;
        double lastScore = Double.NaN;
        boolean created = z == null;
        if (created) {
            z = new SortedSetValue(server.keyspace().limits());
        }
        CommandError failure = null;
        for (int p = 0; p < pairs; p++) {
            AddResult result = z.add(a[i + 2 * p + 1], scores[p], flags);
            if (result == AddResult.NAN) {
                failure = new CommandError(NAN_RESULT);
                break;
            }
            if (result == AddResult.ADDED) {
                added++;
            } else if (result == AddResult.UPDATED) {
                updated++;
            }
            lastScore = result == AddResult.NOT_PERFORMED ? Double.NaN : z.scoreAfterAdd();
        }
        changed(db, a[1], z, created, added + updated, incr ? "zincr" : "zadd");
        if (failure != null) {
            throw failure;
        }
        if (!incr) {
            c.reply().integer(ch ? added + updated : added);
        } else if (Double.isNaN(lastScore)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(Doubles.format(lastScore));
        }
    }

    /** Records a ZADD/ZINCRBY: adds a new key, or reports the change, and wakes clients blocked on it. */
    private void changed(Database db, byte[] key, SortedSetValue z, boolean created, long changes, String event) {
        if (created) {
            if (z.isEmpty()) {
                return;
            }
            db.add(key, z);
        } else if (changes > 0) {
            db.signalModified(key);
        }
        if (changes > 0) {
            server.keyspace().addDirty(changes);
            server.notifier().notify(KeyspaceEvents.ZSET, event, db, key);
            server.blocking().signalKeyReady(db, key);
        }
    }

    private static double parseScore(byte[] arg) {
        double v = Doubles.parse(arg);
        if (Double.isNaN(v)) {
            throw CommandError.notFloat();
        }
        return v;
    }

    private static boolean isZaddFlag(byte[] arg) {
        return Args.is(arg, "nx")
                || Args.is(arg, "xx")
                || Args.is(arg, "ch")
                || Args.is(arg, "incr")
                || Args.is(arg, "gt")
                || Args.is(arg, "lt");
    }

    private void zincrby(Client c, byte[][] a) {
        // Redis runs ZINCRBY through ZADD's parser: a ZADD flag where the increment goes leaves an odd
        // number of score/member words, a syntax error.
        if (isZaddFlag(a[2])) {
            throw CommandError.syntax();
        }
        double increment = parseScore(a[2]);
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[1], SortedSetValue.class);
        boolean created = z == null;
        if (created) {
            z = new SortedSetValue(server.keyspace().limits());
        }
        AddResult result = z.add(a[3], increment, SortedSetValue.INCR);
        if (result == AddResult.NAN) {
            throw new CommandError(NAN_RESULT);
        }
        changed(db, a[1], z, created, result == AddResult.UNCHANGED ? 0 : 1, "zincr");
        c.reply().doubleValue(Doubles.format(z.scoreAfterAdd()));
    }

    private void zrem(Client c, byte[][] a) {
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[1], SortedSetValue.class);
        long count = 0;
        if (z != null) {
            for (int i = 2; i < a.length && !z.isEmpty(); i++) {
                if (z.remove(a[i])) {
                    count++;
                }
            }
            removed(db, a[1], z, count, "zrem");
        }
        c.reply().integer(count);
    }

    private void zcard(Client c, byte[][] a) {
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        c.reply().integer(z == null ? 0 : z.size());
    }

    private void zcount(Client c, byte[][] a) {
        ScoreRange range = ScoreRange.parse(a[2], a[3]);
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        c.reply()
                .integer(z == null ? 0 : z.count(range.min(), range.minExclusive(), range.max(), range.maxExclusive()));
    }

    private void zlexcount(Client c, byte[][] a) {
        LexBound min = ScoreRange.lex(a[2]);
        LexBound max = ScoreRange.lex(a[3]);
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        c.reply().integer(z == null ? 0 : z.lexCount(min, max));
    }

    private void zscore(Client c, byte[][] a) {
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        replyScore(c.reply(), z == null ? Double.NaN : z.scoreOrNaN(a[2]));
    }

    private static void replyScore(RespWriter r, double score) {
        if (Double.isNaN(score)) {
            r.nullBulk();
        } else {
            r.doubleValue(Doubles.format(score));
        }
    }

    private void zmscore(Client c, byte[][] a) {
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            replyScore(r, z == null ? Double.NaN : z.scoreOrNaN(a[i]));
        }
    }

    private void zrank(Client c, byte[][] a, boolean reverse) {
        if (a.length > 4) {
            throw CommandError.wrongArity(reverse ? "zrevrank" : "zrank");
        }
        boolean withScore = a.length == 4;
        if (withScore && !Args.is(a[3], "withscore")) {
            throw CommandError.syntax();
        }
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        RespWriter r = c.reply();
        long rank = z == null ? -1 : z.rank(a[2], reverse);
        if (rank < 0) {
            if (withScore) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
        } else if (withScore) {
            r.array(2);
            r.integer(rank);
            r.doubleValue(Doubles.format(z.scoreOrNaN(a[2])));
        } else {
            r.integer(rank);
        }
    }

    /**
     * ZRANGE and every ranged read, as Redis's zrangeGenericCommand: {@code a[keyIndex]} is the source,
     * the next two the bounds; {@code type} and {@code reverse} are fixed by the legacy commands and
     * null when ZRANGE/ZRANGESTORE take them from BYSCORE, BYLEX and REV. A non-null
     * {@code destination} stores the result instead of replying with it.
     */
    private void range(
            Client c, byte[][] a, int keyIndex, byte[] destination, RangeType fixedType, Boolean fixedReverse) {
        boolean store = destination != null;
        RangeType type = fixedType;
        Boolean reverse = fixedReverse;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < a.length; j++) {
            int left = a.length - j - 1;
            if (!store && Args.is(a[j], "withscores")) {
                withScores = true;
            } else if (Args.is(a[j], "limit") && left >= 2) {
                offset = Args.toLong(a[j + 1]);
                limit = Args.toLong(a[j + 2]);
                j += 2;
            } else if (fixedReverse == null && reverse == null && Args.is(a[j], "rev")) {
                reverse = true;
            } else if (fixedType == null && type == null && Args.is(a[j], "bylex")) {
                type = RangeType.LEX;
            } else if (fixedType == null && type == null && Args.is(a[j], "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw CommandError.syntax();
            }
        }
        boolean rev = reverse != null && reverse;
        if (type == null) {
            type = RangeType.RANK;
        }
        if (limit != -1 && type == RangeType.RANK) {
            throw new CommandError(
                    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        // Reverse score and lex ranges are written max first.
        byte[] low = a[keyIndex + (rev && type != RangeType.RANK ? 2 : 1)];
        byte[] high = a[keyIndex + (rev && type != RangeType.RANK ? 1 : 2)];
        long start = 0;
        long stop = 0;
        ScoreRange scores = null;
        LexBound lexMin = null;
        LexBound lexMax = null;
        switch (type) {
            case RANK -> {
                start = Args.toLong(low);
                stop = Args.toLong(high);
            }
            case SCORE -> scores = ScoreRange.parse(low, high);
            case LEX -> {
                lexMin = LexBound.parse(low);
                lexMax = LexBound.parse(high);
                if (lexMin == null || lexMax == null) {
                    throw new CommandError(ScoreRange.NOT_A_LEX_ITEM);
                }
            }
        }
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[keyIndex], SortedSetValue.class);
        if (store) {
            // ZRANGESTORE is a write, so the dispatcher does not count its read of the source.
            server.keyspace().countHit(z != null);
        }
        ScoredEntries entries = new ScoredEntries();
        if (z != null) {
            switch (type) {
                case RANK -> z.rangeByRank(start, stop, rev, entries);
                case SCORE ->
                    z.rangeByScore(
                            scores.min(),
                            scores.minExclusive(),
                            scores.max(),
                            scores.maxExclusive(),
                            rev,
                            offset,
                            limit,
                            entries);
                case LEX -> z.rangeByLex(lexMin, lexMax, rev, offset, limit, entries);
            }
        }
        if (!store) {
            entries.reply(c.reply(), withScores);
            return;
        }
        SortedSetValue result = new SortedSetValue(server.keyspace().limits());
        for (int i = 0; i < entries.size(); i++) {
            result.add(entries.member(i), entries.score(i), 0);
        }
        store(db, destination, result, "zrangestore");
        c.reply().integer(entries.size());
    }

    private void removeRange(Client c, byte[][] a, RangeType type) {
        long start = 0;
        long stop = 0;
        ScoreRange scores = null;
        LexBound lexMin = null;
        LexBound lexMax = null;
        switch (type) {
            case RANK -> {
                start = Args.toLong(a[2]);
                stop = Args.toLong(a[3]);
            }
            case SCORE -> scores = ScoreRange.parse(a[2], a[3]);
            case LEX -> {
                lexMin = LexBound.parse(a[2]);
                lexMax = LexBound.parse(a[3]);
                if (lexMin == null || lexMax == null) {
                    throw new CommandError(ScoreRange.NOT_A_LEX_ITEM);
                }
            }
        }
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[1], SortedSetValue.class);
        long count = 0;
        if (z != null) {
            count = switch (type) {
                case RANK -> z.removeRangeByRank(start, stop);
                case SCORE ->
                    z.removeRangeByScore(scores.min(), scores.minExclusive(), scores.max(), scores.maxExclusive());
                case LEX -> z.removeRangeByLex(lexMin, lexMax);
            };
            String event = switch (type) {
                case RANK -> "zremrangebyrank";
                case SCORE -> "zremrangebyscore";
                case LEX -> "zremrangebylex";
            };
            removed(db, a[1], z, count, event);
        }
        c.reply().integer(count);
    }

    /**
     * Pops up to {@code count} entries from the low or high end and deletes the key if it empties. The log
     * gets ZREM of the popped members, or for a blocking pop ZPOPMIN/ZPOPMAX with the number popped, as
     * Redis 7 propagates those (the same whether served at once or after parking).
     */
    private ScoredEntries pop(Client c, byte[] key, SortedSetValue z, boolean max, long count, boolean blocking) {
        ScoredEntries entries = new ScoredEntries();
        if (max) {
            z.popMax(count, entries);
        } else {
            z.popMin(count, entries);
        }
        removed(c.db(), key, z, entries.size(), max ? "zpopmax" : "zpopmin");
        if (blocking) {
            c.propagate(new byte[][] {max ? ZPOPMAX : ZPOPMIN, key, IntegerText.of(entries.size())});
        } else {
            byte[][] zrem = new byte[entries.size() + 2][];
            zrem[0] = ZREM;
            zrem[1] = key;
            for (int i = 0; i < entries.size(); i++) {
                zrem[i + 2] = entries.member(i);
            }
            c.propagate(zrem);
        }
        return entries;
    }

    private void zpop(Client c, byte[][] a, boolean max) {
        if (a.length > 3) {
            throw CommandError.syntax();
        }
        boolean counted = a.length == 3;
        long count = counted ? SetCommands.positiveCount(a[2]) : 1;
        Database db = c.db();
        SortedSetValue z = TypeChecked.get(db, a[1], SortedSetValue.class);
        RespWriter r = c.reply();
        if (z == null || count == 0) {
            r.array(0);
            return;
        }
        ScoredEntries entries = pop(c, a[1], z, max, count, false);
        boolean nested = counted && r.protocol() == 3;
        r.array(nested ? entries.size() : entries.size() * 2L);
        entries.writePairs(r, 0, entries.size(), nested);
    }

    private void bzpop(Client c, byte[][] a, boolean max) {
        long timeout = BlockingTimeout.millis(a[a.length - 1]);
        byte[][] keys = Arrays.copyOfRange(a, 1, a.length - 1);
        Database db = c.db();
        for (byte[] key : keys) {
            SortedSetValue z = TypeChecked.get(db, key, SortedSetValue.class);
            if (z != null && !z.isEmpty()) {
                ScoredEntries entries = pop(c, key, z, max, 1, true);
                RespWriter r = c.reply();
                r.array(3);
                r.bulk(key);
                entries.writePairs(r, 0, 1, false);
                return;
            }
        }
        server.blocking()
                .blockFor(
                        SortedSetValue.class,
                        c,
                        db,
                        keys,
                        timeout,
                        a,
                        client -> client.reply().nullArray());
    }

    /** ZMPOP (numkeys at a[1]) and BZMPOP (timeout at a[1], numkeys at a[2]). */
    private void zmpop(Client c, byte[][] a, int numKeysIndex) {
        MultiPop p = MultiPop.parse(a, numKeysIndex, "min", "max");
        boolean max = !p.head();
        long popCount = p.count();
        boolean blocking = numKeysIndex == 2;
        long timeout = blocking ? BlockingTimeout.millis(a[1]) : 0;
        byte[][] keys = p.keys();
        Database db = c.db();
        for (byte[] key : keys) {
            SortedSetValue z = TypeChecked.get(db, key, SortedSetValue.class);
            if (z != null && !z.isEmpty()) {
                ScoredEntries entries = pop(c, key, z, max, popCount, blocking);
                RespWriter r = c.reply();
                r.array(2);
                r.bulk(key);
                r.array(entries.size());
                entries.writePairs(r, 0, entries.size(), true);
                return;
            }
        }
        if (blocking) {
            server.blocking()
                    .blockFor(
                            SortedSetValue.class,
                            c,
                            db,
                            keys,
                            timeout,
                            a,
                            client -> client.reply().nullArray());
        } else {
            c.reply().nullArray();
        }
    }

    private void zrandmember(Client c, byte[][] a) {
        RespWriter r = c.reply();
        if (a.length == 2) {
            SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
            r.bulk(z == null ? null : z.randomMember(random));
            return;
        }
        long count = Args.toLongInRange(a[2], -Long.MAX_VALUE, Long.MAX_VALUE);
        boolean withScores = false;
        if (a.length > 4 || (a.length == 4 && !Args.is(a[3], "withscores"))) {
            throw CommandError.syntax();
        }
        if (a.length == 4) {
            withScores = true;
            // Redis refuses counts whose doubled reply length would overflow.
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                throw new CommandError("ERR value is out of range");
            }
        }
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        if (z == null || count == 0) {
            r.array(0);
            return;
        }
        long n = count < 0 ? -count : Math.min(count, z.size());
        boolean nested = withScores && r.protocol() == 3;
        r.array(withScores && !nested ? n * 2 : n);
        boolean scores = withScores;
        z.randomMembers(count, random, (member, score) -> {
            if (nested) {
                r.array(2);
            }
            r.bulk(member);
            if (scores) {
                r.doubleValue(Doubles.format(score));
            }
        });
    }

    private void aggregate(Client c, byte[][] a, String name, Operation op, boolean store, boolean cardinality) {
        Database db = c.db();
        ZSetAggregation request = ZSetAggregation.parse(db, a, store ? 2 : 1, op, store, cardinality, name);
        if (cardinality) {
            c.reply().integer(request.intersectionSize());
            return;
        }
        SortedSetValue result = request.compute(server.keyspace().limits(), store);
        if (store) {
            store(db, a[1], result, name);
            c.reply().integer(result.size());
            return;
        }
        ScoredEntries entries = new ScoredEntries();
        result.forEach(entries);
        entries.reply(c.reply(), request.withScores);
    }

    private void zscan(Client c, byte[][] a) {
        long cursor = ScanRequest.parseCursor(a[2]);
        SortedSetValue z = TypeChecked.get(c.db(), a[1], SortedSetValue.class);
        if (z == null) {
            ScanRequest.emptyPage(c.reply());
            return;
        }
        RespWriter r = c.reply();
        ScanRequest request = ScanRequest.parse(cursor, a, 3);
        ScoredEntries found = new ScoredEntries();
        long next = z.scan(request.cursor, request.count, (member, score) -> {
            if (request.matches(member)) {
                found.accept(member, score);
            }
        });
        r.array(2);
        r.bulk(ScanRequest.cursorText(next));
        r.array(found.size() * 2L);
        for (int i = 0; i < found.size(); i++) {
            r.bulk(found.member(i));
            r.bulk(Doubles.formatBytes(found.score(i)));
        }
    }
}
