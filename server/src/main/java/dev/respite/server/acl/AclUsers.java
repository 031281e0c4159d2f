package dev.respite.server.acl;

import dev.respite.server.command.CommandTable;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The ACL users by name, in the name order ACL LIST and ACL USERS print. There is always a "default"
 * user: the one new connections start as, whose password is requirepass.
 */
public final class AclUsers {
    public static final String DEFAULT = "default";
    private static final List<String> DEFAULT_RULES = List.of("on", "nopass", "allkeys", "allchannels", "+@all");

    private final CommandTable table;
    private final BooleanSupplier allChannelsByDefault;
    private final Map<String, AclUser> users = new TreeMap<>();
    private String appliedRequirepass = "";

    public AclUsers(CommandTable table, BooleanSupplier allChannelsByDefault) {
        this.table = table;
        this.allChannelsByDefault = allChannelsByDefault;
        users.put(DEFAULT, newDefaultUser());
    }

    private AclUser newDefaultUser() {
        AclUser u = newUser(DEFAULT);
        applyAll(u, DEFAULT_RULES);
        return u;
    }

    private AclUser newUser(String name) {
        return new AclUser(name, table, allChannelsByDefault);
    }

    public AclUser defaultUser() {
        return users.get(DEFAULT);
    }

    public AclUser get(String name) {
        return users.get(name);
    }

    public Collection<AclUser> all() {
        return Collections.unmodifiableCollection(users.values());
    }

    /**
     * Makes the default user's password follow requirepass, as Redis does when requirepass is set in the
     * configuration or with CONFIG SET; an unchanged value leaves passwords set with ACL SETUSER alone.
     */
    public void applyRequirepass(String requirepass) {
        if (requirepass.equals(appliedRequirepass)) {
            return;
        }
        appliedRequirepass = requirepass;
        AclUser d = defaultUser();
        applyAll(d, requirepass.isEmpty() ? List.of("nopass") : List.of("resetpass", ">" + requirepass));
    }

    /**
     * ACL SETUSER: creates the user if needed and applies the rules, all or none. Throws with Redis's
     * "Error in ACL SETUSER modifier" text for the first rule that is not valid. Returns whether the user's
     * channel permissions shrank, so that its subscribed clients must be checked against them.
     */
    public boolean setUser(String name, List<String> rules) throws AclRuleException {
        if (AclSelector.hasSpaces(name)) {
            throw new AclRuleException("Usernames can't contain spaces or null characters");
        }
        List<String> merged = AclUser.mergeSelectors(rules);
        AclUser existing = users.get(name);
        AclUser trial = existing != null ? existing.copy() : newUser(name);
        for (String r : merged) {
            try {
                trial.apply(r);
            } catch (AclRuleException e) {
                throw new AclRuleException("Error in ACL SETUSER modifier '" + r + "': " + e.getMessage());
            }
        }
        if (existing == null) {
            users.put(name, trial);
            return false;
        }
        boolean narrowed = !trial.keepsChannelsOf(existing);
        existing.copyFrom(trial);
        return narrowed;
    }

    /** Applies {@code rules} to a scratch user, to report the first invalid one without changing anything. */
    public void validate(String name, List<String> rules) throws AclRuleException {
        build(name, rules);
    }

    private AclUser build(String name, List<String> rules) throws AclRuleException {
        AclUser trial = newUser(name);
        for (String r : AclUser.mergeSelectors(rules)) {
            trial.apply(r);
        }
        return trial;
    }

    public boolean delete(String name) {
        return users.remove(name) != null;
    }

    /**
     * Replaces every user with {@code loaded} (ACL LOAD, start-up). The default user is changed in place,
     * so connections logged in as it keep their session; a default user missing from {@code loaded} gets
     * its initial rules back.
     */
    public void replaceAll(Map<String, List<String>> loaded) throws AclRuleException {
        Map<String, AclUser> fresh = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : loaded.entrySet()) {
            if (e.getKey().equals(DEFAULT)) {
                validate(DEFAULT, e.getValue());
                continue;
            }
            fresh.put(e.getKey(), build(e.getKey(), e.getValue()));
        }
        AclUser d = defaultUser();
        d.copyFrom(build(DEFAULT, loaded.getOrDefault(DEFAULT, DEFAULT_RULES)));
        fresh.put(DEFAULT, d);
        users.clear();
        users.putAll(fresh);
    }

    private static void applyAll(AclUser u, List<String> rules) {
        for (String r : rules) {
            try {
                u.apply(r);
            } catch (AclRuleException e) {
                throw new IllegalStateException("rule '" + r + "' was valid a moment ago: " + e.getMessage(), e);
            }
        }
    }
}
