package dev.respite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.respite.server.config.ServerConfig;
import org.slf4j.LoggerFactory;

/** Maps Redis's loglevel and logfile directives onto logback. */
final class Logging {
    private Logging() {
    }

    static void configure(ServerConfig config) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(switch (config.loglevel) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        });
        ctx.getLogger("io.netty").setLevel(Level.INFO);
        if (!config.logfile.isEmpty()) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern(ProcessHandle.current().pid() + LOG_PATTERN_AFTER_PID);
            enc.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(ctx);
            file.setName("file");
            file.setFile(config.logfile);
            file.setEncoder(enc);
            file.start();
            root.detachAndStopAllAppenders();
            root.addAppender(file);
        }
    }

    private static final String LOG_PATTERN_AFTER_PID = ":M %d{dd MMM yyyy HH:mm:ss.SSS} %redisLevel %msg%n";

    static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }
}
