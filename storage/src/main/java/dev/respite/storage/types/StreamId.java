package dev.respite.storage.types;

/**
 * A stream entry ID: milliseconds and sequence number, both unsigned 64-bit, ordered as Redis orders
 * them (ms first). Immutable; the index keys its nodes by the ID of their first entry.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    public boolean isMax() {
        return ms == -1L && seq == -1L;
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID in order, or null past the maximum. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID in order, or null before 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] toBytes() {
        return toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
