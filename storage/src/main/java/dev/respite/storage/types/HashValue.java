package dev.respite.storage.types;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The value of a Redis HASH key: a map from byte-string fields to byte-string values.
 *
 * <p>Starts in the compact "listpack" encoding (one flat {@code byte[]} of alternating field and value
 * entries in insertion order, searched linearly) and converts, once and for good as Redis does, to the
 * "hashtable" encoding when a write leaves more than {@link EncodingLimits#hashMaxListpackEntries} fields
 * or writes a field or value longer than {@link EncodingLimits#hashMaxListpackValue} bytes. The limits
 * object is kept and read at every write, so configuration changes apply to the next write.
 *
 * <p>Ownership: arrays passed to {@link #put} and {@link #putIfAbsent} may be stored as they are and must
 * not be modified afterwards; arrays returned by {@link #get} may be the stored ones and must be treated
 * as read-only. Not thread-safe.
 */
public final class HashValue extends Listpack {
    /** {@link #encoding()} of the compact form. */
    public static final String LISTPACK = "listpack";
    /** {@link #encoding()} of the hash-table form. */
    public static final String HASHTABLE = "hashtable";
    /** Picks between two questions to the stop condition of {@link #randomEntries}: cheap, yet prompt. */
    public static final int STOP_CHECK_INTERVAL = 1024;

    private final EncodingLimits limits;
    /**
     * Non-null exactly once converted. Until then the entries of the inherited {@link Listpack} are the
     * fields and values alternating; after conversion it is empty and unused.
     */
    private ChainedHashTable table;

    /** Creates an empty listpack-encoded hash governed by {@code limits}. */
    public HashValue(EncodingLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Number of fields (HLEN). */
    public int size() {
        return table == null ? count() / 2 : table.size();
    }

    /** Whether there are no fields; the command layer deletes the key then. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** "listpack" or "hashtable", as reported by OBJECT ENCODING. */
    public String encoding() {
        return table == null ? LISTPACK : HASHTABLE;
    }

    /** The value of {@code field}, or null if absent (HGET, HMGET). */
    public byte[] get(byte[] field) {
        if (table == null) {
            int p = findField(field);
            return p < 0 ? null : copy(next(p));
        }
        int s = table.find(field);
        return s < 0 ? null : table.value(s);
    }

    /** Whether {@code field} is present (HEXISTS). */
    public boolean contains(byte[] field) {
        return table == null ? findField(field) >= 0 : table.find(field) >= 0;
    }

    /** Length in bytes of the value of {@code field}, or -1 if absent (HSTRLEN replies 0 for that). */
    public int valueLength(byte[] field) {
        if (table == null) {
            int p = findField(field);
            return p < 0 ? -1 : length(next(p));
        }
        int s = table.find(field);
        return s < 0 ? -1 : table.value(s).length;
    }

    /**
     * Sets {@code field} to {@code value} (HSET, HMSET, HINCRBY...); returns true if the field is new.
     * Converts to "hashtable" if either length exceeds hash-max-listpack-value (checked first, even when
     * the field exists, as Redis does) or the field count then exceeds hash-max-listpack-entries.
     */
    public boolean put(byte[] field, byte[] value) {
        convertIfTooLong(field, value);
        if (table != null) {
            return table.put(field, value);
        }
        boolean added;
        int p = findField(field);
        if (p >= 0) {
            int v = next(p);
            reserve(Math.max(0, entrySize(value.length) - entrySize(length(v))));
            replace(v, value);
            added = false;
        } else {
            reserve(entrySize(field.length) + entrySize(value.length));
            append(field);
            append(value);
            added = true;
        }
        convertIfTooMany();
        return added;
    }

    /**
     * Sets the field-value pairs {@code args[from], args[from + 1], ...} in order, as repeated {@link #put}
     * calls would (HSET with several pairs), and returns how many fields were new. While listpack-encoded,
     * the array is grown once for the whole batch and trimmed afterwards (fields that already existed leave
     * room unused). Single writes grow it by exactly what they add: a small hash is usually written once and
     * then kept, so its listpack carries no slack beyond the array's 8-byte alignment.
     */
    public int putAll(byte[][] args, int from) {
        int pairs = (args.length - from) / 2;
        if (table == null && pairs > 1 && count() / 2 + pairs <= limits.hashMaxListpackEntries) {
            long extra = 0;
            for (int i = from; i < from + 2 * pairs; i++) {
                extra += entrySize(args[i].length);
            }
            reserve(extra);
        }
        int added = 0;
        for (int i = from; i + 1 < args.length; i += 2) {
            if (put(args[i], args[i + 1])) {
                added++;
            }
        }
        if (table == null) {
            trim();
        }
        return added;
    }

    /**
     * Sets {@code field} only if it is absent (HSETNX); returns whether it was set. The length check that
     * may convert the encoding happens before the existence check, as in Redis.
     */
    public boolean putIfAbsent(byte[] field, byte[] value) {
        convertIfTooLong(field, value);
        if (table != null) {
            return table.putIfAbsent(field, value);
        }
        if (findField(field) >= 0) {
            return false;
        }
        reserve(entrySize(field.length) + entrySize(value.length));
        append(field);
        append(value);
        convertIfTooMany();
        return true;
    }

    /** Removes {@code field} (HDEL); returns whether it was present. Never converts back to listpack. */
    public boolean remove(byte[] field) {
        if (table != null) {
            return table.remove(field);
        }
        int p = findField(field);
        if (p < 0) {
            return false;
        }
        deleteRange(p, next(next(p)), 2);
        return true;
    }

    /**
     * Passes every pair to {@code consumer} (HGETALL, HKEYS, HVALS): insertion order while listpack-encoded,
     * unspecified order once a hash table.
     */
    public void forEach(FieldValueConsumer consumer) {
        if (table == null) {
            byte[] b = array();
            for (int p = 0; p < end(); ) {
                int v = next(p);
                int fl = length(p);
                int vl = length(v);
                consumer.accept(b, dataOffset(p), fl, b, dataOffset(v), vl);
                p = next(v);
            }
            return;
        }
        for (int s = 0; s < table.size(); s++) {
            emitSlot(s, consumer);
        }
    }

    /**
     * One incremental step of HSCAN. Pass 0 to start and then each returned cursor until 0 is returned.
     * While listpack-encoded everything is returned in one call with cursor 0 (as Redis does). As a hash
     * table, about {@code count} pairs are returned per call, and every pair present for the whole iteration
     * is returned at least once even if the table is resized between calls; pairs may be repeated.
     * MATCH/NOVALUES filtering is left to the consumer.
     *
     * @param count the COUNT hint, at least 1
     * @return the cursor to pass next, 0 when the iteration is complete
     */
    public long scan(long cursor, int count, FieldValueConsumer consumer) {
        if (table == null) {
            forEach(consumer);
            return 0;
        }
        return table.scan(cursor, count, consumer);
    }

    /** A uniformly chosen field, or null if empty (HRANDFIELD without count). */
    public byte[] randomField(RandomGenerator random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        int i = random.nextInt(n);
        if (table == null) {
            int p = 0;
            for (int k = 0; k < i; k++) {
                p = next(next(p));
            }
            return copy(p);
        }
        return table.field(i);
    }

    /**
     * HRANDFIELD with a count. For {@code count >= 0}, up to {@code count} distinct pairs: all of them (in
     * iteration order) when {@code count >= size()}, otherwise a uniform random subset in random order. For
     * {@code count < 0}, exactly {@code -count} independently chosen pairs, possibly repeated. The command
     * layer is expected to have rejected counts whose magnitude Redis considers out of range.
     *
     * @return the number of pairs passed to {@code consumer}
     */
    public long randomEntries(long count, RandomGenerator random, FieldValueConsumer consumer) {
        return randomEntries(count, random, consumer, () -> false);
    }

    /**
     * As {@link #randomEntries(long, RandomGenerator, FieldValueConsumer)}; a negative count (picks with
     * repetition, as many as asked) also asks {@code stop} every {@link #STOP_CHECK_INTERVAL} picks and ends
     * early when it says so (the client's output went over its limit).
     */
    public long randomEntries(
            long count, RandomGenerator random, FieldValueConsumer consumer, java.util.function.BooleanSupplier stop) {
        int n = size();
        if (n == 0 || count == 0) {
            return 0;
        }
        if (count >= n) {
            forEach(consumer);
            return n;
        }
        int[] offsets = table == null ? pairOffsets() : null;
        if (count < 0) {
            long picks = -count;
            for (long k = 0; k < picks; k++) {
                if (k % STOP_CHECK_INTERVAL == 0 && k > 0 && stop.getAsBoolean()) {
                    return k;
                }
                emitIndex(random.nextInt(n), offsets, consumer);
            }
            return picks;
        }
        int picks = (int) count;
        if (picks * 3L <= n) {
            // sparse pick: rejection sampling on a bitmap is cheaper than materialising every index
            long[] chosen = new long[(n + 63) >>> 6];
            for (int k = 0; k < picks; ) {
                int i = random.nextInt(n);
                if ((chosen[i >>> 6] & (1L << i)) == 0) {
                    chosen[i >>> 6] |= 1L << i;
                    emitIndex(i, offsets, consumer);
                    k++;
                }
            }
        } else {
            // dense pick: a partial Fisher-Yates shuffle needs no retries
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int k = 0; k < picks; k++) {
                int j = k + random.nextInt(n - k);
                int t = order[j];
                order[j] = order[k];
                order[k] = t;
                emitIndex(t, offsets, consumer);
            }
        }
        return picks;
    }

    /** Estimated heap bytes held by this value (MEMORY USAGE), computed without sampling. */
    public long memoryUsage() {
        // inherited buf, used and count, then limits and table
        long self = Footprint.object(3 * Footprint.REFERENCE + 2 * Integer.BYTES + Long.BYTES);
        return self + (table == null ? arrayMemoryUsage() : table.memoryUsage());
    }

    /** Offset of the field entry equal to {@code field}, or -1; steps over value entries without comparing them. */
    private int findField(byte[] field) {
        for (int p = 0; p < end(); p = next(next(p))) {
            if (matches(p, field)) {
                return p;
            }
        }
        return -1;
    }

    /** Offsets of each pair's field entry, so repeated random picks do not rewalk the listpack. */
    private int[] pairOffsets() {
        int[] offsets = new int[size()];
        int p = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = p;
            p = next(next(p));
        }
        return offsets;
    }

    private void emitIndex(int index, int[] offsets, FieldValueConsumer consumer) {
        if (offsets == null) {
            emitSlot(index, consumer);
            return;
        }
        int p = offsets[index];
        int v = next(p);
        byte[] b = array();
        consumer.accept(b, dataOffset(p), length(p), b, dataOffset(v), length(v));
    }

    private void emitSlot(int slot, FieldValueConsumer consumer) {
        byte[] f = table.field(slot);
        byte[] v = table.value(slot);
        consumer.accept(f, 0, f.length, v, 0, v.length);
    }

    private void convertIfTooLong(byte[] field, byte[] value) {
        int max = limits.hashMaxListpackValue;
        if (table == null && (field.length > max || value.length > max)) {
            convert();
        }
    }

    private void convertIfTooMany() {
        if (count() / 2 > limits.hashMaxListpackEntries) {
            convert();
        }
    }

    private void convert() {
        ChainedHashTable t = new ChainedHashTable(count() / 2);
        for (int p = 0; p < end(); ) {
            int v = next(p);
            t.put(copy(p), copy(v));
            p = next(v);
        }
        table = t;
        clear();
    }
}
