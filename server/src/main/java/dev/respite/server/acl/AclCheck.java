package dev.respite.server.acl;

import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;

/**
 * The per-command permission check the dispatcher runs after authentication: may this user run the
 * command, touch its keys (reading or writing as the command's flags say) and its channels?
 */
public final class AclCheck {
    private AclCheck() {
    }

    /** Null when allowed; otherwise the first reason to refuse, in Redis's order: command, keys, channels. */
    public static AclDenial check(AclUser u, CommandSpec spec, byte[][] args) {
        if (u.unrestricted()) {
            return null;
        }
        // Like Redis, commands flagged no-auth (AUTH, HELLO, QUIT...) need no command permission.
        if (!spec.isNoAuth() && !u.mayRun(spec)) {
            return AclDenial.command(spec.fullName());
        }
        if (spec.has(CommandFlag.PUBSUB)) {
            return checkChannels(u, spec, args);
        }
        boolean read = spec.has(CommandFlag.READONLY) || !spec.isWrite();
        boolean write = spec.isWrite() || !spec.has(CommandFlag.READONLY);
        for (int pos : spec.keyPositions(args.length)) {
            if (!u.mayAccessKey(args[pos], read, write)) {
                return AclDenial.key(text(args[pos]));
            }
        }
        return null;
    }

    private static AclDenial checkChannels(AclUser u, CommandSpec spec, byte[][] args) {
        int from;
        int to;
        boolean literal = false;
        switch (spec.fullName()) {
            case "publish", "spublish" -> {
                from = 1;
                to = 2;
            }
            case "subscribe", "ssubscribe" -> {
                from = 1;
                to = args.length;
            }
            case "psubscribe" -> {
                from = 1;
                to = args.length;
                literal = true;
            }
            default -> {
                return null;
            }
        }
        for (int i = from; i < to; i++) {
            if (!u.mayAccessChannel(args[i], literal)) {
                return AclDenial.channel(text(args[i]));
            }
        }
        return null;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
