package dev.respite.server.persistence;

import dev.respite.server.ServerVersion;
import dev.respite.storage.Keyspace;
import dev.respite.storage.KeyspaceSnapshot;
import dev.respite.storage.persistence.RdbWriter;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BGSAVE without fork: a point-in-time keyspace snapshot walked in slices of at most ~2 ms on the event
 * loop, serialized as RDB into a pipe, and written to a temporary file by a separate thread that then
 * fsyncs it and renames it over the previous snapshot. Clients keep being served throughout.
 */
final class BackgroundSave {
    private static final Logger log = LoggerFactory.getLogger(BackgroundSave.class);
    private static final long SLICE_NANOS = 2_000_000;
    /** Chunks queued for the disk before the walk waits a turn (8 MB). */
    private static final int MAX_BACKLOG = 128;

    private final Keyspace keyspace;
    private final EventLoop loop;
    private final Path target;
    private final Consumer<Boolean> onDone;
    private final String[] extraAux;
    private final KeySaveDelay delay;
    private final ChunkPipe pipe = new ChunkPipe();
    private final RdbWriter writer = new RdbWriter(pipe);
    private KeyspaceSnapshot snapshot;
    private int currentDb = -1;
    private volatile IOException writeFailure;
    private boolean aborted;

    BackgroundSave(
            Keyspace keyspace,
            EventLoop loop,
            Path target,
            String[] extraAux,
            KeySaveDelay delay,
            Consumer<Boolean> onDone) {
        this.extraAux = extraAux;
        this.delay = delay;
        this.keyspace = keyspace;
        this.loop = loop;
        this.target = target;
        this.onDone = onDone;
    }

    /** Starts the walk and the writer thread; called on the event loop. */
    void start() throws IOException {
        SnapshotFile.writeHeader(keyspace, writer, ServerVersion.REDIS_VERSION, extraAux);
        snapshot = keyspace.startSnapshot(this::entry);
        Thread t = new Thread(this::writeToDisk, "bgsave");
        t.setDaemon(true);
        t.start();
        loop.execute(this::slice);
    }

    private void entry(int db, byte[] key, Object value, long expireAt) {
        try {
            if (db != currentDb) {
                currentDb = db;
                writer.writeDatabaseSelector(
                        db, keyspace.db(db).size(), keyspace.db(db).expiringKeys());
            }
            writer.writeEntry(key, value, expireAt);
            delay.keySaved();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * FLUSHALL while saving: Redis kills its child, so the walk stops where it is, the writer deletes its temporary
     * file and {@code onDone} hears false. On the event loop.
     */
    void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        snapshot.abandon();
        pipe.abort();
    }

    private void slice() {
        if (aborted) {
            return;
        }
        if (writeFailure != null) {
            snapshot.finish();
            pipe.close();
            return;
        }
        if (delay.holding()) {
            loop.schedule(this::slice, delay.recheckNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        if (pipe.backlog() < MAX_BACKLOG) {
            long end = System.nanoTime() + SLICE_NANOS;
            while (System.nanoTime() < end && !delay.holding()) {
                if (snapshot.step(delay.bucketsPerStep(64))) {
                    try {
                        writer.writeFooter();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    pipe.close();
                    return;
                }
            }
        }
        loop.execute(this::slice);
    }

    /** Writer thread: drains the pipe into a temporary file, then fsyncs and renames it into place. */
    private void writeToDisk() {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("temp-bg-" + ProcessHandle.current().pid() + "-" + target.getFileName());
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] chunk;
            while ((chunk = pipe.take()) != ChunkPipe.END && chunk != ChunkPipe.ABORTED) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            if (chunk == ChunkPipe.END) {
                ch.force(true);
                ok = true;
            }
        } catch (IOException e) {
            writeFailure = e;
            log.warn("Background saving error: {}", e.getMessage());
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ok) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                SnapshotFile.forceDirectory(dir);
            } catch (IOException e) {
                ok = false;
                log.warn("Background saving error: {}", e.getMessage());
            }
        }
        if (!ok) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Nothing more to do about a temporary file that cannot be removed.
            }
        }
        boolean result = ok;
        loop.execute(() -> onDone.accept(result));
    }

    /** After a write failure the walk still finishes (or is given up); its bytes are read and dropped. */
    private void drain() {
        try {
            byte[] chunk = pipe.take();
            while (chunk != ChunkPipe.END && chunk != ChunkPipe.ABORTED) {
                chunk = pipe.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
