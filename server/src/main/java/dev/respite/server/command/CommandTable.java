package dev.respite.server.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every command the server knows, looked up by its name bytes in any letter case without building a
 * String: an open-addressing table with a case-folding hash.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private CommandSpec[] slots = new CommandSpec[512];

    /** Registers a command; each name once. */
    public void add(CommandSpec spec) {
        if (byName.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command declared twice: " + spec.name());
        }
        if (byName.size() * 2 > slots.length) {
            CommandSpec[] old = slots;
            slots = new CommandSpec[old.length * 2];
            for (CommandSpec s : old) {
                if (s != null) {
                    place(s);
                }
            }
        }
        place(spec);
    }

    private void place(CommandSpec spec) {
        byte[] n = spec.nameBytes();
        int mask = slots.length - 1;
        int i = foldedHash(n, n.length) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = spec;
    }

    public CommandSpec lookup(byte[] name) {
        int mask = slots.length - 1;
        int i = foldedHash(name, name.length) & mask;
        CommandSpec s;
        while ((s = slots[i]) != null) {
            if (equalsFolded(s.nameBytes(), name)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    public CommandSpec lookup(String name) {
        return byName.get(name.toLowerCase());
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public int size() {
        return byName.size();
    }

    /** Subcommand of {@code parent} named by {@code arg}, or null. */
    public static CommandSpec subcommand(CommandSpec parent, byte[] arg) {
        for (CommandSpec s : parent.subcommands().values()) {
            if (equalsFolded(s.nameBytes(), arg)) {
                return s;
            }
        }
        return null;
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Runs on every command, so it reads only the length and three bytes (case-folded); the probe compares
     * names in full.
     */
    private static int foldedHash(byte[] b, int len) {
        if (len == 0) {
            return 0;
        }
        int h = len * 0x9E3779B1;
        h ^= (b[0] | 0x20) * 0x85EBCA6B;
        h ^= (b[len - 1] | 0x20) * 0xC2B2AE35;
        h ^= (b[len >> 1] | 0x20) * 0x27D4EB2F;
        return h ^ (h >>> 15);
    }

    /** {@code lower} is a lowercase name; {@code any} may be in any case. */
    private static boolean equalsFolded(byte[] lower, byte[] any) {
        if (lower.length != any.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = any[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
