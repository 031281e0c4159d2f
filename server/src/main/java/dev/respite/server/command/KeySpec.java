package dev.respite.server.command;

/**
 * Where one group of a command's keys is in its arguments, as Redis 7 describes it: a search for where the
 * keys begin (a fixed index, or the argument after a keyword) and a rule for how many follow (a range, or a
 * count given by an argument), with flags saying how the keys are used.
 */
public record KeySpec(String notes, int flags, BeginSearch begin, FindKeys find) {

    /** Where the search for the keys starts. */
    public sealed interface BeginSearch permits Index, Keyword, UnknownBegin {}

    /** The keys begin at argument {@code index}. */
    public record Index(int index) implements BeginSearch {}

    /**
     * The keys begin after {@code keyword}, searched from argument {@code startFrom} onwards (from the end
     * backwards when negative).
     */
    public record Keyword(String keyword, int startFrom, String lowerCase) implements BeginSearch {
        static Keyword of(String keyword, int startFrom) {
            return new Keyword(keyword, startFrom, keyword.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Only the command's own parsing knows where (SORT's BY and STORE). */
    public record UnknownBegin() implements BeginSearch {}

    /** How many keys follow the beginning. */
    public sealed interface FindKeys permits Range, KeyNum, UnknownFind {}

    /**
     * Keys up to {@code lastKey} relative to the first (negative: counted from the end), every
     * {@code keyStep}; with a {@code limit}, only the 1/limit part of the remaining arguments (XREAD STREAMS).
     */
    public record Range(int lastKey, int keyStep, int limit) implements FindKeys {}

    /** The number of keys is the argument at {@code keyNumIdx}; the keys start {@code firstKey} after the beginning. */
    public record KeyNum(int keyNumIdx, int firstKey, int keyStep) implements FindKeys {}

    /** Only the command's own parsing knows how many. */
    public record UnknownFind() implements FindKeys {}

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * The (first, last, step) triple COMMAND INFO still reports for clients older than key specs, derived from
     * the specs as Redis derives it: the consecutive plain ranges at fixed indexes, or zeros.
     */
    static int[] legacyRange(KeySpec[] specs) {
        if (specs.length == 0) {
            return new int[] {0, 0, 0};
        }
        if (specs.length == 1 && specs[0].begin instanceof Index i && specs[0].find instanceof Range r) {
            return new int[] {i.index(), r.lastKey() < 0 ? r.lastKey() : i.index() + r.lastKey(), r.keyStep()};
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        int previousLast = 0;
        for (KeySpec s : specs) {
            if (!(s.begin instanceof Index i) || !(s.find instanceof Range r)) {
                continue;
            }
            if (r.keyStep() != 1 || (previousLast != 0 && previousLast != i.index() - 1)) {
                continue;
            }
            first = Math.min(first, i.index());
            int absoluteLast = r.lastKey() >= 0 ? r.lastKey() + i.index() : r.lastKey();
            // Redis compares these unsigned, so a count from the end (negative) wins over any index.
            last = Integer.compareUnsigned(last, absoluteLast) >= 0 ? last : absoluteLast;
            previousLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new int[] {0, 0, 0};
        }
        return new int[] {first, last, 1};
    }
}
