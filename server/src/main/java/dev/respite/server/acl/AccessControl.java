package dev.respite.server.acl;

import dev.respite.server.ServerStats;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.KeyRefs;
import dev.respite.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The server's ACL state: users, the denial log, and the configuration that feeds them. */
public final class AccessControl {
    private final ServerConfig config;
    private final ServerStats stats;
    private final AclUsers users;
    private final AclLog log = new AclLog();
    /** Key positions of the command being checked; reused, since commands are checked one at a time. */
    private final KeyRefs keys = new KeyRefs();

    public AccessControl(ServerConfig config, CommandTable table, ServerStats stats) {
        this.config = config;
        this.stats = stats;
        this.users = new AclUsers(table, () -> config.acl.allChannelsByDefault);
    }

    public AclUsers users() {
        return users;
    }

    public AclLog log() {
        return log;
    }

    /**
     * Builds the users from redis.conf's user lines or the aclfile (never both, as Redis insists), then
     * applies requirepass. Throws with the reason the server must not start.
     */
    public void loadConfigured() throws AclRuleException {
        List<List<String>> lines = config.acl.userLines;
        if (!lines.isEmpty() && !config.acl.aclfile.isEmpty()) {
            throw new AclRuleException(
                    "Configuring Redis with users defined in redis.conf and at the same setting an ACL file "
                            + "path is invalid. This setup is very likely to lead to configuration errors and security holes, please "
                            + "define either an ACL file or declare users directly in your redis.conf, but not both.");
        }
        configChanged();
        if (!config.acl.aclfile.isEmpty()) {
            users.replaceAll(AclFile.read(aclfile(), users));
        } else if (!lines.isEmpty()) {
            Map<String, List<String>> byName = new LinkedHashMap<>();
            for (List<String> line : lines) {
                if (line.isEmpty()) {
                    throw new AclRuleException("Error in user declaration: the user name is missing");
                }
                List<String> rules = line.subList(1, line.size());
                try {
                    users.validate(line.get(0), rules);
                } catch (AclRuleException e) {
                    throw new AclRuleException("Error in user declaration '" + line.get(0) + "': " + e.getMessage());
                }
                byName.put(line.get(0), rules);
            }
            users.replaceAll(byName);
        }
    }

    public Path aclfile() {
        // Redis changes into `dir` as soon as it reads it, so a relative aclfile is found there.
        return Path.of(config.dir).resolve(config.acl.aclfile).toAbsolutePath();
    }

    /** Keeps the default user's password in step with requirepass (after CONFIG SET). */
    public void configChanged() {
        users.applyRequirepass(config.requirepass);
    }

    /** The user {@code name} if it exists, is enabled and {@code password} opens it; null otherwise. */
    public AclUser authenticate(String name, byte[] password) {
        AclUser u = users.get(name);
        return u != null && u.checkPassword(password) ? u : null;
    }

    /**
     * Checks one command; a denial is counted, logged in {@code context} ({@link AclLog#TOPLEVEL}, MULTI or
     * LUA) with the description of the client that sent it, and returned.
     */
    public AclDenial check(AclUser user, CommandSpec spec, byte[][] args, String context, Supplier<String> clientInfo) {
        AclDenial d = AclCheck.check(user, spec, args, keys);
        if (d != null) {
            switch (d.reason()) {
                case "command" -> stats.aclAccessDeniedCmd++;
                case "key" -> stats.aclAccessDeniedKey++;
                default -> stats.aclAccessDeniedChannel++;
            }
            log.add(d.reason(), context, d.object(), user.name(), clientInfo.get(), config.acl.acllogMaxLen);
        }
        return d;
    }

    /** A failed AUTH or HELLO, logged under the command name as sent. */
    public void logFailedAuth(String command, String username, boolean inTransaction, String clientInfo) {
        stats.aclAccessDeniedAuth++;
        String context = inTransaction ? AclLog.MULTI : AclLog.TOPLEVEL;
        log.add("auth", context, command, username, clientInfo, config.acl.acllogMaxLen);
    }
}
