package dev.respite.cli;

import dev.respite.server.CrashReport;
import dev.respite.server.RespiteServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM stop the server as SHUTDOWN does, with the flags of shutdown-on-sigint and shutdown-on-sigterm:
 * a final snapshot when save points are set (or with "save"), none with "nosave". As in Redis, a save that fails
 * keeps the server running unless "force" is given, a second SIGINT while a stop is under way exits at once, and
 * SIGHUP is ignored. SIGABRT leaves a crash report. The JVM's own handling would run the shutdown hooks, which cannot change their mind.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final RespiteServer server;
    private final AtomicBoolean stopping = new AtomicBoolean();

    StopSignals(RespiteServer server) {
        this.server = server;
    }

    void install() {
        Signal.handle(new Signal("INT"), s -> stop("SIGINT", server.config().shutdownOnSigint));
        Signal.handle(new Signal("TERM"), s -> stop("SIGTERM", server.config().shutdownOnSigterm));
        Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
        Signal.handle(new Signal("ABRT"), s -> CrashReport.signal(6, "SIGABRT"));
    }

    private void stop(String signal, List<String> flags) {
        if (!stopping.compareAndSet(false, true)) {
            if (signal.equals("SIGINT")) {
                log.warn("You insist... exiting now.");
                Runtime.getRuntime().halt(1);
            }
            return;
        }
        log.warn("Received {} scheduling shutdown...", signal);
        boolean saved;
        try {
            saved = server.onLoop(() -> server.saveBeforeExit(flags.contains("save"), flags.contains("nosave")));
        } catch (Exception e) {
            log.warn("Could not save before exit: {}", e.toString());
            saved = false;
        }
        if (!saved && !flags.contains("force")) {
            log.warn("Errors trying to shut down the server. Check the logs for more information.");
            stopping.set(false);
            return;
        }
        server.stop();
    }
}
