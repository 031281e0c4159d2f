package dev.respite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.respite.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/**
 * Maps Redis's loglevel and logfile directives onto logback. Redis's four levels become logback's: debug is
 * TRACE, verbose DEBUG, notice INFO, warning WARN; nothing turns logging off.
 */
final class Logging {
    private Logging() {}

    /**
     * Sends logs to {@code logfile} (standard output when empty) at {@code loglevel}, and follows later CONFIG SET
     * loglevel at once.
     *
     * @throws IOException when the log file cannot be opened for appending, which Redis treats as fatal too
     */
    static void configure(ServerConfig config) throws IOException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        applyLevel(config.loglevel);
        config.param("loglevel").onChange(() -> applyLevel(config.loglevel));
        ctx.getLogger("io.netty").setLevel(Level.INFO);
        if (!config.logfile.isEmpty()) {
            // Logback only reports a file it cannot open through its status list; check first, so start-up fails.
            Files.newOutputStream(Path.of(config.logfile), StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    .close();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("file");
            file.setFile(config.logfile);
            file.setEncoder(LogConfigurator.encoder(ctx));
            file.start();
            root.detachAndStopAllAppenders();
            root.addAppender(file);
        }
    }

    static void applyLevel(String loglevel) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .setLevel(
                        switch (loglevel) {
                            case "debug" -> Level.TRACE;
                            case "verbose" -> Level.DEBUG;
                            case "warning" -> Level.WARN;
                            case "nothing" -> Level.OFF;
                            default -> Level.INFO;
                        });
    }

    static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
