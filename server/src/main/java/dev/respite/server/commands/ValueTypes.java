package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.StreamValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one place that names value classes as Redis does: TYPE's type names and OBJECT ENCODING's encodings.
 * A new value type is one line in {@link #KINDS}.
 */
public final class ValueTypes {
    private record Kind(
            Class<?> type,
            String name,
            Function<Object, String> encoding,
            BiFunction<Object, EncodingLimits, Object> copy) {}

    private static final List<Kind> KINDS = List.of(
            new Kind(HashValue.class, "hash", v -> ((HashValue) v).encoding(), (v, l) -> copyHash((HashValue) v, l)),
            new Kind(ListValue.class, "list", v -> ((ListValue) v).encoding(), (v, l) -> copyList((ListValue) v, l)),
            new Kind(SetValue.class, "set", v -> ((SetValue) v).encoding(), (v, l) -> copySet((SetValue) v, l)),
            new Kind(
                    SortedSetValue.class,
                    "zset",
                    v -> ((SortedSetValue) v).encoding(),
                    (v, l) -> copySortedSet((SortedSetValue) v, l)),
            new Kind(
                    StreamValue.class,
                    "stream",
                    v -> ((StreamValue) v).encoding(),
                    (v, l) -> ((StreamValue) v).copy(l)));

    /** Redis stores strings up to this length in one allocation with their object ("embstr"). */
    private static final int EMBSTR_LIMIT = 44;

    /**
     * Strings of embstr size that Redis would hold "raw" because they were modified in place (APPEND,
     * SETRANGE, SETBIT). Only such values are remembered, weakly and by identity (arrays do not override
     * equals), so nothing is stored per key otherwise.
     */
    private static final Map<byte[], Boolean> MODIFIED_IN_PLACE = new WeakHashMap<>();

    private ValueTypes() {}

    public static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "string";
        }
        return kindOf(v).name;
    }

    public static String encoding(Object v) {
        if (v instanceof byte[] s) {
            if (s.length <= 20 && Args.isLong(s)) {
                return MODIFIED_IN_PLACE.containsKey(s) ? "raw" : "int";
            }
            return s.length > EMBSTR_LIMIT || MODIFIED_IN_PLACE.containsKey(s) ? "raw" : "embstr";
        }
        return kindOf(v).encoding.apply(v);
    }

    /** An independent copy of a value (COPY): changing one never shows in the other. */
    public static Object copy(Object v, EncodingLimits limits) {
        if (v instanceof byte[] s) {
            return s.clone();
        }
        return kindOf(v).copy.apply(v, limits);
    }

    /** Records that a string value was produced by an in-place change, which Redis leaves "raw". */
    public static byte[] modifiedInPlace(byte[] s) {
        if (s.length <= EMBSTR_LIMIT) {
            MODIFIED_IN_PLACE.put(s, Boolean.TRUE);
        }
        return s;
    }

    private static Kind kindOf(Object v) {
        for (Kind k : KINDS) {
            if (k.type.isInstance(v)) {
                return k;
            }
        }
        throw new IllegalStateException("unknown value class " + v.getClass());
    }

    private static HashValue copyHash(HashValue h, EncodingLimits limits) {
        HashValue out = new HashValue(limits);
        h.forEach((f, fo, fl, v, vo, vl) ->
                out.put(Arrays.copyOfRange(f, fo, fo + fl), Arrays.copyOfRange(v, vo, vo + vl)));
        return out;
    }

    private static SetValue copySet(SetValue s, EncodingLimits limits) {
        SetValue out = new SetValue(limits);
        s.forEach(m -> out.add(m.clone()));
        return out;
    }

    private static SortedSetValue copySortedSet(SortedSetValue z, EncodingLimits limits) {
        SortedSetValue out = new SortedSetValue(limits);
        z.forEach((m, score) -> out.add(m.clone(), score, 0));
        return out;
    }

    private static ListValue copyList(ListValue l, EncodingLimits limits) {
        ListValue out = new ListValue(limits);
        l.iterator().forEachRemaining(out::pushTail);
        return out;
    }
}
