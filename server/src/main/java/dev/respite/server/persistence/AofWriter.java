package dev.respite.server.persistence;

import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.AofManifest.FileEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns the append-only files on disk: appends the event loop's batches to the current
 * incremental file, fsyncs them by policy, and is the only writer of the manifest. Batches that queued up
 * while it was busy are written together and share one fsync (group commit). Under everysec and no the
 * event loop writes its piece itself ({@link #writeNow}) whenever nothing handed over before is still
 * pending, as Redis writes in its event loop: no thread hand-off per pass.
 */
final class AofWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AofWriter.class);

    enum Fsync {
        ALWAYS,
        EVERYSEC,
        NO
    }

    private sealed interface Task permits Append, Rotate, InstallBase, DropHistory, Sync {}

    /**
     * Bytes to append; {@code durable} runs once they are written (and fsynced under ALWAYS); {@code mark} counts
     * the commands logged up to their end.
     */
    private record Append(byte[] data, Fsync fsync, Runnable durable, long mark) implements Task {}

    private record Rotate(CompletableFuture<FileEntry> done) implements Task {}

    private record InstallBase(FileEntry base, FileEntry firstKept, boolean autoGc, CompletableFuture<Void> done)
            implements Task {}

    private record DropHistory(CompletableFuture<Void> done) implements Task {}

    private record Sync(boolean close, CompletableFuture<Void> done) implements Task {}

    private final Path dir;
    private final Path manifestPath;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private AofManifest manifest;
    private FileChannel current;
    private long lastSyncMillis = System.currentTimeMillis();
    private volatile long appendedBytes;
    /** {@link #appendedBytes} at the start of the last fsync: what lies past it may not be on disk yet. */
    private long syncedBytes;
    /** Tasks handed over, and tasks this thread has finished: the event loop writes itself only when equal. */
    private final AtomicLong submitted = new AtomicLong();
    /** Held while the event loop writes, so that the written bytes and their mark are read together. */
    private final Object written = new Object();

    private volatile long completed;
    /** The mark of the last append written, and of the last one known on disk (WAITAOF's local measure). */
    private volatile long writtenMark;

    private volatile long durableMark;
    /** The last append was made under appendfsync no: as in Redis, WAITAOF then counts nothing as on disk. */
    private volatile boolean policyNo;

    private volatile boolean lastWriteOk = true;
    private volatile boolean closed;
    private volatile boolean always;
    /** Told, on this thread, each time an fsync moved {@link #durableMark}. */
    private volatile Runnable fsynced = () -> {};
    /** DEBUG AOF-FLUSH-SLEEP: a pause before each write, for tests of what waits for the file. */
    private volatile long flushSleepMicros;

    AofWriter(Path dir, String manifestName, AofManifest manifest) throws IOException {
        this.dir = dir;
        this.manifestPath = dir.resolve(manifestName);
        this.manifest = manifest;
        this.current = FileChannel.open(
                dir.resolve(manifest.lastIncr().name()), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.thread = new Thread(this, "aof-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes the manifest durably: a temporary file, fsynced, renamed over the old one, the directory fsynced. */
    static void writeManifest(Path dir, Path manifestPath, AofManifest m) throws IOException {
        Path tmp = dir.resolve("temp-" + manifestPath.getFileName());
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(m.format().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, manifestPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    void append(byte[] data, Fsync fsync, Runnable durable, long mark) {
        if (closed) {
            // Nothing is written any more (shutdown): what waits for the bytes must not wait forever.
            if (durable != null) {
                durable.run();
            }
            return;
        }
        submit(new Append(data, fsync, durable, mark));
    }

    /**
     * On the event loop: writes {@code data} (fsynced later by this thread, by policy) at once, unless a task
     * handed over earlier is not finished, which must keep its place; false then, and nothing was written.
     */
    boolean writeNow(byte[] data, Fsync fsync, long mark) {
        if (submitted.get() != completed || closed) {
            return false;
        }
        if (data != null) {
            pauseBeforeWriting();
        }
        // With the mark, so that an fsync running meanwhile counts these commands durable only with their bytes.
        synchronized (written) {
            write(data);
            writtenMark = Math.max(writtenMark, mark);
        }
        policyNo = fsync == Fsync.NO;
        return true;
    }

    private void submit(Task t) {
        submitted.incrementAndGet();
        queue.add(t);
    }

    long durableMark() {
        return durableMark;
    }

    /** Starts a new incremental file for the writes that follow; completes with its entry once the manifest lists it. */
    CompletableFuture<FileEntry> rotate() {
        CompletableFuture<FileEntry> f = new CompletableFuture<>();
        submit(new Rotate(f));
        return f;
    }

    /**
     * Makes {@code base} the base file, the old one and the incremental files before {@code firstKept} becoming
     * history: deleted at once with {@code autoGc}, else listed until {@link #dropHistory()}.
     */
    CompletableFuture<Void> installBase(FileEntry base, FileEntry firstKept, boolean autoGc) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new InstallBase(base, firstKept, autoGc, f));
        return f;
    }

    /** Deletes the files the manifest lists as history and lists them no more (aof-disable-auto-gc turned off). */
    CompletableFuture<Void> dropHistory() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new DropHistory(f));
        return f;
    }

    /** Completes once everything queued before is written and fsynced; with {@code close}, the thread then ends. */
    CompletableFuture<Void> sync(boolean close) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.complete(null);
            return f;
        }
        submit(new Sync(close, f));
        return f;
    }

    AofManifest manifest() {
        return manifest;
    }

    long appendedBytes() {
        return appendedBytes;
    }

    boolean lastWriteOk() {
        return lastWriteOk;
    }

    @Override
    public void run() {
        List<Task> batch = new ArrayList<>();
        List<Runnable> durable = new ArrayList<>();
        while (!closed) {
            Task first;
            try {
                first = queue.poll(
                        unsynced() ? Math.max(1, 1000 - (System.currentTimeMillis() - lastSyncMillis)) : 1000,
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch);
                pauseBeforeWriting();
                boolean syncNeeded = false;
                for (Task t : batch) {
                    if (t instanceof Append a) {
                        write(a.data());
                        writtenMark = Math.max(writtenMark, a.mark());
                        policyNo = a.fsync() == Fsync.NO;
                        syncNeeded |= a.fsync() == Fsync.ALWAYS;
                        if (a.durable() != null) {
                            durable.add(a.durable());
                        }
                    } else {
                        // Anything else changes which files exist: what was appended so far is settled first.
                        settle(syncNeeded, durable);
                        syncNeeded = false;
                        perform(t);
                    }
                }
                settle(syncNeeded, durable);
                completed += batch.size();
                batch.clear();
            }
            if (unsynced() && System.currentTimeMillis() - lastSyncMillis >= 1000 && !closed) {
                fsync();
            }
        }
    }

    void setFlushSleepMicros(long micros) {
        flushSleepMicros = micros;
    }

    private void pauseBeforeWriting() {
        long micros = flushSleepMicros;
        if (micros > 0) {
            try {
                TimeUnit.MICROSECONDS.sleep(micros);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void settle(boolean syncNeeded, List<Runnable> durable) {
        if (syncNeeded) {
            fsync();
        }
        for (Runnable r : durable) {
            r.run();
        }
        durable.clear();
    }

    private void write(byte[] data) {
        if (data == null) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                current.write(b);
            }
            appendedBytes += data.length;
            lastWriteOk = true;
        } catch (IOException e) {
            failed("writing", e);
        }
    }

    private void fsync() {
        try {
            force();
        } catch (IOException e) {
            failed("fsyncing", e);
        }
        lastSyncMillis = System.currentTimeMillis();
    }

    /**
     * Forces what was written so far to disk; the durable mark moves on, unless the appends were made under
     * appendfsync no. Bytes the event loop writes during the force count only at the next one.
     */
    private void force() throws IOException {
        long bytes;
        long mark;
        synchronized (written) {
            bytes = appendedBytes;
            mark = writtenMark;
        }
        current.force(false);
        syncedBytes = bytes;
        if (!policyNo && durableMark < mark) {
            durableMark = mark;
            fsynced.run();
        }
    }

    private boolean unsynced() {
        return appendedBytes != syncedBytes;
    }

    /**
     * A write or fsync failed. Under appendfsync always an acknowledged write might not be on disk, which
     * Respite must never let happen, so it stops at once, as Redis does.
     */
    private void failed(String what, IOException e) {
        lastWriteOk = false;
        log.error("Error {} the append only file: {}", what, e.getMessage());
        if (always) {
            log.error("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            Runtime.getRuntime().halt(1);
        }
    }

    /** Who hears of each fsync that made more commands durable (WAITAOF waiters, a replica's FACK). */
    void onFsynced(Runnable listener) {
        this.fsynced = listener;
    }

    /** Set from the event loop when appendfsync changes. */
    void setAlways(boolean always) {
        this.always = always;
    }

    private void perform(Task t) {
        try {
            if (t instanceof Rotate r) {
                r.done().complete(rotateNow());
            } else if (t instanceof InstallBase ib) {
                installNow(ib.base(), ib.firstKept(), ib.autoGc());
                ib.done().complete(null);
            } else if (t instanceof DropHistory d) {
                manifest = withoutHistory(dir, manifestPath, manifest);
                d.done().complete(null);
            } else if (t instanceof Sync s) {
                fsync();
                if (s.close()) {
                    current.close();
                    closed = true;
                }
                s.done().complete(null);
            }
        } catch (IOException | RuntimeException e) {
            log.error("Append only file maintenance failed: {}", e.toString());
            if (t instanceof Rotate r) {
                r.done().completeExceptionally(e);
            } else if (t instanceof InstallBase ib) {
                ib.done().completeExceptionally(e);
            } else if (t instanceof DropHistory d) {
                d.done().completeExceptionally(e);
            } else if (t instanceof Sync s) {
                s.done().completeExceptionally(e);
            }
        }
    }

    private FileEntry rotateNow() throws IOException {
        AofManifest next = manifest.withNewIncr();
        FileEntry incr = next.lastIncr();
        FileChannel ch = FileChannel.open(
                dir.resolve(incr.name()),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            syncDirectory(dir);
            writeManifest(dir, manifestPath, next);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        // As Redis fsyncs the incremental file it closes, which counts for WAITAOF.
        force();
        current.close();
        current = ch;
        manifest = next;
        return incr;
    }

    private void installNow(FileEntry base, FileEntry firstKept, boolean autoGc) throws IOException {
        AofManifest next = manifest.rewritten(base, firstKept);
        writeManifest(dir, manifestPath, next);
        manifest = autoGc ? withoutHistory(dir, manifestPath, next) : next;
    }

    /**
     * Deletes the history files of {@code m} (none that it loads) and writes the manifest without them, as
     * Redis's aofDelHistoryFiles; returns that manifest ({@code m} itself when it has no history).
     */
    static AofManifest withoutHistory(Path dir, Path manifestPath, AofManifest m) throws IOException {
        if (m.history().isEmpty()) {
            return m;
        }
        Set<String> loaded = new HashSet<>();
        for (FileEntry f : m.files()) {
            loaded.add(f.name());
        }
        for (FileEntry f : m.history()) {
            if (!loaded.contains(f.name())) {
                log.info("Removing the history file {}", f.name());
                Files.deleteIfExists(dir.resolve(f.name()));
            }
        }
        AofManifest next = m.withoutHistory();
        writeManifest(dir, manifestPath, next);
        return next;
    }
}
