package dev.respite.server.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * nodes.conf on disk: locked for the life of the server so that two servers cannot share it, read at
 * startup, and replaced atomically (a temporary file written, fsynced and renamed over it, then the
 * directory fsynced) whenever the configuration changes.
 */
public final class NodesConfFile implements AutoCloseable {
    private final Path path;
    private FileChannel lockChannel;
    private FileLock lock;

    public NodesConfFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Takes the lock, creating an empty file when there is none, as Redis does. */
    public void lock() throws NodesConfException {
        try {
            lockChannel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException e) {
            throw new NodesConfException("Can't open " + path + " in order to acquire a lock: " + e.getMessage(), e);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            close();
            throw new NodesConfException("Sorry, the cluster configuration file " + path
                    + " is already used by a different Redis Cluster node. Please make sure that different nodes use"
                    + " different cluster configuration files.");
        }
    }

    /** The file's text, or null when it is missing or empty (a new node). */
    public String read() throws NodesConfException {
        try {
            if (!Files.exists(path) || Files.size(path) == 0) {
                return null;
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NodesConfException("Loading the cluster node config from " + path + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file's content atomically; with {@code fsync} the data and the rename reach the disk. */
    public void write(String content, boolean fsync) throws IOException {
        Path tmp = path.resolveSibling(
                path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis());
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(true);
                }
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        relock();
        if (fsync) {
            Path dir = path.toAbsolutePath().getParent();
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    /**
     * The rename left the lock on the replaced file: take it on the new one, so a server started later
     * still finds the file locked.
     */
    private void relock() throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return;
        }
        close();
        lockChannel = ch;
        lock = l;
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // Closing at shutdown: the lock goes with the process anyway.
        }
    }
}
