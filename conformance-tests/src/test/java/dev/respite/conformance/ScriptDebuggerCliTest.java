package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real redis-cli's Lua debugger mode (--ldb-sync-mode / --ldb with --eval), fed debugger commands on
 * its standard input: what it prints from Respite must be what it prints from Redis 7.2.5.
 */
class ScriptDebuggerCliTest extends DifferentialSuite {
    private static final String SCRIPT = String.join(
            "\n",
            "local a = 1",
            "local b = {ARGV[1], 'x'}",
            "redis.call('set', KEYS[1], ARGV[1])",
            "redis.debug(a, b)",
            "redis.breakpoint()",
            "return redis.call('get', KEYS[1])",
            "");
    private static final String COMMANDS = String.join(
            "\n",
            "step",
            "print",
            "step",
            "list",
            "print b",
            "break 6",
            "whole",
            "eval 1 + 41",
            "redis incr n",
            "trace",
            "help",
            "maxlen 70",
            "continue",
            "continue",
            "");

    private Tools.Result cli(int port, Path file, String mode) throws Exception {
        return Tools.run(
                List.of(
                        Tools.require("redis-cli"),
                        "-p",
                        Integer.toString(port),
                        mode,
                        "--eval",
                        file.toString(),
                        "key1",
                        ",",
                        "value1"),
                COMMANDS.getBytes(StandardCharsets.UTF_8),
                60);
    }

    private String sameOutput(String mode) throws Exception {
        Path file = Files.createTempFile("ldb", ".lua");
        Files.writeString(file, SCRIPT);
        Tools.Result ours = cli(respite.port(), file, mode);
        Tools.Result theirs = cli(reference.port(), file, mode);
        assertEquals(theirs.stdout(), ours.stdout());
        assertEquals(theirs.exitCode(), ours.exitCode(), ours.stderr());
        assertTrue(ours.stdout().contains("<redis> incr n"), ours.stdout());
        assertTrue(ours.stdout().contains("<debug> line 4: 1, {\"value1\"; \"x\"}"), ours.stdout());
        assertTrue(ours.stdout().contains("<retval> 42"), ours.stdout());
        assertTrue(ours.stdout().contains("\"value1\"\n"), ours.stdout());
        return ours.stdout();
    }

    @Test
    void syncSessionPrintsAsWithRedisAndKeepsChanges() throws Exception {
        String out = sameOutput("--ldb-sync-mode");
        assertTrue(out.contains("(Lua debugging session ended)\n"), out);
        check("GET key1", "GET n");
    }

    @Test
    void forkedSessionPrintsAsWithRedisAndRollsBack() throws Exception {
        String out = sameOutput("--ldb");
        assertTrue(out.contains("(Lua debugging session ended -- dataset changes rolled back)"), out);
        check("GET key1", "GET n");
    }
}
