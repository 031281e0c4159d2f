package dev.respite.server.persistence;

import dev.respite.server.ServerVersion;
import dev.respite.server.StartUpGarbage;
import dev.respite.server.config.ServerConfig;
import dev.respite.storage.Keyspace;
import dev.respite.storage.persistence.RdbFormatException;
import dev.respite.storage.persistence.SnapshotFile;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's RDB snapshot: where it lives (dir and dbfilename), loading it at startup, saving it on
 * demand, and the time of the last successful save.
 */
public final class Snapshots {
    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final ServerConfig config;
    private final Keyspace keyspace;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private BackgroundSave running;
    private long runningSinceMillis;
    private long dirtyAtStart;
    private boolean lastStatusOk = true;
    private long lastDurationSeconds = -1;
    private long lastFailureMillis;
    private long saves;
    private boolean scheduled;
    /** The running background save was given up (FLUSHALL): its end is no failure. */
    private boolean aborting;
    /** Told how the running background save ended (a replication payload waits for its file). */
    private java.util.function.Consumer<Boolean> whenFinished;
    /** Aux fields every save adds (a replica's replication id and offset); none by default. */
    private java.util.function.Supplier<String[]> extraAux = () -> new String[0];
    /** Told of the keys the startup load leaves out as expired; nothing by default. */
    private SnapshotFile.ExpiredKeys expiredAtLoad = (db, key) -> {};

    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    /** The aux fields of the file loaded at startup. */
    private final java.util.Map<String, String> loadedAux = new java.util.HashMap<>();

    public Snapshots(ServerConfig config, Keyspace keyspace) {
        this.config = config;
        this.keyspace = keyspace;
    }

    /** Fields written into every snapshot's header from now on. */
    public void addAuxFields(java.util.function.Supplier<String[]> fields) {
        this.extraAux = fields;
    }

    /** Who hears of the keys the startup load leaves out because their time has passed. */
    public void onExpiredAtLoad(SnapshotFile.ExpiredKeys listener) {
        this.expiredAtLoad = listener;
    }

    /** INFO's rdb_last_load_keys_loaded and rdb_last_load_keys_expired: what the startup load did. */
    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }

    /** The aux fields (name to value) of the snapshot loaded at startup; empty if none was. */
    public java.util.Map<String, String> loadedAux() {
        return loadedAux;
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
        if (running != null) {
            throw new IOException("Background save already in progress");
        }
        long start = System.nanoTime();
        long size = SnapshotFile.save(keyspace, file(), ServerVersion.REDIS_VERSION, extraAux.get());
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        keyspace.resetDirty();
        saves++;
        lastStatusOk = true;
        log.info("DB saved on disk ({} bytes in {} ms)", size, (System.nanoTime() - start) / 1_000_000);
    }

    public boolean bgsaveInProgress() {
        return running != null;
    }

    /**
     * Starts a background save; false if one is running. Another keyspace snapshot (an append-only
     * rewrite) in progress is reported by an IllegalStateException.
     */
    public boolean bgsave(EventLoop loop) throws IOException {
        if (running != null) {
            return false;
        }
        if (keyspace.snapshot() != null) {
            throw new IllegalStateException("another snapshot is running");
        }
        dirtyAtStart = keyspace.dirty();
        runningSinceMillis = System.currentTimeMillis();
        running = new BackgroundSave(
                keyspace, loop, file(), extraAux.get(), new KeySaveDelay(() -> config.rdbKeySaveDelay), this::finished);
        log.info("Background saving started");
        running.start();
        return true;
    }

    /**
     * Starts a background save whose end {@code then} hears of, on the event loop: the RDB file a full
     * resynchronisation sends to replicas when repl-diskless-sync is off. False if a save is running.
     */
    public boolean bgsave(EventLoop loop, java.util.function.Consumer<Boolean> then) throws IOException {
        if (!bgsave(loop)) {
            return false;
        }
        whenFinished = then;
        return true;
    }

    /**
     * FLUSHALL: a running background save is given up, as Redis kills its child (with the signal that leaves
     * rdb_last_bgsave_status ok): no file replaces the snapshot and the change counter keeps its count.
     */
    public void abortBackgroundSave() {
        if (running != null && !aborting) {
            aborting = true;
            running.abort();
        }
    }

    private void finished(boolean ok) {
        running = null;

        lastDurationSeconds = (System.currentTimeMillis() - runningSinceMillis) / 1000;
        if (aborting) {
            aborting = false;
            log.warn("Background saving terminated: given up by FLUSHALL");
        } else if (ok) {
            lastStatusOk = true;
            keyspace.addDirty(-dirtyAtStart);
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            saves++;
            log.info("Background saving terminated with success");
        } else {
            lastStatusOk = false;
            lastFailureMillis = System.currentTimeMillis();
            log.warn("Background saving terminated with an error");
        }
        java.util.function.Consumer<Boolean> then = whenFinished;
        whenFinished = null;
        if (then != null) {
            then.accept(ok);
        }
    }

    /**
     * The save rules ("save 3600 1 300 100"): starts a background save when, for some rule, enough
     * seconds passed since the last save and enough changes were made. After a failure, waits 5 seconds
     * before trying again, as Redis does.
     */
    public void applySaveRules(EventLoop loop) {
        if (running != null || keyspace.snapshot() != null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (scheduled) {
            scheduled = false;
            startQuietly(loop, now);
            return;
        }
        if (config.save.isBlank()) {
            return;
        }
        if (!lastStatusOk && now - lastFailureMillis < 5000) {
            return;
        }
        String[] f = config.save.trim().split("\\s+");
        for (int i = 0; i + 1 < f.length; i += 2) {
            long seconds = Long.parseLong(f[i]);
            long changes = Long.parseLong(f[i + 1]);
            if (keyspace.dirty() >= changes && now / 1000 - lastSaveSeconds >= seconds) {
                log.info("{} changes in {} seconds. Saving...", changes, seconds);
                startQuietly(loop, now);
                return;
            }
        }
    }

    /** BGSAVE SCHEDULE: run once the snapshot in progress (an append-only rewrite) is over. */
    public void scheduleAfterCurrent() {
        scheduled = true;
    }

    private void startQuietly(EventLoop loop, long now) {
        try {
            bgsave(loop);
        } catch (IOException e) {
            lastStatusOk = false;
            lastFailureMillis = now;
            log.warn("Can't save in background: {}", e.getMessage());
        }
    }

    /** Whether the save rules ask for snapshots at all (SHUTDOWN saves only then, unless told). */
    public boolean hasSaveRules() {
        return !config.save.isBlank();
    }

    public boolean lastStatusOk() {
        return lastStatusOk;
    }

    public long lastDurationSeconds() {
        return lastDurationSeconds;
    }

    public long currentDurationSeconds() {
        return running == null ? -1 : (System.currentTimeMillis() - runningSinceMillis) / 1000;
    }

    public long saves() {
        return saves;
    }

    /**
     * Loads the snapshot if there is one; a damaged file stops the start, as in Redis. While it loads,
     * {@code persistence} reports loading and {@code serving} has been run (the listeners accept), so clients are
     * answered between batches. Returns false when {@code stopping} became true meanwhile (the load is abandoned).
     */
    public boolean loadAtStartup(
            EventLoop loop, Persistence persistence, Runnable serving, java.util.function.BooleanSupplier stopping)
            throws InterruptedException {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return true;
        }
        long start = System.nanoTime();
        try {
            StartUpGarbage.collectBeforeLoading(Files.size(file));
            log.info("Loading RDB {} ({} MB)", file, mb(Files.size(file)));
            StartupSnapshotLoad load = new StartupSnapshotLoad(
                    file,
                    keyspace,
                    loop,
                    () -> config.keyLoadDelay,
                    deepCheck(),
                    (name, value) -> loadedAux.put(name, new String(value, java.nio.charset.StandardCharsets.UTF_8)),
                    expiredAtLoad);
            persistence.loadingSnapshot(load);
            serving.run();
            java.util.concurrent.CompletableFuture<SnapshotFile.LoadResult> outcome = load.start();
            SnapshotFile.LoadResult r = null;
            while (r == null) {
                if (stopping.getAsBoolean()) {
                    load.abandon();
                    return false;
                }
                try {
                    r = outcome.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    continue;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(e.getCause().toString(), e.getCause());
                }
            }
            lastLoadKeysLoaded = r.keys();
            lastLoadKeysExpired = r.expiredSkipped();
            for (String w : r.warnings()) {
                log.warn("{}", w);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            log.info(
                    "Done loading RDB (version {}), keys loaded: {}, keys expired: {}{}, {} MB in {} ms",
                    r.version(),
                    r.keys(),
                    r.expiredSkipped(),
                    r.emptySkipped() > 0 ? ", empty keys skipped: " + r.emptySkipped() : "",
                    mb(r.bytes()),
                    ms);
            return true;
        } catch (RdbFormatException e) {
            // Redis's wording, which operators and Redis's tests search logs for.
            log.warn("Internal error in RDB reading offset {} -> {}", e.offset(), e.reason());
            log.warn("Terminating server after rdb file reading failure.");
            throw new IllegalStateException("Fatal error loading the DB " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Fatal error loading the DB " + file + ": " + e.getMessage() + ". Exiting.", e);
        }
    }

    /**
     * DEBUG RELOAD: saves (unless {@code noSave}), empties the keyspace (unless {@code noFlush}) and loads the
     * file back, so a test sees exactly what a restart would.
     */
    public void reload(boolean noSave, boolean noFlush, boolean merge) throws IOException {
        if (!noSave) {
            save();
        }
        if (!noFlush) {
            keyspace.flushAll();
            keyspace.functions().clear();
        }
        SnapshotFile.load(
                file(), keyspace, (keys, read, total) -> {}, (name, value) -> {}, (db, key) -> {}, merge, deepCheck());
        keyspace.resetDirty();
    }

    /** sanitize-dump-payload yes checks data files deeply too; "clients" spares them, as in Redis. */
    private boolean deepCheck() {
        return config.sanitizeDumpPayload.equals("yes");
    }

    private static String mb(long bytes) {
        return String.format("%.2f", bytes / 1048576.0);
    }
}
