package dev.respite.storage.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream: entries ordered by ID in {@link StreamNode packed nodes}, indexed by each node's first ID, plus
 * the stream's counters (last ID, entries ever added, greatest deleted ID) and its consumer groups. A node
 * takes entries until it holds stream-node-max-entries (live and deleted) or its payload reaches
 * stream-node-max-bytes, as Redis's listpacks do, so trimming "~" removes the same whole nodes Redis would.
 */
public final class StreamValue extends AccountedValue {
    /** Per-node cost beyond its block: the node object, its index key and the tree's entry. */
    private static final long NODE_OVERHEAD = Footprint.object(56) + Footprint.object(16) + Footprint.object(28);

    private final EncodingLimits limits;
    private final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
    private final TreeMap<byte[], StreamGroup> groups = new TreeMap<>(Arrays::compareUnsigned);
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private long blockBytes;
    /** The first live entry's ID, or null until looked up again after a deletion. */
    private StreamId first;

    public StreamValue(EncodingLimits limits) {
        this.limits = limits;
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void setLastId(StreamId id) {
        lastId = id;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public void setMaxDeletedId(StreamId id) {
        maxDeletedId = id;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
    }

    public String encoding() {
        return "stream";
    }

    /** Nodes in the index (XINFO STREAM radix-tree-keys / listpacks). */
    public int nodeCount() {
        return nodes.size();
    }

    /** ID of the first live entry, 0-0 when empty. */
    public StreamId firstId() {
        if (first == null) {
            StreamEntry e = new StreamEntry();
            Cursor c = cursor(StreamId.MIN, StreamId.MAX, false);
            first = c.next(e) ? e.id() : StreamId.MIN;
        }
        return first;
    }

    /** ID of the last live entry, 0-0 when empty. */
    public StreamId lastLiveId() {
        Map.Entry<StreamId, StreamNode> tail = nodes.lastEntry();
        if (tail == null) {
            return StreamId.MIN;
        }
        StreamNode node = tail.getValue();
        if ((node.data[node.lastEntry] & StreamNode.DELETED) == 0) {
            return node.lastMs == lastId.ms() && node.lastSeq == lastId.seq()
                    ? lastId
                    : new StreamId(node.lastMs, node.lastSeq);
        }
        StreamEntry e = new StreamEntry();
        return cursor(StreamId.MIN, StreamId.MAX, true).next(e) ? e.id() : StreamId.MIN;
    }

    /**
     * Appends an entry with the given ID, which the caller has checked is greater than {@link #lastId}.
     * {@code fieldsAndValues[from..]} holds {@code pairs} field/value pairs.
     */
    public void append(StreamId id, byte[][] fieldsAndValues, int from, int pairs) {
        Map.Entry<StreamId, StreamNode> tail = nodes.lastEntry();
        StreamNode node = tail == null ? null : tail.getValue();
        if (node != null && isFull(node, StreamNode.payloadBytes(fieldsAndValues, from, pairs))) {
            blockBytes -= node.data.length;
            node.shrink();
            blockBytes += node.data.length;
            node = null;
        }
        if (node == null) {
            node = new StreamNode(id.ms(), id.seq(), fieldsAndValues, from, pairs);
            nodes.put(id, node);
        } else {
            blockBytes -= node.data.length;
        }
        node.append(id.ms(), id.seq(), fieldsAndValues, from, pairs);
        blockBytes += node.data.length;
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            first = id;
        }
    }

    private boolean isFull(StreamNode node, long adding) {
        long maxBytes = limits.streamNodeMaxBytes;
        if (maxBytes <= 0 || maxBytes > (1L << 30)) {
            maxBytes = 1L << 30;
        }
        if (node.size + adding >= maxBytes) {
            return true;
        }
        return limits.streamNodeMaxEntries > 0 && node.total() >= limits.streamNodeMaxEntries;
    }

    /** Deletes the entry with this ID: true if it existed. Does not touch {@link #maxDeletedId}. */
    public boolean delete(StreamId id) {
        Map.Entry<StreamId, StreamNode> at = nodes.floorEntry(id);
        if (at == null) {
            return false;
        }
        StreamNode node = at.getValue();
        StreamEntry e = new StreamEntry();
        for (int p = node.firstEntry; p < node.size; ) {
            int start = p;
            p = e.decode(node, p);
            if (e.ms() == id.ms() && e.seq() == id.seq()) {
                if (e.isDeleted()) {
                    return false;
                }
                markDeleted(at.getKey(), node, start);
                return true;
            }
            if (StreamId.compare(e.ms(), e.seq(), id.ms(), id.seq()) > 0) {
                return false;
            }
        }
        return false;
    }

    private void markDeleted(StreamId key, StreamNode node, int flagsAt) {
        first = null;
        node.data[flagsAt] |= StreamNode.DELETED;
        node.live--;
        node.deleted++;
        length--;
        if (node.live == 0) {
            removeNode(key, node);
        }
    }

    private void removeNode(StreamId key, StreamNode node) {
        nodes.remove(key);
        blockBytes -= node.data.length;
    }

    /**
     * Trims to at most {@code maxLen} entries; {@code approx} removes whole nodes only, and a positive
     * {@code limit} bounds the entries removed (in whole nodes). Returns how many were removed.
     */
    public long trimToLength(long maxLen, boolean approx, long limit) {
        return trim(maxLen, null, approx, limit);
    }

    /** Removes entries with IDs below {@code minId}; options as {@link #trimToLength}. */
    public long trimToMinId(StreamId minId, boolean approx, long limit) {
        return trim(0, minId, approx, limit);
    }

    private long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        first = null;
        long removed = 0;
        StreamEntry e = new StreamEntry();
        while (!nodes.isEmpty()) {
            if (minId == null && length <= maxLen) {
                break;
            }
            Map.Entry<StreamId, StreamNode> first = nodes.firstEntry();
            StreamNode node = first.getValue();
            long entries = node.live;
            if (limit > 0 && removed + entries > limit) {
                break;
            }
            boolean whole = minId == null
                    ? length - entries >= maxLen
                    : StreamId.compare(node.lastMs, node.lastSeq, minId.ms(), minId.seq()) < 0;
            if (whole) {
                removeNode(first.getKey(), node);
                length -= entries;
                removed += entries;
                continue;
            }
            if (approx) {
                break;
            }
            for (int p = node.firstEntry; p < node.size && node.live > 0; ) {
                int start = p;
                p = e.decode(node, p);
                boolean stop = minId == null
                        ? length <= maxLen
                        : StreamId.compare(e.ms(), e.seq(), minId.ms(), minId.seq()) >= 0;
                if (stop) {
                    break;
                }
                if (!e.isDeleted()) {
                    node.data[start] |= StreamNode.DELETED;
                    node.live--;
                    node.deleted++;
                    length--;
                    removed++;
                }
            }
            break;
        }
        return removed;
    }

    /** A cursor over live entries with IDs in [start, end], ascending or (reverse) descending. */
    public Cursor cursor(StreamId start, StreamId end, boolean reverse) {
        return new Cursor(start, end, reverse);
    }

    /** Walks live entries without allocating per entry. */
    public final class Cursor {
        private final StreamId start;
        private final StreamId end;
        private final boolean reverse;
        private StreamId nodeKey;
        private StreamNode node;
        private int position;
        private int[] offsets = new int[0];
        private int offsetCount;
        private StreamEntry scratch;
        private boolean begun;

        Cursor(StreamId start, StreamId end, boolean reverse) {
            this.start = start;
            this.end = end;
            this.reverse = reverse;
        }

        /** Moves to the next live entry in range and decodes it into {@code e}; false when there is none. */
        public boolean next(StreamEntry e) {
            if (StreamId.compare(start.ms(), start.seq(), end.ms(), end.seq()) > 0) {
                return false;
            }
            while (true) {
                if (node == null) {
                    if (!seekNode()) {
                        return false;
                    }
                }
                // Only an entry's ID is read until it is known to be wanted: seeking into a node passes over
                // the entries before the start without decoding their fields.
                if (!reverse) {
                    if (StreamId.compare(node.lastMs, node.lastSeq, start.ms(), start.seq()) < 0) {
                        position = node.size;
                    }
                    while (position < node.size) {
                        int payload = e.decodeId(node, position);
                        if (e.isDeleted() || StreamId.compare(e.ms(), e.seq(), start.ms(), start.seq()) < 0) {
                            position = e.skipPayload(node, payload);
                            continue;
                        }
                        if (StreamId.compare(e.ms(), e.seq(), end.ms(), end.seq()) > 0) {
                            nodeKey = null;
                            node = null;
                            begun = true;
                            position = Integer.MAX_VALUE;
                            return false;
                        }
                        position = e.decodePayload(node, payload);
                        return true;
                    }
                } else {
                    while (position > 0) {
                        int payload = e.decodeId(node, offsets[--position]);
                        if (e.isDeleted() || StreamId.compare(e.ms(), e.seq(), end.ms(), end.seq()) > 0) {
                            continue;
                        }
                        if (StreamId.compare(e.ms(), e.seq(), start.ms(), start.seq()) < 0) {
                            position = -1;
                            node = null;
                            nodeKey = null;
                            begun = true;
                            return false;
                        }
                        e.decodePayload(node, payload);
                        return true;
                    }
                }
                node = null;
            }
        }

        private boolean seekNode() {
            if (position == Integer.MAX_VALUE || position == -1) {
                return false;
            }
            Map.Entry<StreamId, StreamNode> n;
            if (!begun) {
                begun = true;
                n = reverse ? nodes.floorEntry(end) : nodes.floorEntry(start);
                if (n == null && !reverse) {
                    n = nodes.firstEntry();
                }
            } else if (nodeKey == null) {
                return false;
            } else {
                n = reverse ? nodes.lowerEntry(nodeKey) : nodes.higherEntry(nodeKey);
            }
            if (n == null) {
                nodeKey = null;
                return false;
            }
            nodeKey = n.getKey();
            node = n.getValue();
            if (reverse) {
                if (scratch == null) {
                    scratch = new StreamEntry();
                }
                offsetCount = 0;
                for (int p = node.firstEntry; p < node.size; ) {
                    if (offsetCount == offsets.length) {
                        offsets = Arrays.copyOf(offsets, Math.max(16, offsets.length * 2));
                    }
                    offsets[offsetCount++] = p;
                    p = scratch.skipPayload(node, scratch.decodeId(node, p));
                }
                position = offsetCount;
            } else {
                position = node.firstEntry;
            }
            return true;
        }
    }

    /** Receives a stream node by node (RDB): each node's counts, then all its entries, deleted ones too. */
    public interface NodeVisitor {
        void node(StreamId master, int live, int deleted);

        void entry(StreamEntry e);
    }

    /** Walks every node in ID order; the first entry of each node carries its master fields. */
    public void forEachNode(NodeVisitor v) {
        StreamEntry e = new StreamEntry();
        for (Map.Entry<StreamId, StreamNode> n : nodes.entrySet()) {
            StreamNode node = n.getValue();
            v.node(n.getKey(), node.live, node.deleted);
            for (int p = node.firstEntry; p < node.size; ) {
                p = e.decode(node, p);
                v.entry(e);
            }
        }
    }

    // Consumer groups

    public TreeMap<byte[], StreamGroup> groups() {
        return groups;
    }

    public StreamGroup group(byte[] name) {
        return groups.get(name);
    }

    /** Creates a group; null if one with this name exists. */
    public StreamGroup createGroup(byte[] name, StreamId lastId, long entriesRead) {
        if (groups.containsKey(name)) {
            return null;
        }
        StreamGroup g = new StreamGroup(name, lastId, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups.remove(name) != null;
    }

    /**
     * How many entries a reader that has read up to {@code id} has read since the stream began, or
     * {@link StreamGroup#UNKNOWN_ENTRIES_READ} when deletions make it unknowable (Redis's estimate).
     */
    public long entriesReadAt(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        int toLast = id.compareTo(lastId);
        if (length == 0 && toLast <= 0) {
            return entriesAdded;
        }
        if (toLast == 0) {
            return entriesAdded;
        }
        if (toLast > 0) {
            return StreamGroup.UNKNOWN_ENTRIES_READ;
        }
        StreamId first = firstId();
        int toFirst = id.compareTo(first);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(first) < 0) {
            if (toFirst < 0) {
                return entriesAdded - length;
            }
            if (toFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return StreamGroup.UNKNOWN_ENTRIES_READ;
    }

    /** True if an entry between {@code start} and {@code end} (null: open) may have been deleted. */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId().compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId from = start == null ? StreamId.MIN : start;
        StreamId to = end == null ? StreamId.MAX : end;
        return from.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(to) <= 0;
    }

    /** The lag of a group: entries not yet delivered to it, or -1 (null reply) when unknown. */
    public long lag(StreamGroup g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead() != StreamGroup.UNKNOWN_ENTRIES_READ && !rangeHasTombstones(g.lastId(), null)) {
            return entriesAdded - g.entriesRead();
        }
        long read = entriesReadAt(g.lastId());
        return read == StreamGroup.UNKNOWN_ENTRIES_READ ? -1 : entriesAdded - read;
    }

    /** Approximate heap bytes held (MEMORY USAGE): blocks, per-node costs, groups and pending entries. */
    public long memoryUsage() {
        long bytes = Footprint.object(72) + blockBytes + nodes.size() * NODE_OVERHEAD;
        for (StreamGroup g : groups.values()) {
            bytes += Footprint.object(40)
                    + Footprint.bytes(g.name().length)
                    + g.pending().size() * 100L;
            for (StreamConsumer c : g.consumers().values()) {
                bytes += Footprint.object(40) + Footprint.bytes(c.name().length);
            }
        }
        return bytes;
    }

    /** An independent copy: entries, counters, groups, consumers and pending entries (COPY). */
    public StreamValue copy(EncodingLimits limits) {
        StreamValue s = new StreamValue(limits);
        for (Map.Entry<StreamId, StreamNode> n : nodes.entrySet()) {
            StreamNode c = new StreamNode(n.getValue());
            s.nodes.put(n.getKey(), c);
            s.blockBytes += c.data.length;
        }
        s.length = length;
        s.lastId = lastId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        s.first = first;
        for (StreamGroup g : groups.values()) {
            s.groups.put(g.name(), g.copy());
        }
        return s;
    }

    /** Every live entry's ID, ascending: for tests and diagnostics. */
    public List<StreamId> ids() {
        List<StreamId> out = new ArrayList<>();
        StreamEntry e = new StreamEntry();
        Cursor c = cursor(StreamId.MIN, StreamId.MAX, false);
        while (c.next(e)) {
            out.add(e.id());
        }
        return out;
    }
}
