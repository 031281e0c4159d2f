package dev.respite.cli;

import dev.respite.server.CrashReport;
import dev.respite.server.RespiteServer;
import dev.respite.server.commands.ShutdownOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM stop the server as SHUTDOWN does, with the flags of shutdown-on-sigint and shutdown-on-sigterm:
 * as in Redis, the server's cron acts on the signal (so SHUTDOWN ABORT can still cancel it), waits for lagging
 * replicas unless "now", and a save that fails keeps it running unless "force" is given; a second SIGINT while a
 * stop is under way exits at once, and SIGHUP is ignored. SIGABRT leaves a crash report. The JVM's own handling
 * would run the shutdown hooks, which cannot change their mind.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final RespiteServer server;

    StopSignals(RespiteServer server) {
        this.server = server;
    }

    void install() {
        // Loaded now rather than by the first signal's handler, which should record it at once.
        ShutdownOptions.of(List.of());
        Signal.handle(new Signal("INT"), s -> stop("SIGINT", server.config().shutdownOnSigint));
        Signal.handle(new Signal("TERM"), s -> stop("SIGTERM", server.config().shutdownOnSigterm));
        Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
        Signal.handle(new Signal("ABRT"), s -> CrashReport.signal(6, "SIGABRT"));
    }

    private void stop(String signal, List<String> flags) {
        if (signal.equals("SIGINT") && server.shutdownSequence().signalPending()) {
            log.warn("You insist... exiting now.");
            Runtime.getRuntime().halt(1);
        }
        // Recorded before the log line, so that a SHUTDOWN ABORT sent right after the signal finds it.
        server.shutdownSequence().signal(ShutdownOptions.of(flags));
        log.warn("Received {} scheduling shutdown...", signal);
    }
}
