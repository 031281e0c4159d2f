package dev.respite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Redis's one-character level marks in log lines: '.' debug, '-' verbose, '*' notice, '#' warning. */
public final class RedisLevelConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Level l = event.getLevel();
        if (l.isGreaterOrEqual(Level.WARN)) {
            return "#";
        }
        if (l.isGreaterOrEqual(Level.INFO)) {
            return "*";
        }
        return l.isGreaterOrEqual(Level.DEBUG) ? "-" : ".";
    }
}
