package dev.respite.cli;

import dev.respite.server.config.ConfigException;
import dev.respite.server.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Applies a configuration file and command-line directives to a ServerConfig, in Redis's order. */
final class ConfigLoader {
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private ConfigLoader() {
    }

    /** Returns the absolute path of the configuration file used, or "" when there was none. */
    static String load(ServerConfig config, List<String> arguments) throws Failure {
        int i = 0;
        String file = "";
        List<String[]> lines = new ArrayList<>();
        if (!arguments.isEmpty() && !arguments.get(0).startsWith("--")) {
            file = arguments.get(0);
            i = 1;
            try {
                int n = 0;
                for (String line : Files.readAllLines(Path.of(file))) {
                    n++;
                    apply(config, file, n, line);
                }
            } catch (IOException e) {
                throw new Failure("Fatal error, can't open config file '" + file + "': " + e.getMessage());
            }
            file = Path.of(file).toAbsolutePath().toString();
        }
        String name = null;
        List<String> values = new ArrayList<>();
        for (; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                if (name != null) {
                    lines.add(directive(name, values));
                }
                name = a.substring(2);
                values = new ArrayList<>();
            } else if (name == null) {
                throw new Failure("Invalid argument '" + a + "': directives are given as --name value");
            } else {
                values.add(a);
            }
        }
        if (name != null) {
            lines.add(directive(name, values));
        }
        for (String[] d : lines) {
            setDirective(config, "(command line)", 0, d);
        }
        return file;
    }

    private static String[] directive(String name, List<String> values) {
        String[] d = new String[values.size() + 1];
        d[0] = name;
        for (int k = 0; k < values.size(); k++) {
            d[k + 1] = values.get(k);
        }
        return d;
    }

    private static void apply(ServerConfig config, String file, int lineNo, String line) throws Failure {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
            return;
        }
        byte[] raw = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[][] parts = dev.respite.protocol.InlineSplitter.split(raw, raw.length);
        if (parts == null) {
            throw fatal(file, lineNo, line, "Unbalanced quotes in configuration line");
        }
        String[] d = new String[parts.length];
        for (int k = 0; k < parts.length; k++) {
            d[k] = new String(parts[k], java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            config.set(d[0], List.of(d).subList(1, d.length));
        } catch (ConfigException e) {
            throw fatal(file, lineNo, line, e.getMessage());
        }
    }

    private static void setDirective(ServerConfig config, String source, int lineNo, String[] d) throws Failure {
        try {
            config.set(d[0], List.of(d).subList(1, d.length));
        } catch (ConfigException e) {
            throw fatal(source, lineNo, String.join(" ", d), e.getMessage());
        }
    }

    private static Failure fatal(String file, int lineNo, String line, String reason) {
        return new Failure("\n*** FATAL CONFIG FILE ERROR (Respite " + dev.respite.server.RespiteServer.VERSION + ") ***\n"
                + "Reading the configuration file " + file + ", at line " + lineNo + "\n"
                + ">>> '" + line.trim() + "'\n" + reason);
    }
}
