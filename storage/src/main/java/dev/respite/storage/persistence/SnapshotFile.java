package dev.respite.storage.persistence;

import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Saves the whole keyspace to an RDB file and loads one into it. Saving writes a temporary file in the same
 * directory, forces it to disk and renames it over the old one, so that a crash at any moment leaves either
 * the previous snapshot or the new one, never a mix.
 */
public final class SnapshotFile {
    /** Receives loading progress about once a second. */
    @FunctionalInterface
    public interface Progress {
        void loading(long keys, long bytesRead, long totalBytes);
    }

    /** Told of each key a load leaves out because its time has passed (a master propagates its deletion). */
    @FunctionalInterface
    public interface ExpiredKeys {
        void skipped(int db, byte[] key);
    }

    /** What a load did. */
    public record LoadResult(
            long keys,
            long expiredSkipped,
            long emptySkipped,
            long bytes,
            int version,
            java.util.List<String> warnings) {}

    private SnapshotFile() {}

    /**
     * Writes every key of every database to {@code file} (those whose time passed too, as Redis does); returns
     * the file's size.
     *
     * @param redisVersion the redis-ver aux field (Redis 7.0 only logs it)
     */
    public static long save(Keyspace keyspace, Path file, String redisVersion, String... extraAux) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + file.getFileName());
        long size;
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream os = java.nio.channels.Channels.newOutputStream(channel);
            RdbWriter w = new RdbWriter(os);
            writeAll(keyspace, w, redisVersion, extraAux);
            size = w.bytesWritten();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("Cannot rename the snapshot into place atomically in " + dir, e);
        } catch (IOException e) {
            // A failed save leaves nothing behind: the previous snapshot, if any, stays as it was.
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
        return size;
    }

    /**
     * The RDB header with Respite's aux fields, then {@code extraAux} (name, value...): a replica's
     * replication id and offset, so that after a restart it can continue from its master's backlog.
     */
    public static void writeHeader(Keyspace keyspace, RdbWriter w, String redisVersion, String... extraAux)
            throws IOException {
        Runtime rt = Runtime.getRuntime();
        w.writeHeader(
                "redis-ver",
                redisVersion,
                "redis-bits",
                "64",
                "ctime",
                Long.toString(keyspace.now() / 1000),
                "used-mem",
                Long.toString(rt.totalMemory() - rt.freeMemory()));
        boolean aofBase = false;
        for (int i = 0; i + 1 < extraAux.length; i += 2) {
            w.writeAux(extraAux[i], extraAux[i + 1]);
            aofBase |= extraAux[i].equals("aof-base");
        }
        if (!aofBase) {
            w.writeAux("aof-base", "0");
        }
        for (byte[] code : keyspace.functions().libraryCodes()) {
            w.writeFunction(code);
        }
    }

    /** Writes the header, every database and the footer: the snapshot as a stream. */
    public static void writeAll(Keyspace keyspace, RdbWriter w, String redisVersion, String... extraAux)
            throws IOException {
        writeHeader(keyspace, w, redisVersion, extraAux);
        try {
            for (int i = 0; i < keyspace.count(); i++) {
                Database db = keyspace.db(i);
                if (db.size() == 0) {
                    continue;
                }
                w.writeDatabaseSelector(i, db.size(), db.expiringKeys());
                db.forEachHeld(e -> {
                    try {
                        w.writeEntry(e.key(), e.value(), e.expireAt());
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.writeFooter();
    }

    /**
     * Loads {@code file} into the (empty) keyspace. Keys whose time has passed are not loaded, as Redis does
     * on a primary.
     */
    public static LoadResult load(Path file, Keyspace keyspace, Progress progress) throws IOException {
        return load(file, keyspace, progress, (name, value) -> {}, false);
    }

    /**
     * Loads {@code file}, telling {@code aux} each auxiliary field (repl-id, repl-offset, repl-stream-db...).
     * With {@code merge} a key or function library already present is replaced (DEBUG RELOAD MERGE);
     * without, it fails the load.
     */
    public static LoadResult load(
            Path file,
            Keyspace keyspace,
            Progress progress,
            java.util.function.BiConsumer<String, byte[]> aux,
            boolean merge)
            throws IOException {
        return load(file, keyspace, progress, aux, (db, key) -> {}, merge);
    }

    /** As {@link #load(Path, Keyspace, Progress, java.util.function.BiConsumer, boolean)}, telling {@code expired}. */
    public static LoadResult load(
            Path file,
            Keyspace keyspace,
            Progress progress,
            java.util.function.BiConsumer<String, byte[]> aux,
            ExpiredKeys expired,
            boolean merge)
            throws IOException {
        return load(file, keyspace, progress, aux, expired, merge, false);
    }

    /**
     * As {@link #load(Path, Keyspace, Progress, java.util.function.BiConsumer, ExpiredKeys, boolean)}; {@code deep}
     * gives every value the deep check of sanitize-dump-payload yes.
     */
    public static LoadResult load(
            Path file,
            Keyspace keyspace,
            Progress progress,
            java.util.function.BiConsumer<String, byte[]> aux,
            ExpiredKeys expired,
            boolean merge,
            boolean deep)
            throws IOException {
        long total = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return load(in, total, keyspace, progress, aux, expired, merge, deep);
        }
    }

    public static LoadResult load(InputStream in, long total, Keyspace keyspace, Progress progress) throws IOException {
        return load(in, total, keyspace, progress, (name, value) -> {}, (db, key) -> {}, false, false);
    }

    private static LoadResult load(
            InputStream in,
            long total,
            Keyspace keyspace,
            Progress progress,
            java.util.function.BiConsumer<String, byte[]> aux,
            ExpiredKeys expired,
            boolean merge,
            boolean deep)
            throws IOException {
        RdbReader reader = new RdbReader(in, total, keyspace.limits());
        reader.deepCheck(deep);
        KeyspaceLoader target = new KeyspaceLoader(keyspace, expired, merge);
        long[] nextReport = {System.nanoTime() + 1_000_000_000L};
        java.util.List<String> warnings = new java.util.ArrayList<>();
        reader.read(new RdbVisitor() {
            @Override
            public void function(byte[] code, long offset) throws IOException {
                target.function(code, offset);
            }

            @Override
            public void entry(RdbEntry e) throws IOException {
                target.entry(e, reader.offset());
                if ((target.loaded() & 4095) == 0 && System.nanoTime() >= nextReport[0]) {
                    progress.loading(target.loaded(), reader.offset(), total);
                    nextReport[0] = System.nanoTime() + 1_000_000_000L;
                }
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }

            @Override
            public void aux(String name, byte[] value) {
                aux.accept(name, value);
            }
        });
        return new LoadResult(
                target.loaded(),
                target.expiredSkipped(),
                reader.emptyKeysSkipped(),
                reader.offset(),
                reader.version(),
                warnings);
    }

    /** Makes a rename inside {@code dir} durable. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
