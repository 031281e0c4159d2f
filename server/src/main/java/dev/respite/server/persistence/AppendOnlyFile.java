package dev.respite.server.persistence;

import dev.respite.server.EventLoopCycles;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.OutputGate;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.CommandBuffer;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file as the event loop sees it: commands are encoded into one buffer during a batch of
 * work, and when the batch ends the buffer goes to the {@link AofWriter} thread in one piece. Under
 * appendfsync always the batch's replies are held until that piece is fsynced ({@link OutputGate}): one
 * fsync per batch however many writes it held, never one per command.
 */
public final class AppendOnlyFile implements OutputGate {
    private static final Logger log = LoggerFactory.getLogger(AppendOnlyFile.class);
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final ServerConfig config;
    private final EventLoopCycles cycles;
    private final CommandBuffer pending = new CommandBuffer(64 * 1024);
    private boolean appendScheduled;
    private EventLoop loop;
    private AofWriter writer;
    private int lastDb = -1;
    /** Batches handed to the writer whose output still waits for their fsync. */
    private int held;
    /** Size of all files right after the last load or rewrite (aof_base_size). */
    private long baseSize;
    /** Commands fed so far, and how many of them are known fsynced: WAITAOF's local measure. */
    private long fedCommands;

    private long fsyncedCommands;
    /** Run on the event loop after each fsync that made more commands durable. */
    private Runnable fsynced = () -> {};

    AppendOnlyFile(ServerConfig config, EventLoopCycles cycles) {
        this.config = config;
        this.cycles = cycles;
    }

    public Path directory() {
        return Path.of(config.dir).resolve(config.appenddirname);
    }

    public String manifestName() {
        return config.appendfilename + ".manifest";
    }

    /**
     * The manifest to load at startup; when there is none yet, a fresh empty base file and a first
     * incremental file are created and listed, so that the directory is always a loadable set.
     */
    AofManifest prepare() throws IOException {
        Path dir = directory();
        Files.createDirectories(dir);
        Path manifestPath = dir.resolve(manifestName());
        if (Files.exists(manifestPath)) {
            return AofManifest.parse(config.appendfilename, Files.readString(manifestPath));
        }
        AofManifest empty = AofManifest.empty(config.appendfilename);
        AofManifest.FileEntry base = empty.nextBase();
        AofManifest fresh = empty.rewritten(base, base).withNewIncr();
        Files.write(dir.resolve(base.name()), new byte[0]);
        Files.write(dir.resolve(fresh.lastIncr().name()), new byte[0]);
        AofWriter.syncDirectory(dir);
        AofWriter.writeManifest(dir, manifestPath, fresh);
        log.info(
                "Creating AOF base file {} and incr file {} in {}",
                base.name(),
                fresh.lastIncr().name(),
                dir);
        return fresh;
    }

    /** Starts appending to the last incremental file of {@code manifest}, which loading left intact. */
    void open(EventLoop loop, AofManifest manifest) throws IOException {
        this.loop = loop;
        AofManifest m = manifest.lastIncr() == null ? manifest.withNewIncr() : manifest;
        if (manifest.lastIncr() == null) {
            Files.write(directory().resolve(m.lastIncr().name()), new byte[0]);
            AofWriter.writeManifest(directory(), directory().resolve(manifestName()), m);
        }
        writer = new AofWriter(directory(), manifestName(), m);
        writer.setAlways(isAlways());
        writer.onFsynced(this::tellFsynced);
        baseSize = totalSize(m);
    }

    /** After {@link #close}: appendonly was turned off. */
    void detach() {
        writer = null;
        held = 0;
        lastDb = -1;
    }

    public boolean isOpen() {
        return writer != null;
    }

    AofWriter writer() {
        return writer;
    }

    /** Appends one command executed in database {@code db} (-1: not tied to one, as MULTI and EXEC). */
    void feed(int db, byte[][] cmd) {
        fedCommands++;
        if (db >= 0 && db != lastDb) {
            pending.command(SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
            lastDb = db;
        }
        pending.command(cmd);
    }

    /** The next command goes to a new file, which must say its database again. */
    void forgetDatabase() {
        lastDb = -1;
    }

    private boolean isAlways() {
        return config.appendfsync.equals("always");
    }

    @Override
    public boolean holdsOutput() {
        return writer != null && (held > 0 || (!pending.isEmpty() && isAlways()));
    }

    @Override
    public void endBatch(Runnable release) {
        if (writer == null || (pending.isEmpty() && held == 0)) {
            if (release != null) {
                release.run();
            }
            return;
        }
        boolean always = isAlways();
        writer.setAlways(always);
        if (!always && held == 0) {
            // As Redis does, the log is handed on once per event-loop pass, not once per client's read batch:
            // each hand-off wakes the writer thread.
            if (!appendScheduled && !pending.isEmpty()) {
                appendScheduled = true;
                loop.execute(this::appendPending);
            }
            if (release != null) {
                release.run();
            }
            return;
        }
        byte[] data = pending.isEmpty() ? null : pending.toByteArray();
        pending.clear();
        held++;
        writer.append(
                data,
                AofWriter.Fsync.ALWAYS,
                () -> loop.execute(() -> {
                    held--;
                    if (release != null) {
                        release.run();
                    }
                }),
                fedCommands);
    }

    private void appendPending() {
        appendScheduled = false;
        if (writer == null || pending.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        byte[] data = pending.toByteArray();
        pending.clear();
        writer.append(
                data,
                config.appendfsync.equals("no") ? AofWriter.Fsync.NO : AofWriter.Fsync.EVERYSEC,
                null,
                fedCommands);
        cycles.aof(System.nanoTime() - start);
    }

    /** Hands over what is buffered now, outside a batch's end (before a rewrite switches files, at shutdown). */
    void pushPending() {
        if (writer != null && !isAlways() && held == 0) {
            appendPending();
        } else {
            endBatch(null);
        }
    }

    long fedCommands() {
        return fedCommands;
    }

    /** Who hears, on the event loop, of each fsync that made more commands durable. */
    void onFsynced(Runnable listener) {
        this.fsynced = listener;
    }

    /** On the writer thread: the news goes to the event loop, unless that is already shut down. */
    private void tellFsynced() {
        try {
            loop.execute(fsynced);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: nobody waits for it any more.
        }
    }

    long fsyncedCommands() {
        return writer == null ? fsyncedCommands : Math.max(fsyncedCommands, writer.durableMark());
    }

    /**
     * Hands on what is buffered and asks the writer for an fsync; {@code done} runs on the event loop once
     * everything fed before this call is on disk (at once when the file is not open).
     */
    void fsyncThen(Runnable done) {
        long mark = fedCommands;
        if (writer == null) {
            fsyncedCommands = Math.max(fsyncedCommands, mark);
            done.run();
            return;
        }
        pushPending();
        writer.sync(false)
                .whenComplete((ok, error) -> loop.execute(() -> {
                    if (error == null) {
                        fsyncedCommands = Math.max(fsyncedCommands, mark);
                    }
                    done.run();
                }));
    }

    /** Writes and fsyncs everything buffered, keeping the files open; waits up to a few seconds. */
    void flushToDisk() throws IOException {
        if (writer == null) {
            return;
        }
        pushPending();
        try {
            writer.sync(false).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing the append only file");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not flush the append only file: " + e);
        }
    }

    /** The manifest as it is on disk, or null when there is none (the append-only file was never on here). */
    /** The files' common name (appendfilename), before ".1.base.aof" and the like. */
    String baseName() {
        return config.appendfilename;
    }

    AofManifest manifestOnDisk() throws IOException {
        Path manifestPath = directory().resolve(manifestName());
        if (!Files.exists(manifestPath)) {
            return null;
        }
        return AofManifest.parse(config.appendfilename, Files.readString(manifestPath));
    }

    /** Writes and fsyncs everything buffered, then closes the files; waits up to a few seconds. */
    public void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.sync(true).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("Could not fsync the append only file at shutdown: {}", e.toString());
        }
    }

    /** aof_current_size: the base and incremental files now. */
    public long currentSize() {
        return writer == null ? 0 : baseSize + writer.appendedBytes();
    }

    public long baseSize() {
        return baseSize;
    }

    void rewritten(long newBaseSize) {
        baseSize = newBaseSize - writer.appendedBytes();
    }

    public boolean lastWriteOk() {
        return writer == null || writer.lastWriteOk();
    }

    long totalSize(AofManifest m) throws IOException {
        long n = 0;
        for (AofManifest.FileEntry f : m.files()) {
            Path p = directory().resolve(f.name());
            if (Files.exists(p)) {
                n += Files.size(p);
            }
        }
        return n;
    }
}
