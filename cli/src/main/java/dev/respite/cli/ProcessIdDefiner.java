package dev.respite.cli;

import ch.qos.logback.core.PropertyDefinerBase;

/** Supplies the process id to the log pattern, as Redis prefixes each log line with it. */
public final class ProcessIdDefiner extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        return Long.toString(ProcessHandle.current().pid());
    }
}
