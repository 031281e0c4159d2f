package dev.respite.server.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Redis 7.0's configuration parameters that Respite does not act on (replication, cluster, defrag,
 * allocator and CPU-affinity settings...). They are known so that CONFIG GET answers with Redis's default
 * and existing redis.conf files load, but setting one changes nothing: the server says so at startup, in
 * CONFIG HELP and in redis.conf.example.
 */
public final class InertParameters {
    private static final String RESOURCE = "redis-parameters.tsv";
    /** Redis's debugging parameters that CONFIG GET shows only when asked for by exact name. */
    private static final Set<String> HIDDEN =
            Set.of("loading-process-events-interval-bytes", "use-exit-on-panic", "watchdog-period");

    private InertParameters() {}

    /** Registers every Redis parameter the configuration does not already implement. */
    public static void registerMissing(ServerConfig config) {
        try (InputStream in = InertParameters.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                String name = line.substring(0, tab);
                if (config.param(name) == null) {
                    String[] value = {line.substring(tab + 1)};
                    config.register(new ConfigParam(
                            name,
                            List.of(),
                            true,
                            () -> value[0],
                            args -> {
                                value[0] = String.join(" ", args);
                                config.noteInert(name);
                            },
                            "Accepted for compatibility with Redis; has no effect in Respite.",
                            true));
                    if (HIDDEN.contains(name)) {
                        config.hide(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
