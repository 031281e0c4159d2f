package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.storage.Database;
import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms: the parsed request (source keys, WEIGHTS,
 * AGGREGATE, WITHSCORES, LIMIT) and the computation. Sources may be sorted sets or plain sets, whose
 * members count with score 1, as in Redis.
 */
final class ZSetAggregation {
    enum Operation {
        UNION,
        INTER,
        DIFF
    }

    private static final EncodingLimits SKIPLIST_ONLY = new EncodingLimits();

    static {
        SKIPLIST_ONLY.zsetMaxListpackEntries = 0;
    }

    enum Aggregate {
        SUM,
        MIN,
        MAX
    }

    /** One input: a sorted set, a plain set, or nothing (an absent key, which is empty). */
    private record Source(SortedSetValue zset, SetValue set, double weight) {
        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        void forEach(SortedSetValue.EntryConsumer out) {
            if (zset != null) {
                zset.forEach(out);
            } else if (set != null) {
                set.forEach(member -> out.accept(member, 1.0));
            }
        }

        /** The member's unweighted score, NaN when absent. */
        double scoreOrNaN(byte[] member) {
            if (zset != null) {
                return zset.scoreOrNaN(member);
            }
            return set != null && set.contains(member) ? 1.0 : Double.NaN;
        }
    }

    final Operation op;
    final boolean withScores;
    final long limit;
    private final Source[] sources;
    private final Aggregate aggregate;

    private ZSetAggregation(Operation op, Source[] sources, Aggregate aggregate, boolean withScores, long limit) {
        this.op = op;
        this.sources = sources;
        this.aggregate = aggregate;
        this.withScores = withScores;
        this.limit = limit;
    }

    /**
     * Parses {@code a} from {@code a[numKeysIndex]} (numkeys, keys, options) in Redis's order: the
     * count, then the keys' types, then the options. {@code store} forbids WITHSCORES;
     * {@code cardinality} (ZINTERCARD) allows only LIMIT.
     */
    static ZSetAggregation parse(
            Database db, byte[][] a, int numKeysIndex, Operation op, boolean store, boolean cardinality, String name) {
        long numKeys = Args.toLong(a[numKeysIndex]);
        if (numKeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numKeys > a.length - (numKeysIndex + 1)) {
            throw CommandError.syntax();
        }
        int n = (int) numKeys;
        SortedSetValue[] zsets = new SortedSetValue[n];
        SetValue[] sets = new SetValue[n];
        for (int i = 0; i < n; i++) {
            Object v = db.get(a[numKeysIndex + 1 + i]);
            if (store) {
                // The STORE forms are writes, whose reads the dispatcher does not count: each source is one
                // lookupKeyRead in Redis.
                db.keyspace().countHit(v != null);
            }
            if (v instanceof SortedSetValue z) {
                zsets[i] = z;
            } else if (v instanceof SetValue s) {
                sets[i] = s;
            } else if (v != null) {
                throw CommandError.wrongType();
            }
        }
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numKeysIndex + 1 + n;
        while (j < a.length) {
            int remaining = a.length - j;
            boolean weighted = op != Operation.DIFF && !cardinality;
            if (weighted && remaining >= n + 1 && Args.is(a[j], "weights")) {
                for (int i = 0; i < n; i++) {
                    weights[i] = Doubles.parse(a[j + 1 + i]);
                    if (Double.isNaN(weights[i])) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                }
                j += n + 1;
            } else if (weighted && remaining >= 2 && Args.is(a[j], "aggregate")) {
                byte[] kind = a[j + 1];
                if (Args.is(kind, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Args.is(kind, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Args.is(kind, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw CommandError.syntax();
                }
                j += 2;
            } else if (!store && !cardinality && Args.is(a[j], "withscores")) {
                withScores = true;
                j++;
            } else if (cardinality && remaining >= 2 && Args.is(a[j], "limit")) {
                limit = Args.toLong(a[j + 1], "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
                j += 2;
            } else {
                throw CommandError.syntax();
            }
        }
        Source[] sources = new Source[n];
        for (int i = 0; i < n; i++) {
            sources[i] = new Source(zsets[i], sets[i], weights[i]);
        }
        return new ZSetAggregation(op, sources, aggregate, withScores, limit);
    }

    /**
     * The result as a new sorted set (empty when nothing qualifies). A stored result takes the
     * configured encoding; a replied one is built as Redis builds it, as a skiplist, which keeps -0
     * scores that a listpack would turn into 0.
     */
    SortedSetValue compute(EncodingLimits configured, boolean stored) {
        EncodingLimits limits = stored ? configured : SKIPLIST_ONLY;
        SortedSetValue result = new SortedSetValue(limits);
        switch (op) {
            case UNION -> {
                // Scores are combined in a plain map and inserted once: updating the sorted set in place
                // would treat -0 and 0 as the same score and keep the first.
                Map<ByteBuffer, double[]> totals = new HashMap<>();
                for (Source s : bySize()) {
                    s.forEach((member, score) -> {
                        double weighted = weigh(s.weight, score);
                        double[] total = totals.get(ByteBuffer.wrap(member));
                        if (total == null) {
                            totals.put(ByteBuffer.wrap(member), new double[] {weighted});
                        } else {
                            total[0] = combine(total[0], weighted);
                        }
                    });
                }
                totals.forEach((member, total) -> result.add(member.array(), total[0], 0));
            }
            case INTER -> intersect((member, score) -> result.add(member, score, 0), Long.MAX_VALUE);
            case DIFF ->
                sources[0].forEach((member, score) -> {
                    for (int i = 1; i < sources.length; i++) {
                        if (!Double.isNaN(sources[i].scoreOrNaN(member))) {
                            return;
                        }
                    }
                    result.add(member, score, 0);
                });
        }
        return result;
    }

    /** ZINTERCARD: the size of the intersection, counting no further than LIMIT when one is given. */
    long intersectionSize() {
        long[] count = {0};
        intersect((member, score) -> count[0]++, limit == 0 ? Long.MAX_VALUE : limit);
        return count[0];
    }

    /** Emits the members of every source with their aggregated score; stops after {@code cap} members. */
    private void intersect(SortedSetValue.EntryConsumer out, long cap) {
        Source[] ordered = bySize();
        if (ordered[0].size() == 0) {
            return;
        }
        long[] emitted = {0};
        ordered[0].forEach((member, score) -> {
            if (emitted[0] >= cap) {
                return;
            }
            double total = weigh(ordered[0].weight, score);
            for (int i = 1; i < ordered.length; i++) {
                double other = ordered[i].scoreOrNaN(member);
                if (Double.isNaN(other)) {
                    return;
                }
                // Redis fixes a NaN product (0 * inf) only for the first set; later ones reach the aggregate as NaN.
                total = combine(total, ordered[i].weight * other);
            }
            emitted[0]++;
            out.accept(member, total);
        });
    }

    /** Sources from the smallest, as Redis orders them (it changes which set is walked, not the result). */
    private Source[] bySize() {
        Source[] ordered = sources.clone();
        Arrays.sort(ordered, Comparator.comparingInt(Source::size));
        return ordered;
    }

    /** weight * score, where 0 * inf (NaN) counts as 0 as in Redis. */
    private static double weigh(double weight, double score) {
        double v = weight * score;
        return Double.isNaN(v) ? 0 : v;
    }

    private double combine(double a, double b) {
        return switch (aggregate) {
            case SUM -> {
                double sum = a + b;
                yield Double.isNaN(sum) ? 0 : sum;
            }
            case MIN -> b < a ? b : a;
            case MAX -> b > a ? b : a;
        };
    }
}
