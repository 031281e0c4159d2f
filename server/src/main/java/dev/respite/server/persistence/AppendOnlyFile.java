package dev.respite.server.persistence;

import dev.respite.server.EventLoopCycles;
import dev.respite.server.ServerVersion;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.OutputGate;
import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.CommandBuffer;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file as the event loop sees it: commands are encoded into one buffer during a batch of
 * work, and the buffer is written in one piece. Replies to writes are held
 * ({@link OutputGate}) until their piece is in the file, as Redis writes the file before it replies: under
 * appendfsync always until it is fsynced (one fsync per batch however many writes it held, never one per
 * command); under everysec and no the event loop writes the pass's piece itself once per pass, and hands it
 * to the writer only when work handed over before is still pending there.
 */
public final class AppendOnlyFile implements OutputGate {
    private static final Logger log = LoggerFactory.getLogger(AppendOnlyFile.class);
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);

    private final ServerConfig config;
    private final EventLoopCycles cycles;
    private final CommandBuffer pending = new CommandBuffer(64 * 1024);
    private boolean appendScheduled;
    /** Releases of the output of this pass's batches, which wait for the pass's piece to be written. */
    private final List<Runnable> waiting = new ArrayList<>();

    private EventLoop loop;
    private AofWriter writer;
    private int lastDb = -1;
    /** Pieces handed to the writer whose batches' output still waits for them to be written or fsynced. */
    private int held;
    /** Size of all files right after the last load or rewrite (aof_base_size). */
    private long baseSize;
    /** Commands fed so far, and how many of them are known fsynced: WAITAOF's local measure. */
    private long fedCommands;

    private long fsyncedCommands;
    /** Run on the event loop after each fsync that made more commands durable. */
    private Runnable fsynced = () -> {};

    private long flushSleepMicros;
    /** The second of the last #TS: annotation written (aof-timestamp-enabled). */
    private long lastTimestamp;

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
     * The manifest to load at start-up, read strictly (an {@link dev.respite.storage.persistence.AofManifestException}
     * when it is damaged); empty when there is none. An old single-file append-only file ({@code appendfilename}
     * in {@code dir}) is first moved into the directory and listed as the base, as Redis 7 upgrades one.
     */
    AofManifest loadAtStartup() throws IOException {
        Path dir = directory();
        Path manifestPath = dir.resolve(manifestName());
        boolean hasDir = Files.isDirectory(dir);
        AofManifest m = hasDir && Files.exists(manifestPath)
                ? AofManifest.parse(config.appendfilename, Files.readString(manifestPath))
                : AofManifest.empty(config.appendfilename);
        Path old = Path.of(config.dir).resolve(config.appendfilename);
        boolean nothingListed = m.base() == null && m.incrs().isEmpty();
        boolean upgradeInterrupted = m.base() != null
                && m.incrs().isEmpty()
                && m.base().name().equals(config.appendfilename)
                && !Files.exists(dir.resolve(config.appendfilename));
        if (Files.isRegularFile(old) && (!hasDir || nothingListed || upgradeInterrupted)) {
            Files.createDirectories(dir);
            m = AofManifest.upgraded(config.appendfilename);
            AofWriter.writeManifest(dir, manifestPath, m);
            Files.move(old, dir.resolve(config.appendfilename), StandardCopyOption.ATOMIC_MOVE);
            log.info(
                    "Successfully migrated an old-style AOF file ({}) into the AOF directory ({}).",
                    config.appendfilename,
                    config.appenddirname);
        }
        return m;
    }

    /**
     * After the start-up load: a server that had no files writes a base of its (empty) dataset, and appending
     * continues in the last incremental file, or a new one; the manifest lists both before anything is written.
     */
    void openAtStartup(EventLoop loop, AofManifest loaded, Keyspace keyspace) throws IOException {
        Path dir = directory();
        Files.createDirectories(dir);
        AofManifest m = loaded;
        if (m.base() == null && m.incrs().isEmpty()) {
            AofManifest.FileEntry base = m.nextBase(config.aofUseRdbPreamble);
            writeEmptyBase(dir.resolve(base.name()), keyspace);
            m = m.rewritten(base, base);
            log.info("Creating AOF base file {} on server start", base.name());
        }
        boolean reopened = m.lastIncr() != null;
        if (!reopened) {
            m = m.withNewIncr();
            Files.write(dir.resolve(m.lastIncr().name()), new byte[0]);
        }
        AofWriter.writeManifest(dir, dir.resolve(manifestName()), m);
        log.info(
                "{} AOF incr file {} on server start",
                reopened ? "Opening" : "Creating",
                m.lastIncr().name());
        open(loop, m);
    }

    /** A base for a dataset with nothing loaded: an RDB snapshot of it, or an empty command file. */
    private void writeEmptyBase(Path file, Keyspace keyspace) throws IOException {
        if (config.aofUseRdbPreamble) {
            SnapshotFile.save(keyspace, file, ServerVersion.REDIS_VERSION, "aof-base", "1");
        } else {
            Files.write(file, new byte[0]);
            AofWriter.syncDirectory(directory());
        }
    }

    /**
     * Appendonly turned on at run time: appending starts in a new incremental file that the manifest on disk
     * does not list yet. The first rewrite lists it with the base it writes, as Redis 7 does with its
     * temporary incremental file; until then a restart loads what the manifest listed before.
     */
    void openUnlisted(EventLoop loop) throws IOException {
        Path dir = directory();
        Files.createDirectories(dir);
        AofManifest onDisk = manifestOnDisk();
        AofManifest m = (onDisk == null ? AofManifest.empty(config.appendfilename) : onDisk).withNewIncr();
        Files.write(dir.resolve(m.lastIncr().name()), new byte[0]);
        open(loop, m);
    }

    /** Starts appending to the last incremental file of {@code manifest}, which loading left intact. */
    private void open(EventLoop loop, AofManifest manifest) throws IOException {
        this.loop = loop;
        writer = new AofWriter(directory(), manifestName(), manifest);
        writer.setAlways(isAlways());
        writer.onFsynced(this::tellFsynced);
        writer.setFlushSleepMicros(flushSleepMicros);
        baseSize = totalSize(manifest);
    }

    /** DEBUG AOF-FLUSH-SLEEP: the writer pauses this long before each write (0: not at all). */
    void setFlushSleepMicros(long micros) {
        flushSleepMicros = micros;
        if (writer != null) {
            writer.setFlushSleepMicros(micros);
        }
    }

    /** After {@link #close}: appendonly was turned off. */
    void detach() {
        writer = null;
        held = 0;
        lastDb = -1;
        releaseWaiting();
    }

    public boolean isOpen() {
        return writer != null;
    }

    AofWriter writer() {
        return writer;
    }

    /** Whether files a rewrite replaced are deleted at once (aof-disable-auto-gc no) or kept listed as history. */
    boolean autoGc() {
        return !config.aofDisableAutoGc;
    }

    /**
     * Deletes the files the manifest lists as history and lists them no more, as Redis does when auto gc is on
     * again, after start-up and on DEBUG LOADAOF: through the writer when the file is open, else on disk.
     */
    void collectHistory() throws IOException {
        if (writer != null) {
            try {
                writer.dropHistory().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("could not delete the history files: " + e.getMessage(), e);
            }
            return;
        }
        AofManifest m = manifestOnDisk();
        if (m != null) {
            AofWriter.withoutHistory(directory(), directory().resolve(manifestName()), m);
        }
    }

    /** Appends one command executed in database {@code db} (-1: not tied to one, as MULTI and EXEC). */
    void feed(int db, byte[][] cmd) {
        fedCommands++;
        if (config.aofTimestampEnabled) {
            long now = System.currentTimeMillis() / 1000;
            if (now > lastTimestamp) {
                pending.timestamp(now);
                lastTimestamp = now;
            }
        }
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

    private boolean isNo() {
        return config.appendfsync.equals("no");
    }

    @Override
    public boolean holdsOutput() {
        return writer != null && (held > 0 || !waiting.isEmpty() || !pending.isEmpty());
    }

    @Override
    public void endBatch(Runnable release) {
        if (writer == null || (pending.isEmpty() && held == 0 && waiting.isEmpty())) {
            if (release != null) {
                release.run();
            }
            return;
        }
        boolean always = isAlways();
        writer.setAlways(always);
        if (!always) {
            // As Redis does, the log is written once per event-loop pass, not once per client's read batch.
            if (release != null) {
                waiting.add(release);
            }
            if (!appendScheduled) {
                appendScheduled = true;
                loop.execute(this::appendPending);
            }
            return;
        }
        if (!waiting.isEmpty()) {
            // Output of earlier batches of this pass leaves first.
            appendPending();
        }
        byte[] data = pending.isEmpty() ? null : pending.toByteArray();
        pending.clear();
        writer.append(data, AofWriter.Fsync.ALWAYS, afterWriting(release), fedCommands);
    }

    /** What the writer runs once a piece is written (and fsynced if asked): the release, on the event loop. */
    private Runnable afterWriting(Runnable release) {
        held++;
        return () -> loop.execute(() -> {
            if (held > 0) {
                held--;
            }
            if (release != null) {
                release.run();
            }
        });
    }

    private void appendPending() {
        appendScheduled = false;
        if (writer == null) {
            releaseWaiting();
            return;
        }
        if (pending.isEmpty() && waiting.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        byte[] data = pending.isEmpty() ? null : pending.toByteArray();
        pending.clear();
        AofWriter.Fsync policy =
                isAlways() ? AofWriter.Fsync.ALWAYS : isNo() ? AofWriter.Fsync.NO : AofWriter.Fsync.EVERYSEC;
        if (policy != AofWriter.Fsync.ALWAYS && held == 0 && writer.writeNow(data, policy, fedCommands)) {
            cycles.aof(System.nanoTime() - start);
            releaseWaiting();
            return;
        }
        Runnable release = null;
        if (!waiting.isEmpty()) {
            Runnable[] releases = waiting.toArray(new Runnable[0]);
            waiting.clear();
            release = () -> {
                for (Runnable r : releases) {
                    r.run();
                }
            };
        }
        writer.append(data, policy, release == null ? null : afterWriting(release), fedCommands);
        cycles.aof(System.nanoTime() - start);
    }

    private void releaseWaiting() {
        for (int i = 0; i < waiting.size(); i++) {
            waiting.get(i).run();
        }
        waiting.clear();
    }

    /** Hands over what is buffered now, outside a batch's end (before a rewrite switches files, at shutdown). */
    void pushPending() {
        if (writer != null && !isAlways()) {
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

    /** aof-timestamp-enabled: a base written as commands starts with the time. */
    boolean timestamps() {
        return config.aofTimestampEnabled;
    }

    /** A rewrite started now writes its base as an RDB snapshot (aof-use-rdb-preamble). */
    boolean rdbBase() {
        return config.aofUseRdbPreamble;
    }

    /** The files' common name (appendfilename), before ".1.base.aof" and the like. */
    String baseName() {
        return config.appendfilename;
    }

    /** The manifest as it is on disk, or null when there is none (the append-only file was never on here). */
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
