package dev.respite.storage.types;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The value of a Redis SET key, encoded as Redis 7.2 does: {@code intset} while every member is a
 * canonical 64-bit integer and there are at most set-max-intset-entries of them, {@code listpack} for
 * small sets of short members, {@code hashtable} otherwise. Encodings only ever widen.
 *
 * <p>Members are byte strings. Arrays passed to {@link #add} are kept by reference, and arrays handed
 * out by iteration or callbacks may be the stored ones: neither side may modify them afterwards.
 * Not thread-safe; the value must not be modified while an iterator or callback is running.
 */
public final class SetValue extends AccountedValue implements Iterable<byte[]> {
    private final EncodingLimits limits;
    // Exactly one of the three is non-null and holds the members.
    private IntegerSet ints = new IntegerSet();
    private MemberListpack pack;
    private ByteKeyTable<ByteKeyTable.Entry> table;

    /** An empty set reading its thresholds from {@code limits} at every write. */
    public SetValue(EncodingLimits limits) {
        this.limits = limits;
    }

    public int size() {
        return ints != null ? ints.size() : pack != null ? pack.count() : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** OBJECT ENCODING name: "intset", "listpack" or "hashtable". */
    public String encoding() {
        return ints != null ? "intset" : pack != null ? "listpack" : "hashtable";
    }

    /** Adds the member, converting the encoding when a threshold is crossed; returns whether it was new. */
    public boolean add(byte[] member) {
        if (ints != null) {
            if (ByteStrings.isCanonicalLong(member)) {
                if (!ints.add(ByteStrings.parseCanonicalLong(member))) {
                    return false;
                }
                if (ints.size() > limits.setMaxIntsetEntries) {
                    convertToTable();
                }
                return true;
            }
            if (fitsListpack(member)) {
                convertToListpack();
            } else {
                convertToTable();
            }
        }
        if (pack != null) {
            if (pack.find(member) >= 0) {
                return false;
            }
            if (pack.count() < limits.setMaxListpackEntries && member.length <= limits.setMaxListpackValue) {
                pack.insert(pack.end(), member, 0);
                return true;
            }
            convertToTable();
        }
        if (table.get(member) != null) {
            return false;
        }
        table.insert(new ByteKeyTable.Entry(member));
        return true;
    }

    /** Redis checks the new member and the widest integer already present against the listpack limits. */
    private boolean fitsListpack(byte[] member) {
        int n = ints.size();
        if (n >= limits.setMaxListpackEntries || member.length > limits.setMaxListpackValue) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        int widest = Math.max(ByteStrings.decimalLength(ints.get(0)), ByteStrings.decimalLength(ints.get(n - 1)));
        return widest <= limits.setMaxListpackValue;
    }

    private void convertToListpack() {
        MemberListpack converted = new MemberListpack(0);
        for (int i = 0; i < ints.size(); i++) {
            converted.insert(converted.end(), ByteStrings.toDecimal(ints.get(i)), 0);
        }
        pack = converted;
        ints = null;
    }

    private void convertToTable() {
        ByteKeyTable<ByteKeyTable.Entry> converted = new ByteKeyTable<>();
        for (byte[] member : this) {
            converted.insert(new ByteKeyTable.Entry(member));
        }
        table = converted;
        ints = null;
        pack = null;
    }

    /** Removes the member; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (ints != null) {
            return ByteStrings.isCanonicalLong(member) && ints.remove(ByteStrings.parseCanonicalLong(member));
        }
        if (pack != null) {
            int off = pack.find(member);
            if (off < 0) {
                return false;
            }
            pack.remove(off);
            return true;
        }
        return table.remove(member) != null;
    }

    public boolean contains(byte[] member) {
        if (ints != null) {
            return ByteStrings.isCanonicalLong(member) && ints.contains(ByteStrings.parseCanonicalLong(member));
        }
        if (pack != null) {
            return pack.find(member) >= 0;
        }
        return table.get(member) != null;
    }

    /** Removes every member, keeping the current encoding. */
    public void clear() {
        if (ints != null) {
            ints.clear();
        } else if (pack != null) {
            pack.clear();
        } else {
            table.clear();
        }
    }

    /** Iterates the members: ascending numeric order for intset, insertion order for listpack, unordered otherwise. */
    @Override
    public Iterator<byte[]> iterator() {
        if (ints != null) {
            return new Iterator<>() {
                private int index;

                @Override
                public boolean hasNext() {
                    return index < ints.size();
                }

                @Override
                public byte[] next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ByteStrings.toDecimal(ints.get(index++));
                }
            };
        }
        if (pack != null) {
            return new Iterator<>() {
                private int off;

                @Override
                public boolean hasNext() {
                    return off < pack.end();
                }

                @Override
                public byte[] next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    byte[] member = pack.member(off);
                    off = pack.next(off);
                    return member;
                }
            };
        }
        return new Iterator<>() {
            private ByteKeyTable.Entry entry = table.firstFrom(0);

            @Override
            public boolean hasNext() {
                return entry != null;
            }

            @Override
            public byte[] next() {
                if (entry == null) {
                    throw new NoSuchElementException();
                }
                ByteKeyTable.Entry current = entry;
                entry = current.nextInBucket != null
                        ? current.nextInBucket
                        : table.firstFrom(table.bucketOf(current) + 1);
                return current.key;
            }
        };
    }

    @Override
    public void forEach(Consumer<? super byte[]> action) {
        if (table != null) {
            table.forEach(e -> action.accept(e.key));
        } else {
            Iterable.super.forEach(action);
        }
    }

    /** A uniformly random member, or null when empty (SRANDMEMBER without count). */
    public byte[] randomMember(RandomGenerator random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        if (ints != null) {
            return ByteStrings.toDecimal(ints.get(random.nextInt(n)));
        }
        if (pack != null) {
            return pack.member(pack.offsetOf(random.nextInt(n)));
        }
        return table.random(random).key;
    }

    /**
     * SRANDMEMBER with a count: for a positive count, {@code min(count, size)} distinct members; for a
     * negative count, exactly {@code -count} members drawn independently (repeats possible).
     *
     * @return the number of members passed to {@code out}
     */
    public long randomMembers(long count, RandomGenerator random, Consumer<byte[]> out) {
        int n = size();
        if (n == 0 || count == 0) {
            return 0;
        }
        if (count < 0) {
            long draws = -count;
            for (long i = 0; i < draws; i++) {
                out.accept(randomMember(random));
            }
            return draws;
        }
        if (count >= n) {
            forEach(out);
            return n;
        }
        int wanted = (int) count;
        if (table == null || wanted * 3L > n) {
            // Selection sampling: one pass, each member kept with probability wanted/remaining.
            int remaining = n;
            for (Iterator<byte[]> it = iterator(); wanted > 0; remaining--) {
                byte[] member = it.next();
                if (random.nextInt(remaining) < wanted) {
                    out.accept(member);
                    wanted--;
                }
            }
            return count;
        }
        // Few members from a large table: random draws, skipping repeats (under 1.5 draws per member).
        Set<ByteKeyTable.Entry> seen = Collections.newSetFromMap(new IdentityHashMap<>(wanted * 2));
        while (seen.size() < wanted) {
            ByteKeyTable.Entry entry = table.random(random);
            if (seen.add(entry)) {
                out.accept(entry.key);
            }
        }
        return count;
    }

    /** Removes and returns a uniformly random member, or null when empty (SPOP without count). */
    public byte[] pop(RandomGenerator random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        if (ints != null) {
            int index = random.nextInt(n);
            byte[] member = ByteStrings.toDecimal(ints.get(index));
            ints.removeAt(index);
            return member;
        }
        if (pack != null) {
            int off = pack.offsetOf(random.nextInt(n));
            byte[] member = pack.member(off);
            pack.remove(off);
            return member;
        }
        byte[] member = table.random(random).key;
        table.remove(member);
        return member;
    }

    /**
     * SPOP with a non-negative count: removes {@code min(count, size)} distinct random members and
     * passes each to {@code out}. Popping everything leaves an empty value the caller should delete.
     *
     * @return the number of members removed
     */
    public long pop(long count, RandomGenerator random, Consumer<byte[]> out) {
        int n = size();
        if (count <= 0 || n == 0) {
            return 0;
        }
        if (count >= n) {
            forEach(out);
            clear();
            return n;
        }
        for (long i = 0; i < count; i++) {
            out.accept(pop(random));
        }
        return count;
    }

    /**
     * One SSCAN step. Compact encodings return every member and cursor 0 regardless of the cursor, as
     * Redis does. The hashtable visits buckets until about {@code count} members were emitted (at most
     * 10 * count buckets); every member present for the whole scan is emitted at least once, even if the
     * table resizes between calls, though some may be emitted more than once.
     *
     * @param cursor 0 to start, then the value returned by the previous call (an unsigned 64-bit number)
     * @return the next cursor, 0 when the scan is complete
     */
    public long scan(long cursor, int count, Consumer<byte[]> out) {
        if (table == null) {
            forEach(out);
            return 0;
        }
        int[] emitted = {0};
        Consumer<ByteKeyTable.Entry> emit = e -> {
            emitted[0]++;
            out.accept(e.key);
        };
        long budget = Math.max(1, count) * 10L;
        do {
            cursor = table.scanStep(cursor, emit);
        } while (cursor != 0 && --budget > 0 && emitted[0] < count);
        return cursor;
    }

    /** Estimated heap bytes held by this value (MEMORY USAGE), excluding the key. */
    public long memoryUsage() {
        long header = 40;
        if (ints != null) {
            return header + 24 + ByteStrings.arrayBytes(ints.capacityBytes());
        }
        if (pack != null) {
            return header + 24 + ByteStrings.arrayBytes(pack.capacity());
        }
        return header + 24 + table.memoryUsage(24);
    }
}
