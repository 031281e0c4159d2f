package dev.respite.server.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The commands the server runs, looked up by their name bytes in any letter case without building a
 * String: an open-addressing table with a case-folding hash. A command is described in the command data
 * ({@link CommandCatalog}) and registered when a family binds its handler; it is found under its own name or
 * under the one rename-command gave it.
 */
public final class CommandTable {
    /** Every command in the data, bound or not. */
    private final Map<String, CommandSpec> catalog = CommandCatalog.load();
    /** By the name each command was declared with, for the server's own look-ups (HELP texts). */
    private final Map<String, CommandSpec> declared = new LinkedHashMap<>();
    /** By the name clients use: the declared one unless renamed; disabled commands are absent. */
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();

    private CommandSpec[] slots = new CommandSpec[512];
    private byte[][] keys = new byte[512][];

    /**
     * Makes the command {@code fullName} ("hset", or "client|list" for a subcommand) run {@code handler}
     * and registers it (with its container, for a subcommand). Each command is bound once, and must be
     * described in the command data.
     */
    public CommandSpec bind(String fullName, CommandHandler handler) {
        int bar = fullName.indexOf('|');
        CommandSpec top = catalog.get(bar < 0 ? fullName : fullName.substring(0, bar));
        CommandSpec spec = top == null || bar < 0 ? top : top.declaredSubcommand(fullName.substring(bar + 1));
        if (spec == null) {
            throw new IllegalStateException("no command data for " + fullName);
        }
        if (spec.handler() != null) {
            throw new IllegalStateException("command bound twice: " + fullName);
        }
        spec.handler(handler);
        if (bar >= 0) {
            top.bindSubcommand(spec);
        }
        if (!declared.containsKey(top.name())) {
            register(top);
        }
        return spec;
    }

    private void register(CommandSpec spec) {
        declared.put(spec.name(), spec);
        byName.put(spec.name(), spec);
        if (byName.size() * 2 > slots.length) {
            rebuild(slots.length * 2);
        } else {
            place(spec.nameBytes(), spec);
        }
    }

    /**
     * rename-command: the command {@code from} answers to {@code to} instead, or to nothing when {@code to} is
     * empty. Its COMMAND INFO still shows the name it was declared with, as in Redis.
     *
     * @throws IllegalArgumentException with Redis's reason when {@code from} is unknown or {@code to} is taken
     */
    public void rename(String from, String to) {
        String source = from.toLowerCase(Locale.ROOT);
        String target = to.toLowerCase(Locale.ROOT);
        CommandSpec spec = byName.get(source);
        if (spec == null) {
            throw new IllegalArgumentException("No such command in rename-command");
        }
        if (!target.isEmpty() && byName.containsKey(target)) {
            throw new IllegalArgumentException("Target command name already exists");
        }
        byName.remove(source);
        if (!target.isEmpty()) {
            byName.put(target, spec);
        }
        rebuild(slots.length);
    }

    private void rebuild(int size) {
        slots = new CommandSpec[size];
        keys = new byte[size][];
        for (Map.Entry<String, CommandSpec> e : byName.entrySet()) {
            place(e.getKey().getBytes(StandardCharsets.US_ASCII), e.getValue());
        }
    }

    private void place(byte[] key, CommandSpec spec) {
        int mask = slots.length - 1;
        int i = foldedHash(key, key.length) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = spec;
        keys[i] = key;
    }

    public CommandSpec lookup(byte[] name) {
        int mask = slots.length - 1;
        int i = foldedHash(name, name.length) & mask;
        CommandSpec s;
        while ((s = slots[i]) != null) {
            if (equalsFolded(keys[i], name)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** The command declared as {@code name}, whatever rename-command did to it. */
    public CommandSpec lookup(String name) {
        return declared.get(name.toLowerCase(Locale.ROOT));
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
