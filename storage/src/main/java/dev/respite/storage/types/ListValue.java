package dev.respite.storage.types;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * The value of a Redis LIST key: a sequence of byte strings.
 *
 * <p>Two encodings, as in Redis 7.2. "listpack": a single flat {@code byte[]} of entries. "quicklist": a
 * doubly linked list of listpack nodes, each bounded by {@link EncodingLimits#listMaxListpackSize}
 * (positive: at most that many entries and, like Redis's safety limit, at most 8 KB; -1..-5: at most 4, 8,
 * 16, 32 or 64 KB). A write that would take the listpack past one node's limit converts it to a
 * quicklist whose first node is the old listpack; a shrinking write (pop, LREM, LTRIM, LSET) that leaves a
 * quicklist with a single node within half the limit converts it back. An element too large for any
 * node, or of at least {@link EncodingLimits#listPackedThreshold} bytes (Redis's plain node), gets a node of
 * its own. Index operations skip whole nodes by their counts, costing
 * O(nodes + node size) rather than O(elements).
 *
 * <p>Indexes are zero-based; where documented, negative indexes count from the tail (-1 is the last
 * element). Arrays passed in are copied into the encoding; arrays returned are fresh copies. Iterators
 * and slice consumers must not be used across modifications. Not thread-safe.
 */
public final class ListValue extends AccountedValue {
    /** {@link #encoding()} of the single flat buffer form. */
    public static final String LISTPACK = "listpack";
    /** {@link #encoding()} of the linked node form. */
    public static final String QUICKLIST = "quicklist";

    /** Redis's SIZE_SAFETY_LIMIT: a node limited by count still never grows past this many bytes. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Node byte limits for list-max-listpack-size -1 .. -5. */
    private static final int[] NODE_BYTE_LIMITS = {4096, 8192, 16384, 32768, 65536};

    private final EncodingLimits limits;
    /** While listpack-encoded there is exactly one node (possibly empty); as a quicklist no node is empty. */
    private Node head;

    private Node tail;
    private int nodeCount;
    private long size;
    private boolean quicklist;
    /** Entry index within the node returned by {@link #locate}; a field rather than a result object to avoid allocating. */
    private int locatedIndex;

    private static final class Node {
        final Listpack entries;
        Node prev;
        Node next;

        Node(Listpack entries) {
            this.entries = entries;
        }
    }

    /** Creates an empty listpack-encoded list governed by {@code limits}. */
    public ListValue(EncodingLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        head = tail = new Node(new Listpack());
        nodeCount = 1;
    }

    /** Number of elements (LLEN). */
    public long size() {
        return size;
    }

    /** Whether there are no elements; the command layer deletes the key then. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** "listpack" or "quicklist", as reported by OBJECT ENCODING. */
    /** Nodes of the quicklist form (one while listpack-encoded). */
    public int nodeCount() {
        return nodeCount;
    }

    public String encoding() {
        return quicklist ? QUICKLIST : LISTPACK;
    }

    /** Inserts {@code value} before the first element (LPUSH). */
    public void pushHead(byte[] value) {
        int fill = limits.listMaxListpackSize;
        convertIfGrowing(value.length, fill);
        if (!quicklist || (head != null && allowsInsert(head, value.length, fill))) {
            head.entries.insert(0, value);
        } else {
            if (head != null) {
                // the head node is full and stays as it is: return the slack its geometric growth left
                head.entries.trim();
            }
            linkBefore(head, singleton(value));
        }
        size++;
    }

    /** Appends {@code value} after the last element (RPUSH). */
    public void pushTail(byte[] value) {
        int fill = limits.listMaxListpackSize;
        convertIfGrowing(value.length, fill);
        if (!quicklist || (tail != null && allowsInsert(tail, value.length, fill))) {
            tail.entries.append(value);
        } else {
            if (tail != null) {
                tail.entries.trim();
            }
            linkAfter(tail, singleton(value));
        }
        size++;
    }

    /** Removes and returns the first element, or null if empty (LPOP). */
    public byte[] popHead() {
        if (size == 0) {
            return null;
        }
        Node n = head;
        byte[] value = n.entries.copy(0);
        n.entries.delete(0);
        afterRemoval(n, 1);
        convertIfShrunk();
        return value;
    }

    /** Removes and returns the last element, or null if empty (RPOP). */
    public byte[] popTail() {
        if (size == 0) {
            return null;
        }
        Node n = tail;
        int p = n.entries.prev(n.entries.end());
        byte[] value = n.entries.copy(p);
        n.entries.delete(p);
        afterRemoval(n, 1);
        convertIfShrunk();
        return value;
    }

    /** The element at {@code index} (negative counts from the tail), or null if out of range (LINDEX). */
    public byte[] get(long index) {
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            return null;
        }
        Node n = locate(i);
        return n.entries.copy(n.entries.offsetOf(locatedIndex));
    }

    /**
     * Replaces the element at {@code index} (negative counts from the tail) with {@code value} (LSET);
     * returns false if the index is out of range. As in Redis, the growing-size check that may convert a
     * listpack to a quicklist runs before the range check, and a shrinking check runs after a replacement.
     */
    public boolean set(long index, byte[] value) {
        int fill = limits.listMaxListpackSize;
        convertIfGrowing(value.length, fill);
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            return false;
        }
        Node n = locate(i);
        n.entries.replace(n.entries.offsetOf(locatedIndex), value);
        if (quicklist) {
            if (value.length >= limits.listPackedThreshold) {
                isolate(n, locatedIndex);
            } else {
                splitOversized(n, fill);
            }
        }
        convertIfShrunk();
        return true;
    }

    /**
     * Inserts {@code value} just before or after the first element equal to {@code pivot} (LINSERT).
     * As in Redis, the growing-size check runs even when the pivot is missing.
     *
     * @return the new size, or -1 if {@code pivot} is not present
     */
    public long insert(byte[] pivot, byte[] value, boolean after) {
        int fill = limits.listMaxListpackSize;
        convertIfGrowing(value.length, fill);
        for (Node n = head; n != null; n = n.next) {
            Listpack lp = n.entries;
            for (int p = 0; p < lp.end(); p = lp.next(p)) {
                if (lp.matches(p, pivot)) {
                    insertInNode(n, after ? lp.next(p) : p, value, fill);
                    size++;
                    return size;
                }
            }
        }
        return -1;
    }

    /**
     * Removes elements equal to {@code value} (LREM): the first {@code count} from the head if
     * {@code count > 0}, the last {@code -count} from the tail if {@code count < 0}, all if 0.
     *
     * @return the number of elements removed
     */
    public long remove(long count, byte[] value) {
        long limit = count == 0 ? Long.MAX_VALUE : count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (Node n = head; n != null && removed < limit; ) {
                Node following = n.next;
                int r = n.entries.removeMatching(value, 0, (int) Math.min(limit - removed, Integer.MAX_VALUE));
                removed += r;
                afterRemoval(n, r);
                n = following;
            }
        } else {
            for (Node n = tail; n != null && removed < limit; ) {
                Node preceding = n.prev;
                int matches = n.entries.countMatching(value);
                int r = (int) Math.min(matches, limit - removed);
                if (r > 0) {
                    n.entries.removeMatching(value, matches - r, r);
                    removed += r;
                    afterRemoval(n, r);
                }
                n = preceding;
            }
        }
        if (removed > 0) {
            convertIfShrunk();
        }
        return removed;
    }

    /**
     * Keeps only the elements from {@code start} to {@code stop} inclusive (LTRIM): negative indexes
     * count from the tail, out-of-range indexes are clamped, and an empty range empties the list.
     * Whole nodes outside the range are dropped without being walked.
     */
    public void trim(long start, long stop) {
        long s = start < 0 ? start + size : start;
        long e = stop < 0 ? stop + size : stop;
        if (s < 0) {
            s = 0;
        }
        long fromHead;
        long fromTail;
        if (s > e || s >= size) {
            fromHead = size;
            fromTail = 0;
        } else {
            if (e >= size) {
                e = size - 1;
            }
            fromHead = s;
            fromTail = size - e - 1;
        }
        removeFromHead(fromHead);
        removeFromTail(fromTail);
        convertIfShrunk();
    }

    /**
     * Passes the elements from {@code start} to {@code stop} inclusive to {@code consumer}, head to tail,
     * with LRANGE index semantics (negative from the tail, clamped, empty if start &gt; stop).
     *
     * @return the number of elements passed
     */
    public long range(long start, long stop, ByteSliceConsumer consumer) {
        long s = start < 0 ? start + size : start;
        long e = stop < 0 ? stop + size : stop;
        if (s < 0) {
            s = 0;
        }
        if (s > e || s >= size) {
            return 0;
        }
        if (e >= size) {
            e = size - 1;
        }
        long remaining = e - s + 1;
        long total = remaining;
        Node n = locate(s);
        int p = n.entries.offsetOf(locatedIndex);
        while (remaining > 0) {
            Listpack lp = n.entries;
            for (; p < lp.end() && remaining > 0; p = lp.next(p)) {
                lp.emit(p, consumer);
                remaining--;
            }
            n = n.next;
            p = 0;
        }
        return total;
    }

    /**
     * Reports indexes of elements equal to {@code value} (LPOS) to {@code out}, in search order.
     *
     * @param rank   1 for the first match from the head, 2 for the second...; -1 for the first from the
     *               tail, -2... Must not be 0 or {@link Long#MIN_VALUE}.
     * @param count  stop after this many matches; 0 for all
     * @param maxlen compare at most this many elements; 0 for no limit
     * @return the number of indexes reported
     */
    public long positions(byte[] value, long rank, long count, long maxlen, LongConsumer out) {
        if (rank == 0 || rank == Long.MIN_VALUE || count < 0 || maxlen < 0) {
            throw new IllegalArgumentException("rank must be non-zero, count and maxlen non-negative");
        }
        long skip = Math.abs(rank) - 1;
        long wanted = count == 0 ? Long.MAX_VALUE : count;
        long budget = maxlen == 0 ? Long.MAX_VALUE : maxlen;
        long found = 0;
        if (rank > 0) {
            long index = 0;
            for (Node n = head; n != null; n = n.next) {
                Listpack lp = n.entries;
                for (int p = 0; p < lp.end(); p = lp.next(p), index++) {
                    if (budget-- == 0) {
                        return found;
                    }
                    if (lp.matches(p, value)) {
                        if (skip > 0) {
                            skip--;
                        } else {
                            out.accept(index);
                            if (++found == wanted) {
                                return found;
                            }
                        }
                    }
                }
            }
        } else {
            long index = size - 1;
            for (Node n = tail; n != null; n = n.prev) {
                Listpack lp = n.entries;
                for (int p = lp.prev(lp.end()); p >= 0; p = lp.prev(p), index--) {
                    if (budget-- == 0) {
                        return found;
                    }
                    if (lp.matches(p, value)) {
                        if (skip > 0) {
                            skip--;
                        } else {
                            out.accept(index);
                            if (++found == wanted) {
                                return found;
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Head-to-tail iterator over copies of the elements; invalidated by any modification. */
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private Node node = head;
            private int p;

            @Override
            public boolean hasNext() {
                while (node != null && p >= node.entries.end()) {
                    node = node.next;
                    p = 0;
                }
                return node != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] value = node.entries.copy(p);
                p = node.entries.next(p);
                return value;
            }
        };
    }

    /** Tail-to-head iterator over copies of the elements; invalidated by any modification. */
    public Iterator<byte[]> descendingIterator() {
        return new Iterator<>() {
            private Node node = tail;
            private int p = tail == null ? 0 : tail.entries.end();

            @Override
            public boolean hasNext() {
                while (node != null && p == 0) {
                    node = node.prev;
                    p = node == null ? 0 : node.entries.end();
                }
                return node != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                p = node.entries.prev(p);
                return node.entries.copy(p);
            }
        };
    }

    /** Estimated heap bytes held by this value (MEMORY USAGE), computed without sampling. */
    public long memoryUsage() {
        long total = Footprint.object(3 * Footprint.REFERENCE + 2 * Integer.BYTES + 2 * Long.BYTES + 1);
        for (Node n = head; n != null; n = n.next) {
            total += Footprint.object(3 * Footprint.REFERENCE) + n.entries.memoryUsage();
        }
        return total;
    }

    /**
     * Like {@link #memoryUsage} but O(1) for long lists, for the used-memory figure kept on every change:
     * up to 32 nodes are walked; beyond that every node is taken to be as large as the larger of the head and
     * the tail (inner nodes are full, the ends may not be).
     */
    public long memoryEstimate() {
        if (nodeCount <= 32) {
            return memoryUsage();
        }
        long node = Footprint.object(3 * Footprint.REFERENCE)
                + Math.max(head.entries.memoryUsage(), tail.entries.memoryUsage());
        return Footprint.object(3 * Footprint.REFERENCE + 2 * Integer.BYTES + 2 * Long.BYTES + 1) + nodeCount * node;
    }

    /**
     * Checks the structural invariants (sizes, links, node limits) and throws IllegalStateException on
     * violation; for tests. Node limits are checked against the current configuration, so call it only
     * when the limits have not changed since the elements were written.
     */
    void verifyStructure() {
        int fill = limits.listMaxListpackSize;
        long total = 0;
        int nodes = 0;
        Node prev = null;
        for (Node n = head; n != null; prev = n, n = n.next) {
            nodes++;
            total += n.entries.count();
            check(n.prev == prev, "broken prev link");
            if (quicklist) {
                check(n.entries.count() > 0, "empty quicklist node");
                check(
                        n.entries.count() == 1 || !exceedsLimit(fill, n.entries.bytes(), n.entries.count()),
                        "oversized quicklist node");
            }
        }
        check(prev == tail, "tail mismatch");
        check(nodes == nodeCount, "node count mismatch");
        check(total == size, "size mismatch");
        check(quicklist || nodeCount == 1, "listpack must be a single node");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static long nodeByteLimit(int fill) {
        if (fill >= 0) {
            return Long.MAX_VALUE;
        }
        // fill is negative; -(long) avoids overflow for Integer.MIN_VALUE; below -5 means the largest limit
        return NODE_BYTE_LIMITS[(int) Math.min(-(long) fill - 1, NODE_BYTE_LIMITS.length - 1)];
    }

    private static long nodeCountLimit(int fill) {
        return fill < 0 ? Long.MAX_VALUE : Math.max(fill, 1);
    }

    /** Redis's quicklistNodeExceedsLimit. */
    private static boolean exceedsLimit(int fill, long bytes, long count) {
        if (fill < 0) {
            return bytes > nodeByteLimit(fill);
        }
        return bytes > SIZE_SAFETY_LIMIT || count > nodeCountLimit(fill);
    }

    /** Elements that go into a node of their own: too large for any node, or plain by Redis's threshold. */
    private boolean isLarge(int length, int fill) {
        return length >= limits.listPackedThreshold || length > (fill >= 0 ? SIZE_SAFETY_LIMIT : nodeByteLimit(fill));
    }

    /** A node holding one element at or above the packed threshold: nothing joins it, and it never converts back. */
    private boolean isPlain(Node n) {
        return n.entries.count() == 1 && n.entries.length(0) >= limits.listPackedThreshold;
    }

    private boolean allowsInsert(Node n, int length, int fill) {
        return !isLarge(length, fill)
                && !isPlain(n)
                && !exceedsLimit(fill, n.entries.bytes() + Listpack.entrySize(length), n.entries.count() + 1L);
    }

    /**
     * Redis's growing check (listTypeTryConvertListpack): the listpack becomes a quicklist if adding one
     * element of {@code length} bytes would exceed a node's limit. The full encoded entry size is counted
     * (Redis counts only the data) so that a node inherited from the listpack is never over its limit. An
     * empty listpack is dropped, not kept as an empty node.
     */
    private void convertIfGrowing(int length, int fill) {
        if (quicklist) {
            return;
        }
        Listpack lp = head.entries;
        if (exceedsLimit(fill, lp.bytes() + Listpack.entrySize(length), lp.count() + 1L)) {
            quicklist = true;
            if (lp.count() == 0) {
                head = tail = null;
                nodeCount = 0;
            }
        }
    }

    /**
     * Redis's shrinking check (listTypeTryConvertQuicklist): a single-node quicklist within half the node
     * limit becomes a listpack again; a plain node never does. A node above the safety limit under a count
     * limit is the equivalent of a Redis plain node too.
     */
    private void convertIfShrunk() {
        if (!quicklist || nodeCount != 1 || isPlain(head)) {
            return;
        }
        int fill = limits.listMaxListpackSize;
        Listpack lp = head.entries;
        boolean small = fill < 0
                ? lp.bytes() <= nodeByteLimit(fill) / 2
                : lp.bytes() <= SIZE_SAFETY_LIMIT && lp.count() <= nodeCountLimit(fill) / 2;
        if (small) {
            quicklist = false;
        }
    }

    /** Inserts at offset {@code p} of {@code n}, keeping quicklist nodes within their limit. */
    private void insertInNode(Node n, int p, byte[] value, int fill) {
        Listpack lp = n.entries;
        if (!quicklist || allowsInsert(n, value.length, fill)) {
            lp.insert(p, value);
            return;
        }
        // at a full node's edge, spill into the neighbour or a new node rather than splitting (as Redis does)
        if (p == lp.end()) {
            if (n.next != null && allowsInsert(n.next, value.length, fill)) {
                n.next.entries.insert(0, value);
            } else {
                linkAfter(n, singleton(value));
            }
        } else if (p == 0) {
            if (n.prev != null && allowsInsert(n.prev, value.length, fill)) {
                n.prev.entries.append(value);
            } else {
                linkBefore(n, singleton(value));
            }
        } else if (value.length >= limits.listPackedThreshold) {
            int index = 0;
            for (int q = 0; q < p; q = lp.next(q)) {
                index++;
            }
            lp.insert(p, value);
            isolate(n, index);
        } else {
            lp.insert(p, value);
            splitOversized(n, fill);
        }
    }

    /** Halves {@code n} recursively until every part is within the node limit or holds a single element. */
    private void splitOversized(Node n, int fill) {
        Listpack lp = n.entries;
        if (lp.count() <= 1 || !exceedsLimit(fill, lp.bytes(), lp.count())) {
            return;
        }
        int half = lp.count() / 2;
        Node right = new Node(lp.splitOff(lp.offsetOf(half), half));
        linkAfter(n, right);
        splitOversized(n, fill);
        splitOversized(right, fill);
    }

    /** Splits {@code n} so that its element at {@code index} is alone in its node. */
    private void isolate(Node n, int index) {
        Listpack lp = n.entries;
        if (lp.count() - index > 1) {
            linkAfter(n, new Node(lp.splitOff(lp.offsetOf(index + 1), index + 1)));
        }
        if (index > 0) {
            linkAfter(n, new Node(lp.splitOff(lp.offsetOf(index), index)));
        }
    }

    /** Bookkeeping after {@code removed} entries left {@code n}: quicklists drop nodes that became empty. */
    private void afterRemoval(Node n, int removed) {
        size -= removed;
        if (quicklist && n.entries.count() == 0) {
            unlink(n);
        }
    }

    private void removeFromHead(long n) {
        while (n > 0) {
            Node h = head;
            Listpack lp = h.entries;
            int k = (int) Math.min(n, lp.count());
            if (k == lp.count() && quicklist) {
                unlink(h);
                size -= k;
            } else {
                lp.deleteRange(0, lp.offsetOf(k), k);
                size -= k;
            }
            n -= k;
        }
    }

    private void removeFromTail(long n) {
        while (n > 0) {
            Node t = tail;
            Listpack lp = t.entries;
            int k = (int) Math.min(n, lp.count());
            if (k == lp.count() && quicklist) {
                unlink(t);
                size -= k;
            } else {
                lp.deleteRange(lp.offsetOf(lp.count() - k), lp.end(), k);
                size -= k;
            }
            n -= k;
        }
    }

    /**
     * Finds the node holding element {@code index} ({@code 0 <= index < size}) by skipping whole nodes from
     * the nearer end; the index within that node is left in {@link #locatedIndex}.
     */
    private Node locate(long index) {
        if (index < size / 2) {
            Node n = head;
            long i = index;
            while (i >= n.entries.count()) {
                i -= n.entries.count();
                n = n.next;
            }
            locatedIndex = (int) i;
            return n;
        }
        Node n = tail;
        long fromEnd = size - 1 - index;
        while (fromEnd >= n.entries.count()) {
            fromEnd -= n.entries.count();
            n = n.prev;
        }
        locatedIndex = n.entries.count() - 1 - (int) fromEnd;
        return n;
    }

    private static Node singleton(byte[] value) {
        Listpack lp = new Listpack();
        lp.append(value);
        return new Node(lp);
    }

    /** Links {@code n} after {@code at}, or as the only node when {@code at} is null. */
    private void linkAfter(Node at, Node n) {
        if (at == null) {
            head = tail = n;
        } else {
            n.prev = at;
            n.next = at.next;
            if (at.next == null) {
                tail = n;
            } else {
                at.next.prev = n;
            }
            at.next = n;
        }
        nodeCount++;
    }

    /** Links {@code n} before {@code at}, or as the only node when {@code at} is null. */
    private void linkBefore(Node at, Node n) {
        if (at == null) {
            head = tail = n;
        } else {
            n.next = at;
            n.prev = at.prev;
            if (at.prev == null) {
                head = n;
            } else {
                at.prev.next = n;
            }
            at.prev = n;
        }
        nodeCount++;
    }

    private void unlink(Node n) {
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        nodeCount--;
    }
}
