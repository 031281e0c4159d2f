package dev.respite.server.persistence;

import dev.respite.protocol.ArgumentArrays;
import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.AofCheck;
import dev.respite.storage.persistence.AofFormatException;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.AofManifest.FileEntry;
import dev.respite.storage.persistence.AofReader;
import dev.respite.storage.persistence.RdbFormatException;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the files of a manifest through the normal dispatcher with a client that has no connection, so
 * every command means at load what it meant when it ran. Works on the event loop in slices of a few
 * milliseconds: between them clients are served (with -LOADING) and INFO reports progress.
 */
final class AofLoader implements LoadProgress {
    private static final Logger log = LoggerFactory.getLogger(AofLoader.class);
    private static final long SLICE_NANOS = 20_000_000;
    private static final long PROGRESS_LOG_MILLIS = 2_000;

    private final Path dir;
    private final String baseName;
    private final List<FileEntry> files;
    private final Client client;
    private final CommandDispatcher dispatcher;
    private final CommandTable table;
    private final Keyspace keyspace;
    private final EventLoop loop;
    private final boolean loadTruncated;
    private final Consumer<String> done;
    private final long totalBytes;
    private final long startMillis = System.currentTimeMillis();
    private long lastLogMillis = startMillis;
    private long loadedBefore;
    private int fileIndex = -1;
    private long fileStartNanos;
    private AofReader reader;
    private AofCheck transactions;
    /** The arrays of replayed commands that kept none, for the next commands (as a connection's decoder does). */
    private final ArgumentArrays spares = new ArgumentArrays();

    private long commands;

    /**
     * {@code done} gets null when everything loaded, or the reason the server must not start. The files
     * must exist; {@code client} must be authenticated and not connected.
     */
    AofLoader(
            Path dir,
            AofManifest manifest,
            Client client,
            CommandDispatcher dispatcher,
            CommandTable commands,
            Keyspace keyspace,
            EventLoop loop,
            boolean loadTruncated,
            Consumer<String> done)
            throws IOException {
        this.table = commands;
        this.dir = dir;
        this.files = manifest.files();
        this.baseName = manifest.baseName();
        this.client = client;
        this.dispatcher = dispatcher;
        this.keyspace = keyspace;
        this.loop = loop;
        this.loadTruncated = loadTruncated;
        this.done = done;
        long total = 0;
        for (FileEntry f : files) {
            Path p = dir.resolve(f.name());
            if (!Files.exists(p)) {
                // Redis's words: tools and tests look for the file name and the system's reason.
                throw new IOException(
                        "Unable to obtain the AOF file " + f.name() + " length. stat: No such file or directory");
            }
            total += Files.size(p);
        }
        this.totalBytes = total;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public long loadedBytes() {
        return loadedBefore + (reader == null ? 0 : reader.goodOffset());
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    void start() {
        log.info("Loading the append only file ({} files, {} bytes)", files.size(), totalBytes);
        loop.execute(this::slice);
    }

    private void slice() {
        if (work(System.nanoTime() + SLICE_NANOS)) {
            progress();
            loop.execute(this::slice);
        }
    }

    /** Loads everything before returning, on the calling thread, which must be the event loop. */
    void runToEnd() {
        log.info("Loading the append only file ({} files, {} bytes)", files.size(), totalBytes);
        while (work(System.nanoTime() + SLICE_NANOS)) {
            progress();
        }
    }

    /** Replays commands until {@code deadline}; false once {@code done} has been told the outcome. */
    private boolean work(long deadline) {
        // As Redis loads: nothing expires during the replay, so a key whose TTL is past still takes the commands
        // the file has for it, and goes once loading is over.
        keyspace.holdExpiry(true);
        try {
            while (System.nanoTime() < deadline) {
                if (reader == null && !nextFile()) {
                    finish();
                    return false;
                }
                for (int i = 0; i < 256; i++) {
                    byte[][] cmd = reader.next();
                    if (cmd == null) {
                        if (!endOfFile()) {
                            return false;
                        }
                        break;
                    }
                    CommandSpec spec = table.lookup(cmd[0]);
                    if (spec == null) {
                        done.accept("Unknown command '" + new String(cmd[0], StandardCharsets.UTF_8)
                                + "' reading the append only file " + currentName());
                        reader.close();
                        return false;
                    }
                    transactions.observe(cmd, reader.commandStart());
                    dispatcher.execute(client, cmd);
                    commands++;
                    if (spec.argumentsReusable() && !client.inTransaction() && !client.isBlocked()) {
                        spares.give(cmd);
                    }
                }
                client.reply().discard();
            }
        } catch (AofFormatException e) {
            return damaged(e);
        } catch (RdbFormatException e) {
            done.accept(rdbError(e));
            return false;
        } catch (IOException e) {
            done.accept("Error reading the append only file " + currentName() + ": " + e.getMessage());
            return false;
        } finally {
            keyspace.holdExpiry(false);
        }
        return true;
    }

    private boolean nextFile() throws IOException {
        fileIndex++;
        if (fileIndex >= files.size()) {
            return false;
        }
        fileStartNanos = System.nanoTime();
        Path file = dir.resolve(files.get(fileIndex).name());
        long start = AofCheck.startsWithRdb(file) ? loadRdb(file) : 0;
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.skipNBytes(start);
        reader = new AofReader(in, start);
        reader.argumentArrays(spares::take);
        transactions = new AofCheck();
        return true;
    }

    /** Loads the RDB part of {@code file}; returns where the commands after it (if any) start. */
    private long loadRdb(Path file) throws IOException {
        log.info(oldStyle() ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long end = SnapshotFile.load(in, size, keyspace, (keys, read, total) -> {})
                    .bytes();
            if (oldStyle()) {
                log.info("Reading the remaining AOF tail...");
            }
            return end;
        }
    }

    /** The file being loaded is an old single-file append-only file (named appendfilename itself). */
    private boolean oldStyle() {
        return currentName().equals(baseName);
    }

    private String rdbError(RdbFormatException e) {
        log.warn("{}", e.getMessage());
        return oldStyle()
                ? "Error reading the RDB preamble of the AOF file " + currentName() + ", AOF loading aborted"
                : "Error reading the RDB base file " + currentName() + ", AOF loading aborted";
    }

    /** False when an unfinished transaction at the end stops the load (done has been told). */
    private boolean endOfFile() throws IOException {
        long size = reader.goodOffset();
        reader.close();
        String name = currentName();
        if (transactions.openMultiAt() >= 0) {
            log.warn("Revert incomplete MULTI/EXEC transaction in AOF file {}", name);
            client.endTransaction();
            if (!loadTruncated) {
                done.accept(unexpectedEnd(name));
                return false;
            }
            revert(transactions.openMultiAt());
            if (fileIndex != files.size() - 1) {
                done.accept("Fatal error: the truncated file is not the last file");
                return false;
            }
            size = transactions.openMultiAt();
        }
        loaded(name);
        loadedBefore += size;
        reader = null;
        return true;
    }

    private void loaded(String name) {
        log.info(String.format(
                java.util.Locale.ROOT,
                "DB loaded from %s file %s: %.3f seconds",
                fileIndex == 0 && !files.isEmpty() && files.get(0).type() == AofManifest.Type.BASE ? "base" : "incr",
                name,
                (System.nanoTime() - fileStartNanos) / 1e9));
    }

    private static String unexpectedEnd(String name) {
        return "Unexpected end of file reading the append only file " + name + ". You can: 1) Make a backup of"
                + " your AOF file, then use respite-server --check-aof --fix <filename.manifest>. 2) Alternatively"
                + " you can set the 'aof-load-truncated' configuration option to yes and restart the server.";
    }

    /** Returns true to go on loading after a short read at the very end was dropped. */
    private boolean damaged(AofFormatException e) {
        String name = currentName();
        boolean lastFile = fileIndex == files.size() - 1;
        try {
            reader.close();
        } catch (IOException ignored) {
            // Only reading; nothing to lose.
        }
        if (!e.truncated()) {
            log.warn("{}: {}", name, e.getMessage());
            done.accept("Bad file format reading the append only file " + name + ": make a backup of your AOF file,"
                    + " then use respite-server --check-aof --fix <filename.manifest>");
            return false;
        }
        if (!loadTruncated) {
            done.accept(unexpectedEnd(name));
            return false;
        }
        try {
            long keep = transactions.openMultiAt() >= 0 ? transactions.openMultiAt() : e.lastGoodOffset();
            if (transactions.openMultiAt() >= 0) {
                client.endTransaction();
            }
            revert(keep);
            if (!lastFile) {
                done.accept("Fatal error: the truncated file is not the last file");
                return false;
            }
            loaded(name);
            loadedBefore += keep;
            reader = null;
            return true;
        } catch (IOException io) {
            done.accept("Error truncating the AOF file " + name + ": " + io.getMessage());
            return false;
        }
    }

    /** Cuts the file being loaded to {@code keep} bytes, so that new writes follow complete commands. */
    private void revert(long keep) throws IOException {
        String name = currentName();
        log.warn("!!! Warning: short read while loading the AOF file {}!!!", name);
        log.warn("!!! Truncating the AOF {} at offset {} !!!", name, keep);
        AofCheck.truncate(dir.resolve(name), keep);
        log.warn("AOF {} loaded anyway because aof-load-truncated is enabled", name);
    }

    private String currentName() {
        return files.get(Math.min(Math.max(fileIndex, 0), files.size() - 1)).name();
    }

    private void progress() {
        long now = System.currentTimeMillis();
        if (now - lastLogMillis < PROGRESS_LOG_MILLIS) {
            return;
        }
        lastLogMillis = now;
        double mb = loadedBytes() / 1048576.0;
        double secs = Math.max(0.001, (now - startMillis) / 1000.0);
        log.info(String.format(
                java.util.Locale.ROOT,
                "Loading the append only file: %d keys loaded, %.1f MB read of %.1f MB (%.1f%%), %.1f MB/s",
                keyspace.totalKeys(),
                mb,
                totalBytes / 1048576.0,
                percent(),
                mb / secs));
    }

    double percent() {
        return totalBytes == 0 ? 100.0 : 100.0 * loadedBytes() / totalBytes;
    }

    private void finish() {
        client.reply().discard();
        double secs = (System.currentTimeMillis() - startMillis) / 1000.0;
        log.info(String.format(
                java.util.Locale.ROOT,
                "DB loaded from append only file: %.3f seconds (%d commands, %d keys)",
                secs,
                commands,
                keyspace.totalKeys()));
        done.accept(null);
    }
}
