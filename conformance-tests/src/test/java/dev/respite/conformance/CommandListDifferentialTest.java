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
 * exactly the same commands and subcommands on both.
 */
class CommandListDifferentialTest extends DifferentialSuite {

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

    /** Respite names exactly the reference's commands. */
    private void assertSameSurface(String... filter) throws IOException {
        assertEquals(list(true, filter), list(false, filter), "COMMAND LIST " + String.join(" ", filter));
    }

    @Test
    void listNamesEveryReferenceCommand() throws IOException {
        Set<String> ours = list(false);
        assertEquals(list(true), ours, "COMMAND LIST");
        assertTrue(ours.size() > 320, "COMMAND LIST names " + ours.size());
    }

    @Test
    void countIsTheReferenceCount() throws IOException {
        String ours = d.respite().call("COMMAND", "COUNT");
        assertEquals(d.redis().call("COMMAND", "COUNT"), ours);
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
