package dev.respite.server.acl;

/**
 * Why a command was refused: the ACL LOG reason ("command", "key", "channel"), the object named, the user,
 * and the error the client gets (Redis 7.2's texts, which name neither the key nor the channel).
 */
public record AclDenial(String reason, String object, String user, String error) {
    static AclDenial command(String user, String fullName) {
        return new AclDenial("command", fullName, user, "NOPERM " + dryRunText("command", fullName, user));
    }

    static AclDenial key(String user, String key) {
        return new AclDenial("key", key, user, "NOPERM No permissions to access a key");
    }

    static AclDenial channel(String user, String channel) {
        return new AclDenial("channel", channel, user, "NOPERM No permissions to access a channel");
    }

    /** The text ACL DRYRUN answers with, which names what was refused. */
    public String dryRunText() {
        return dryRunText(reason, object, user);
    }

    /** The reason EXEC gives for a queued command the ACL no longer allows. */
    public String execReason() {
        return switch (reason) {
            case "command" -> "no permission to execute the command or subcommand";
            case "key" -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
    }

    private static String dryRunText(String reason, String object, String user) {
        return switch (reason) {
            case "command" -> "User " + user + " has no permissions to run the '" + object + "' command";
            case "key" -> "User " + user + " has no permissions to access the '" + object + "' key";
            default -> "User " + user + " has no permissions to access the '" + object + "' channel";
        };
    }
}
