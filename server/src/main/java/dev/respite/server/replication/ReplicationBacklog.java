package dev.respite.server.replication;

/**
 * The most recent bytes of the replication stream, kept in a ring so that a replica that reconnects can
 * continue from its offset (partial resynchronisation). Offsets count stream bytes as Redis does: the
 * first byte of the stream has offset 1, and the replication offset is the offset of the last byte.
 */
final class ReplicationBacklog {
    private byte[] ring;
    /** Where the next byte goes. */
    private int next;
    /** Bytes held, at most the ring's size. */
    private long held;
    /** Offset of the last byte appended (master_repl_offset). */
    private long offset;

    ReplicationBacklog(long size, long offset) {
        this.ring = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size)];
        this.offset = offset;
    }

    void append(byte[] b, int off, int len) {
        offset += len;
        if (len >= ring.length) {
            System.arraycopy(b, off + len - ring.length, ring, 0, ring.length);
            next = 0;
            held = ring.length;
            return;
        }
        int first = Math.min(len, ring.length - next);
        System.arraycopy(b, off, ring, next, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        next = (next + len) % ring.length;
        held = Math.min(ring.length, held + len);
    }

    /** Moves the held stream {@code by} bytes later: a restarted master resumes its saved offset. */
    void rebase(long by) {
        offset += by;
    }

    long offset() {
        return offset;
    }

    long size() {
        return ring.length;
    }

    /** repl_backlog_histlen. */
    long held() {
        return held;
    }

    /** repl_backlog_first_byte_offset: the offset of the oldest byte held. */
    long firstByteOffset() {
        return offset - held + 1;
    }

    /** Whether a replica that needs the stream from {@code from} on (its offset + 1) can get it all from here. */
    boolean covers(long from) {
        return from >= firstByteOffset() && from <= offset + 1;
    }

    /** The stream from offset {@code from} to the end; {@link #covers} must hold. */
    byte[] since(long from) {
        int n = (int) (offset + 1 - from);
        byte[] out = new byte[n];
        int start = Math.floorMod(next - n, ring.length);
        int first = Math.min(n, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        return out;
    }

    /** CONFIG SET repl-backlog-size: a new ring that keeps what still fits. */
    void resize(long size) {
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, size);
        if (capacity == ring.length) {
            return;
        }
        long keep = Math.min(held, capacity);
        byte[] kept = since(offset + 1 - keep);
        ring = new byte[capacity];
        System.arraycopy(kept, 0, ring, 0, kept.length);
        next = kept.length % capacity;
        held = keep;
    }
}
