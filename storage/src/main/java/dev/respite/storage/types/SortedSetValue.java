package dev.respite.storage.types;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The value of a Redis ZSET key. Small sets are a {@code listpack}: one flat byte array of
 * (member, score) entries sorted by score then member bytes (unsigned). A set converts, once and for
 * good, to {@code skiplist} (a skip list with rank spans plus a member table) when an insert would
 * exceed zset-max-listpack-entries or the member is longer than zset-max-listpack-value.
 *
 * <p>Scores are doubles, never NaN; -0.0 and 0.0 compare equal. Ranks are 0-based. Range methods
 * stream (member, score) pairs to an {@link EntryConsumer} and return how many they passed. Member
 * arrays given to {@link #add} are kept by reference and arrays handed to consumers may be the stored
 * ones: neither side may modify them. Not thread-safe; do not modify the value from inside a consumer.
 */
public final class SortedSetValue extends AccountedValue {
    /** ZADD NX: only add new members. */
    public static final int NX = 1;
    /** ZADD XX: only update existing members. */
    public static final int XX = 1 << 1;
    /** ZADD GT: only update when the new score is greater (new members are still added). */
    public static final int GT = 1 << 2;
    /** ZADD LT: only update when the new score is less (new members are still added). */
    public static final int LT = 1 << 3;
    /** ZADD INCR / ZINCRBY: the score is an increment. */
    public static final int INCR = 1 << 4;

    /** What {@link #add} did. */
    public enum AddResult {
        /** The member was new and was added. */
        ADDED,
        /** The member existed and its score changed. */
        UPDATED,
        /** The member existed and already had that score. */
        UNCHANGED,
        /** NX, XX, GT or LT prevented the operation. */
        NOT_PERFORMED,
        /** The score (or the incremented score) is NaN; nothing changed ("resulting score is not a number"). */
        NAN
    }

    /** Receives one (member, score) pair. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(byte[] member, double score);
    }

    private static final long EMPTY = -1L;

    private final EncodingLimits limits;
    // MemberListpack encoding while pack is non-null; otherwise list and dict hold the same nodes.
    private MemberListpack pack = new MemberListpack(Double.BYTES);
    private SkipList list;
    private ByteKeyTable<SkipList.Node> dict;
    private final Consumer<SkipList.Node> forget = node -> dict.remove(node.key);
    private double scoreAfterAdd = Double.NaN;

    /** An empty sorted set reading its thresholds from {@code limits} at every write. */
    public SortedSetValue(EncodingLimits limits) {
        this.limits = limits;
    }

    public int size() {
        return pack != null ? pack.count() : list.length();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** OBJECT ENCODING name: "listpack" or "skiplist". */
    public String encoding() {
        return pack != null ? "listpack" : "skiplist";
    }

    /** The member's score, or NaN when absent (allocation-free form of {@link #score}). */
    public double scoreOrNaN(byte[] member) {
        if (pack != null) {
            int off = pack.find(member);
            return off < 0 ? Double.NaN : pack.score(off);
        }
        SkipList.Node node = dict.get(member);
        return node == null ? Double.NaN : node.score;
    }

    /** The member's score, or null when absent. */
    public Double score(byte[] member) {
        double score = scoreOrNaN(member);
        return Double.isNaN(score) ? null : score;
    }

    public boolean contains(byte[] member) {
        return !Double.isNaN(scoreOrNaN(member));
    }

    /**
     * ZADD/ZINCRBY for one member. {@code flags} combines {@link #NX}, {@link #XX}, {@link #GT},
     * {@link #LT} and {@link #INCR}; rejecting invalid combinations (NX with XX, GT or LT; GT with LT;
     * INCR with several members) is the caller's job. CH is the caller's count of ADDED plus UPDATED.
     * After the call {@link #scoreAfterAdd()} holds the member's resulting score, which is what
     * ZADD INCR and ZINCRBY reply with (nil when NOT_PERFORMED).
     */
    public AddResult add(byte[] member, double score, int flags) {
        if (Double.isNaN(score)) {
            return AddResult.NAN;
        }
        if (pack != null) {
            int off = pack.find(member);
            if (off >= 0) {
                double current = pack.score(off);
                AddResult result = decideUpdate(current, score, flags);
                if (result == AddResult.UPDATED) {
                    // Removing then inserting keeps the entries sorted without a special move.
                    pack.remove(off);
                    insertIntoPack(member, scoreAfterAdd);
                }
                return result;
            }
        } else {
            SkipList.Node node = dict.get(member);
            if (node != null) {
                AddResult result = decideUpdate(node.score, score, flags);
                if (result == AddResult.UPDATED) {
                    list.updateScore(node, scoreAfterAdd);
                }
                return result;
            }
        }
        if ((flags & XX) != 0) {
            scoreAfterAdd = Double.NaN;
            return AddResult.NOT_PERFORMED;
        }
        if (pack != null
                && (pack.count() + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) {
            convertToSkipList();
        }
        if (pack != null) {
            insertIntoPack(member, score);
        } else {
            dict.insert(list.insert(member, score));
        }
        scoreAfterAdd = score;
        return AddResult.ADDED;
    }

    /** Applies Redis's zsetAdd rules to an existing member, leaving the resulting score in scoreAfterAdd. */
    private AddResult decideUpdate(double current, double score, int flags) {
        scoreAfterAdd = current;
        if ((flags & NX) != 0) {
            return AddResult.NOT_PERFORMED;
        }
        double target = (flags & INCR) != 0 ? current + score : score;
        if (Double.isNaN(target)) {
            return AddResult.NAN;
        }
        if (((flags & LT) != 0 && target >= current) || ((flags & GT) != 0 && target <= current)) {
            return AddResult.NOT_PERFORMED;
        }
        if (target == current) {
            return AddResult.UNCHANGED;
        }
        scoreAfterAdd = target;
        return AddResult.UPDATED;
    }

    /** The member's score after the last {@link #add}; NaN if it was not added (XX on a missing member) or the result was NaN. */
    public double scoreAfterAdd() {
        return scoreAfterAdd;
    }

    private void insertIntoPack(byte[] member, double packedScore) {
        // Redis's listpack keeps scores as text that turns -0 into the integer 0; its skiplist keeps -0.
        double score = packedScore + 0.0;
        int off = 0;
        for (; off < pack.end(); off = pack.next(off)) {
            double s = pack.score(off);
            if (s > score || (s == score && pack.compareMember(off, member) > 0)) {
                break;
            }
        }
        pack.insert(off, member, score);
    }

    /**
     * Moves a listpack-encoded set to the skiplist encoding, as Redis's SORT (and SORT_RO) does to every sorted
     * set it reads; the skiplist keeps a score of -0 that the listpack stores as 0.
     */
    public void convertForSort() {
        if (pack != null) {
            convertToSkipList();
        }
    }

    private void convertToSkipList() {
        SkipList newList = new SkipList();
        ByteKeyTable<SkipList.Node> newDict = new ByteKeyTable<>();
        for (int off = 0; off < pack.end(); off = pack.next(off)) {
            newDict.insert(newList.insert(pack.member(off), pack.score(off)));
        }
        list = newList;
        dict = newDict;
        pack = null;
    }

    /** ZREM of one member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (pack != null) {
            int off = pack.find(member);
            if (off < 0) {
                return false;
            }
            pack.remove(off);
            return true;
        }
        SkipList.Node node = dict.remove(member);
        if (node == null) {
            return false;
        }
        list.delete(node);
        return true;
    }

    /** ZRANK/ZREVRANK: 0-based rank in ascending (or, when reverse, descending) order, or -1 when absent. */
    public long rank(byte[] member, boolean reverse) {
        int rank = -1;
        if (pack != null) {
            int index = 0;
            for (int off = 0; off < pack.end(); off = pack.next(off), index++) {
                if (pack.memberEquals(off, member)) {
                    rank = index;
                    break;
                }
            }
        } else {
            SkipList.Node node = dict.get(member);
            if (node != null) {
                rank = list.rankOf(node) - 1;
            }
        }
        return rank < 0 || !reverse ? rank : size() - 1 - rank;
    }

    /**
     * ZRANGE by index: {@code start} and {@code stop} are inclusive, negative counts from the end, out
     * of range ends are clamped as Redis does. When reverse, indexes count from the highest score and
     * entries come highest first.
     */
    public int rangeByRank(long start, long stop, boolean reverse, EntryConsumer out) {
        long range = rankRange(start, stop);
        if (range == EMPTY) {
            return 0;
        }
        int n = size();
        int lo = reverse ? n - 1 - high(range) : low(range);
        int hi = reverse ? n - 1 - low(range) : high(range);
        emitRanks(lo, hi, reverse, out);
        return hi - lo + 1;
    }

    /**
     * ZRANGEBYSCORE / ZRANGE BYSCORE: members with min (exclusive when minExclusive) &le; score &le; max.
     * Bounds are given low then high even when reverse (ZREVRANGEBYSCORE's "max min" must be swapped by
     * the caller); reverse yields highest first and applies offset from that end. LIMIT: a negative
     * offset yields nothing, a negative count means no limit.
     */
    public int rangeByScore(
            double min,
            boolean minExclusive,
            double max,
            boolean maxExclusive,
            boolean reverse,
            long offset,
            long count,
            EntryConsumer out) {
        return emitWindow(scoreRange(min, minExclusive, max, maxExclusive), reverse, offset, count, out);
    }

    /**
     * Entries with {@code min <= score < maxExclusive}, lowest first: one descent to the first, then a walk
     * (GEOSEARCH scans nine such ranges per search; ranks, which rangeByScore needs, cost two more descents).
     */
    public void forEachInScoreRange(double min, double maxExclusive, EntryConsumer out) {
        if (pack != null) {
            for (int off = 0; off < pack.end(); off = pack.next(off)) {
                double s = pack.score(off);
                if (s >= maxExclusive) {
                    return;
                }
                if (s >= min) {
                    out.accept(pack.member(off), s);
                }
            }
            return;
        }
        for (SkipList.Node n = list.firstScoreAtLeast(min); n != null && n.score < maxExclusive; n = n.next) {
            out.accept(n.key, n.score);
        }
    }

    /** ZRANGEBYLEX / ZRANGE BYLEX, with the same conventions as {@link #rangeByScore}; meaningful when all scores are equal. */
    public int rangeByLex(LexBound min, LexBound max, boolean reverse, long offset, long count, EntryConsumer out) {
        return emitWindow(lexRange(min, max), reverse, offset, count, out);
    }

    /** ZCOUNT: O(log n) in the skiplist encoding. */
    public long count(double min, boolean minExclusive, double max, boolean maxExclusive) {
        return width(scoreRange(min, minExclusive, max, maxExclusive));
    }

    /** ZLEXCOUNT: O(log n) in the skiplist encoding. */
    public long lexCount(LexBound min, LexBound max) {
        return width(lexRange(min, max));
    }

    /** ZREMRANGEBYRANK with Redis's index rules; returns how many were removed. */
    public int removeRangeByRank(long start, long stop) {
        return removeRange(rankRange(start, stop));
    }

    /** ZREMRANGEBYSCORE; returns how many were removed. */
    public int removeRangeByScore(double min, boolean minExclusive, double max, boolean maxExclusive) {
        return removeRange(scoreRange(min, minExclusive, max, maxExclusive));
    }

    /** ZREMRANGEBYLEX; returns how many were removed. */
    public int removeRangeByLex(LexBound min, LexBound max) {
        return removeRange(lexRange(min, max));
    }

    /** ZPOPMIN: removes up to {@code count} lowest entries, passing them lowest first. */
    public int popMin(long count, EntryConsumer out) {
        int take = (int) Math.min(Math.max(count, 0), size());
        if (take == 0) {
            return 0;
        }
        emitRanks(0, take - 1, false, out);
        removeRanks(0, take - 1);
        return take;
    }

    /** ZPOPMAX: removes up to {@code count} highest entries, passing them highest first. */
    public int popMax(long count, EntryConsumer out) {
        int n = size();
        int take = (int) Math.min(Math.max(count, 0), n);
        if (take == 0) {
            return 0;
        }
        emitRanks(n - take, n - 1, true, out);
        removeRanks(n - take, n - 1);
        return take;
    }

    /**
     * ZRANDMEMBER with a count: for a positive count, {@code min(count, size)} distinct entries; for a
     * negative count, exactly {@code -count} entries drawn independently (repeats possible).
     *
     * @return the number of entries passed to {@code out}
     */
    public long randomMembers(long count, RandomGenerator random, EntryConsumer out) {
        int n = size();
        if (n == 0 || count == 0) {
            return 0;
        }
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                int r = random.nextInt(n);
                emitRanks(r, r, false, out);
            }
            return -count;
        }
        if (count >= n) {
            forEach(out);
            return n;
        }
        int wanted = (int) count;
        if (pack != null || wanted * 3L > n) {
            // Selection sampling in order: each entry kept with probability wanted/remaining.
            int[] state = {wanted, n};
            forEach((member, score) -> {
                if (state[0] > 0 && random.nextInt(state[1]) < state[0]) {
                    out.accept(member, score);
                    state[0]--;
                }
                state[1]--;
            });
            return count;
        }
        // Few entries from a large set: random draws, skipping repeats (under 1.5 draws per entry).
        Set<SkipList.Node> seen = Collections.newSetFromMap(new IdentityHashMap<>(wanted * 2));
        while (seen.size() < wanted) {
            SkipList.Node node = dict.random(random);
            if (seen.add(node)) {
                out.accept(node.key, node.score);
            }
        }
        return count;
    }

    /** A uniformly random member, or null when empty (ZRANDMEMBER without count). */
    public byte[] randomMember(RandomGenerator random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        if (pack != null) {
            return pack.member(pack.offsetOf(random.nextInt(n)));
        }
        return dict.random(random).key;
    }

    /** Passes every entry in ascending (score, member) order. */
    public void forEach(EntryConsumer out) {
        if (pack != null) {
            for (int off = 0; off < pack.end(); off = pack.next(off)) {
                out.accept(pack.member(off), pack.score(off));
            }
        } else {
            for (SkipList.Node node = list.first(); node != null; node = node.next) {
                out.accept(node.key, node.score);
            }
        }
    }

    /**
     * One ZSCAN step. The listpack encoding returns every entry and cursor 0 whatever the cursor; the
     * skiplist encoding walks its member table like SSCAN does (see {@link SetValue#scan}), so every
     * entry present for the whole scan is returned at least once even across resizes.
     *
     * @return the next cursor (unsigned 64-bit), 0 when complete
     */
    public long scan(long cursor, int count, EntryConsumer out) {
        if (pack != null) {
            forEach(out);
            return 0;
        }
        int[] emitted = {0};
        Consumer<SkipList.Node> emit = node -> {
            emitted[0]++;
            out.accept(node.key, node.score);
        };
        long budget = Math.max(1, count) * 10L;
        do {
            cursor = dict.scanStep(cursor, emit);
        } while (cursor != 0 && --budget > 0 && emitted[0] < count);
        return cursor;
    }

    /** Estimated heap bytes held by this value (MEMORY USAGE), excluding the key. */
    public long memoryUsage() {
        long header = 40 + 40;
        if (pack != null) {
            return header + 24 + ByteStrings.arrayBytes(pack.capacity());
        }
        // Skip list object with its scratch arrays, then per node: object, forward and span arrays at the
        // mean level of 4/3.
        return header + 320 + dict.memoryUsage(48 + 2 * 24);
    }

    private static long pack(int lo, int hi) {
        return ((long) lo << 32) | (hi & 0xFFFFFFFFL);
    }

    private static int low(long range) {
        return (int) (range >>> 32);
    }

    private static int high(long range) {
        return (int) range;
    }

    private static long width(long range) {
        return range == EMPTY ? 0 : high(range) - low(range) + 1;
    }

    /** Clamps Redis start/stop indexes to a 0-based inclusive rank range, or EMPTY. */
    private long rankRange(long start, long stop) {
        int n = size();
        if (start < 0) {
            start += n;
        }
        if (stop < 0) {
            stop += n;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= n) {
            return EMPTY;
        }
        if (stop >= n) {
            stop = n - 1;
        }
        return pack((int) start, (int) stop);
    }

    private long scoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        int lo = countScoreBelow(min, minExclusive);
        int hi = countScoreBelow(max, !maxExclusive) - 1;
        return lo > hi ? EMPTY : pack(lo, hi);
    }

    private long lexRange(LexBound min, LexBound max) {
        int n = size();
        if (n == 0 || !endsReach(min, max)) {
            return EMPTY;
        }
        int lo = min.infinity() < 0 ? 0 : min.infinity() > 0 ? n : countMemberBelow(min.member(), !min.isInclusive());
        int upTo = max.infinity() > 0 ? n : max.infinity() < 0 ? 0 : countMemberBelow(max.member(), max.isInclusive());
        return lo > upTo - 1 ? EMPTY : pack(lo, upTo - 1);
    }

    /**
     * Redis answers an empty lex range unless the last member is not below min and the first is not above
     * max (zslIsInLexRange); with unequal scores the members are not in lex order and this decides.
     */
    private boolean endsReach(LexBound min, LexBound max) {
        byte[][] ends = new byte[2][];
        emitRanks(0, 0, false, (member, score) -> ends[0] = member);
        emitRanks(size() - 1, size() - 1, false, (member, score) -> ends[1] = member);
        boolean lastReachesMin = min.infinity() < 0
                || (min.infinity() == 0
                        && Arrays.compareUnsigned(ends[1], min.member()) >= (min.isInclusive() ? 0 : 1));
        boolean firstWithinMax = max.infinity() > 0
                || (max.infinity() == 0
                        && Arrays.compareUnsigned(ends[0], max.member()) <= (max.isInclusive() ? 0 : -1));
        return lastReachesMin && firstWithinMax;
    }

    /** Entries with score below the bound (or equal, when inclusive); they are a prefix of the order. */
    private int countScoreBelow(double bound, boolean inclusive) {
        if (pack == null) {
            return list.countScoreBelow(bound, inclusive);
        }
        int count = 0;
        for (int off = 0; off < pack.end(); off = pack.next(off), count++) {
            double s = pack.score(off);
            if (inclusive ? s > bound : s >= bound) {
                break;
            }
        }
        return count;
    }

    /** Leading entries whose member sorts before the bound (or equal, when inclusive). */
    private int countMemberBelow(byte[] bound, boolean inclusive) {
        if (pack == null) {
            return list.countMemberBelow(bound, inclusive);
        }
        int count = 0;
        for (int off = 0; off < pack.end(); off = pack.next(off), count++) {
            int c = pack.compareMember(off, bound);
            if (c > 0 || (c == 0 && !inclusive)) {
                break;
            }
        }
        return count;
    }

    private int emitWindow(long range, boolean reverse, long offset, long count, EntryConsumer out) {
        if (range == EMPTY || offset < 0 || count == 0) {
            return 0;
        }
        int lo = low(range);
        int hi = high(range);
        long available = hi - lo + 1 - offset;
        if (available <= 0) {
            return 0;
        }
        int take = (int) (count < 0 ? available : Math.min(count, available));
        if (reverse) {
            emitRanks(hi - (int) offset - take + 1, hi - (int) offset, true, out);
        } else {
            emitRanks(lo + (int) offset, lo + (int) offset + take - 1, false, out);
        }
        return take;
    }

    /** Passes entries at 0-based ranks lo..hi, ascending or (reverse) descending. */
    private void emitRanks(int lo, int hi, boolean reverse, EntryConsumer out) {
        if (pack != null) {
            int off = pack.offsetOf(reverse ? hi : lo);
            for (int i = lo; i <= hi; i++) {
                out.accept(pack.member(off), pack.score(off));
                if (i < hi) {
                    off = reverse ? pack.prev(off) : pack.next(off);
                }
            }
            return;
        }
        SkipList.Node node = list.byRank((reverse ? hi : lo) + 1);
        for (int i = lo; i <= hi; i++) {
            out.accept(node.key, node.score);
            node = reverse ? node.backward : node.next;
        }
    }

    private int removeRange(long range) {
        if (range == EMPTY) {
            return 0;
        }
        removeRanks(low(range), high(range));
        return high(range) - low(range) + 1;
    }

    private void removeRanks(int lo, int hi) {
        if (pack != null) {
            int from = pack.offsetOf(lo);
            int to = from;
            for (int i = lo; i <= hi; i++) {
                to = pack.next(to);
            }
            pack.removeRange(from, to, hi - lo + 1);
        } else {
            list.deleteRankRange(lo + 1, hi + 1, forget);
        }
    }
}
