package dev.respite.server.persistence;

import dev.respite.server.ServerVersion;
import dev.respite.storage.Keyspace;
import dev.respite.storage.KeyspaceSnapshot;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.AofManifest.FileEntry;
import dev.respite.storage.persistence.CommandBuffer;
import dev.respite.storage.persistence.DatasetCommands;
import dev.respite.storage.persistence.RdbWriter;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background rewrite ("AOF snapshotting"). At its start, in one event-loop turn, the writes so far are
 * handed to the writer, the writer opens a new incremental file for everything after (listed in the
 * manifest before anything is written to it), and a point-in-time {@link KeyspaceSnapshot} begins. The
 * snapshot is walked a few buckets per turn, serialized on the event loop into commands, and written to a
 * temporary file by a thread of its own. When it is complete and fsynced it is renamed to the new base and
 * a new manifest (new base plus the incremental files from the rewrite's start) replaces the old one.
 * A crash at any point leaves the old manifest, which names only complete files, or the new one.
 */
final class AofRewrite {
    private static final Logger log = LoggerFactory.getLogger(AofRewrite.class);
    /** Buckets walked per event-loop turn: small enough that clients keep being served between steps. */
    private static final int BUCKETS_PER_STEP = 512;

    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);
    /** Serialized bytes waiting for the disk past which the walk pauses: the rewrite's memory bound. */
    private static final long MAX_BACKLOG = 8L * 1024 * 1024;

    private final AppendOnlyFile aof;
    private final Keyspace keyspace;
    private final EventLoop loop;
    private final KeySaveDelay delay;
    private final Consumer<Throwable> done;
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aof-rewrite");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong backlog = new AtomicLong();
    private final CommandBuffer chunk = new CommandBuffer(256 * 1024);
    private final long startMillis = System.currentTimeMillis();
    private Path temp;
    private FileChannel out;
    private KeyspaceSnapshot snapshot;
    private FileEntry firstIncr;
    private volatile Throwable diskFailure;
    /** After a failure the snapshot is run out without serializing anything. */
    private boolean abandoned;
    /** The new base is being installed: too late to stop. */
    private boolean finishing;
    /** Begun with appendonly off: no incremental file to switch, only a base to leave. */
    private boolean offline;
    /** The base is written as an RDB snapshot (aof-use-rdb-preamble at the rewrite's start). */
    private final boolean rdb;
    /** Writes after the rewrite's start go on in the current incremental file, which holds none before it. */
    private final boolean intoCurrentIncr;

    private ByteArrayOutputStream rdbBytes;
    private RdbWriter rdbWriter;
    private int rdbDb = -1;

    AofRewrite(
            AppendOnlyFile aof,
            Keyspace keyspace,
            EventLoop loop,
            KeySaveDelay delay,
            boolean intoCurrentIncr,
            Consumer<Throwable> done) {
        this.intoCurrentIncr = intoCurrentIncr;
        this.aof = aof;
        this.delay = delay;
        this.keyspace = keyspace;
        this.loop = loop;
        this.done = done;
        this.rdb = aof.rdbBase();
    }

    long startMillis() {
        return startMillis;
    }

    /**
     * Runs on the event loop: switches incremental files and starts the snapshot at this instant. With
     * appendonly off there is no incremental file: the rewrite only leaves a new base in the directory, listed
     * alone in the manifest, as Redis's BGREWRITEAOF does then.
     */
    void start() throws IOException {
        Files.createDirectories(aof.directory());
        temp = aof.directory()
                .resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        out = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        offline = !aof.isOpen();
        if (offline) {
            startSnapshot();
            loop.execute(this::step);
            return;
        }
        aof.pushPending();
        aof.forgetDatabase();
        CompletableFuture<FileEntry> rotated = intoCurrentIncr
                ? CompletableFuture.completedFuture(aof.writer().manifest().lastIncr())
                : aof.writer().rotate();
        startSnapshot();
        rotated.whenComplete((incr, err) -> loop.execute(() -> {
            if (abandoned) {
                return;
            }
            if (err != null) {
                fail(err);
                return;
            }
            firstIncr = incr;
            step();
        }));
    }

    private void startSnapshot() {
        if (rdb) {
            startRdbSnapshot();
            return;
        }
        if (aof.timestamps()) {
            chunk.timestamp(System.currentTimeMillis() / 1000);
        }
        // Function libraries first, as Redis writes them, so that a reload has them before any key.
        for (byte[] code : keyspace.functions().libraryCodes()) {
            chunk.command(FUNCTION, LOAD, code);
        }
        DatasetCommands commands = new DatasetCommands(chunk);
        snapshot = keyspace.startSnapshot((db, key, value, expireAt) -> {
            if (!abandoned) {
                commands.key(db, key, value, expireAt);
                delay.keySaved();
            }
        });
    }

    /**
     * aof-use-rdb-preamble: the base is an RDB snapshot (functions in its header, then every key), which
     * Redis 7 names {@code .base.rdb} and loads, as Respite does, before the incremental files.
     */
    private void startRdbSnapshot() {
        rdbBytes = new ByteArrayOutputStream(256 * 1024);
        rdbWriter = new RdbWriter(rdbBytes);
        try {
            SnapshotFile.writeHeader(keyspace, rdbWriter, ServerVersion.REDIS_VERSION, "aof-base", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshot = keyspace.startSnapshot((db, key, value, expireAt) -> {
            if (abandoned) {
                return;
            }
            try {
                if (db != rdbDb) {
                    rdbDb = db;
                    rdbWriter.writeDatabaseSelector(
                            db, keyspace.db(db).size(), keyspace.db(db).expiringKeys());
                }
                rdbWriter.writeEntry(key, value, expireAt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            delay.keySaved();
        });
    }

    private void step() {
        if (abandoned) {
            return;
        }
        if (diskFailure != null) {
            fail(diskFailure);
            return;
        }
        if (backlog.get() > MAX_BACKLOG) {
            loop.schedule(this::step, 1, TimeUnit.MILLISECONDS);
            return;
        }
        if (delay.holding()) {
            loop.schedule(this::step, delay.recheckNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        boolean complete = snapshot.step(delay.bucketsPerStep(BUCKETS_PER_STEP));
        if (complete && rdb) {
            try {
                rdbWriter.writeFooter();
            } catch (IOException e) {
                fail(e);
                return;
            }
        }
        handOver();
        if (complete) {
            finish();
        } else {
            loop.execute(this::step);
        }
    }

    private void handOver() {
        byte[] data;
        if (rdb) {
            if (rdbBytes.size() == 0) {
                return;
            }
            data = rdbBytes.toByteArray();
            rdbBytes.reset();
        } else {
            if (chunk.isEmpty()) {
                return;
            }
            data = chunk.toByteArray();
            chunk.clear();
        }
        backlog.addAndGet(data.length);
        disk.execute(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    out.write(b);
                }
            } catch (IOException e) {
                diskFailure = e;
            } finally {
                backlog.addAndGet(-data.length);
            }
        });
    }

    private void finish() {
        finishing = true;
        if (offline && aof.isOpen()) {
            fail(new IllegalStateException("appendonly was turned on during the rewrite"));
            return;
        }
        boolean open = !offline;
        AofManifest previous;
        try {
            previous = open ? aof.writer().manifest() : aof.manifestOnDisk();
        } catch (IOException | IllegalArgumentException e) {
            fail(e);
            return;
        }
        FileEntry base = (previous == null ? AofManifest.empty(aof.baseName()) : previous).nextBase(rdb);
        boolean autoGc = aof.autoGc();
        Path target = aof.directory().resolve(base.name());
        CompletableFuture.runAsync(
                        () -> {
                            try {
                                if (diskFailure != null) {
                                    throw diskFailure;
                                }
                                out.force(true);
                                out.close();
                                Files.move(
                                        temp,
                                        target,
                                        StandardCopyOption.ATOMIC_MOVE,
                                        StandardCopyOption.REPLACE_EXISTING);
                                AofWriter.syncDirectory(aof.directory());
                            } catch (Throwable e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        disk)
                .thenCompose(v -> open
                        ? aof.writer().installBase(base, firstIncr, autoGc)
                        : CompletableFuture.runAsync(() -> listAlone(base, previous, autoGc), disk))
                .whenComplete((v, err) -> loop.execute(() -> {
                    if (err != null) {
                        fail(err);
                        return;
                    }
                    try {
                        if (open) {
                            aof.rewritten(aof.totalSize(aof.writer().manifest()));
                        }
                    } catch (IOException e) {
                        log.warn("Could not measure the rewritten append only file: {}", e.getMessage());
                    }
                    disk.shutdown();
                    log.info(
                            "Background AOF rewrite finished successfully ({} keys, new base {})",
                            snapshot.written(),
                            base.name());
                    done.accept(null);
                }));
    }

    /**
     * With appendonly off: the manifest lists the new base alone, every file it replaced becoming history
     * (deleted at once with {@code autoGc}).
     */
    private void listAlone(FileEntry base, AofManifest previous, boolean autoGc) {
        try {
            Path manifestPath = aof.directory().resolve(aof.manifestName());
            AofManifest alone = (previous == null ? AofManifest.empty(aof.baseName()) : previous).rewritten(base, null);
            AofWriter.writeManifest(aof.directory(), manifestPath, alone);
            if (autoGc) {
                AofWriter.withoutHistory(aof.directory(), manifestPath, alone);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the rewrite and deletes its temporary file (appendonly turned off); false, and nothing done, once
     * the new base is being installed. The files in the manifest are untouched.
     */
    boolean abort() {
        if (abandoned || finishing) {
            return false;
        }
        discard();
        return true;
    }

    private void fail(Throwable e) {
        discard();
        log.warn("Background AOF rewrite failed: {}", e.toString());
        done.accept(e);
    }

    private void discard() {
        abandoned = true;
        chunk.clear();
        if (snapshot != null && !snapshot.isDone()) {
            snapshot.finish();
        }
        disk.execute(() -> {
            try {
                out.close();
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The temporary file is not in any manifest; a leftover is harmless and overwritten next time.
            }
        });
        disk.shutdown();
    }
}
