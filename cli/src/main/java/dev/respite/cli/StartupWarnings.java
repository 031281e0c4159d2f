package dev.respite.cli;

import dev.respite.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator must be told about a configuration that loaded: directives that were accepted but do not do
 * in Respite what they do in Redis. Logged at start-up and printed by --test-config.
 */
final class StartupWarnings {
    private StartupWarnings() {}

    static List<String> of(ServerConfig config) {
        List<String> out = new ArrayList<>();
        for (String name : config.inertParametersSet()) {
            out.add("Directive '" + name + "' is accepted for compatibility with Redis but has no effect in Respite");
        }
        if (config.syslogEnabled) {
            out.add("syslog-enabled yes: Respite does not write to syslog; logs go to "
                    + (config.logfile.isEmpty()
                            ? "standard output (under systemd, the journal collects it)"
                            : config.logfile));
        }
        return out;
    }
}
