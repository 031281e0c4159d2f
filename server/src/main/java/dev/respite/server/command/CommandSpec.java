package dev.respite.server.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command as declared in the table: everything dispatch, COMMAND INFO/DOCS, the append-only file,
 * MULTI and ACL categories need to know about it. Built fluently where the family registers it:
 * {@code table.add(CommandSpec.of("get", 2).flags(READONLY, FAST).keys(1, 1, 1).group("string")...)}.
 */
public final class CommandSpec {
    private final String name;
    private final byte[] nameBytes;
    private final int arity;
    private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
    private final Set<String> categories = new java.util.LinkedHashSet<>();
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private String group = "generic";
    private String summary = "";
    private String since = "1.0.0";
    private String complexity = "O(1)";
    private final List<String> tips = new ArrayList<>();
    private CommandHandler handler;
    private CommandSpec parent;
    private final CommandStats stats = new CommandStats();
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();

    // Hot-path copies of flags, read on every dispatch.
    private boolean write;
    private boolean denyOom;
    private boolean noAuth;
    private boolean blocking;

    private CommandSpec(String name, int arity) {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
    }

    /** A command with Redis's arity convention: n means exactly n arguments (with the name), -n at least n. */
    public static CommandSpec of(String name, int arity) {
        return new CommandSpec(name.toLowerCase(), arity);
    }

    public CommandSpec flags(CommandFlag... fs) {
        Collections.addAll(flags, fs);
        write = flags.contains(CommandFlag.WRITE);
        denyOom = flags.contains(CommandFlag.DENYOOM);
        noAuth = flags.contains(CommandFlag.NO_AUTH);
        blocking = flags.contains(CommandFlag.BLOCKING);
        return this;
    }

    public CommandSpec keys(int first, int last, int step) {
        this.firstKey = first;
        this.lastKey = last;
        this.keyStep = step;
        return this;
    }

    /** The documentation group ("string", "list", "server"...), which also names its ACL category. */
    public CommandSpec group(String group) {
        this.group = group;
        return this;
    }

    /** Extra ACL categories without the '@' ("fast", "dangerous", ...); read/write/fast come from flags. */
    public CommandSpec categories(String... cats) {
        Collections.addAll(categories, cats);
        return this;
    }

    public CommandSpec summary(String summary) {
        this.summary = summary;
        return this;
    }

    public CommandSpec since(String since) {
        this.since = since;
        return this;
    }

    public CommandSpec complexity(String complexity) {
        this.complexity = complexity;
        return this;
    }

    public CommandSpec tips(String... t) {
        Collections.addAll(tips, t);
        return this;
    }

    public CommandSpec handler(CommandHandler handler) {
        this.handler = handler;
        return this;
    }

    /** Adds a subcommand (CLIENT LIST, CONFIG GET...); its name is given without the parent's. */
    public CommandSpec sub(CommandSpec sub) {
        sub.parent = this;
        subcommands.put(sub.name, sub);
        return this;
    }

    public String name() {
        return name;
    }

    /** "client|list" for a subcommand, as Redis names it in errors and statistics. */
    public String fullName() {
        return parent == null ? name : parent.name + "|" + name;
    }

    public byte[] nameBytes() {
        return nameBytes;
    }

    public int arity() {
        return arity;
    }

    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public EnumSet<CommandFlag> flagSet() {
        return flags;
    }

    public boolean has(CommandFlag f) {
        return flags.contains(f);
    }

    public boolean isWrite() {
        return write;
    }

    public boolean isDenyOom() {
        return denyOom;
    }

    public boolean isNoAuth() {
        return noAuth;
    }

    public boolean isBlocking() {
        return blocking;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public String group() {
        return group;
    }

    public String summary() {
        return summary;
    }

    public String since() {
        return since;
    }

    public String complexity() {
        return complexity;
    }

    public List<String> tips() {
        return tips;
    }

    public CommandHandler handler() {
        return handler;
    }

    public CommandStats stats() {
        return stats;
    }

    public CommandSpec parent() {
        return parent;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    /** ACL categories without '@', derived from flags and group plus the declared extras. */
    public Set<String> aclCategories() {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (write) {
            out.add("write");
        }
        if (flags.contains(CommandFlag.READONLY) && !group.equals("scripting")) {
            out.add("read");
        }
        if (flags.contains(CommandFlag.FAST)) {
            out.add("fast");
        } else {
            out.add("slow");
        }
        if (flags.contains(CommandFlag.ADMIN)) {
            out.add("admin");
            out.add("dangerous");
        }
        if (flags.contains(CommandFlag.PUBSUB)) {
            out.add("pubsub");
        }
        if (blocking) {
            out.add("blocking");
        }
        String fromGroup = switch (group) {
            case "string", "list", "hash", "set", "bitmap", "hyperloglog", "geo", "stream", "pubsub",
                    "connection", "scripting" -> group;
            case "transactions" -> "transaction";
            case "sorted-set" -> "sortedset";
            case "generic" -> "keyspace";
            default -> null;
        };
        if (fromGroup != null) {
            out.add(fromGroup);
        }
        out.addAll(categories);
        return out;
    }

    /** The positions of the key arguments in {@code args} per first/last/step. */
    public List<Integer> keyPositions(int argc) {
        List<Integer> out = new ArrayList<>();
        if (firstKey <= 0) {
            return out;
        }
        int last = lastKey < 0 ? argc + lastKey : lastKey;
        for (int i = firstKey; i <= last && i < argc; i += Math.max(keyStep, 1)) {
            out.add(i);
        }
        return out;
    }
}
