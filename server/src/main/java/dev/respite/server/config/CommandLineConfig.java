package dev.respite.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What a server command line configures.
 *
 * @param configFile the configuration file named as first argument, made absolute (CONFIG REWRITE writes to it);
 *                   null when there is none
 * @param directives the file's directives (includes expanded), then stdin's, then the command line's, in order
 */
public record CommandLineConfig(Path configFile, List<ConfigDirective> directives) {
    public CommandLineConfig {
        directives = List.copyOf(directives);
    }
}
