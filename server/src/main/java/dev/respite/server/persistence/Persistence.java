package dev.respite.server.persistence;

import dev.respite.protocol.RespDecoder;
import dev.respite.server.RespiteServer;
import dev.respite.server.StartUpGarbage;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.Client;
import dev.respite.server.net.OutputGate;
import dev.respite.storage.persistence.AofManifest;
import dev.respite.storage.persistence.AofManifestException;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's durability state on the event loop: the append-only file, what commands propagate to it,
 * loading at startup, background rewrites (manual and automatic) and their statistics for INFO.
 */
public final class Persistence {
    private static final Logger log = LoggerFactory.getLogger(Persistence.class);
    public static final String LOADING_ERROR = "LOADING Redis is loading the dataset in memory";

    private final RespiteServer server;
    private final ServerConfig config;
    private final AppendOnlyFile aof;
    private final Propagation propagation;
    private EventLoop loop;
    private AofLoader loader;
    private Client loadingClient;
    /** From construction until the load ends: clients that connect before the loader runs get -LOADING too. */
    private volatile boolean loadPending;
    /** The RDB file loaded at start-up, from the moment clients are accepted until start-up is over; or null. */
    private volatile LoadProgress snapshotLoad;

    private AofRewrite rewrite;
    private boolean rewriteScheduled;
    /** The rewrite under way writes the first file after appendonly was turned on: nothing else holds the data yet. */
    private boolean initialRewrite;

    private boolean lastRewriteOk = true;
    private Runnable aofFsynced = () -> {};
    private long lastRewriteSeconds = -1;
    private long rewrites;

    /** aof-disable-auto-gc as last seen: history is collected when it turns off. */
    private boolean gcDisabled;

    public Persistence(RespiteServer server) {
        this.server = server;
        this.config = server.config();
        this.aof = new AppendOnlyFile(config, server.stats().cycles());
        this.propagation = new Propagation(aof);
        this.loadPending = config.appendonly;
    }

    public Propagation propagation() {
        return propagation;
    }

    /** Holds replies until their writes are durable (appendfsync always). */
    public OutputGate outputGate() {
        return aof;
    }

    /**
     * Loads the append-only file when appendonly is on, then starts appending; {@code failed} gets the
     * reason when the data on disk cannot be loaded and the server must not run.
     */
    public void startup(EventLoop loop, Consumer<String> failed) {
        this.loop = loop;
        this.gcDisabled = config.aofDisableAutoGc;
        if (!config.appendonly) {
            return;
        }
        loop.execute(() -> {
            AofManifest manifest;
            try {
                manifest = aof.loadAtStartup();
            } catch (AofManifestException e) {
                manifestError(e, failed);
                return;
            } catch (IOException e) {
                failed.accept("Can't load the append only file in " + aof.directory() + ": " + e.getMessage());
                return;
            }
            try {
                loadingClient = new Client(0, server, new EmbeddedChannel(), new RespDecoder());
                loadingClient.setReplaying(true);
                loadingClient.setAuthenticated(true);
                loader = new AofLoader(
                        aof.directory(),
                        manifest,
                        loadingClient,
                        server.dispatcher(),
                        server.commands(),
                        server.keyspace(),
                        loop,
                        config.aofLoadTruncated,
                        problem -> loaded(manifest, problem, failed));
                if (loader.totalBytes() == 0) {
                    // Nothing listed, or only empty files: nothing to replay.
                    loader = null;
                    loaded(manifest, null, failed);
                    return;
                }
                StartUpGarbage.collectBeforeLoading(loader.totalBytes());
                loader.start();
            } catch (IOException e) {
                loader = null;
                loadingClient = null;
                failed.accept(e.getMessage());
            }
        });
    }

    /** Redis's report of a damaged manifest, which tools and tests read line by line; the server then stops. */
    private static void manifestError(AofManifestException e, Consumer<String> failed) {
        log.warn("*** FATAL AOF MANIFEST FILE ERROR ***");
        if (e.line() != null) {
            log.warn("Reading the manifest file, at line {}", e.lineNumber());
            log.warn(">>> '{}'", e.line());
        }
        failed.accept(e.getMessage());
    }

    private void loaded(AofManifest manifest, String problem, Consumer<String> failed) {
        loader = null;
        if (problem == null) {
            loadPending = false;
        }
        loadingClient = null;
        if (problem != null) {
            failed.accept(problem);
            return;
        }
        try {
            aof.openAtStartup(loop, manifest, server.keyspace());
            propagation.setActive(true);
            collectHistory();
        } catch (IOException e) {
            failed.accept("Can't open the append only file for appending: " + e.getMessage());
        }
    }

    /**
     * DEBUG LOADAOF: makes what was logged durable, runs {@code emptyDataset}, then replays the files that the
     * manifest on disk lists, now, before returning. Null when that worked (files of no bytes included), else
     * why not. As in Redis the dataset is emptied either way, and the manifest is read even when appendonly is
     * off: a server that had an append-only file earlier loads it, one that never had one has nothing to load.
     */
    public String reloadAppendOnlyFile(Runnable emptyDataset) {
        AofManifest manifest;
        try {
            aof.flushToDisk();
            emptyDataset.run();
            manifest = aof.manifestOnDisk();
        } catch (IOException | IllegalArgumentException e) {
            return e.getMessage();
        }
        if (manifest == null || manifest.files().isEmpty()) {
            return "there is no append only file manifest in " + aof.directory();
        }
        collectHistory();
        String[] problem = new String[1];
        Client client = new Client(0, server, new EmbeddedChannel(), new RespDecoder());
        client.setReplaying(true);
        client.setAuthenticated(true);
        propagation.setSuspended(true);
        loadingClient = client;
        loadPending = true;
        try {
            AofLoader reload = new AofLoader(
                    aof.directory(),
                    manifest,
                    client,
                    server.dispatcher(),
                    server.commands(),
                    server.keyspace(),
                    loop,
                    config.aofLoadTruncated,
                    outcome -> problem[0] = outcome);
            loader = reload;
            reload.runToEnd();
        } catch (IOException e) {
            problem[0] = e.getMessage();
        } finally {
            loader = null;
            loadingClient = null;
            loadPending = false;
            propagation.setSuspended(false);
        }
        return problem[0];
    }

    /** DEBUG AOF-FLUSH-SLEEP: a pause before each write to the append-only file, in microseconds. */
    public void setAofFlushSleep(long micros) {
        aof.setFlushSleepMicros(micros);
    }

    public boolean isLoading() {
        return loadPending || snapshotLoad != null;
    }

    void loadingSnapshot(LoadProgress load) {
        snapshotLoad = load;
    }

    /**
     * Start-up is over: the RDB file it loaded no longer makes the server refuse commands, and an appendonly yes
     * set while it loaded takes effect now.
     */
    public void startupLoadOver() {
        if (snapshotLoad != null) {
            snapshotLoad = null;
            configChanged();
        }
    }

    /** The load INFO reports on: the append-only file's, or the start-up snapshot's. */
    private LoadProgress progress() {
        return loader != null ? loader : snapshotLoad;
    }

    /** The connection-less client replaying the file: the one client not refused while loading. */
    public boolean isLoadingClient(Client c) {
        return c == loadingClient;
    }

    /** Background work, hz times a second: a scheduled rewrite, or an automatic one by file growth. */
    public void cron() {
        if (rewrite != null) {
            return;
        }
        if (rewriteScheduled && server.keyspace().snapshot() == null) {
            startRewrite(false);
            return;
        }
        if (!aof.isOpen()) {
            return;
        }
        long size = aof.currentSize();
        long base = Math.max(1, aof.baseSize());
        if (config.autoAofRewritePercentage > 0
                && size > config.autoAofRewriteMinSize
                && (size - base) * 100 / base >= config.autoAofRewritePercentage) {
            log.info("Starting automatic rewriting of AOF on {}% growth", (size - base) * 100 / base);
            startRewrite(false);
        }
    }

    /** BGREWRITEAOF: the reply text, or an exception carrying Redis's error. */
    public String requestRewrite() {
        if (rewrite != null) {
            throw new IllegalStateException("ERR Background append only file rewriting already in progress");
        }
        if (server.keyspace().snapshot() != null) {
            rewriteScheduled = true;
            return "Background append only file rewriting scheduled";
        }
        startRewrite(false);
        if (rewrite == null) {
            throw new IllegalStateException("ERR Can't start the background append only file rewrite; see the log");
        }
        return "Background append only file rewriting started";
    }

    /**
     * {@code intoCurrentIncr}: the incremental file just opened (and not yet listed) received nothing yet, so
     * the rewrite's later writes go on in it rather than in another new one.
     */
    private void startRewrite(boolean intoCurrentIncr) {
        rewriteScheduled = false;
        AofRewrite r = new AofRewrite(
                aof,
                server.keyspace(),
                loop,
                new KeySaveDelay(() -> config.rdbKeySaveDelay),
                intoCurrentIncr,
                this::rewriteDone);
        try {
            rewrite = r;
            r.start();
            log.info("Background append only file rewriting started");
        } catch (IOException | RuntimeException e) {
            rewrite = null;
            lastRewriteOk = false;
            log.warn("Can't rewrite the append only file in background: {}", e.toString());
        }
    }

    private void rewriteDone(Throwable failure) {
        initialRewrite = false;
        lastRewriteOk = failure == null;
        lastRewriteSeconds = (System.currentTimeMillis() - rewrite.startMillis()) / 1000;
        if (failure == null) {
            rewrites++;
        }
        rewrite = null;
        // appendonly may have been turned off meanwhile.
        configChanged();
        aofFsynced.run();
    }

    /**
     * A replica replaced its dataset with its master's (a full synchronization): as Redis restarts its append-only
     * file then, a rewrite writes the new data as the base, and until it ends nothing counts as on disk.
     */
    public void rewriteAfterFullSync() {
        if (!aof.isOpen()) {
            return;
        }
        initialRewrite = true;
        if (rewrite == null && server.keyspace().snapshot() == null) {
            startRewrite(false);
        } else {
            rewriteScheduled = true;
        }
    }

    /**
     * CONFIG SET appendonly: turning it on writes the whole dataset as a new base first, as Redis does. Turning
     * aof-disable-auto-gc off deletes the files kept as history.
     */
    public void configChanged() {
        if (loop == null || isLoading()) {
            return;
        }
        if (gcDisabled && !config.aofDisableAutoGc) {
            collectHistory();
        }
        gcDisabled = config.aofDisableAutoGc;
        if (config.appendonly && !aof.isOpen()) {
            try {
                aof.openUnlisted(loop);
                propagation.setActive(true);
                initialRewrite = true;
                if (rewrite == null && server.keyspace().snapshot() == null) {
                    startRewrite(true);
                } else {
                    // After a running BGSAVE, or a rewrite begun with appendonly off (which gives way), as
                    // Redis schedules it.
                    rewriteScheduled = true;
                }
            } catch (IOException | IllegalArgumentException e) {
                log.warn("Can't turn on the append only file: {}", e.getMessage());
            }
        } else if (!config.appendonly && aof.isOpen()) {
            if (rewrite != null) {
                if (!rewrite.abort()) {
                    // Installing its base already: the file closes once that is done (rewriteDone).
                    return;
                }
                // Redis's words, which tools and tests look for; Respite's rewrite is a thread, not a child.
                log.info("Killing running AOF rewrite child: the rewrite is stopped and its temporary file deleted");
                rewrite = null;
                rewriteScheduled = false;
            }
            propagation.setActive(false);
            aof.pushPending();
            aof.close();
            aof.detach();
        }
    }

    /** Deletes the files the manifest keeps as history, unless aof-disable-auto-gc asks to keep them. */
    private void collectHistory() {
        if (!aof.autoGc()) {
            return;
        }
        try {
            aof.collectHistory();
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not delete the AOF history files: {}", e.getMessage());
        }
    }

    /** Shutdown: whatever was written reaches the disk before the process ends. */
    public void flushAndClose() {
        propagation.setActive(false);
        aof.close();
    }

    /** Pushes the log bytes buffered so far to the writer now; on the event loop, before shutdown. */
    public void endBatch() {
        aof.pushPending();
    }

    // ---- WAITAOF

    /**
     * Whether everything logged up to {@code mark} is known to be fsynced. Not while the first file after appendonly
     * was turned on is being written: as in Redis, nothing counts as on disk before that rewrite ends.
     */
    public boolean aofFsyncedUpTo(long mark) {
        return !writingInitialAof() && aof.fsyncedCommands() >= mark;
    }

    /** The mark of everything logged so far, for {@link #aofFsyncedUpTo}. */
    public long aofLoggedMark() {
        return aof.fedCommands();
    }

    /**
     * Who hears, on the event loop, when more of the log is known on disk: after an fsync of the writer (under
     * everysec, the once-a-second one) and when a rewrite ends.
     */
    public void onAofFsynced(Runnable listener) {
        aofFsynced = listener;
        aof.onFsynced(listener);
    }

    /** Asks for an fsync of everything logged so far; {@code done} runs on the event loop once it is on disk. */
    public void aofFsyncThen(Runnable done) {
        aof.fsyncThen(done);
    }

    // ---- INFO persistence

    public boolean aofEnabled() {
        return aof.isOpen();
    }

    public boolean rewriteInProgress() {
        return rewrite != null;
    }

    /** Whether appendonly was just turned on and its first file is still being written (a shutdown must wait). */
    public boolean writingInitialAof() {
        return initialRewrite && (rewrite != null || rewriteScheduled);
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    public long currentRewriteSeconds() {
        return rewrite == null ? -1 : (System.currentTimeMillis() - rewrite.startMillis()) / 1000;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    public boolean lastRewriteOk() {
        return lastRewriteOk;
    }

    public long rewrites() {
        return rewrites;
    }

    public boolean lastWriteOk() {
        return aof.lastWriteOk();
    }

    public long aofCurrentSize() {
        return aof.currentSize();
    }

    public long aofBaseSize() {
        return aof.baseSize();
    }

    public long loadingStartSeconds() {
        LoadProgress p = progress();
        return p == null ? 0 : p.startMillis() / 1000;
    }

    public long loadingTotalBytes() {
        LoadProgress p = progress();
        return p == null ? 0 : p.totalBytes();
    }

    public long loadingLoadedBytes() {
        LoadProgress p = progress();
        return p == null ? 0 : p.loadedBytes();
    }

    public double loadingPercent() {
        LoadProgress p = progress();
        if (p == null) {
            return 0;
        }
        return p.totalBytes() == 0 ? 100.0 : 100.0 * p.loadedBytes() / p.totalBytes();
    }

    /** Seconds left at the current rate, 1 while unknown. */
    public long loadingEtaSeconds() {
        LoadProgress p = progress();
        if (p == null || p.loadedBytes() == 0) {
            return 1;
        }
        double elapsed = (System.currentTimeMillis() - p.startMillis()) / 1000.0;
        return (long) (elapsed * (p.totalBytes() - p.loadedBytes()) / p.loadedBytes());
    }
}
