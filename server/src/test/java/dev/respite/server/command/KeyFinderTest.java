package dev.respite.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key positions and flags from the command data's key specs and the per-command finders. */
class KeyFinderTest {
    private final CommandTable table = new CommandTable();

    /** "position:flags" for each key {@code line} names, flags as Redis spells them. */
    private List<String> keys(String line) {
        String[] words = line.split(" ", -1);
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        CommandSpec spec = spec(words[0]);
        if (spec.declaredSubcommand(words[1]) != null) {
            spec = spec.declaredSubcommand(words[1]);
        }
        KeyRefs refs = new KeyRefs();
        KeyFinder.find(spec, args, refs);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            out.add(refs.position(i) + ":" + String.join(",", KeyFlags.names(refs.flags(i))));
        }
        return out;
    }

    private CommandSpec spec(String name) {
        if (table.lookup(name) == null) {
            table.bind(name, (c, a) -> {});
        }
        return table.lookup(name);
    }

    @Test
    void fixedPositionsComeFromRanges() {
        assertEquals(List.of("1:RO,access"), keys("get k"));
        assertEquals(List.of("1:OW,update", "3:OW,update"), keys("mset a 1 b 2"));
        assertEquals(List.of("1:RW,access,delete", "2:RW,insert"), keys("lmove a b left right"));
        assertEquals(List.of("1:RW,access,delete", "2:RW,access,delete", "3:RW,access,delete"), keys("blpop a b c 0"));
    }

    @Test
    void countedKeysComeFromTheCountArgument() {
        assertEquals(List.of("2:RW,access,delete", "3:RW,access,delete"), keys("lmpop 2 a1 b1 left"));
        assertEquals(List.of("3:RW,access,delete"), keys("blmpop 0 1 a right"));
        assertEquals(List.of("1:OW,update", "3:RO,access", "4:RO,access"), keys("zunionstore d 2 a b weights 1 2"));
        assertEquals(List.of("2:RO,access", "3:RO,access"), keys("sintercard 2 a b"));
    }

    @Test
    void malformedCountsFallBackToRedisLenientReading() {
        // The strict specs reject "2x"; Redis's own finder reads it as atoi does, and lists sources first.
        assertEquals(List.of("3:", "4:", "1:"), keys("zunionstore d 2x a b"));
        assertEquals(List.of("2:", "3:"), keys("lmpop +2 a b left"));
        assertEquals(List.of(), keys("lmpop 5 a left"));
        assertEquals(List.of(), keys("lmpop 0 a left"));
        assertEquals(List.of(), keys("lmpop x a left"));
    }

    @Test
    void keywordSpecsSearchTheArguments() {
        assertEquals(List.of("1:RO,access", "7:OW,update"), keys("georadius g 0 0 1 km store d"));
        assertEquals(List.of("4:RO,access", "5:RO,access"), keys("xread count 2 streams a b 0 0"));
        assertEquals(List.of("4:RO,access"), keys("xread count 2 streams a b 0"));
    }

    @Test
    void incompleteAndVariableSpecsUseTheCommandsOwnFinder() {
        assertEquals(List.of("1:RO,access", "5:OW,update"), keys("sort k by w store dst"));
        assertEquals(List.of("1:RO,access", "8:OW,update"), keys("sort k store a limit 0 1 store b"));
        assertEquals(List.of("1:RO,access"), keys("sort k get store"));
        assertEquals(List.of("7:RW,access,delete", "8:RW,access,delete"), keys("migrate h 1  0 5 keys a b"));
        assertEquals(List.of(), keys("migrate h 1 k 0 5 keys a b"));
        assertEquals(List.of("3:RW,access,delete"), keys("migrate h 1 k 0 5"));
        assertEquals(List.of("1:OW,update"), keys("set k v ex 10"));
        assertEquals(List.of("1:RW,access,update"), keys("set k v GET"));
        assertEquals(List.of("1:RO,access"), keys("bitfield k get u8 0 overflow sat"));
        assertEquals(List.of("1:RW,access,update"), keys("bitfield k get u8 0 incrby u8 0 1"));
    }

    @Test
    void notKeysAreLeftOut() {
        // SPUBLISH's channel is described by a "not_key" spec (for cluster slots); it is not a key.
        CommandSpec s = spec("spublish");
        assertTrue(s.keySpecs()[0].has(KeyFlags.NOT_KEY));
        assertFalse(s.hasKeys());
        assertEquals(List.of(), keys("spublish ch msg"));
    }

    @Test
    void legacyRangeIsDerivedAsRedisDerivesIt() {
        assertRange("get", 1, 1, 1);
        assertRange("mset", 1, -1, 2);
        assertRange("lmove", 1, 2, 1);
        assertRange("blpop", 1, -2, 1);
        assertRange("zunionstore", 1, 1, 1);
        assertRange("lmpop", 0, 0, 0);
        assertRange("sort", 1, 1, 1);
        assertRange("ping", 0, 0, 0);
        assertRange("bitop", 2, -1, 1);
    }

    private void assertRange(String name, int first, int last, int step) {
        CommandSpec s = spec(name);
        assertEquals(List.of(first, last, step), List.of(s.firstKey(), s.lastKey(), s.keyStep()), name);
    }

    @Test
    void atoiReadsAsC() {
        assertEquals(12, KeyProcs.atoi(" 12abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-3, KeyProcs.atoi("-3".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, KeyProcs.atoi("x1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, KeyProcs.atoi(new byte[0]));
    }

    @Test
    void onlyBoundCommandsAreRegistered() {
        assertEquals(0, table.size());
        table.bind("client|list", (c, a) -> {});
        CommandSpec client = table.lookup("client");
        assertNotNull(client);
        assertEquals(List.of("list"), new ArrayList<>(client.subcommands().keySet()));
        assertEquals(1, table.size());
        assertEquals(null, table.lookup("get"));
        assertThrows(IllegalStateException.class, () -> table.bind("client|list", (c, a) -> {}));
        assertThrows(IllegalStateException.class, () -> table.bind("no-such-command", (c, a) -> {}));
        assertThrows(IllegalStateException.class, () -> table.bind("client|no-such", (c, a) -> {}));
    }
}
