package dev.respite.server.persistence;

import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.KeyspaceLoader;
import dev.respite.storage.persistence.RdbEntry;
import dev.respite.storage.persistence.RdbReader;
import dev.respite.storage.persistence.RdbVisitor;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDB file read at start-up while clients are served, as Redis serves them between chunks of its load: a
 * reader thread decodes the file into batches, and the keyspace thread puts each batch in place as one task,
 * so that between batches it answers clients (-LOADING to commands not allowed while loading) and INFO shows the
 * progress. Only the keyspace thread touches the keyspace. key-load-delay slows the reader after each key.
 */
final class StartupSnapshotLoad implements LoadProgress {
    private static final Logger log = LoggerFactory.getLogger(StartupSnapshotLoad.class);
    private static final int BATCH_ITEMS = 512;
    private static final long BATCH_NANOS = 5_000_000;
    /** Batches the reader may decode ahead of the keyspace thread: bounds the memory it runs ahead with. */
    private static final int MAX_AHEAD = 16;

    private record Function(byte[] code, long offset) {}

    private record Aux(String name, byte[] value) {}

    /**
     * What the reader decoded since the last hand-over, and where in the file it was after each item: keys by
     * their fields, so that nothing but the keys and values is left behind; {@code other} holds the rare
     * function library or aux field in place of a key. Batches go back and forth between the two threads.
     */
    private static final class Batch {
        final int[] dbs = new int[BATCH_ITEMS];
        final byte[][] keys = new byte[BATCH_ITEMS][];
        final Object[] values = new Object[BATCH_ITEMS];
        final long[] expireAts = new long[BATCH_ITEMS];
        final long[] idles = new long[BATCH_ITEMS];
        final Object[] other = new Object[BATCH_ITEMS];
        final long[] offsets = new long[BATCH_ITEMS];
        int size;
        long started;

        boolean full() {
            return size == BATCH_ITEMS;
        }

        /** Writes a key at the batch's end; {@code added} then takes it in. */
        void putKey(RdbEntry e) {
            dbs[size] = e.db();
            keys[size] = e.key();
            values[size] = e.value();
            expireAts[size] = e.expireAt();
            idles[size] = e.idleSeconds();
        }

        /** Writes a function library or an aux field at the batch's end, in place of a key. */
        void putOther(Object item) {
            other[size] = item;
        }

        /** Drops what the batch held, for the reader to fill again. */
        void clear() {
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(values, 0, size, null);
            Arrays.fill(other, 0, size, null);
            size = 0;
        }
    }

    private final Path file;
    private final long totalBytes;
    private final Keyspace keyspace;
    private final EventLoop loop;
    private final IntSupplier keyLoadDelay;
    private final boolean deep;
    private final KeyspaceLoader target;
    private final BiConsumer<String, byte[]> aux;
    private final Semaphore ahead = new Semaphore(MAX_AHEAD);
    /** Batches the keyspace thread has put in place, for the reader to reuse. */
    private final Queue<Batch> emptied = new ConcurrentLinkedQueue<>();

    private final CompletableFuture<SnapshotFile.LoadResult> result = new CompletableFuture<>();
    private final long startMillis = System.currentTimeMillis();
    /** Set on the keyspace thread when the load failed there or was abandoned: the reader stops. */
    private volatile boolean stopped;
    /** The file offset reached by the batches already in the keyspace; written on the keyspace thread only. */
    private volatile long loadedBytes;

    StartupSnapshotLoad(
            Path file,
            Keyspace keyspace,
            EventLoop loop,
            IntSupplier keyLoadDelay,
            boolean deep,
            BiConsumer<String, byte[]> aux,
            SnapshotFile.ExpiredKeys expired)
            throws IOException {
        this.file = file;
        this.totalBytes = Files.size(file);
        this.keyspace = keyspace;
        this.loop = loop;
        this.keyLoadDelay = keyLoadDelay;
        this.deep = deep;
        this.aux = aux;
        this.target = new KeyspaceLoader(keyspace, expired, false);
    }

    /** Starts the reader; the result completes on the keyspace thread once every key is in place. */
    CompletableFuture<SnapshotFile.LoadResult> start() {
        Thread t = new Thread(this::read, "rdb-load");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** The server stops while loading: the reader gives up and nothing more goes into the keyspace. */
    void abandon() {
        stopped = true;
        result.completeExceptionally(new IOException("the server is stopping"));
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public long loadedBytes() {
        return loadedBytes;
    }

    /** The reader thread: decodes the file and hands it over batch by batch. */
    private void read() {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbReader reader = new RdbReader(in, totalBytes, keyspace.limits());
            reader.deepCheck(deep);
            List<String> warnings = new ArrayList<>();
            Batch[] batch = {nextBatch()};
            long[] decoded = {0};
            long[] nextReport = {System.nanoTime() + 1_000_000_000L};
            reader.read(new RdbVisitor() {
                @Override
                public void entry(RdbEntry e) throws IOException {
                    decoded[0]++;
                    batch[0].putKey(e);
                    added();
                    delayAfterKey();
                    if (System.nanoTime() >= nextReport[0]) {
                        nextReport[0] = System.nanoTime() + 1_000_000_000L;
                        log.info(
                                "Loading RDB: {} keys, {} MB read ({}%)",
                                decoded[0],
                                String.format("%.2f", reader.offset() / 1048576.0),
                                totalBytes > 0 ? reader.offset() * 100 / totalBytes : 0);
                    }
                }

                @Override
                public void function(byte[] code, long offset) throws IOException {
                    batch[0].putOther(new Function(code, offset));
                    added();
                }

                @Override
                public void aux(String name, byte[] value) {
                    batch[0].putOther(new Aux(name, value));
                    try {
                        added();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void warning(String message) {
                    warnings.add(message);
                }

                /** The item just written at the batch's end is in: hands the batch over when it is due. */
                private void added() throws IOException {
                    if (stopped) {
                        throw new IOException("the load stopped");
                    }
                    Batch b = batch[0];
                    b.offsets[b.size++] = reader.offset();
                    if (b.full() || System.nanoTime() - b.started >= BATCH_NANOS) {
                        handOver(b);
                        batch[0] = nextBatch();
                    }
                }
            });
            handOver(batch[0]);
            SnapshotFile.LoadResult end = new SnapshotFile.LoadResult(
                    0, 0, reader.emptyKeysSkipped(), reader.offset(), reader.version(), warnings);
            report(() -> finish(end));
        } catch (IOException | RuntimeException e) {
            report(() -> result.completeExceptionally(e));
        }
    }

    /** The outcome goes to the keyspace thread, after the batches; a loop already shut down needs none. */
    private void report(Runnable outcome) {
        try {
            loop.execute(outcome);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    /** key-load-delay: microseconds after each key; a negative -N waits 1 us after one key in N on average. */
    private void delayAfterKey() {
        int d = keyLoadDelay.getAsInt();
        if (d == 0) {
            return;
        }
        long micros = d > 0 ? d : (ThreadLocalRandom.current().nextInt(-d) == 0 ? 1 : 0);
        if (micros > 0) {
            LockSupport.parkNanos(micros * 1000);
        }
    }

    /** A batch the keyspace thread has emptied, or a new one. */
    private Batch nextBatch() {
        Batch b = emptied.poll();
        if (b == null) {
            b = new Batch();
        }
        b.started = System.nanoTime();
        return b;
    }

    private void handOver(Batch b) throws IOException {
        if (b.size == 0) {
            return;
        }
        try {
            while (!ahead.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    throw new IOException("the load stopped");
                }
            }
            loop.execute(() -> apply(b));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while loading");
        } catch (RejectedExecutionException e) {
            stopped = true;
            throw new IOException("the server stopped", e);
        }
    }

    /** On the keyspace thread: one batch into the keyspace. */
    private void apply(Batch b) {
        ahead.release();
        if (stopped || result.isDone()) {
            return;
        }
        try {
            for (int i = 0; i < b.size; i++) {
                Object item = b.other[i];
                if (item == null) {
                    target.entry(b.dbs[i], b.keys[i], b.values[i], b.expireAts[i], b.idles[i], b.offsets[i]);
                } else if (item instanceof Function f) {
                    target.function(f.code(), f.offset());
                } else if (item instanceof Aux a) {
                    aux.accept(a.name(), a.value());
                }
            }
            loadedBytes = b.offsets[b.size - 1];
            b.clear();
            emptied.add(b);
        } catch (IOException e) {
            stopped = true;
            result.completeExceptionally(e);
        }
    }

    private void finish(SnapshotFile.LoadResult end) {
        if (result.isDone()) {
            return;
        }
        loadedBytes = end.bytes();
        result.complete(new SnapshotFile.LoadResult(
                target.loaded(),
                target.expiredSkipped(),
                end.emptySkipped(),
                end.bytes(),
                end.version(),
                end.warnings()));
    }
}
