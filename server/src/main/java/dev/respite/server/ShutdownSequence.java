package dev.respite.server;

import dev.respite.server.command.CommandError;
import dev.respite.server.commands.ShutdownOptions;
import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHUTDOWN and the stop signals, as Redis 7 runs them on the keyspace thread. Unless NOW is given (or
 * shutdown-timeout is 0), a master whose replicas have not acknowledged the whole stream first waits for them,
 * up to shutdown-timeout seconds: client writes are held, the replicas are asked for their offsets, and the
 * SHUTDOWN clients stay blocked. Then the final save is made and the server stops; a failure (the save, or an
 * initial append-only file still being written) cancels the shutdown, answers every blocked SHUTDOWN with an
 * error and lets writes go on, as does SHUTDOWN ABORT.
 */
public final class ShutdownSequence {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);
    private static final String FAILED = "ERR Errors trying to SHUTDOWN. Check logs.";

    private final RespiteServer server;
    private final List<Client> blocked = new ArrayList<>();
    private ShutdownOptions options;
    /** When the wait for the replicas ends; 0 while no shutdown is under way. */
    private long deadlineMillis;

    private boolean finished;
    /** A stop signal's options, set by the signal thread and acted on by the cron; null when none is pending. */
    private volatile ShutdownOptions signalled;

    ShutdownSequence(RespiteServer server) {
        this.server = server;
        server.disconnectHooks().add(blocked::remove);
    }

    /** SIGTERM or SIGINT: the next cron tick starts the shutdown, as Redis acts on signals in its cron. */
    public void signal(ShutdownOptions signalOptions) {
        signalled = signalOptions;
    }

    /** Whether a stop signal is being acted on (a second SIGINT then exits at once). */
    public boolean signalPending() {
        return signalled != null;
    }

    /**
     * SHUTDOWN from {@code c} (null for a signal): blocks it while the shutdown waits, which it may start. A
     * shutdown that fails at once throws Redis's error for {@code c}.
     */
    void request(Client c, ShutdownOptions requested) {
        String busy = c == null || requested.noSave() ? null : server.scripts().busyError();
        if (busy != null) {
            // A script past busy-reply-threshold lets SHUTDOWN through only with NOSAVE.
            throw new CommandError(busy);
        }
        if (c != null) {
            c.setBlockedOn(this);
            blocked.add(c);
        }
        if (deadlineMillis != 0 || finished) {
            return;
        }
        options = server.persistence().isLoading() ? requested.withoutSave() : requested;
        log.info("User requested shutdown...");
        int timeout = server.config().replication.shutdownTimeout;
        if (!options.now() && timeout != 0 && !server.replication().replicasInSync()) {
            deadlineMillis = System.currentTimeMillis() + timeout * 1000L;
            server.replication().holdForShutdown(true);
            server.pause().holdForShutdown(true);
            log.info("Waiting for replicas before shutting down.");
            return;
        }
        if (!finish(c) && c != null) {
            throw new CommandError(FAILED);
        }
    }

    /** Called from the cron: acts on a stop signal, and ends the wait once the replicas caught up or time is up. */
    void cron() {
        ShutdownOptions fromSignal = signalled;
        if (fromSignal != null && deadlineMillis == 0 && !finished) {
            request(null, fromSignal);
        } else if (deadlineMillis != 0
                && (System.currentTimeMillis() >= deadlineMillis
                        || server.replication().replicasInSync())) {
            finish(null);
        }
    }

    /** SHUTDOWN ABORT: false when no shutdown was under way or pending. */
    boolean abort() {
        if (deadlineMillis != 0) {
            cancel(null);
        } else if (signalled != null) {
            signalled = null;
        } else {
            return false;
        }
        log.info("Shutdown manually aborted.");
        return true;
    }

    /** INFO's shutdown_in_milliseconds: the time left to wait for the replicas, or -1 when not waiting. */
    public long millisLeft() {
        return deadlineMillis == 0 ? -1 : Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    /** SHUTDOWN clients waiting (they count in INFO blocked_clients, as in Redis). */
    public int blockedCount() {
        return blocked.size();
    }

    /** Saves and stops; false if that failed and the shutdown was cancelled ({@code current} gets no reply yet). */
    private boolean finish(Client current) {
        server.replication().logReplicasAtShutdown();
        if (server.persistence().writingInitialAof()) {
            if (!options.force()) {
                log.warn("Writing initial AOF, can't exit.");
                return failed(current);
            }
            log.warn("Writing initial AOF. Exit anyway.");
        }
        if (!server.saveBeforeExit(options.save(), options.noSave()) && !options.force()) {
            return failed(current);
        }
        finished = true;
        // The stop waits for work it hands to this thread, so it runs on its own.
        new Thread(server::stop, "shutdown").start();
        return true;
    }

    private boolean failed(Client current) {
        log.warn("Errors trying to shut down the server. Check the logs for more information.");
        cancel(current);
        return false;
    }

    /** Ends the shutdown under way: every blocked SHUTDOWN but {@code current}'s gets its error now. */
    private void cancel(Client current) {
        deadlineMillis = 0;
        options = null;
        signalled = null;
        server.replication().holdForShutdown(false);
        server.pause().holdForShutdown(false);
        List<Client> waiting = new ArrayList<>(blocked);
        blocked.clear();
        for (Client c : waiting) {
            c.setBlockedOn(null);
            if (c == current) {
                continue;
            }
            c.reply().error(FAILED);
            server.stats().countError("ERR");
            c.runDeferred();
        }
    }
}
