package dev.respite.server.acl;

import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One ACL user as Redis 6+ defines it: enabled or not, its password hashes (SHA-256 hex), and what it may
 * run and touch. Rules (ACL SETUSER's arguments) change it in place, so connected clients see the new
 * permissions on their next command.
 */
public final class AclUser {
    private static final String SANITIZE_PAYLOAD = "sanitize-payload";

    private final String name;
    private final CommandTable table;
    /** acl-pubsub-default, read when the user is created or reset. */
    private final BooleanSupplier allChannelsByDefault;

    private boolean enabled;
    private boolean nopass;
    /** "sanitize-payload" (Redis 7.2 gives it to every new user) or "skip-sanitize-payload". */
    private String payloadSanitizing = SANITIZE_PAYLOAD;

    private final Set<String> passwords = new LinkedHashSet<>();
    private final List<KeyPattern> keys = new ArrayList<>();
    private boolean allKeys;
    private final List<String> channels = new ArrayList<>();
    private boolean allChannels;
    /** "+@all" or "-@all", then category rules, then command rules: the order they are evaluated in. */
    private boolean baseAllowsAll;

    private final List<String> categoryRules = new ArrayList<>();
    private final List<String> commandRules = new ArrayList<>();
    private Set<CommandSpec> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean unrestricted;

    /** A key pattern with the access it grants: %R~ read, %W~ write, ~ both. */
    public record KeyPattern(byte[] pattern, boolean read, boolean write) {
        String describe() {
            String p = new String(pattern, StandardCharsets.UTF_8);
            if (read && write) {
                return "~" + p;
            }
            return (read ? "%R~" : "%W~") + p;
        }
    }

    AclUser(String name, CommandTable table, BooleanSupplier allChannelsByDefault) {
        this.name = name;
        this.table = table;
        this.allChannelsByDefault = allChannelsByDefault;
        this.allChannels = allChannelsByDefault.getAsBoolean();
    }

    /** Back to the state of a user just created: off, no passwords, no keys, channels or commands. */
    void clear() {
        enabled = false;
        nopass = false;
        payloadSanitizing = SANITIZE_PAYLOAD;
        passwords.clear();
        keys.clear();
        allKeys = false;
        channels.clear();
        allChannels = allChannelsByDefault.getAsBoolean();
        setBase(false);
        recompute();
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** True when this user may do anything: dispatch skips every further check. */
    public boolean unrestricted() {
        return unrestricted;
    }

    /** Whether {@code password} opens this user (which must also be enabled). */
    public boolean checkPassword(byte[] password) {
        return enabled && (nopass || passwords.contains(sha256(password)));
    }

    public boolean mayRun(CommandSpec spec) {
        return unrestricted || allowed.contains(spec);
    }

    /** Whether some patterns together grant the access asked for (a %R~ and a %W~ pattern may add up). */
    public boolean mayAccessKey(byte[] key, boolean read, boolean write) {
        if (allKeys) {
            return true;
        }
        boolean needRead = read;
        boolean needWrite = write;
        for (KeyPattern p : keys) {
            if (Glob.matches(p.pattern, key)) {
                needRead &= !p.read;
                needWrite &= !p.write;
                if (!needRead && !needWrite) {
                    return true;
                }
            }
        }
        return false;
    }

    /** PUBLISH/SUBSCRIBE match the channel against the patterns; PSUBSCRIBE needs a pattern literally allowed. */
    public boolean mayAccessChannel(byte[] channel, boolean literal) {
        if (allChannels) {
            return true;
        }
        String ch = new String(channel, StandardCharsets.UTF_8);
        for (String p : channels) {
            if (literal ? p.equals(ch) : Glob.matches(p.getBytes(StandardCharsets.UTF_8), channel)) {
                return true;
            }
        }
        return false;
    }

    /** Applies one ACL SETUSER rule; throws with Redis's reason when it is not valid. */
    public void apply(String rule) throws AclRuleException {
        String lower = rule.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "allkeys" -> {
                allKeys = true;
                keys.clear();
            }
            case "resetkeys" -> {
                allKeys = false;
                keys.clear();
            }
            case "allchannels", "&*" -> {
                allChannels = true;
                channels.clear();
            }
            case "resetchannels" -> {
                allChannels = false;
                channels.clear();
            }
            case "allcommands" -> setBase(true);
            case "nocommands" -> setBase(false);
            case "sanitize-payload" -> payloadSanitizing = SANITIZE_PAYLOAD;
            case "skip-sanitize-payload" -> payloadSanitizing = "skip-sanitize-payload";
            case "reset" -> {
                apply("resetpass");
                apply("resetkeys");
                apply("resetchannels");
                if (allChannelsByDefault.getAsBoolean()) {
                    apply("allchannels");
                }
                apply("off");
                apply("-@all");
                payloadSanitizing = SANITIZE_PAYLOAD;
            }
            default -> applyPatterned(rule);
        }
        recompute();
    }

    private void applyPatterned(String rule) throws AclRuleException {
        char first = rule.isEmpty() ? ' ' : rule.charAt(0);
        switch (first) {
            case '>' -> {
                passwords.add(sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)));
                nopass = false;
            }
            case '<' -> {
                if (!passwords.remove(sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)))) {
                    throw new AclRuleException("The password you are trying to remove from the user does not exist");
                }
            }
            case '#' -> {
                passwords.add(validHash(rule.substring(1)));
                nopass = false;
            }
            case '!' -> {
                if (!passwords.remove(validHash(rule.substring(1)))) {
                    throw new AclRuleException("The password you are trying to remove from the user does not exist");
                }
            }
            case '~' -> addKeyPattern(rule.substring(1), true, true);
            case '%' -> keyPatternWithAccess(rule);
            case '&' -> {
                if (allChannels) {
                    throw new AclRuleException(
                            "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
                }
                String p = rule.substring(1);
                if (!channels.contains(p)) {
                    channels.add(p);
                }
            }
            case '+', '-' -> commandRule(rule);
            default -> throw new AclRuleException("Syntax error");
        }
    }

    private void keyPatternWithAccess(String rule) throws AclRuleException {
        int tilde = rule.indexOf('~');
        if (tilde < 2) {
            throw new AclRuleException("Syntax error");
        }
        boolean read = false;
        boolean write = false;
        for (char c : rule.substring(1, tilde).toUpperCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case 'R' -> read = true;
                case 'W' -> write = true;
                default -> throw new AclRuleException("Syntax error");
            }
        }
        addKeyPattern(rule.substring(tilde + 1), read, write);
    }

    private void addKeyPattern(String pattern, boolean read, boolean write) throws AclRuleException {
        if (allKeys) {
            if (read && write) {
                return;
            }
            throw new AclRuleException(
                    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        }
        if (pattern.equals("*") && read && write) {
            apply("allkeys");
            return;
        }
        byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
        keys.removeIf(k -> java.util.Arrays.equals(k.pattern, p));
        keys.add(new KeyPattern(p, read, write));
    }

    private void commandRule(String rule) throws AclRuleException {
        boolean allow = rule.charAt(0) == '+';
        String what = rule.substring(1).toLowerCase(Locale.ROOT);
        if (what.equals("@all")) {
            setBase(allow);
            return;
        }
        if (what.startsWith("@")) {
            String cat = what.substring(1);
            if (!AclCategories.exists(cat)) {
                throw new AclRuleException("Unknown command or category name in ACL");
            }
            // A later category rule overrides earlier rules for the commands it covers.
            commandRules.removeIf(r -> {
                CommandSpec s = specOf(r.substring(1));
                return s != null && AclCategories.of(s).contains(cat);
            });
            categoryRules.remove("+@" + cat);
            categoryRules.remove("-@" + cat);
            categoryRules.add((allow ? "+@" : "-@") + cat);
            return;
        }
        CommandSpec spec = specOf(what);
        if (spec == null) {
            throw new AclRuleException("Unknown command or category name in ACL");
        }
        commandRules.removeIf(r -> r.substring(1).equals(what)
                || (spec.parent() == null && r.substring(1).startsWith(what + "|")));
        commandRules.add((allow ? "+" : "-") + what);
    }

    private void setBase(boolean allowAll) {
        baseAllowsAll = allowAll;
        categoryRules.clear();
        commandRules.clear();
    }

    private CommandSpec specOf(String name) {
        int bar = name.indexOf('|');
        CommandSpec top = table.lookup(bar < 0 ? name : name.substring(0, bar));
        if (top == null || bar < 0) {
            return top;
        }
        return top.subcommands().get(name.substring(bar + 1));
    }

    /** Rebuilds the set of allowed commands from the rules: evaluated once per change, not per command. */
    private void recompute() {
        Set<CommandSpec> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CommandSpec top : table.all()) {
            consider(top, out);
            for (CommandSpec sub : top.subcommands().values()) {
                consider(sub, out);
            }
        }
        allowed = out;
        unrestricted =
                enabled && allKeys && allChannels && baseAllowsAll && categoryRules.isEmpty() && commandRules.isEmpty();
    }

    private void consider(CommandSpec spec, Set<CommandSpec> out) {
        boolean ok = baseAllowsAll;
        List<String> cats = AclCategories.of(spec);
        for (String r : categoryRules) {
            if (cats.contains(r.substring(2))) {
                ok = r.charAt(0) == '+';
            }
        }
        String full = spec.fullName();
        String top = spec.parent() == null ? spec.name() : spec.parent().name();
        for (String r : commandRules) {
            String target = r.substring(1);
            if (target.equals(full) || target.equals(top)) {
                ok = r.charAt(0) == '+';
            }
        }
        if (ok) {
            out.add(spec);
        }
    }

    // ---- descriptions, as ACL GETUSER and ACL LIST print them

    public List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        f.add(payloadSanitizing);
        return f;
    }

    public List<String> passwordHashes() {
        return new ArrayList<>(passwords);
    }

    public String describeCommands() {
        StringBuilder sb = new StringBuilder(baseAllowsAll ? "+@all" : "-@all");
        for (String r : categoryRules) {
            sb.append(' ').append(r);
        }
        for (String r : commandRules) {
            sb.append(' ').append(r);
        }
        return sb.toString();
    }

    public String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        List<String> out = new ArrayList<>();
        for (KeyPattern k : keys) {
            out.add(k.describe());
        }
        return String.join(" ", out);
    }

    public String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        List<String> out = new ArrayList<>();
        for (String c : channels) {
            out.add("&" + c);
        }
        return String.join(" ", out);
    }

    /** The user as one ACL LIST line (also the aclfile format): applying its rules rebuilds the user. */
    public String describe() {
        StringBuilder sb = new StringBuilder("user ").append(name);
        for (String f : flags()) {
            sb.append(' ').append(f);
        }
        for (String p : passwords) {
            sb.append(" #").append(p);
        }
        String k = describeKeys();
        if (!k.isEmpty() || !keys.isEmpty()) {
            sb.append(' ').append(k);
        }
        if (allChannels) {
            sb.append(" &*");
        } else {
            sb.append(" resetchannels");
            String ch = describeChannels();
            if (!ch.isEmpty()) {
                sb.append(' ').append(ch);
            }
        }
        sb.append(' ').append(describeCommands());
        return sb.toString();
    }

    static String sha256(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static String validHash(String hash) throws AclRuleException {
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new AclRuleException(
                    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters");
        }
        return hash;
    }
}
