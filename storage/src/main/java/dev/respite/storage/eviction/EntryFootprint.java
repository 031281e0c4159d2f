package dev.respite.storage.eviction;

import dev.respite.storage.Entry;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.StreamValue;

/**
 * Estimated heap bytes one key costs: its {@link Entry}, the key array, the value and, with a TTL, its
 * expiry registration. Every term is O(1) so the estimate can be refreshed after each change (the value
 * types keep running totals of what they hold).
 */
public final class EntryFootprint {
    /** An Entry object: header, key, hash, value, expireAt, access and chain fields, aligned. */
    static final long ENTRY = 40;
    /** One expiry wheel registration (a node holding the entry and its time). */
    static final long EXPIRY = 32;

    private EntryFootprint() {}

    public static long of(Entry e) {
        return fixed(e) + value(e.value(), false);
    }

    /** The same with the exact value size, walking long lists: MEMORY USAGE. */
    public static long exact(Entry e) {
        return fixed(e) + value(e.value(), true);
    }

    /** What a key costs besides its value: the entry, the key array and any expiry registration. */
    public static long fixed(Entry e) {
        long bytes = ENTRY + array(e.key().length);
        return e.hasExpiry() ? bytes + EXPIRY : bytes;
    }

    /** The estimated bytes of a value alone. */
    public static long value(Object v) {
        return value(v, false);
    }

    private static long value(Object v, boolean exact) {
        if (v instanceof byte[] s) {
            return array(s.length);
        }
        if (v instanceof HashValue h) {
            return h.memoryUsage();
        }
        if (v instanceof ListValue l) {
            return exact ? l.memoryUsage() : l.memoryEstimate();
        }
        if (v instanceof SetValue s) {
            return s.memoryUsage();
        }
        if (v instanceof SortedSetValue z) {
            return z.memoryUsage();
        }
        if (v instanceof StreamValue st) {
            return st.memoryUsage();
        }
        return 0;
    }

    /** A byte array: 16-byte header plus the bytes, aligned to 8. */
    private static long array(int length) {
        return (16L + length + 7) & ~7L;
    }
}
