package dev.respite.storage.types;

import java.util.Arrays;

/**
 * A reusable view of one decoded stream entry: its ID and the positions of its fields and values inside
 * the node's block, so reading a range allocates nothing per entry. Valid until the next call that moves
 * it or changes the stream.
 */
public final class StreamEntry {
    private byte[] data;
    private long ms;
    private long seq;
    private int flags;
    private int pairs;
    private int[] fieldOffset = new int[8];
    private int[] fieldLength = new int[8];
    private int[] valueOffset = new int[8];
    private int[] valueLength = new int[8];
    private StreamNode masterOf;
    private int[] masterOffset = new int[8];
    private int[] masterLength = new int[8];

    public long ms() {
        return ms;
    }

    public long seq() {
        return seq;
    }

    public StreamId id() {
        return new StreamId(ms, seq);
    }

    public boolean isDeleted() {
        return (flags & StreamNode.DELETED) != 0;
    }

    /** True when the entry has its node's master fields, in order (stored as values only). */
    public boolean hasMasterFields() {
        return (flags & StreamNode.SAME_FIELDS) != 0;
    }

    /** Field/value pairs in the entry. */
    public int pairs() {
        return pairs;
    }

    public byte[] data() {
        return data;
    }

    public int fieldOffset(int i) {
        return fieldOffset[i];
    }

    public int fieldLength(int i) {
        return fieldLength[i];
    }

    public int valueOffset(int i) {
        return valueOffset[i];
    }

    public int valueLength(int i) {
        return valueLength[i];
    }

    public byte[] field(int i) {
        return Arrays.copyOfRange(data, fieldOffset[i], fieldOffset[i] + fieldLength[i]);
    }

    public byte[] value(int i) {
        return Arrays.copyOfRange(data, valueOffset[i], valueOffset[i] + valueLength[i]);
    }

    /** Decodes the entry at {@code p} of {@code node}; returns where the next entry starts. */
    int decode(StreamNode node, int p) {
        return decodePayload(node, decodeId(node, p));
    }

    /**
     * Reads only the flags and ID of the entry at {@code p}: enough to decide whether a walk wants it.
     * Returns where its fields and values start, for {@link #decodePayload} or {@link #skipPayload}.
     */
    int decodeId(StreamNode node, int p) {
        byte[] d = node.data;
        data = d;
        flags = d[p++];
        long dms = StreamNode.getVarlong(d, p);
        p += StreamNode.varlongSize(dms);
        long zseq = StreamNode.getVarlong(d, p);
        p += StreamNode.varlongSize(zseq);
        ms = node.masterMs + dms;
        seq = node.masterSeq + StreamNode.unzigzag(zseq);
        return p;
    }

    /** Passes over the fields and values of the entry whose ID was just read; returns where the next starts. */
    int skipPayload(StreamNode node, int p) {
        byte[] d = node.data;
        int strings;
        if ((flags & StreamNode.SAME_FIELDS) != 0) {
            strings = node.masterFieldCount;
        } else {
            int n = StreamNode.getVarint(d, p);
            p += StreamNode.varintSize(n);
            strings = 2 * n;
        }
        for (int i = 0; i < strings; i++) {
            int len = StreamNode.getVarint(d, p);
            p += StreamNode.varintSize(len) + len;
        }
        return p;
    }

    /** Decodes the fields and values of the entry whose ID was just read; returns where the next starts. */
    int decodePayload(StreamNode node, int p) {
        byte[] d = node.data;
        if ((flags & StreamNode.SAME_FIELDS) != 0) {
            loadMaster(node);
            pairs = node.masterFieldCount;
            room(pairs);
            for (int i = 0; i < pairs; i++) {
                fieldOffset[i] = masterOffset[i];
                fieldLength[i] = masterLength[i];
                int len = StreamNode.getVarint(d, p);
                p += StreamNode.varintSize(len);
                valueOffset[i] = p;
                valueLength[i] = len;
                p += len;
            }
        } else {
            pairs = StreamNode.getVarint(d, p);
            p += StreamNode.varintSize(pairs);
            room(pairs);
            for (int i = 0; i < pairs; i++) {
                int len = StreamNode.getVarint(d, p);
                p += StreamNode.varintSize(len);
                fieldOffset[i] = p;
                fieldLength[i] = len;
                p += len;
                len = StreamNode.getVarint(d, p);
                p += StreamNode.varintSize(len);
                valueOffset[i] = p;
                valueLength[i] = len;
                p += len;
            }
        }
        return p;
    }

    private void loadMaster(StreamNode node) {
        if (masterOf == node) {
            return;
        }
        byte[] d = node.data;
        int n = node.masterFieldCount;
        if (masterOffset.length < n) {
            masterOffset = new int[n];
            masterLength = new int[n];
        }
        int p = StreamNode.varintSize(n);
        for (int i = 0; i < n; i++) {
            int len = StreamNode.getVarint(d, p);
            p += StreamNode.varintSize(len);
            masterOffset[i] = p;
            masterLength[i] = len;
            p += len;
        }
        masterOf = node;
    }

    private void room(int n) {
        if (fieldOffset.length < n) {
            int c = Math.max(n, fieldOffset.length * 2);
            fieldOffset = new int[c];
            fieldLength = new int[c];
            valueOffset = new int[c];
            valueLength = new int[c];
        }
    }
}
