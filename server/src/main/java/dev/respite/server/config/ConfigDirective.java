package dev.respite.server.config;

import java.util.List;

/**
 * One configuration directive as read from a file, stdin or the command line.
 *
 * @param name      the directive name, ASCII-lowercased as Redis does
 * @param arguments the arguments after the name, quotes and escapes resolved (bytes decoded as UTF-8)
 * @param source    where it was read: a file path, {@code (stdin)} or {@code (command line)}
 * @param line      its 1-based line number in {@code source}
 * @param text      the line as written (trimmed), for error messages
 */
public record ConfigDirective(String name, List<String> arguments, String source, int line, String text) {
    public ConfigDirective {
        arguments = List.copyOf(arguments);
    }

    /** The argument at {@code index}; arguments are numbered from 0, after the name. */
    public String argument(int index) {
        return arguments.get(index);
    }

    /** An error about this directive, for the caller that applies it (bad value, unknown name, wrong arity). */
    public ConfigFileException error(String reason) {
        return new ConfigFileException(source, line, text, reason);
    }
}
