package dev.respite.server.persistence;

import dev.respite.server.RespiteServer;
import dev.respite.server.config.ServerConfig;
import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.SnapshotFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's RDB snapshot: where it lives (dir and dbfilename), loading it at startup, saving it on
 * demand, and the time of the last successful save.
 */
public final class Snapshots {
    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final ServerConfig config;
    private final Keyspace keyspace;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;

    public Snapshots(ServerConfig config, Keyspace keyspace) {
        this.config = config;
        this.keyspace = keyspace;
    }

    public Path file() {
        return Path.of(config.dir).resolve(config.dbfilename);
    }

    /** Unix time of the last successful save, or of the start (LASTSAVE). */
    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    /** Writes the snapshot now, on the calling (keyspace) thread. */
    public void save() throws IOException {
        long start = System.nanoTime();
        long size = SnapshotFile.save(keyspace, file(), RespiteServer.REDIS_VERSION);
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        keyspace.resetDirty();
        log.info("DB saved on disk ({} bytes in {} ms)", size, (System.nanoTime() - start) / 1_000_000);
    }

    /** Loads the snapshot if there is one; a damaged file stops the start, as in Redis. */
    public void loadAtStartup() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return;
        }
        long start = System.nanoTime();
        try {
            log.info("Loading RDB {} ({} MB)", file, mb(Files.size(file)));
            SnapshotFile.LoadResult r = SnapshotFile.load(file, keyspace, (keys, read, total) ->
                    log.info("Loading RDB: {} keys, {} MB read ({}%)", keys, mb(read), total > 0 ? read * 100 / total : 0));
            for (String w : r.warnings()) {
                log.warn("{}", w);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            log.info("Done loading RDB (version {}), keys loaded: {}, keys expired: {}, {} MB in {} ms",
                    r.version(), r.keys(), r.expiredSkipped(), mb(r.bytes()), ms);
        } catch (IOException e) {
            throw new IllegalStateException("Can't load RDB " + file + ": " + e.getMessage(), e);
        }
    }

    private static String mb(long bytes) {
        return String.format("%.2f", bytes / 1048576.0);
    }
}
