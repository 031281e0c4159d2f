package dev.respite.server.acl;

/**
 * Why a command was refused: the ACL LOG reason ("command", "key", "channel"), the object named, and the
 * error the client gets.
 */
public record AclDenial(String reason, String object, String error) {
    static AclDenial command(String fullName) {
        return new AclDenial("command", fullName, "NOPERM this user has no permissions to run the '" + fullName + "' command");
    }

    static AclDenial key(String key) {
        return new AclDenial("key", key, "NOPERM this user has no permissions to access one of the keys used as arguments");
    }

    static AclDenial channel(String channel) {
        return new AclDenial("channel", channel, "NOPERM this user has no permissions to access one of the channels used as arguments");
    }

    /** The text ACL DRYRUN answers with. */
    public String dryRunText() {
        return switch (reason) {
            case "command" -> "This user has no permissions to run the '" + object + "' command";
            case "key" -> "This user has no permissions to access the '" + object + "' key";
            default -> "This user has no permissions to access the '" + object + "' channel";
        };
    }
}
