package dev.respite.storage.persistence;

import static dev.respite.storage.persistence.RdbFormat.TYPE_STREAM_LISTPACKS_2;
import static dev.respite.storage.persistence.RdbFormat.TYPE_STREAM_LISTPACKS_3;

import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.PendingEntry;
import dev.respite.storage.types.StreamConsumer;
import dev.respite.storage.types.StreamEntry;
import dev.respite.storage.types.StreamGroup;
import dev.respite.storage.types.StreamId;
import dev.respite.storage.types.StreamValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams in RDB: each node as its 16-byte big-endian master ID and a listpack laid out as Redis lays
 * stream nodes out (live and deleted counts, master fields, then per entry flags, ID deltas, fields or
 * values and the element count), then the stream's counters and its groups with their pending entries
 * and consumers. Writes {@code STREAM_LISTPACKS_2}, the newest type Redis 7.0 reads; reads types 15, 19
 * and 21 (Redis 5 to 7.2).
 */
final class StreamCodec {
    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;

    private StreamCodec() {}

    static void write(RdbOutput out, StreamValue s) throws IOException {
        try {
            out.writeLength(s.nodeCount());
            NodeEncoder encoder = new NodeEncoder(out);
            s.forEachNode(encoder);
            encoder.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.writeLength(s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        out.writeLength(s.entriesAdded());
        out.writeLength(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            out.writeString(g.name());
            writeId(out, g.lastId());
            out.writeLength(g.entriesRead());
            out.writeLength(g.pending().size());
            for (PendingEntry p : g.pending().values()) {
                rawId(out, p.id());
                out.writeLittleEndian(p.deliveryTime(), 8);
                out.writeLength(p.deliveryCount());
            }
            out.writeLength(g.consumers().size());
            for (StreamConsumer c : g.consumers().values()) {
                out.writeString(c.name());
                out.writeLittleEndian(c.seenTime(), 8);
                out.writeLength(c.pending().size());
                for (StreamId id : c.pending().keySet()) {
                    rawId(out, id);
                }
            }
        }
    }

    private static void writeId(RdbOutput out, StreamId id) throws IOException {
        out.writeLength(id.ms());
        out.writeLength(id.seq());
    }

    private static void rawId(RdbOutput out, StreamId id) throws IOException {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        out.write(b, 0, 16);
    }

    /** Turns the node walk into key/listpack string pairs. */
    private static final class NodeEncoder implements StreamValue.NodeVisitor {
        private final RdbOutput out;
        private ListpackWriter lp;
        private StreamId master;
        private byte[][] masterFields;

        NodeEncoder(RdbOutput out) {
            this.out = out;
        }

        @Override
        public void node(StreamId master, int live, int deleted) {
            flush();
            this.master = master;
            lp = new ListpackWriter();
            lp.addInteger(live);
            lp.addInteger(deleted);
            masterFields = null;
        }

        @Override
        public void entry(StreamEntry e) {
            if (masterFields == null) {
                masterFields = new byte[e.pairs()][];
                lp.addInteger(e.pairs());
                for (int i = 0; i < e.pairs(); i++) {
                    masterFields[i] = e.field(i);
                    lp.addString(masterFields[i]);
                }
                lp.addInteger(0);
            }
            boolean same = e.hasMasterFields();
            lp.addInteger((e.isDeleted() ? DELETED : 0) | (same ? SAME_FIELDS : 0));
            lp.addInteger(e.ms() - master.ms());
            lp.addInteger(e.seq() - master.seq());
            if (!same) {
                lp.addInteger(e.pairs());
            }
            byte[] d = e.data();
            for (int i = 0; i < e.pairs(); i++) {
                if (!same) {
                    lp.addString(d, e.fieldOffset(i), e.fieldLength(i));
                }
                lp.addString(d, e.valueOffset(i), e.valueLength(i));
            }
            lp.addInteger(same ? e.pairs() + 3 : 2L * e.pairs() + 4);
        }

        void flush() {
            if (lp == null) {
                return;
            }
            try {
                byte[] key = new byte[16];
                for (int i = 0; i < 8; i++) {
                    key[i] = (byte) (master.ms() >>> (56 - 8 * i));
                    key[8 + i] = (byte) (master.seq() >>> (56 - 8 * i));
                }
                out.writeString(key);
                out.writeString(lp.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lp = null;
        }
    }

    /**
     * Reads a stream. Node listpacks, entry order, counters, consumer groups and their pending entries are always
     * checked; {@code deep} adds the listpack counts and each entry's trailing element count.
     */
    static StreamValue read(RdbInput in, int type, EncodingLimits limits, boolean deep) throws IOException {
        StreamValue s = new StreamValue(limits);
        for (long n = in.readLength(); n > 0; n--) {
            long at = in.offset();
            byte[] key = in.readString();
            if (key.length != 16) {
                throw new RdbFormatException("Stream node key entry is not the size of a stream ID", at);
            }
            byte[] blob = in.readString();
            List<byte[]> items;
            try {
                items = ListpackReader.entries(blob, deep);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new RdbFormatException("Stream listpack integrity check failed: " + e.getMessage(), at);
            }
            if (items.isEmpty()) {
                throw new RdbFormatException("Empty listpack inside stream", at);
            }
            readNode(s, bigEndian(key, 0), bigEndian(key, 8), items, at, deep);
        }
        long length = in.readLength();
        StreamId last = readId(in);
        StreamId maxDeleted = StreamId.MIN;
        long added = length;
        if (type >= TYPE_STREAM_LISTPACKS_2) {
            readId(in);
            maxDeleted = readId(in);
            added = in.readLength();
        }
        if (length != s.length()) {
            throw in.error("Stream length " + length + " does not match its " + s.length() + " entries");
        }
        s.setLastId(last);
        s.setMaxDeletedId(maxDeleted);
        s.setEntriesAdded(added);
        for (long groups = in.readLength(); groups > 0; groups--) {
            byte[] name = in.readString();
            StreamId groupLast = readId(in);
            long entriesRead = type >= TYPE_STREAM_LISTPACKS_2 ? in.readUnsignedLength() : s.entriesReadAt(groupLast);
            StreamGroup g = s.createGroup(name, groupLast, entriesRead);
            if (g == null) {
                throw in.error("Duplicated consumer group name " + new String(name, StandardCharsets.ISO_8859_1));
            }
            Map<StreamId, long[]> unowned = new HashMap<>();
            for (long p = in.readLength(); p > 0; p--) {
                StreamId id = readRawId(in);
                long time = in.readLittleEndian(8);
                long count = in.readLength();
                if (unowned.put(id, new long[] {time, count}) != null) {
                    throw in.error("Duplicated stream ID in a group's pending list");
                }
            }
            for (long c = in.readLength(); c > 0; c--) {
                byte[] cname = in.readString();
                long seen = in.readLittleEndian(8);
                long active = type >= TYPE_STREAM_LISTPACKS_3 ? in.readLittleEndian(8) : seen;
                if (g.consumer(cname) != null) {
                    throw in.error("Duplicate stream consumer detected.");
                }
                StreamConsumer consumer = g.addConsumer(cname, seen, active);
                for (long p = in.readLength(); p > 0; p--) {
                    StreamId id = readRawId(in);
                    long[] nack = unowned.remove(id);
                    if (nack == null) {
                        throw in.error("Consumer pending entry missing from its group's pending list");
                    }
                    g.deliver(id, consumer, nack[0], nack[1]);
                }
            }
            if (!unowned.isEmpty()) {
                throw in.error("Group pending entry without a consumer");
            }
        }
        return s;
    }

    private static void readNode(
            StreamValue s, long masterMs, long masterSeq, List<byte[]> items, long at, boolean deep)
            throws IOException {
        int[] p = {0};
        long live = integer(items, p, at);
        long deleted = integer(items, p, at);
        int masterCount = (int) integer(items, p, at);
        if (masterCount < 0 || masterCount > items.size()) {
            throw new RdbFormatException("Corrupt stream node master entry", at);
        }
        byte[][] masterFields = new byte[masterCount][];
        for (int i = 0; i < masterCount; i++) {
            masterFields[i] = item(items, p, at);
        }
        if (integer(items, p, at) != 0) {
            throw new RdbFormatException("Corrupt stream node master entry terminator", at);
        }
        long seenLive = 0;
        long seenDeleted = 0;
        while (p[0] < items.size()) {
            int flags = (int) integer(items, p, at);
            long ms = masterMs + integer(items, p, at);
            long seq = masterSeq + integer(items, p, at);
            boolean same = (flags & SAME_FIELDS) != 0;
            int pairs = same ? masterCount : (int) integer(items, p, at);
            if (pairs < 0 || pairs > items.size()) {
                throw new RdbFormatException("Corrupt stream entry field count", at);
            }
            byte[][] fv = new byte[pairs * 2][];
            for (int i = 0; i < pairs; i++) {
                fv[2 * i] = same ? masterFields[i] : item(items, p, at);
                fv[2 * i + 1] = item(items, p, at);
            }
            long elements = integer(items, p, at);
            if (deep && elements != (same ? pairs + 3L : 2L * pairs + 4)) {
                throw new RdbFormatException("Stream listpack integrity check failed: entry element count", at);
            }
            if ((flags & DELETED) != 0) {
                seenDeleted++;
                continue;
            }
            seenLive++;
            StreamId id = new StreamId(ms, seq);
            if (s.length() > 0 && id.compareTo(s.lastId()) <= 0) {
                throw new RdbFormatException("Stream entries out of order at " + id, at);
            }
            s.append(id, fv, 0, pairs);
        }
        if (seenLive != live || seenDeleted != deleted) {
            throw new RdbFormatException("Stream node counts do not match its entries", at);
        }
    }

    private static byte[] item(List<byte[]> items, int[] p, long at) throws RdbFormatException {
        if (p[0] >= items.size()) {
            throw new RdbFormatException("Stream node ends early", at);
        }
        return items.get(p[0]++);
    }

    private static long integer(List<byte[]> items, int[] p, long at) throws RdbFormatException {
        byte[] b = item(items, p, at);
        long v = RdbOutput.canonicalInteger(b, 0, b.length);
        if (v == Long.MIN_VALUE && !new String(b, StandardCharsets.US_ASCII).equals("-9223372036854775808")) {
            throw new RdbFormatException("Stream node holds a string where an integer belongs", at);
        }
        return v;
    }

    private static StreamId readId(RdbInput in) throws IOException {
        long ms = in.readUnsignedLength();
        return new StreamId(ms, in.readUnsignedLength());
    }

    private static StreamId readRawId(RdbInput in) throws IOException {
        byte[] b = in.readBytes(16);
        return new StreamId(bigEndian(b, 0), bigEndian(b, 8));
    }

    private static long bigEndian(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
