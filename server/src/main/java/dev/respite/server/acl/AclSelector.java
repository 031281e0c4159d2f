package dev.respite.server.acl;

import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One set of permissions of a user, as Redis 7 keeps them: the commands it may run (with the first arguments
 * allowed of otherwise blocked commands), the key patterns with the access each grants, and the channel
 * patterns. Every user has a root selector (the rules given outside parentheses) and may have more, written
 * {@code (...)}; a command is allowed when one selector allows all of it.
 */
public final class AclSelector {
    /** Key access a pattern grants: %R~ read, %W~ write, ~ both. */
    static final int READ = 1;

    static final int WRITE = 2;
    static final int READ_WRITE = READ | WRITE;

    /** A key pattern and the access it grants; the same pattern given twice adds up its access. */
    static final class KeyPattern {
        final String pattern;
        final byte[] bytes;
        int access;

        KeyPattern(String pattern, int access) {
            this.pattern = pattern;
            this.bytes = pattern.getBytes(StandardCharsets.UTF_8);
            this.access = access;
        }

        String describe() {
            return switch (access) {
                case READ -> "%R~" + pattern;
                case WRITE -> "%W~" + pattern;
                default -> "~" + pattern;
            };
        }
    }

    private final CommandTable table;

    private boolean allKeys;
    private boolean allChannels;
    /** Every command allowed: the check is skipped. Cleared by any command taken away. */
    private boolean allCommands;
    /** Set by +@all only (Redis's reserved bit): the rules are printed from +@all rather than -@all. */
    private boolean fromAll;

    private final List<KeyPattern> keys = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();
    private final List<byte[]> channelBytes = new ArrayList<>();
    private Set<CommandSpec> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    /** First arguments allowed of a command that is otherwise blocked (+select|0). */
    private final Map<CommandSpec, List<String>> firstArgs = new IdentityHashMap<>();
    /** The command and category rules since the last +@all / -@all, in order: what GETUSER prints. */
    private final List<String> rules = new ArrayList<>();

    AclSelector(CommandTable table, boolean allChannelsByDefault) {
        this.table = table;
        this.allChannels = allChannelsByDefault;
    }

    AclSelector copy() {
        AclSelector s = new AclSelector(table, allChannels);
        s.allKeys = allKeys;
        s.allCommands = allCommands;
        s.fromAll = fromAll;
        for (KeyPattern k : keys) {
            s.keys.add(new KeyPattern(k.pattern, k.access));
        }
        s.channels.addAll(channels);
        s.channelBytes.addAll(channelBytes);
        s.allowed.addAll(allowed);
        for (Map.Entry<CommandSpec, List<String>> e : firstArgs.entrySet()) {
            s.firstArgs.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        s.rules.addAll(rules);
        return s;
    }

    boolean allKeys() {
        return allKeys;
    }

    boolean allChannels() {
        return allChannels;
    }

    /** Whether this selector lets every command through on any key and channel. */
    boolean unrestricted() {
        return allCommands && allKeys && allChannels;
    }

    List<String> channelPatterns() {
        return channels;
    }

    /** Applies one rule (a command, category, key or channel rule); throws with Redis's reason if invalid. */
    void apply(String op) throws AclRuleException {
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "allkeys", "~*" -> {
                allKeys = true;
                keys.clear();
            }
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
            }
            case "allchannels", "&*" -> {
                allChannels = true;
                clearChannels();
            }
            case "resetchannels" -> {
                allChannels = false;
                clearChannels();
            }
            case "allcommands", "+@all" -> resetCommands(true);
            case "nocommands", "-@all" -> resetCommands(false);
            default -> applyPatterned(op);
        }
    }

    private void applyPatterned(String op) throws AclRuleException {
        char first = op.isEmpty() ? ' ' : op.charAt(0);
        boolean category = op.length() > 1 && op.charAt(1) == '@';
        if (first == '~' || first == '%') {
            addKeyPattern(op);
        } else if (first == '&') {
            addChannel(op.substring(1));
        } else if (first == '+' && !category) {
            allowCommand(op.substring(1));
        } else if (first == '-' && !category) {
            CommandSpec spec = lookup(op.substring(1));
            if (spec == null) {
                throw AclRuleException.unknownCommand();
            }
            changePermission(spec, false);
            updateRules(spec.fullName(), false);
        } else if (first == '+' || first == '-') {
            String name = op.substring(2).toLowerCase(Locale.ROOT);
            if (!AclCategories.exists(name)) {
                throw AclRuleException.unknownCommand();
            }
            boolean allow = first == '+';
            updateRules("@" + name, allow);
            for (CommandSpec top : table.all()) {
                if (top.aclCategories().contains(name)) {
                    changePermission(top, allow);
                }
                for (CommandSpec sub : top.subcommands().values()) {
                    if (sub.aclCategories().contains(name)) {
                        changePermission(sub, allow);
                    }
                }
            }
        } else {
            throw AclRuleException.syntax();
        }
    }

    private void addKeyPattern(String op) throws AclRuleException {
        if (allKeys) {
            throw new AclRuleException(
                    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        int access = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char c = Character.toUpperCase(op.charAt(offset));
                if (c == 'R' && (access & READ) == 0) {
                    access |= READ;
                } else if (c == 'W' && (access & WRITE) == 0) {
                    access |= WRITE;
                } else if (c == '~') {
                    offset++;
                    break;
                } else {
                    throw AclRuleException.syntax();
                }
            }
        } else {
            access = READ_WRITE;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (hasSpaces(pattern)) {
            throw AclRuleException.syntax();
        }
        for (KeyPattern k : keys) {
            if (k.pattern.equals(pattern)) {
                k.access |= access;
                return;
            }
        }
        keys.add(new KeyPattern(pattern, access));
    }

    private void addChannel(String pattern) throws AclRuleException {
        if (allChannels) {
            throw new AclRuleException(
                    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
        }
        if (hasSpaces(pattern)) {
            throw AclRuleException.syntax();
        }
        if (!channels.contains(pattern)) {
            channels.add(pattern);
            channelBytes.add(pattern.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void clearChannels() {
        channels.clear();
        channelBytes.clear();
    }

    /** +command, +container|subcommand, or +command|first-arg (Redis's deprecated way to allow SELECT 0). */
    private void allowCommand(String what) throws AclRuleException {
        int bar = what.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec spec = lookup(what);
            if (spec == null) {
                throw AclRuleException.unknownCommand();
            }
            changePermission(spec, true);
            updateRules(spec.fullName(), true);
            return;
        }
        CommandSpec spec = lookup(what.substring(0, bar));
        if (spec == null) {
            throw AclRuleException.unknownCommand();
        }
        if (spec.parent() != null) {
            throw new AclRuleException("Allowing first-arg of a subcommand is not supported");
        }
        String firstArg = what.substring(bar + 1);
        if (firstArg.isEmpty()) {
            throw AclRuleException.syntax();
        }
        if (!spec.subcommands().isEmpty()) {
            CommandSpec sub = lookup(what);
            if (sub == null) {
                throw AclRuleException.unknownCommand();
            }
            changePermission(sub, true);
        } else {
            List<String> args = firstArgs.computeIfAbsent(spec, s -> new ArrayList<>());
            if (args.stream().noneMatch(firstArg::equalsIgnoreCase)) {
                args.add(firstArg);
            }
        }
        updateRules(what, true);
    }

    /** The command {@code name} names ("get", "config|get"), or null; a third part names nothing. */
    private CommandSpec lookup(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return table.lookup(lower);
        }
        if (lower.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        CommandSpec top = table.lookup(lower.substring(0, bar));
        return top == null ? null : top.subcommands().get(lower.substring(bar + 1));
    }

    /** Allows or blocks a command; for a container, all its subcommands with it. */
    private void changePermission(CommandSpec spec, boolean allow) {
        setAllowed(spec, allow);
        firstArgs.remove(spec);
        for (CommandSpec sub : spec.subcommands().values()) {
            setAllowed(sub, allow);
        }
    }

    private void setAllowed(CommandSpec spec, boolean allow) {
        if (allow) {
            allowed.add(spec);
        } else {
            if (allCommands) {
                // Enumerated only now: the default user gets +@all before the command table is filled.
                allCommands = false;
                for (CommandSpec top : table.all()) {
                    allowed.add(top);
                    allowed.addAll(top.subcommands().values());
                }
            }
            allowed.remove(spec);
        }
    }

    private void resetCommands(boolean all) {
        allCommands = all;
        fromAll = all;
        rules.clear();
        firstArgs.clear();
        allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Keeps the printed rules lossless and short, as Redis does: a rule replaces an earlier one for the same
     * command or category (and a whole command's rule replaces its subcommands' rules), then goes last.
     */
    private void updateRules(String rule, boolean allow) {
        String target = rule.toLowerCase(Locale.ROOT);
        rules.removeIf(r -> {
            String existing = r.substring(1);
            return existing.equals(target) || existing.startsWith(target + "|");
        });
        rules.add((allow ? "+" : "-") + target);
    }

    // ---- checks

    /** Whether the selector may run {@code spec} with these arguments, keys and channels aside. */
    boolean mayRun(CommandSpec spec, byte[][] args) {
        if (allCommands || spec.isNoAuth() || allowed.contains(spec)) {
            return true;
        }
        List<String> allowedArgs = firstArgs.get(spec);
        if (allowedArgs == null || args.length < 2) {
            return false;
        }
        String first = new String(args[1], StandardCharsets.UTF_8);
        for (String a : allowedArgs) {
            if (a.equalsIgnoreCase(first)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one pattern grants all the access asked ({@link #READ}, {@link #WRITE}, both or none). */
    boolean mayAccessKey(byte[] key, int access) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern k : keys) {
            if ((k.access & access) == access && Glob.matches(k.bytes, key)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the selector has {@code access} to every key: a "*" pattern granting it (SORT BY/GET). */
    boolean mayAccessAnyKey(int access) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern k : keys) {
            if ((k.access & access) == access && k.pattern.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** PUBLISH/SUBSCRIBE match the channel against the patterns; PSUBSCRIBE needs a pattern literally allowed. */
    boolean mayAccessChannel(byte[] channel, boolean literal) {
        if (allChannels) {
            return true;
        }
        for (byte[] p : channelBytes) {
            if (literal ? Arrays.equals(p, channel) : Glob.matches(p, channel)) {
                return true;
            }
        }
        return false;
    }

    // ---- descriptions, as ACL GETUSER and ACL LIST print them

    public String describeCommands() {
        StringBuilder sb = new StringBuilder(fromAll ? "+@all" : "-@all");
        for (String r : rules) {
            sb.append(' ').append(r);
        }
        return sb.toString();
    }

    public String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        StringBuilder sb = new StringBuilder();
        for (KeyPattern k : keys) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(k.describe());
        }
        return sb.toString();
    }

    public String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        StringBuilder sb = new StringBuilder();
        for (String c : channels) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append('&').append(c);
        }
        return sb.toString();
    }

    /** The selector as ACL LIST prints it: keys, channels (after resetchannels unless all), commands. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            for (KeyPattern k : keys) {
                sb.append(k.describe()).append(' ');
            }
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String c : channels) {
                sb.append('&').append(c).append(' ');
            }
        }
        return sb.append(describeCommands()).toString();
    }

    static boolean hasSpaces(String s) {
        return s.indexOf(' ') >= 0 || s.indexOf('\0') >= 0;
    }
}
