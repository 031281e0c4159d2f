package dev.respite.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * How a parameter's value as one string (CONFIG SET's argument, CONFIG GET's reply) relates to its arguments in
 * redis.conf.
 */
public final class ParameterValues {
    private ParameterValues() {}

    /** Multi-argument directives (save, bind...) take a space-separated value; others take it whole. */
    public static List<String> split(String name, String value) {
        if (!isList(name)) {
            return List.of(value);
        }
        List<String> out = new ArrayList<>();
        for (String s : value.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    /** True for parameters whose value is a list of words written unquoted (save, bind...). */
    public static boolean isList(String name) {
        return switch (name) {
            case "save",
                    "bind",
                    "shutdown-on-sigint",
                    "shutdown-on-sigterm",
                    "client-output-buffer-limit",
                    "oom-score-adj-values",
                    "latency-tracking-info-percentiles" -> true;
            default -> false;
        };
    }
}
