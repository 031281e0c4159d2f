package dev.respite.cli;

import dev.respite.server.config.CommandLineConfig;
import dev.respite.server.config.ConfigFileException;
import dev.respite.server.config.ConfigFileParser;
import dev.respite.server.config.ServerConfig;
import java.util.List;

/** Applies a configuration file and command-line directives to a ServerConfig, in Redis's order. */
final class ConfigLoader {
    private ConfigLoader() {}

    /** Returns the absolute path of the configuration file used, or "" when there was none. */
    static String load(ServerConfig config, List<String> arguments) throws ConfigFileException {
        CommandLineConfig cl = new ConfigFileParser().parseCommandLine(arguments.toArray(new String[0]), System.in);
        config.load(cl.directives());
        return cl.configFile() == null ? "" : cl.configFile().toString();
    }
}
