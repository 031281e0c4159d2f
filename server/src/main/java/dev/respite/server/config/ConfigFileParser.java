package dev.respite.server.config;

import dev.respite.protocol.InlineSplitter;
import dev.respite.storage.Glob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads configuration in redis.conf format into {@link ConfigDirective}s, without interpreting them:
 * <ul>
 *   <li>One directive per line; lines are trimmed of spaces, tabs, CR and LF, and blank lines and lines starting
 *       with {@code #} are skipped.</li>
 *   <li>Arguments are split as Redis's sdssplitargs does: runs of non-blanks; {@code "double quotes"} with
 *       {@code \n \r \t \b \a \\ \" \xHH} escapes (any other escaped character stands for itself);
 *       {@code 'single quotes'} with only {@code \'}. A quote may open mid-argument ({@code a"b c"} is
 *       {@code ab c}) but a closing quote must be followed by a blank or the end of the line. Errors are reported
 *       as "Unbalanced quotes in configuration line".</li>
 *   <li>{@code include path} is replaced by the directives of that file, a relative path being taken from the
 *       working directory as Redis does. A path with {@code * ? [} is a glob: matching files are included in name
 *       order, and no match is no error (so an empty conf.d is fine). Including a file that is already being read
 *       is an error, where Redis would recurse until it crashes.</li>
 * </ul>
 * Unlike Redis, which concatenates included globs and stdin into one text, every directive keeps the file and
 * line it came from, so errors point at the right place.
 */
public final class ConfigFileParser {
    private static final String STDIN = "(stdin)";
    private static final String COMMAND_LINE = "(command line)";
    private static final String UNBALANCED_QUOTES = "Unbalanced quotes in configuration line";

    private final Path workingDirectory;

    /** A parser resolving relative include paths against the process's working directory. */
    public ConfigFileParser() {
        this(Path.of("").toAbsolutePath());
    }

    /** A parser resolving relative include paths (and the command line's file) against {@code workingDirectory}. */
    public ConfigFileParser(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** Reads the directives of {@code file}, includes expanded. */
    public List<ConfigDirective> parseFile(Path file) throws ConfigFileException {
        List<ConfigDirective> directives = new ArrayList<>();
        Path resolved = workingDirectory.resolve(file);
        readFile(resolved, resolved.toString(), null, new ArrayDeque<>(), directives);
        return directives;
    }

    /**
     * Reads the directives of configuration text (from stdin, a test, or CONFIG commands), includes expanded;
     * {@code source} names it in errors.
     */
    public List<ConfigDirective> parse(String text, String source) throws ConfigFileException {
        List<ConfigDirective> directives = new ArrayList<>();
        parseText(text.getBytes(StandardCharsets.UTF_8), source, new ArrayDeque<>(), directives);
        return directives;
    }

    /**
     * Reads a server command line in redis-server's convention: {@code [configfile] [-] [--name [arg ...]] ...}.
     * A first argument not starting with '-' is the configuration file. A lone {@code -} as first or last
     * argument reads configuration text from {@code stdin} too. Each {@code --name} starts a directive taking the
     * following arguments up to the next {@code --name}; a directive still without arguments takes the next one
     * even if it starts with "--" ({@code --requirepass --secret}), except that {@code --save} followed by a
     * directive or nothing means {@code save ""}. {@code "--port 6380"} in one argument is also accepted.
     * Options such as --version or --help are not recognised here; handle them first.
     */
    public CommandLineConfig parseCommandLine(String[] args, InputStream stdin) throws ConfigFileException {
        List<ConfigDirective> directives = new ArrayList<>();
        Path configFile = null;
        int first = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            configFile = workingDirectory.resolve(args[0]).toAbsolutePath().normalize();
            readFile(configFile, configFile.toString(), null, new ArrayDeque<>(), directives);
            first = 1;
        }
        List<StringBuilder> lines = new ArrayList<>();
        boolean readStdin = false;
        boolean lastNameHasArgument = true;
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            boolean isLast = i == args.length - 1;
            if (arg.equals("-") && (i == 0 || isLast)) {
                readStdin = true;
            } else if (lastNameHasArgument && arg.startsWith("--")) {
                lines.add(new StringBuilder(arg.substring(2)).append(' '));
                // Unbalanced quotes count as "has an argument", as in redis-server; the error surfaces below.
                List<String> parts = splitArguments(arg.getBytes(StandardCharsets.UTF_8));
                lastNameHasArgument = parts == null || parts.size() != 1;
                boolean nextIsName = !isLast && args[i + 1].startsWith("--");
                if (!lastNameHasArgument && arg.equalsIgnoreCase("--save") && (nextIsName || isLast)) {
                    // redis-server's compatibility rule: a bare --save means save "".
                    lines.get(lines.size() - 1).append("\"\"");
                    lastNameHasArgument = true;
                } else if (!lastNameHasArgument && arg.equalsIgnoreCase("--sentinel") && nextIsName) {
                    lastNameHasArgument = true;
                }
            } else {
                if (lines.isEmpty()) {
                    lines.add(new StringBuilder());
                }
                appendQuoted(lines.get(lines.size() - 1), arg).append(' ');
                lastNameHasArgument = true;
            }
        }
        if (readStdin) {
            parseText(readAll(stdin), STDIN, new ArrayDeque<>(), directives);
        }
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i).toString().getBytes(StandardCharsets.UTF_8);
            parseLine(trim(line, 0, line.length), COMMAND_LINE, i + 1, new ArrayDeque<>(), directives);
        }
        return new CommandLineConfig(configFile, directives);
    }

    /**
     * Reads one file. {@code includedFrom} is the include directive naming it (null for the top file), whose
     * position is where open errors are reported; {@code reading} holds the files being read, to refuse cycles.
     */
    private void readFile(
            Path file,
            String source,
            ConfigDirective includedFrom,
            Deque<Path> reading,
            List<ConfigDirective> directives)
            throws ConfigFileException {
        byte[] content;
        Path identity;
        try {
            content = Files.readAllBytes(file);
            identity = file.toRealPath();
        } catch (IOException e) {
            String reason = "Fatal error, can't open config file '" + source + "': " + describe(e);
            throw includedFrom == null ? new ConfigFileException(source, reason) : includedFrom.error(reason);
        }
        if (reading.contains(identity)) {
            throw includedFrom.error("Include cycle: '" + source + "' is already being read");
        }
        reading.push(identity);
        parseText(content, source, reading, directives);
        reading.pop();
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void parseText(byte[] content, String source, Deque<Path> reading, List<ConfigDirective> directives)
            throws ConfigFileException {
        int lineNumber = 0;
        int start = 0;
        while (start <= content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            parseLine(trim(content, start, end), source, lineNumber, reading, directives);
            start = end + 1;
        }
    }

    /** sdstrim(line, " \t\r\n"). */
    private static byte[] trim(byte[] content, int start, int end) {
        while (start < end && isTrimmed(content[start])) {
            start++;
        }
        while (end > start && isTrimmed(content[end - 1])) {
            end--;
        }
        byte[] line = new byte[end - start];
        System.arraycopy(content, start, line, 0, line.length);
        return line;
    }

    private static boolean isTrimmed(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private void parseLine(
            byte[] line, String source, int lineNumber, Deque<Path> reading, List<ConfigDirective> directives)
            throws ConfigFileException {
        if (line.length == 0 || line[0] == '#') {
            return;
        }
        String text = new String(line, StandardCharsets.UTF_8);
        List<String> words = splitArguments(line);
        if (words == null) {
            throw new ConfigFileException(source, lineNumber, text, UNBALANCED_QUOTES);
        }
        if (words.isEmpty()) {
            return;
        }
        ConfigDirective directive = new ConfigDirective(
                lowercaseAscii(words.get(0)), words.subList(1, words.size()), source, lineNumber, text);
        if (!directive.name().equals("include")) {
            directives.add(directive);
        } else if (directive.arguments().size() != 1) {
            throw directive.error("Bad directive or wrong number of arguments");
        } else {
            include(directive, reading, directives);
        }
    }

    private void include(ConfigDirective directive, Deque<Path> reading, List<ConfigDirective> directives)
            throws ConfigFileException {
        String pattern = directive.argument(0);
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
            readFile(workingDirectory.resolve(pattern), pattern, directive, reading, directives);
            return;
        }
        List<Path> matches = new ArrayList<>();
        try {
            Path path = Path.of(pattern);
            Path base = path.isAbsolute() ? path.getRoot() : workingDirectory;
            expandGlob(base, path, 0, matches);
        } catch (IOException e) {
            throw directive.error("Fatal error, can't read included files '" + pattern + "': " + describe(e));
        }
        for (Path match : matches) {
            String source = Path.of(pattern).isAbsolute()
                    ? match.toString()
                    : workingDirectory.relativize(match).toString();
            readFile(match, source, directive, reading, directives);
        }
    }

    /**
     * Adds the regular files matching {@code pattern}'s components from {@code component} on, under {@code base},
     * in name order as glob(3) returns them; names starting with '.' match only a pattern starting with '.'.
     */
    private static void expandGlob(Path base, Path pattern, int component, List<Path> matches) throws IOException {
        if (component == pattern.getNameCount()) {
            if (Files.isRegularFile(base)) {
                matches.add(base);
            }
            return;
        }
        String name = pattern.getName(component).toString();
        byte[] namePattern = name.getBytes(StandardCharsets.UTF_8);
        if (Glob.isLiteral(namePattern)) {
            expandGlob(base.resolve(name), pattern, component + 1, matches);
            return;
        }
        if (!Files.isDirectory(base)) {
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                if ((entryName.startsWith(".") == name.startsWith("."))
                        && Glob.matches(namePattern, entryName.getBytes(StandardCharsets.UTF_8), false)) {
                    children.add(entry);
                }
            }
        }
        children.sort(null);
        for (Path child : children) {
            expandGlob(child, pattern, component + 1, matches);
        }
    }

    /** The words of one configuration line as Redis splits them, or null if its quotes are unbalanced. */
    public static List<String> words(String line) {
        return splitArguments(line.getBytes(StandardCharsets.UTF_8));
    }

    /** sdssplitargs, shared with inline commands: the words of {@code line} as UTF-8, or null if its quotes are unbalanced. */
    private static List<String> splitArguments(byte[] line) {
        byte[][] split = InlineSplitter.split(line, line.length);
        if (split == null) {
            return null;
        }
        List<String> words = new ArrayList<>(split.length);
        for (byte[] w : split) {
            words.add(new String(w, StandardCharsets.UTF_8));
        }
        return words;
    }

    /** sdscatrepr: how redis-server quotes command-line arguments into configuration text. */
    static StringBuilder appendQuoted(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\', '"' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static String lowercaseAscii(String s) {
        StringBuilder lower = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (lower == null) {
                    lower = new StringBuilder(s);
                }
                lower.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return lower == null ? s : lower.toString();
    }

    private static byte[] readAll(InputStream in) throws ConfigFileException {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigFileException(STDIN, "Fatal error, can't read config from stdin: " + describe(e));
        }
    }
}
