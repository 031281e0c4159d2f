package dev.respite.server.command;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command as the table knows it: its description, read from the command data ({@link CommandCatalog}),
 * and the handler a family bound to it. Dispatch, COMMAND INFO/DOCS, ACL, the key finder, MULTI and the
 * append-only file all read this one object.
 */
public final class CommandSpec {
    /** The data types' command groups, whose commands answer at once and keep no hold of their argument array. */
    private static final Set<String> DATA_GROUPS =
            Set.of("string", "hash", "list", "set", "sorted-set", "hyperloglog", "geo", "bitmap");

    private final String name;
    private final String fullName;
    private final byte[] nameBytes;
    private final int arity;
    private final EnumSet<CommandFlag> flags;
    private final List<String> aclCategories;
    private final List<String> tips;
    private final KeySpec[] keySpecs;
    private final int[] legacyRange;
    private final KeyProcs.Proc keyProc;
    private final boolean hasKeys;
    private final boolean keySpecsReliable;
    private final CommandDocs docs;
    private final CommandSpec parent;
    /** Subcommands in the data, bound or not. */
    private final Map<String, CommandSpec> declaredSubcommands = new LinkedHashMap<>();
    /** The bound ones, in binding order: only these are dispatched and described. */
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();

    private final CommandStats stats = new CommandStats();
    private CommandHandler handler;
    private PropagationRule propagationRule;

    // Hot-path copies of flags, read on every dispatch.
    private final boolean write;
    private final boolean denyOom;
    private final boolean noAuth;
    private final boolean blocking;
    private final boolean argumentsReusable;

    CommandSpec(
            String fullName,
            CommandSpec parent,
            int arity,
            EnumSet<CommandFlag> flags,
            List<String> aclCategories,
            List<String> tips,
            KeySpec[] keySpecs,
            CommandDocs docs) {
        this.fullName = fullName;
        this.name = fullName.substring(fullName.indexOf('|') + 1);
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.parent = parent;
        this.arity = arity;
        this.flags = flags;
        this.aclCategories = aclCategories;
        this.tips = tips;
        this.keySpecs = keySpecs;
        this.docs = docs;
        this.legacyRange = KeySpec.legacyRange(keySpecs);
        this.keyProc = KeyProcs.of(fullName);
        boolean someKey = false;
        boolean variableFlags = false;
        for (KeySpec s : keySpecs) {
            someKey |= !s.has(KeyFlags.NOT_KEY);
            variableFlags |= s.has(KeyFlags.VARIABLE_FLAGS);
        }
        this.hasKeys = someKey || keyProc != null;
        this.keySpecsReliable = someKey && !variableFlags;
        this.write = flags.contains(CommandFlag.WRITE);
        this.denyOom = flags.contains(CommandFlag.DENYOOM);
        this.noAuth = flags.contains(CommandFlag.NO_AUTH);
        this.blocking = flags.contains(CommandFlag.BLOCKING);
        this.argumentsReusable = !blocking && DATA_GROUPS.contains(docs.group());
    }

    void declareSubcommand(CommandSpec sub) {
        declaredSubcommands.put(sub.name, sub);
    }

    CommandSpec declaredSubcommand(String name) {
        return declaredSubcommands.get(name);
    }

    void bindSubcommand(CommandSpec sub) {
        subcommands.put(sub.name, sub);
    }

    void handler(CommandHandler handler) {
        this.handler = handler;
    }

    /**
     * What the append-only file records instead of this command as received, for commands whose arguments
     * would not replay the same (relative TTLs, floating-point increments).
     */
    public CommandSpec propagateAs(PropagationRule rule) {
        this.propagationRule = rule;
        return this;
    }

    /** The name, without the container's for a subcommand ("list" for CLIENT LIST). */
    public String name() {
        return name;
    }

    /** "client|list" for a subcommand, as Redis names it in errors and statistics. */
    public String fullName() {
        return fullName;
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

    /** First key position of the (first, last, step) triple COMMAND INFO reports; 0 when none. */
    /**
     * Whether the request's argument array may serve the next request once this command has returned, unless
     * the client ended up blocked or queuing a transaction: true for the data types' commands that never block.
     */
    public boolean argumentsReusable() {
        return argumentsReusable;
    }

    public int firstKey() {
        return legacyRange[0];
    }

    public int lastKey() {
        return legacyRange[1];
    }

    public int keyStep() {
        return legacyRange[2];
    }

    public KeySpec[] keySpecs() {
        return keySpecs;
    }

    /** The code that finds keys when the specs cannot; null for most commands. */
    KeyProcs.Proc keyProc() {
        return keyProc;
    }

    /** Whether the command may name keys at all (COMMAND GETKEYS answers "no key arguments" otherwise). */
    public boolean hasKeys() {
        return hasKeys;
    }

    /** Whether the key specs alone say where the keys are and how they are used. */
    boolean keySpecsReliable() {
        return keySpecsReliable;
    }

    public CommandDocs docs() {
        return docs;
    }

    public String group() {
        return docs.group();
    }

    public String summary() {
        return docs.summary() == null ? "" : docs.summary();
    }

    public List<String> tips() {
        return tips;
    }

    /** ACL categories without '@', as COMMAND INFO lists them. */
    public List<String> aclCategories() {
        return aclCategories;
    }

    public CommandHandler handler() {
        return handler;
    }

    public PropagationRule propagationRule() {
        return propagationRule;
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
}
