package dev.respite.server.persistence;

import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.net.Client;
import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.AofCheck;
import dev.respite.storage.persistence.AofFormatException;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.AofManifest.FileEntry;
import dev.respite.storage.persistence.AofReader;
import io.netty.channel.EventLoop;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
    private final List<FileEntry> files;
    private final Client client;
    private final CommandDispatcher dispatcher;
    private final Keyspace keyspace;
    private final EventLoop loop;
    private final boolean loadTruncated;
    private final Consumer<String> done;
    private final long totalBytes;
    private final long startMillis = System.currentTimeMillis();
    private long lastLogMillis = startMillis;
    private long loadedBefore;
    private int fileIndex = -1;
    private AofReader reader;
    private AofCheck transactions;
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
            Keyspace keyspace,
            EventLoop loop,
            boolean loadTruncated,
            Consumer<String> done)
            throws IOException {
        this.dir = dir;
        this.files = manifest.files();
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
                throw new IOException("The append only file " + p + " listed in the manifest does not exist");
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
        try {
            while (System.nanoTime() < deadline) {
                if (reader == null && !nextFile()) {
                    finish();
                    return false;
                }
                for (int i = 0; i < 256; i++) {
                    byte[][] cmd = reader.next();
                    if (cmd == null) {
                        endOfFile();
                        break;
                    }
                    transactions.observe(cmd, reader.commandStart());
                    dispatcher.execute(client, cmd);
                    commands++;
                }
                client.reply().discard();
            }
        } catch (AofFormatException e) {
            return damaged(e);
        } catch (IOException e) {
            done.accept("Error reading the append only file " + currentName() + ": " + e.getMessage());
            return false;
        }
        return true;
    }

    private boolean nextFile() throws IOException {
        fileIndex++;
        if (fileIndex >= files.size()) {
            return false;
        }
        InputStream in = new BufferedInputStream(
                Files.newInputStream(dir.resolve(files.get(fileIndex).name())), 1 << 16);
        reader = new AofReader(in);
        transactions = new AofCheck();
        return true;
    }

    private void endOfFile() throws IOException {
        long size = reader.goodOffset();
        reader.close();
        if (transactions.openMultiAt() >= 0) {
            revert(transactions.openMultiAt(), size, "an unfinished MULTI/EXEC transaction");
            client.endTransaction();
        }
        loadedBefore += size;
        reader = null;
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
            done.accept("Bad file format reading the append only file " + name + " at offset " + e.offset() + ": "
                    + e.getMessage() + ". Make a backup of it, then use respite-server --check-aof --fix "
                    + dir.resolve(name));
            return false;
        }
        if (!lastFile || !loadTruncated) {
            done.accept("Unexpected end of file reading the append only file " + name + " at offset " + e.offset()
                    + (lastFile ? " (aof-load-truncated is no)" : " (not the last file)")
                    + ". Use respite-server --check-aof --fix " + dir.resolve(name));
            return false;
        }
        try {
            long size = Files.size(dir.resolve(name));
            long keep = transactions.openMultiAt() >= 0 ? transactions.openMultiAt() : e.lastGoodOffset();
            if (transactions.openMultiAt() >= 0) {
                client.endTransaction();
            }
            revert(keep, size, "a last command cut short");
            loadedBefore += keep;
            reader = null;
            return true;
        } catch (IOException io) {
            done.accept("Could not truncate the append only file " + name + ": " + io.getMessage());
            return false;
        }
    }

    /** Cuts the file being loaded to {@code keep} bytes, so that new writes follow complete commands. */
    private void revert(long keep, long size, String why) throws IOException {
        String name = currentName();
        log.warn(
                "!!! Warning: short read while loading the AOF file {}: {}. AOF loaded anyway because "
                        + "aof-load-truncated is enabled: truncating it from {} to {} bytes, dropping {} bytes",
                name,
                why,
                size,
                keep,
                size - keep);
        AofCheck.truncate(dir.resolve(name), keep);
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
