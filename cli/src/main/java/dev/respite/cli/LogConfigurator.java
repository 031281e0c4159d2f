package dev.respite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Logging's start-up set-up, in code: logback finds this class through ServiceLoader before it looks for an
 * XML file, so its XML configurator and the XML parser behind it are never loaded (several hundred classes
 * an idle server would keep). Lines look like Redis's: pid, role, time, level mark, message.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    private static final String PATTERN_AFTER_PID = ":M %d{dd MMM yyyy HH:mm:ss.SSS} %redisLevel %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        ctx.getStatusManager().add(new NopStatusListener());
        Map<String, Supplier<DynamicConverter>> rules = new HashMap<>();
        rules.put("redisLevel", RedisLevelConverter::new);
        ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(ctx);
        stdout.setName("stdout");
        stdout.setEncoder(encoder(ctx));
        stdout.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        ctx.getLogger("io.netty").setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** An encoder of Redis's line format, for the standard output and for a logfile. */
    static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(ProcessHandle.current().pid() + PATTERN_AFTER_PID);
        enc.start();
        return enc;
    }
}
