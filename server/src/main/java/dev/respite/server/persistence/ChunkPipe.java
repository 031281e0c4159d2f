package dev.respite.server.persistence;

import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Bytes produced on the keyspace thread, handed in 64 KB chunks to a writer thread that does the disk I/O.
 * Writing never blocks the producer; the producer asks {@link #backlog()} to pace itself.
 */
final class ChunkPipe extends OutputStream {
    static final byte[] END = new byte[0];
    /** Marks a stream given up before its end: the writer drops what it wrote. */
    static final byte[] ABORTED = new byte[0];

    private static final int CHUNK = 64 * 1024;

    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private byte[] current = new byte[CHUNK];
    private int used;

    @Override
    public void write(int b) {
        if (used == current.length) {
            push();
        }
        current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (used == current.length) {
                push();
            }
            int n = Math.min(len, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    private void push() {
        queue.add(current);
        current = new byte[CHUNK];
        used = 0;
    }

    /** Hands over what is buffered and marks the end of the stream. */
    @Override
    public void close() {
        if (used > 0) {
            byte[] last = new byte[used];
            System.arraycopy(current, 0, last, 0, used);
            queue.add(last);
        }
        queue.add(END);
    }

    /** Gives the stream up: what is buffered is dropped and the writer is told. */
    void abort() {
        used = 0;
        queue.add(ABORTED);
    }

    /** Chunks waiting for the writer. */
    int backlog() {
        return queue.size();
    }

    /** Next chunk for the writer thread; {@link #END} after the last, or {@link #ABORTED}. */
    byte[] take() throws InterruptedException {
        return queue.take();
    }
}
