package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Respite's command surface against Redis 7.2.5's: COMMAND LIST, COMMAND COUNT and the FILTERBY forms name
 * the same commands and subcommands on both, but for an explicit list of what Respite does not run yet.
 * The list must be exact: a command Respite gains fails the test until it leaves the list, and a command
 * the reference does not have fails it at once.
 */
class CommandListDifferentialTest extends DifferentialSuite {
    /** The Lua debugger (redis-cli --ldb's session protocol) is not built. */
    private static final Set<String> SCRIPT_DEBUGGER = Set.of("script|debug");

    private static Set<String> notRunYet() {
        return new TreeSet<>(SCRIPT_DEBUGGER);
    }

    /** Names in a flat array reply of bulk strings. */
    private static Set<String> names(String reply) {
        assertTrue(reply.startsWith("*"), reply);
        Set<String> out = new TreeSet<>();
        String[] lines = reply.split("\r\n");
        for (int i = 2; i < lines.length; i += 2) {
            out.add(lines[i]);
        }
        assertEquals(Integer.parseInt(lines[0].substring(1)), out.size(), "no name twice: " + reply);
        return out;
    }

    private Set<String> list(boolean reference, String... filter) throws IOException {
        List<String> args = new ArrayList<>(List.of("COMMAND", "LIST"));
        args.addAll(List.of(filter));
        String[] command = args.toArray(String[]::new);
        return names(reference ? d.redis().call(command) : d.respite().call(command));
    }

    /** Respite names exactly the reference's commands minus the ones not run yet. */
    private void assertSameSurface(String... filter) throws IOException {
        Set<String> redis = list(true, filter);
        Set<String> ours = list(false, filter);
        String what = "COMMAND LIST " + String.join(" ", filter);
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(redis);
        assertEquals(Set.of(), extra, what + ": commands Redis 7.2.5 does not have");
        Set<String> expected = new TreeSet<>(redis);
        expected.removeAll(notRunYet());
        assertEquals(expected, ours, what);
    }

    @Test
    void listNamesEveryReferenceCommandButTheDebuggerOnes() throws IOException {
        Set<String> redis = list(true);
        Set<String> ours = list(false);
        Set<String> missing = new TreeSet<>(redis);
        missing.removeAll(ours);
        assertEquals(notRunYet(), missing, "what Respite lacks must be exactly the allow-list");
        Set<String> extra = new TreeSet<>(ours);
        extra.removeAll(redis);
        assertEquals(Set.of(), extra, "commands Redis 7.2.5 does not have");
        assertTrue(ours.size() > 320, "COMMAND LIST names " + ours.size());
    }

    @Test
    void countIsTheReferenceCountLessTheTopLevelCommandsNotRunYet() throws IOException {
        long notRunTopLevel = notRunYet().stream().filter(n -> !n.contains("|")).count();
        long redisCount =
                Long.parseLong(d.redis().call("COMMAND", "COUNT").trim().substring(1));
        String ours = d.respite().call("COMMAND", "COUNT");
        assertEquals(":" + (redisCount - notRunTopLevel) + "\r\n", ours);
        long listedTopLevel = list(false).stream().filter(n -> !n.contains("|")).count();
        assertEquals(":" + listedTopLevel + "\r\n", ours, "COMMAND COUNT counts what COMMAND LIST names");
    }

    @Test
    void filterByAclCategoryAsTheReference() throws IOException {
        for (String category : List.of(
                "keyspace",
                "read",
                "write",
                "string",
                "list",
                "hyperloglog",
                "geo",
                "scripting",
                "stream",
                "admin",
                "dangerous",
                "connection",
                "transaction",
                "pubsub",
                "blocking",
                "FAST",
                "Slow")) {
            assertSameSurface("FILTERBY", "ACLCAT", category);
        }
        d.check("COMMAND", "LIST", "FILTERBY", "ACLCAT", "no-such-category");
    }

    @Test
    void filterByPatternAsTheReference() throws IOException {
        for (String pattern : List.of(
                "*",
                "set",
                "GET*",
                "cl*help",
                "config|*re*",
                "latency|*",
                "script|*",
                "pf*",
                "geo*",
                "*|help",
                "x?ead*",
                "[ab]*",
                "no_such*")) {
            assertSameSurface("FILTERBY", "PATTERN", pattern);
        }
    }

    @Test
    void malformedFiltersAnswerAsTheReference() throws IOException {
        check(
                "COMMAND LIST FILTERBY MODULE no-such-module",
                "COMMAND LIST FILTERBY nosuch x",
                "COMMAND LIST FILTERBY PATTERN",
                "COMMAND LIST FILTERBY",
                "COMMAND LIST extra",
                "COMMAND COUNT extra");
    }
}
