package dev.respite.server.replication;

import java.util.function.LongSupplier;

/**
 * The replication stream held once for everyone, as Redis 7 holds it: a chain of blocks that is at the same time
 * the backlog (for partial resynchronisation) and every replica's output. A replica holds a {@link Cursor}, a
 * position in the chain, instead of a copy of the bytes it has still to receive. Each block counts its
 * references (the backlog holds the first block, each cursor the block it stands in); the backlog lets go of its
 * first block only while nobody else holds it and the rest is still longer than repl-backlog-size, so the
 * backlog outgrows its setting for as long as a slow replica still needs the data, and a replica that comes
 * back can continue from anything still held.
 *
 * <p>Offsets count stream bytes as Redis does: the first byte of the stream has offset 1, and {@link #offset()}
 * is the offset of the last byte (master_repl_offset). Runs on the keyspace thread; the sockets only read bytes
 * that will not change again.
 */
final class ReplicationBuffer {
    /** Blocks are at least this long so that small commands share one (Redis's PROTO_REPLY_CHUNK_BYTES). */
    static final int MIN_BLOCK = 16 * 1024;
    /** What Redis counts for each block besides its bytes: its list node and header. */
    static final int BLOCK_OVERHEAD = 64;
    /** Blocks let go of per append, and per cron tick ten times as many, so that freeing much never stalls. */
    static final int TRIM_BLOCKS_PER_CALL = 10;

    /** One block of the stream: bytes [0, used) are final; the last block takes further appends. */
    static final class Block {
        final byte[] data;
        final long id;
        /** The offset of data[0]. */
        long start;

        int used;
        int refs;
        Block next;

        Block(int size, long id, long start) {
            this.data = new byte[size];
            this.id = id;
            this.start = start;
        }
    }

    /** A replica's place in the stream: the next byte it has to receive is {@code block.data[pos]}. */
    final class Cursor {
        private Block block;
        private int pos;
        private boolean released;

        private Cursor(Block block, int pos) {
            this.block = block;
            this.pos = pos;
            block.refs++;
        }

        /** Whether bytes wait to be handed over. */
        boolean hasMore() {
            return !released && (pos < block.used || block.next != null);
        }

        /** The block the next bytes come from; move on with {@link #advance} by at most {@link #available()}. */
        Block block() {
            return block;
        }

        int position() {
            return pos;
        }

        /** Bytes that can be handed over from the current block. */
        int available() {
            if (pos == block.used && block.next != null) {
                move(block.next, 0);
            }
            return block.used - pos;
        }

        void advance(int n) {
            pos += n;
            if (pos == block.data.length && block.next != null) {
                move(block.next, 0);
            }
        }

        /**
         * The replica's share of the buffer, as Redis counts it for client-output-buffer-limit: from the start of
         * the block it stands in to the end of the last block, with each block's overhead.
         */
        long share() {
            if (released || tail == null) {
                return 0;
            }
            return tail.start + tail.data.length - block.start + (tail.id - block.id + 1) * BLOCK_OVERHEAD;
        }

        /** The replica is gone: its block may be trimmed. */
        void release() {
            if (!released) {
                released = true;
                block.refs--;
            }
        }

        private void move(Block to, int at) {
            block.refs--;
            block = to;
            pos = at;
            to.refs++;
        }
    }

    private final LongSupplier backlogSize;
    private Block head;
    private Block tail;
    private long nextId;
    /** master_repl_offset. */
    private long offset;
    /** repl_backlog_histlen: the bytes from the first block on. */
    private long histlen;
    /** mem_total_replication_buffers. */
    private long memory;

    ReplicationBuffer(LongSupplier backlogSize, long offset) {
        this.backlogSize = backlogSize;
        this.offset = offset;
    }

    /** Appends stream bytes (one copy, into the last block and new ones), then lets go of a few old blocks. */
    void append(byte[] b, int off, int len) {
        while (len > 0) {
            if (tail == null || tail.used == tail.data.length) {
                addBlock(len);
            }
            int n = Math.min(len, tail.data.length - tail.used);
            System.arraycopy(b, off, tail.data, tail.used, n);
            tail.used += n;
            off += n;
            len -= n;
            offset += n;
            histlen += n;
        }
        trim(TRIM_BLOCKS_PER_CALL);
    }

    /**
     * A new last block, as Redis sizes them: at least {@link #MIN_BLOCK} so that commands share it, at most a
     * sixteenth of the backlog so that a block never holds much more than what is still needed.
     */
    private void addBlock(int len) {
        long limit = Math.max(backlogSize.getAsLong() / 16, MIN_BLOCK);
        int size = (int) Math.min(Math.min(Math.max(len, MIN_BLOCK), limit), Integer.MAX_VALUE - 8);
        Block block = new Block(size, nextId++, offset + 1);
        memory += size + BLOCK_OVERHEAD;
        if (tail == null) {
            head = block;
            block.refs++; // the backlog's reference
        } else {
            tail.next = block;
        }
        tail = block;
    }

    /**
     * Lets go of the first block while the backlog is longer than its setting without it and nobody but the
     * backlog holds it (Redis's incrementalTrimReplicationBacklog); at most {@code maxBlocks} at a time.
     */
    void trim(int maxBlocks) {
        long size = backlogSize.getAsLong();
        for (int i = 0; i < maxBlocks && head != tail && head.refs == 1 && histlen - head.used > size; i++) {
            Block first = head;
            histlen -= first.used;
            memory -= first.data.length + BLOCK_OVERHEAD;
            head = first.next;
            head.refs++;
            first.refs = 0;
            first.next = null;
        }
    }

    /** A cursor whose next byte is the one at {@code from}; {@link #covers} must hold. */
    Cursor cursorAt(long from) {
        if (tail == null) {
            addBlock(0);
        }
        Block b = head;
        while (b.next != null && from >= b.start + b.used) {
            b = b.next;
        }
        return new Cursor(b, (int) (from - b.start));
    }

    /** A cursor at the end of the stream: the replica receives what is appended from now on. */
    Cursor cursorAtEnd() {
        return cursorAt(offset + 1);
    }

    /** Moves the held stream {@code by} bytes later: a restarted master resumes its saved offset. */
    void rebase(long by) {
        offset += by;
        for (Block b = head; b != null; b = b.next) {
            b.start += by;
        }
    }

    long offset() {
        return offset;
    }

    /** repl_backlog_histlen. */
    long histlen() {
        return histlen;
    }

    /** repl_backlog_first_byte_offset: the offset of the oldest byte held. */
    long firstByteOffset() {
        return offset - histlen + 1;
    }

    /** Whether a replica that needs the stream from {@code from} on (its offset + 1) can get it all from here. */
    boolean covers(long from) {
        return from >= firstByteOffset() && from <= offset + 1;
    }

    /** mem_total_replication_buffers: every block held, with its overhead. */
    long memory() {
        return memory;
    }
}
