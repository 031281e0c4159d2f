package dev.respite.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileParserTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path dir;

    private ConfigFileParser parser() {
        return new ConfigFileParser(dir);
    }

    private List<ConfigDirective> parse(String text) throws ConfigFileException {
        return parser().parse(text, "test.conf");
    }

    private List<String> words(String line) throws ConfigFileException {
        ConfigDirective directive = parse(line).get(0);
        List<String> words = new ArrayList<>();
        words.add(directive.name());
        words.addAll(directive.arguments());
        return words;
    }

    private ConfigFileException failure(String text) {
        return assertThrows(ConfigFileException.class, () -> parse(text));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void oneDirectivePerLineWithPositions() throws ConfigFileException {
        List<ConfigDirective> directives =
                parse("# comment\n\n   \n  PORT 6380  \r\n\t# indented comment\nsave 900 1\n");
        assertEquals(2, directives.size());
        ConfigDirective port = directives.get(0);
        assertEquals("port", port.name());
        assertEquals(List.of("6380"), port.arguments());
        assertEquals("test.conf", port.source());
        assertEquals(4, port.line());
        assertEquals("PORT 6380", port.text());
        assertEquals(List.of("900", "1"), directives.get(1).arguments());
        assertEquals(6, directives.get(1).line());
        assertEquals("900", directives.get(1).argument(0));
    }

    @Test
    void lastLineNeedsNoNewlineAndHashInsideALineIsAnArgument() throws ConfigFileException {
        assertEquals(List.of("requirepass", "a#b", "#c"), words("requirepass a#b #c"));
    }

    @Test
    void splitsLikeSdssplitargs() throws ConfigFileException {
        assertEquals(List.of("a", "b", "c"), words("a \t b  c"));
        assertEquals(List.of("x", "hello world", ""), words("x \"hello world\" \"\""));
        assertEquals(List.of("x", "l1\nl2\r\t\b\u0007\\\"q"), words("x \"l1\\nl2\\r\\t\\b\\a\\\\\\\"q\""));
        assertEquals(List.of("x", "é", "A", "xZZ"), words("x \"\\xc3\\xa9\" \"\\x41\" \"\\xZZ\""));
        assertEquals(List.of("x", "?", "q"), words("x \"\\?\" \"\\q\""));
        assertEquals(List.of("x", "it's", "a\\nb", "\"d\""), words("x 'it\\'s' 'a\\nb' '\"d\"'"));
        assertEquals(List.of("x", "ab c", "de f"), words("x a\"b c\" d'e f'"));
        assertEquals(List.of("x", "a\u000bb"), words("x a\u000bb"));
        assertEquals(List.of("x", "é"), words("x é"));
    }

    @Test
    void closingQuoteMustEndTheWord() {
        for (String line : List.of("port \"a\"b", "port 'a'b", "port \"abc", "port 'abc", "port \"a\\\"")) {
            ConfigFileException e = failure("port 1\n\n" + line);
            assertEquals(3, e.line(), line);
            assertEquals("Unbalanced quotes in configuration line", e.reason());
        }
    }

    @Test
    void errorMessageHasRedisLayoutWithFile() {
        ConfigFileException e = failure("port 7392\n# c\n  port \"abc\n");
        assertEquals(
                "*** FATAL CONFIG FILE ERROR (Respite) ***\n"
                        + "Reading the configuration file test.conf, at line 3\n"
                        + ">>> 'port \"abc'\n"
                        + "Unbalanced quotes in configuration line",
                e.getMessage());
        assertEquals("test.conf", e.source());
    }

    @Test
    void callersReportBadValuesAtTheDirectiveLine() throws ConfigFileException {
        ConfigDirective maxmemory = parse("port 1\n\nmaxmemory 1xb\n").get(1);
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> {
            try {
                Units.parseMemory(maxmemory.argument(0));
            } catch (ConfigValueException bad) {
                throw maxmemory.error(bad.getMessage());
            }
        });
        assertEquals(3, e.line());
        assertTrue(
                e.getMessage().endsWith("at line 3\n>>> 'maxmemory 1xb'\nargument must be a memory value"),
                e.getMessage());
    }

    @Test
    void readsFilesAndExpandsIncludesInPlace() throws IOException, ConfigFileException {
        write("inc/extra.conf", "maxmemory 1mb\nInclude inc/deeper.conf\n");
        write("inc/deeper.conf", "appendonly yes\n");
        Path main = write("main.conf", "port 1\ninclude inc/extra.conf\nport 2\n");
        List<ConfigDirective> directives = parser().parseFile(main);
        assertEquals(
                List.of("port", "maxmemory", "appendonly", "port"),
                directives.stream().map(ConfigDirective::name).toList());
        assertEquals("inc/extra.conf", directives.get(1).source());
        assertEquals(1, directives.get(1).line());
        assertEquals("inc/deeper.conf", directives.get(2).source());
        assertEquals(main.toString(), directives.get(3).source());
        assertEquals(3, directives.get(3).line());
    }

    @Test
    void missingIncludeFailsAtTheIncludeLine() throws IOException {
        Path main = write("main.conf", "port 1\n\ninclude missing.conf\n");
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parser().parseFile(main));
        assertEquals(main.toString(), e.source());
        assertEquals(3, e.line());
        assertEquals("Fatal error, can't open config file 'missing.conf': No such file or directory", e.reason());
    }

    @Test
    void missingTopFileHasNoLine() {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parser().parseFile(Path.of("nope.conf")));
        assertEquals(0, e.line());
        assertEquals(
                "*** FATAL CONFIG FILE ERROR (Respite) ***\nFatal error, can't open config file '"
                        + dir.resolve("nope.conf") + "': No such file or directory",
                e.getMessage());
    }

    @Test
    void includeNeedsExactlyOnePath() {
        ConfigFileException e = failure("port 1\ninclude a.conf b.conf\n");
        assertEquals(2, e.line());
        assertEquals("Bad directive or wrong number of arguments", e.reason());
        assertEquals(1, failure("include").line());
    }

    @Test
    void includeCyclesAreErrors() throws IOException {
        write("a.conf", "port 1\ninclude b.conf\n");
        write("b.conf", "\ninclude ./a.conf\n");
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> parser().parseFile(Path.of("a.conf")));
        assertEquals("b.conf", e.source());
        assertEquals(2, e.line());
        assertTrue(e.reason().startsWith("Include cycle"), e.reason());
        write("self.conf", "include self.conf\n");
        assertThrows(ConfigFileException.class, () -> parser().parseFile(Path.of("self.conf")));
    }

    @Test
    void includingTheSameFileTwiceIsNoCycle() throws IOException, ConfigFileException {
        write("common.conf", "timeout 5\n");
        write("main.conf", "include common.conf\ninclude common.conf\n");
        assertEquals(2, parser().parseFile(Path.of("main.conf")).size());
    }

    @Test
    void globIncludesMatchInNameOrderAndMayMatchNothing() throws IOException, ConfigFileException {
        write("conf.d/20-b.conf", "b 1\n");
        write("conf.d/10-a.conf", "a 1\n");
        write("conf.d/.hidden.conf", "hidden 1\n");
        write("conf.d/notes.txt", "txt 1\n");
        Files.createDirectories(dir.resolve("conf.d/sub.conf"));
        write("main.conf", "include conf.d/*.conf\ninclude empty.d/*.conf\ninclude " + dir + "/conf.d/1?-[a]*\n");
        List<ConfigDirective> directives = parser().parseFile(Path.of("main.conf"));
        assertEquals(
                List.of("a", "b", "a"),
                directives.stream().map(ConfigDirective::name).toList());
        assertEquals("conf.d/10-a.conf", directives.get(0).source());
        assertEquals(
                dir.resolve("conf.d/10-a.conf").toString(), directives.get(2).source());
    }

    @Test
    void commandLineOptionsFollowTheFile() throws IOException, ConfigFileException {
        write("main.conf", "port 1\n");
        CommandLineConfig config = parser().parseCommandLine(
                        new String[] {"main.conf", "--port", "6380", "--save", "900", "1", "--loglevel", "a b\"c"},
                        NO_STDIN);
        assertEquals(dir.resolve("main.conf"), config.configFile());
        List<ConfigDirective> directives = config.directives();
        assertEquals(4, directives.size());
        assertEquals(List.of("6380"), directives.get(1).arguments());
        assertEquals("(command line)", directives.get(1).source());
        assertEquals(1, directives.get(1).line());
        assertEquals(List.of("900", "1"), directives.get(2).arguments());
        assertEquals(List.of("a b\"c"), directives.get(3).arguments());
        assertEquals("loglevel \"a b\\\"c\"", directives.get(3).text());
        assertEquals(3, directives.get(3).line());
    }

    @Test
    void commandLineEdgeCasesFollowRedisServer() throws ConfigFileException {
        List<ConfigDirective> directives = parser().parseCommandLine(
                        new String[] {
                            "--requirepass", "--secret", "--save", "--port 7000", "--appendonly", "yes", "--save"
                        },
                        NO_STDIN)
                .directives();
        assertEquals("requirepass", directives.get(0).name());
        assertEquals(List.of("--secret"), directives.get(0).arguments());
        assertEquals(List.of(""), directives.get(1).arguments());
        assertEquals("port", directives.get(2).name());
        assertEquals(List.of("7000"), directives.get(2).arguments());
        assertEquals(List.of("yes"), directives.get(3).arguments());
        assertEquals(List.of(""), directives.get(4).arguments());
        assertNull(parser().parseCommandLine(new String[] {"--port", "1"}, NO_STDIN)
                .configFile());
        List<ConfigDirective> sentinel = parser().parseCommandLine(
                        new String[] {"--sentinel", "--port", "26379"}, NO_STDIN)
                .directives();
        assertEquals(
                List.of("sentinel", "port"),
                sentinel.stream().map(ConfigDirective::name).toList());
        assertEquals(
                List.of("\n\t\u0001\\"),
                parser().parseCommandLine(new String[] {"--x", "\n\t\u0001\\"}, NO_STDIN)
                        .directives()
                        .get(0)
                        .arguments());
    }

    @Test
    void commandLineErrorsCarryTheirLine() {
        ConfigFileException e = assertThrows(
                ConfigFileException.class,
                () -> parser().parseCommandLine(new String[] {"--port", "1", "--\"bad"}, NO_STDIN));
        assertEquals("(command line)", e.source());
        assertEquals(2, e.line());
    }

    @Test
    void loneDashReadsStdinBetweenFileAndOptions() throws IOException, ConfigFileException {
        write("main.conf", "port 1\n");
        InputStream stdin = new ByteArrayInputStream("port 2\nport \"3".getBytes(StandardCharsets.UTF_8));
        ConfigFileException e = assertThrows(
                ConfigFileException.class, () -> parser().parseCommandLine(new String[] {"main.conf", "-"}, stdin));
        assertEquals("(stdin)", e.source());
        assertEquals(2, e.line());
        InputStream good = new ByteArrayInputStream("port 2\n".getBytes(StandardCharsets.UTF_8));
        List<ConfigDirective> directives = parser().parseCommandLine(new String[] {"-", "--port", "3"}, good)
                .directives();
        assertEquals(
                List.of("2", "3"), directives.stream().map(d -> d.argument(0)).toList());
    }
}
