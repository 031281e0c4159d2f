package dev.respite.server.acl;

import dev.respite.server.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One ACL user as Redis 7 defines it: enabled or not, its password hashes (SHA-256 hex), and its selectors:
 * the root one (rules given outside parentheses) first, then those added with {@code (...)}. Rules (ACL
 * SETUSER's arguments) change it in place, so connected clients see the new permissions on their next command.
 */
public final class AclUser {
    private final String name;
    private final CommandTable table;
    /** acl-pubsub-default, read when a selector is created or the user reset. */
    private final BooleanSupplier allChannelsByDefault;

    private boolean enabled;
    private boolean nopass;
    private boolean skipSanitizePayload;
    private final Set<String> passwords = new LinkedHashSet<>();
    /** The root selector first, always present. */
    private final List<AclSelector> selectors = new ArrayList<>();

    private boolean unrestricted;

    AclUser(String name, CommandTable table, BooleanSupplier allChannelsByDefault) {
        this.name = name;
        this.table = table;
        this.allChannelsByDefault = allChannelsByDefault;
        selectors.add(new AclSelector(table, allChannelsByDefault.getAsBoolean()));
    }

    /** A detached copy to try rules on (ACL SETUSER applies all of them or none). */
    AclUser copy() {
        AclUser u = new AclUser(name, table, allChannelsByDefault);
        u.copyFrom(this);
        return u;
    }

    /** Takes every rule of {@code other}, keeping this user's name (and the clients logged in as it). */
    void copyFrom(AclUser other) {
        enabled = other.enabled;
        nopass = other.nopass;
        skipSanitizePayload = other.skipSanitizePayload;
        passwords.clear();
        passwords.addAll(other.passwords);
        selectors.clear();
        for (AclSelector s : other.selectors) {
            selectors.add(s.copy());
        }
        recompute();
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The skip-sanitize-payload flag: with sanitize-dump-payload clients, this user's RESTOREs get no deep check. */
    public boolean skipsSanitizePayload() {
        return skipSanitizePayload;
    }

    public boolean nopass() {
        return nopass;
    }

    /** True when some selector lets anything through: dispatch skips every further check. */
    public boolean unrestricted() {
        return unrestricted;
    }

    /** Whether {@code password} opens this user (which must also be enabled). */
    public boolean checkPassword(byte[] password) {
        return enabled && (nopass || passwords.contains(sha256(password)));
    }

    AclSelector root() {
        return selectors.get(0);
    }

    /** Every selector, the root one first: the order permissions are checked in. Not to be changed. */
    List<AclSelector> allSelectors() {
        return selectors;
    }

    /** The selectors added with {@code (...)}, as GETUSER's "selectors" field lists them. */
    public List<AclSelector> extraSelectors() {
        return Collections.unmodifiableList(selectors.subList(1, selectors.size()));
    }

    /** Applies one ACL SETUSER rule; throws with Redis's reason when it is not valid. */
    public void apply(String rule) throws AclRuleException {
        if (rule.isEmpty()) {
            return;
        }
        switch (rule.toLowerCase(Locale.ROOT)) {
            case "on" -> enabled = true;
            case "off" -> enabled = false;
            case "skip-sanitize-payload" -> skipSanitizePayload = true;
            case "sanitize-payload" -> skipSanitizePayload = false;
            case "nopass" -> {
                nopass = true;
                passwords.clear();
            }
            case "resetpass" -> {
                nopass = false;
                passwords.clear();
            }
            case "clearselectors" -> selectors.subList(1, selectors.size()).clear();
            case "reset" -> {
                for (String r : List.of("resetpass", "resetkeys", "resetchannels")) {
                    apply(r);
                }
                if (allChannelsByDefault.getAsBoolean()) {
                    apply("allchannels");
                }
                for (String r : List.of("off", "sanitize-payload", "clearselectors", "-@all")) {
                    apply(r);
                }
            }
            default -> applyPatterned(rule);
        }
        recompute();
    }

    private void applyPatterned(String rule) throws AclRuleException {
        char first = rule.charAt(0);
        if (first == '>' || first == '#') {
            String hash = first == '>' ? sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)) : validHash(rule);
            passwords.add(hash);
            nopass = false;
        } else if (first == '<' || first == '!') {
            String hash = first == '<' ? sha256(rule.substring(1).getBytes(StandardCharsets.UTF_8)) : validHash(rule);
            if (!passwords.remove(hash)) {
                throw new AclRuleException("The password you are trying to remove from the user does not exist");
            }
        } else if (first == '(' && rule.charAt(rule.length() - 1) == ')') {
            AclSelector s = new AclSelector(table, allChannelsByDefault.getAsBoolean());
            for (String op : rule.substring(1, rule.length() - 1).trim().split("\\s+")) {
                if (!op.isEmpty()) {
                    s.apply(op);
                }
            }
            selectors.add(s);
        } else {
            root().apply(rule);
        }
    }

    /**
     * Whether this user (the rules about to be applied) keeps every channel permission of {@code before}:
     * some selector allows all channels, or every pattern {@code before} had is still listed. Otherwise the
     * subscribed clients of the user are checked, as Redis does.
     */
    boolean keepsChannelsOf(AclUser before) {
        for (AclSelector s : selectors) {
            if (s.allChannels()) {
                return true;
            }
        }
        for (AclSelector old : before.selectors) {
            if (old.allChannels()) {
                return false;
            }
            for (String p : old.channelPatterns()) {
                if (selectors.stream().noneMatch(s -> s.channelPatterns().contains(p))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a client of this user may stay subscribed to {@code channel} (a pattern when {@code pattern}):
     * some selector allows all channels or lists a pattern that allows it.
     */
    public boolean mayKeepSubscription(byte[] channel, boolean pattern) {
        for (AclSelector s : selectors) {
            if (s.mayAccessChannel(channel, pattern)) {
                return true;
            }
        }
        return false;
    }

    private void recompute() {
        boolean open = false;
        for (AclSelector s : selectors) {
            open |= s.unrestricted();
        }
        unrestricted = open;
    }

    /**
     * Redis lets a selector be written over several arguments, "(+get" "~key)": joins them into one. Throws
     * with Redis's text when a parenthesis is left open.
     */
    static List<String> mergeSelectors(List<String> rules) throws AclRuleException {
        List<String> out = new ArrayList<>(rules.size());
        StringBuilder open = null;
        String openedAt = null;
        for (String r : rules) {
            if (open == null && r.startsWith("(") && !r.endsWith(")")) {
                open = new StringBuilder(r);
                openedAt = r;
                continue;
            }
            if (open != null) {
                open.append(' ').append(r);
                if (r.endsWith(")")) {
                    out.add(open.toString());
                    open = null;
                }
                continue;
            }
            out.add(r);
        }
        if (open != null) {
            throw new AclRuleException("Unmatched parenthesis in acl selector starting at '" + openedAt + "'.");
        }
        return out;
    }

    // ---- descriptions, as ACL GETUSER and ACL LIST print them

    public List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        f.add(skipSanitizePayload ? "skip-sanitize-payload" : "sanitize-payload");
        return f;
    }

    public List<String> passwordHashes() {
        return new ArrayList<>(passwords);
    }

    public String describeCommands() {
        return root().describeCommands();
    }

    public String describeKeys() {
        return root().describeKeys();
    }

    public String describeChannels() {
        return root().describeChannels();
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
        sb.append(' ').append(root().describe());
        for (AclSelector s : extraSelectors()) {
            sb.append(" (").append(s.describe()).append(')');
        }
        return sb.toString();
    }

    static String sha256(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static String validHash(String rule) throws AclRuleException {
        String hash = rule.substring(1);
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new AclRuleException(
                    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters");
        }
        return hash;
    }
}
