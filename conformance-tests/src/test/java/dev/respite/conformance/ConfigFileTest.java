package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.ReferenceRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * redis.conf files as an operator writes them: Redis's syntax, repeated directives, includes, units, the command
 * line overriding the file, and start-up refused with the file, line, text and reason of a bad line.
 */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Tools.Result testConfig(Path file) throws IOException, InterruptedException {
        return Tools.run(RespiteProcess.command(file.toString(), "--test-config"), null, 60);
    }

    /** Runs redis-server on the file; it exits at once on a bad line, printing its message to stderr. */
    private static Tools.Result redisServer(Path file) throws IOException, InterruptedException {
        return Tools.run(List.of(ReferenceRedis.binary(), file.toString()), null, 30);
    }

    private void assertRefused(String text, int line, String quoted, String reason, boolean sameAsRedis)
            throws IOException, InterruptedException {
        Path file = write("bad.conf", text);
        Tools.Result r = testConfig(file);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        String expected =
                "Reading the configuration file " + file + ", at line " + line + "\n>>> '" + quoted + "'\n" + reason;
        assertTrue(r.stderr().contains("*** FATAL CONFIG FILE ERROR (Respite"), r.stderr());
        assertTrue(r.stderr().contains(expected), r.stderr());
        if (sameAsRedis) {
            Tools.Result redis = redisServer(file);
            assertEquals(1, redis.exitCode());
            assertTrue(
                    redis.stderr().contains("at line " + line + "\n>>> '" + quoted + "'\n" + reason), redis.stderr());
        }
    }

    @Test
    void unknownDirectiveIsRefusedWithItsLineAsRedisDoes() throws Exception {
        assertRefused(
                "# a comment\nport 6379\n\nfrobnicate 1\n",
                4,
                "frobnicate 1",
                "Bad directive or wrong number of arguments",
                true);
    }

    @Test
    void badNumberIsRefusedWithItsLineAsRedisDoes() throws Exception {
        assertRefused(
                "port 6379\nmaxclients lots\n",
                2,
                "maxclients lots",
                "argument couldn't be parsed into an integer",
                true);
    }

    @Test
    void badMemoryUnitIsRefusedWithItsLineAsRedisDoes() throws Exception {
        assertRefused("maxmemory 10zb\n", 1, "maxmemory 10zb", "argument must be a memory value", true);
    }

    @Test
    void unbalancedQuoteIsRefusedWithItsLineAsRedisDoes() throws Exception {
        assertRefused(
                "port 6379\n\n\nrequirepass \"abc\n",
                4,
                "requirepass \"abc",
                "Unbalanced quotes in configuration line",
                true);
    }

    @Test
    void missingIncludeIsRefusedAtTheIncludeLine() throws Exception {
        Path missing = dir.resolve("nowhere.conf");
        assertRefused(
                "port 6379\ninclude " + missing + "\n",
                2,
                "include " + missing,
                "Fatal error, can't open config file '" + missing + "': No such file or directory",
                false);
    }

    @Test
    void badLineInAnIncludedFileNamesThatFileAndLine() throws Exception {
        Path included = write("included.conf", "# included\ntimeout -5\n");
        Path main = write("main.conf", "include " + included + "\n");
        Tools.Result r = testConfig(main);
        assertEquals(1, r.exitCode());
        assertTrue(
                r.stderr().contains("Reading the configuration file " + included + ", at line 2\n>>> 'timeout -5'\n"),
                r.stderr());
    }

    @Test
    void renamingAnUnknownCommandIsRefusedAsRedisDoes() throws Exception {
        assertRefused(
                "rename-command nosuchcommand other\n",
                1,
                "rename-command nosuchcommand other",
                "No such command in rename-command",
                true);
    }

    @Test
    void goodFilePassesTestConfig() throws Exception {
        Tools.Result r = testConfig(write("ok.conf", "port 7000\nmaxmemory 1GB\n"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("Configuration OK"), r.stdout());
    }

    @Test
    void unitsQuotingRepeatsIncludesAndCommandLineOverrides() throws Exception {
        Path included = write("memory.conf", "maxmemory 2MB\nmaxmemory-policy allkeys-lru\n");
        Path main = write(
                "respite.conf",
                String.join(
                        "\n",
                        "# Respite test configuration",
                        "  MAXCLIENTS 77  ",
                        "protected-mode NO",
                        "dbfilename \"it's a dump.rdb\"",
                        "notify-keyspace-events \"Ex\"",
                        "save 900 1",
                        "save 300 10",
                        "proto-max-bulk-len 2mb",
                        "client-query-buffer-limit 3m",
                        "include " + included,
                        "maxmemory 100mb",
                        "timeout 100",
                        "rename-command keys allkeys",
                        "rename-command flushall \"\"",
                        ""));
        try (RespiteProcess p = RespiteProcess.startWithConfig(dir, main, "--timeout", "200")) {
            checkLoaded(p, main);
        }
    }

    private static void checkLoaded(RespiteProcess p, Path main) throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", p.port())) {
            assertEquals("it's a dump.rdb", j.configGet("dbfilename").get("dbfilename"));
            assertEquals("77", j.configGet("maxclients").get("maxclients"));
            assertEquals("no", j.configGet("protected-mode").get("protected-mode"));
            assertEquals("xE", j.configGet("notify-keyspace-events").get("notify-keyspace-events"));
            assertEquals("2097152", j.configGet("proto-max-bulk-len").get("proto-max-bulk-len"));
            assertEquals("3000000", j.configGet("client-query-buffer-limit").get("client-query-buffer-limit"));
            assertEquals(
                    "104857600", j.configGet("maxmemory").get("maxmemory"), "a later line overrides the included one");
            assertEquals("allkeys-lru", j.configGet("maxmemory-policy").get("maxmemory-policy"));
            assertEquals("200", j.configGet("timeout").get("timeout"), "the command line overrides the file");
            // The harness's --save "" comes after the file, so its rules are gone; a file alone keeps both lines.
            assertEquals("", j.configGet("save").get("save"));
        }
        try (RawConnection c = new RawConnection(p.port())) {
            c.call("SET", "k", "v");
            assertEquals("*1\r\n$1\r\nk\r\n", c.call("ALLKEYS", "*"));
            assertTrue(c.call("KEYS", "*").startsWith("-ERR unknown command 'KEYS'"));
            assertTrue(c.call("FLUSHALL").startsWith("-ERR unknown command 'FLUSHALL'"));
            assertTrue(p.log().contains("Configuration loaded from " + main), p.log());
        }
    }

    @Test
    void repeatedSaveLinesAddRulesAndTheFirstReplacesTheDefaults() throws Exception {
        Path main = write("save.conf", "save 900 1\nsave 300 10\n");
        try (RespiteProcess p = RespiteProcess.startWithConfig(dir, main, "--save", "900", "1", "--save", "60", "5");
                Jedis j = new Jedis("127.0.0.1", p.port())) {
            assertEquals("900 1 60 5", j.configGet("save").get("save"));
        }
    }

    @Test
    void inertDirectiveIsNamedInAStartupWarning() throws Exception {
        Path main = write("inert.conf", "jemalloc-bg-thread no\nactivedefrag yes\n");
        try (RespiteProcess p = RespiteProcess.startWithConfig(dir, main)) {
            String log = p.log();
            assertTrue(
                    log.contains(
                            "Directive 'jemalloc-bg-thread' is accepted for compatibility with Redis but has no effect"),
                    log);
            assertTrue(log.contains("Directive 'activedefrag'"), log);
            assertFalse(log.contains("Directive 'maxclients'"), log);
        }
    }
}
