package dev.respite.server.pubsub;

import dev.respite.server.config.ConfigValueException;

/**
 * The event classes of notify-keyspace-events as bit flags, and Redis's letters for them. A command that
 * changes a key passes one class to {@link KeyspaceNotifier#notify}; the event is published only if that
 * class and at least one of {@link #KEYSPACE} / {@link #KEYEVENT} are enabled.
 */
public final class KeyspaceEvents {
    /** K: publish on {@code __keyspace@<db>__:<key>} with the event name as the message. */
    public static final int KEYSPACE = 1;
    /** E: publish on {@code __keyevent@<db>__:<event>} with the key as the message. */
    public static final int KEYEVENT = 1 << 1;
    /** g: type-independent commands: del, expire, rename_from, rename_to, copy_to, persist... */
    public static final int GENERIC = 1 << 2;
    /** $: string commands: set, setrange, incrby, append... */
    public static final int STRING = 1 << 3;
    /** l: list commands: lpush, rpush, lpop, lset, linsert, ltrim... */
    public static final int LIST = 1 << 4;
    /** s: set commands. */
    public static final int SET = 1 << 5;
    /** h: hash commands: hset, hdel, hincrby... */
    public static final int HASH = 1 << 6;
    /** z: sorted set commands. */
    public static final int ZSET = 1 << 7;
    /** x: a key expired (lazily on access or by the active expiry cycle): event "expired". */
    public static final int EXPIRED = 1 << 8;
    /** e: a key was evicted by the maxmemory policy: event "evicted". */
    public static final int EVICTED = 1 << 9;
    /** t: stream commands. */
    public static final int STREAM = 1 << 10;
    /** m: a read found no key ("keymiss"); excluded from A because it is costly. */
    public static final int KEY_MISS = 1 << 11;
    /** d: module events. */
    public static final int MODULE = 1 << 12;
    /** n: a key was created ("new"); excluded from A. */
    public static final int NEW = 1 << 13;
    /** A: alias for g$lshzxetd. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private static final String CLASS_LETTERS = "g$lshzxetdn";
    private static final int[] CLASS_FLAGS = {
        GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW
    };

    private KeyspaceEvents() {}

    /** Flags from Redis's letters, e.g. "KEA" or "Kx$". */
    public static int parse(String letters) throws ConfigValueException {
        int flags = 0;
        for (int i = 0; i < letters.length(); i++) {
            char ch = letters.charAt(i);
            int f = switch (ch) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 'm' -> KEY_MISS;
                default -> {
                    int at = CLASS_LETTERS.indexOf(ch);
                    if (at < 0) {
                        throw new ConfigValueException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                    yield CLASS_FLAGS[at];
                }
            };
            flags |= f;
        }
        return flags;
    }

    /**
     * Redis's canonical text: "A" when every class of A is on (n is then not printed, as Redis does), else
     * the class letters in g$lshzxetdn order; then K, E and m.
     */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            for (int i = 0; i < CLASS_FLAGS.length; i++) {
                if ((flags & CLASS_FLAGS[i]) != 0) {
                    sb.append(CLASS_LETTERS.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            sb.append('m');
        }
        return sb.toString();
    }
}
