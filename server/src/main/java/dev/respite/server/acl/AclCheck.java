package dev.respite.server.acl;

import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.KeyFinder;
import dev.respite.server.command.KeyFlags;
import dev.respite.server.command.KeyRefs;
import java.nio.charset.StandardCharsets;

/**
 * The per-command permission check the dispatcher runs after authentication. Each selector of the user
 * (the root one first) is asked whether it allows the command, its keys (read or written as the key specs
 * say) and its channels; one allowing all of it is enough. When none does, the refusal reported is Redis's
 * choice: the command if no selector allowed it, else the key or channel denied furthest into the arguments.
 */
public final class AclCheck {
    private static final int OK = 0;
    private static final int DENIED_COMMAND = 1;
    private static final int DENIED_KEY = 2;
    private static final int DENIED_CHANNEL = 4;

    private AclCheck() {}

    /** Null when allowed; otherwise why not. */
    public static AclDenial check(AclUser u, CommandSpec spec, byte[][] args) {
        return check(u, spec, args, new KeyRefs());
    }

    /** As {@link #check(AclUser, CommandSpec, byte[][])}, finding keys into {@code keys}. */
    static AclDenial check(AclUser u, CommandSpec spec, byte[][] args, KeyRefs keys) {
        if (u.unrestricted()) {
            return null;
        }
        int worst = DENIED_COMMAND;
        int worstAt = 0;
        boolean keysFound = false;
        for (AclSelector s : u.allSelectors()) {
            if (!keysFound && !s.allKeys() && spec.hasKeys()) {
                KeyFinder.find(spec, args, keys);
                keysFound = true;
            }
            long verdict = checkSelector(s, spec, args, keys);
            int code = (int) (verdict >>> 32);
            int at = (int) verdict;
            if (code == OK) {
                return null;
            }
            if (code > worst || (code == worst && at > worstAt)) {
                worst = code;
                worstAt = at;
            }
        }
        return switch (worst) {
            case DENIED_COMMAND -> AclDenial.command(u.name(), spec.fullName());
            case DENIED_KEY -> AclDenial.key(u.name(), text(args[worstAt]));
            default -> AclDenial.channel(u.name(), text(args[worstAt]));
        };
    }

    /**
     * Whether some selector allows the command and grants {@code access} to every key: SORT's BY and GET
     * read keys the arguments do not name, which Redis allows only then.
     */
    public static boolean mayRunWithAccessToAllKeys(AclUser u, CommandSpec spec, byte[][] args, boolean write) {
        if (u.unrestricted()) {
            return true;
        }
        KeyRefs keys = new KeyRefs();
        if (spec.hasKeys()) {
            KeyFinder.find(spec, args, keys);
        }
        int access = write ? AclSelector.WRITE : AclSelector.READ;
        for (AclSelector s : u.allSelectors()) {
            if (checkSelector(s, spec, args, keys) == OK && s.mayAccessAnyKey(access)) {
                return true;
            }
        }
        return false;
    }

    /** The verdict of one selector: the denial code in the high half, the argument at fault in the low. */
    private static long checkSelector(AclSelector s, CommandSpec spec, byte[][] args, KeyRefs keys) {
        if (!s.mayRun(spec, args)) {
            return verdict(DENIED_COMMAND, 0);
        }
        if (!s.allKeys() && spec.hasKeys()) {
            for (int i = 0; i < keys.size(); i++) {
                int at = keys.position(i);
                if (!s.mayAccessKey(args[at], access(keys.flags(i)))) {
                    return verdict(DENIED_KEY, at);
                }
            }
        }
        if (!s.allChannels()) {
            int from = 1;
            int to;
            boolean literal = false;
            switch (spec.fullName()) {
                case "publish", "spublish" -> to = Math.min(2, args.length);
                case "subscribe", "ssubscribe" -> to = args.length;
                case "psubscribe" -> {
                    to = args.length;
                    literal = true;
                }
                default -> to = from;
            }
            for (int i = from; i < to; i++) {
                if (!s.mayAccessChannel(args[i], literal)) {
                    return verdict(DENIED_CHANNEL, i);
                }
            }
        }
        return OK;
    }

    private static int access(int keyFlags) {
        return (KeyFlags.reads(keyFlags) ? AclSelector.READ : 0) | (KeyFlags.writes(keyFlags) ? AclSelector.WRITE : 0);
    }

    private static long verdict(int code, int at) {
        return ((long) code << 32) | at;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
