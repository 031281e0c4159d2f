package dev.respite.conformance.fuzz;

import dev.respite.conformance.support.CliLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One unit of a fuzz run, replayed whole when shrinking: a single command, a MULTI block (its queued
 * commands, then EXEC or DISCARD), or a protocol switch with HELLO (whose reply names the server and is
 * not compared).
 */
record Step(List<byte[][]> commands, boolean compared) {

    static Step command(byte[][] args) {
        return new Step(Collections.singletonList(args), true);
    }

    static Step transaction(List<byte[][]> queued, boolean exec) {
        List<byte[][]> all = new ArrayList<>();
        all.add(words("MULTI"));
        all.addAll(queued);
        all.add(words(exec ? "EXEC" : "DISCARD"));
        return new Step(all, true);
    }

    static Step hello(int protocol) {
        return new Step(Collections.singletonList(words("HELLO", Integer.toString(protocol))), false);
    }

    boolean isTransaction() {
        return commands.size() > 1;
    }

    /** The same transaction with only some of its queued commands. */
    Step withQueued(List<byte[][]> queued) {
        List<byte[][]> all = new ArrayList<>();
        all.add(commands.get(0));
        all.addAll(queued);
        all.add(commands.get(commands.size() - 1));
        return new Step(all, compared);
    }

    List<byte[][]> queued() {
        return commands.subList(1, commands.size() - 1);
    }

    List<String> lines() {
        return commands.stream().map(CliLine::quote).toList();
    }

    static byte[][] words(String... words) {
        byte[][] b = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            b[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return b;
    }
}
