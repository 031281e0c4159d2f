package dev.respite.server.commands;

import java.util.ArrayList;
import java.util.List;

/** How CONFIG SET turns one value string into a directive's arguments. */
final class ConfigValues {
    private ConfigValues() {
    }

    /** Multi-argument directives (save, bind...) take a space-separated value; others take it whole. */
    static List<String> split(String name, String value) {
        switch (name) {
            case "save", "bind", "client-output-buffer-limit", "oom-score-adj-values" -> {
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
            default -> {
                return List.of(value);
            }
        }
    }
}
