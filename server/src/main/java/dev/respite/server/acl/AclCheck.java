package dev.respite.server.acl;

import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.KeyFinder;
import dev.respite.server.command.KeyFlags;
import dev.respite.server.command.KeyRefs;
import java.nio.charset.StandardCharsets;

/**
 * The per-command permission check the dispatcher runs after authentication: may this user run the
 * command, touch its keys (reading or writing as the command's flags say) and its channels?
 */
public final class AclCheck {
    private AclCheck() {}

    /** Null when allowed; otherwise the first reason to refuse, in Redis's order: command, keys, channels. */
    public static AclDenial check(AclUser u, CommandSpec spec, byte[][] args) {
        return check(u, spec, args, new KeyRefs());
    }

    /** As {@link #check(AclUser, CommandSpec, byte[][])}, finding keys into {@code keys}. */
    static AclDenial check(AclUser u, CommandSpec spec, byte[][] args, KeyRefs keys) {
        if (u.unrestricted()) {
            return null;
        }
        // Like Redis, commands flagged no-auth (AUTH, HELLO, QUIT...) need no command permission.
        if (!spec.isNoAuth() && !u.mayRun(spec)) {
            return AclDenial.command(u.name(), spec.fullName());
        }
        if (spec.has(CommandFlag.PUBSUB)) {
            return checkChannels(u, spec, args);
        }
        if (!spec.hasKeys()) {
            return null;
        }
        // Each key needs read permission if the command reads it, write permission if it changes it.
        KeyFinder.find(spec, args, keys);
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = args[keys.position(i)];
            int flags = keys.flags(i);
            if (!u.mayAccessKey(key, KeyFlags.reads(flags), KeyFlags.writes(flags))) {
                return AclDenial.key(u.name(), text(key));
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
                return AclDenial.channel(u.name(), text(args[i]));
            }
        }
        return null;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
