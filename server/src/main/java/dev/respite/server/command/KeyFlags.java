package dev.respite.server.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags of a key specification (and of each key COMMAND GETKEYSANDFLAGS returns), as bits, in the
 * order Redis lists them.
 */
public final class KeyFlags {
    public static final int RO = 1;
    public static final int RW = 1 << 1;
    public static final int OW = 1 << 2;
    public static final int RM = 1 << 3;
    public static final int ACCESS = 1 << 4;
    public static final int UPDATE = 1 << 5;
    public static final int INSERT = 1 << 6;
    public static final int DELETE = 1 << 7;
    public static final int NOT_KEY = 1 << 8;
    public static final int INCOMPLETE = 1 << 9;
    public static final int VARIABLE_FLAGS = 1 << 10;

    private static final String[] NAMES = {
        "RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"
    };

    private KeyFlags() {}

    /** The bit named {@code name} as Redis spells it ("RW", "access"...). */
    static int parse(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        throw new IllegalArgumentException("unknown key spec flag " + name);
    }

    /** The names of the bits set in {@code flags}, in Redis's order. */
    public static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    /** Whether a key with these flags is read: ACL's read permission. */
    public static boolean reads(int flags) {
        return (flags & ACCESS) != 0;
    }

    /** Whether a key with these flags is changed: ACL's write permission. */
    public static boolean writes(int flags) {
        return (flags & (INSERT | DELETE | UPDATE)) != 0;
    }
}
