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
    private static final Set<String> HIDDEN = Set.of(
            "aof-disable-auto-gc",
            "key-load-delay",
            "loading-process-events-interval-bytes",
            "use-exit-on-panic",
            "watchdog-period");

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
                                value[0] = checked(name, String.join(" ", args));
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

    /**
     * The value as CONFIG GET will print it, refused with Redis's reason where Redis checks it: a CONFIG SET
     * of several parameters then fails on the same one as in Redis, even when the one refused is inert.
     */
    private static String checked(String name, String value) throws ConfigValueException {
        if (name.equals("maxmemory-clients")) {
            return percentOrMemory(value);
        }
        return value;
    }

    /** maxmemory-clients: bytes (with a unit) or a percentage of maxmemory, at most 100%. */
    private static String percentOrMemory(String value) throws ConfigValueException {
        try {
            return Long.toString(Units.parseMemory(value));
        } catch (ConfigValueException notMemory) {
            long percent = value.length() > 1 && value.endsWith("%") ? percent(value) : -1;
            if (percent < 0) {
                throw new ConfigValueException("argument must be a memory or percent value");
            }
            if (percent > 100) {
                throw new ConfigValueException("percentage argument must be less or equal to 100");
            }
            return percent + "%";
        }
    }

    /** The number before '%' as Redis's string2ll reads it; -1 when it is not one. */
    private static long percent(String value) {
        String digits = value.substring(0, value.length() - 1);
        if (!digits.matches("0|-?[1-9][0-9]{0,18}")) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return -1;
        }
    }
}
