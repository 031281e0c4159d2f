package dev.respite.server.commands;

import dev.respite.server.net.Client;
import io.netty.channel.EventLoop;

/** What the running server does on a command's request: stop, save on the way out, reload configuration. */
public interface ServerControl {
    /**
     * SHUTDOWN from {@code c}, which stays blocked while the shutdown waits for lagging replicas and gets an error
     * if it fails; while one is under way, a further SHUTDOWN only waits with it.
     */
    void shutdown(Client c, ShutdownOptions options);

    /** SHUTDOWN ABORT: cancels a shutdown waiting for replicas or a stop signal not yet acted on; false if none. */
    boolean abortShutdown();

    /** Applies configuration that CONFIG SET changed to the parts that cache it. */
    void configChanged();

    /**
     * CONFIG SET port or bind: listens where the configuration now says. False when a required address could
     * not be bound; nothing listens then until the previous values are set and this is called again.
     */
    boolean moveListeners();

    /**
     * CONFIG SET of a tls-* parameter: rebuilds the TLS context from the configuration for the connections
     * accepted from now on. False, with the previous context kept, when the new one cannot be built.
     */
    boolean reloadTls();

    /** The absolute path of the configuration file the server started with, or "". */
    String configFile();

    /** Hands {@code task} to the keyspace thread: how work done elsewhere reports back. */
    void execute(Runnable task);

    /**
     * The keyspace thread's loop, where background walks (BGSAVE) must run; with io-threads a client's own
     * channel loop is an I/O thread.
     */
    EventLoop keyspaceLoop();

    /** DEBUG PAUSE-CRON: stops or restarts the periodic work (expiry, eviction, limits, timeouts). */
    void pauseCron(boolean paused);

    /** Cluster mode (DEBUG's bus hooks). */
    dev.respite.server.cluster.Cluster cluster();
}
