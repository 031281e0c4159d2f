package dev.respite.server.cluster;

/**
 * A node's flags as bits, with the names CLUSTER NODES and nodes.conf use, in their order (Redis's bit
 * values, so the bus can carry them as they are).
 */
public final class NodeFlags {
    public static final int MASTER = 1;
    public static final int SLAVE = 2;
    public static final int PFAIL = 4;
    public static final int FAIL = 8;
    public static final int MYSELF = 16;
    public static final int HANDSHAKE = 32;
    public static final int NOADDR = 64;
    public static final int MEET = 128;
    public static final int MIGRATE_TO = 256;
    public static final int NOFAILOVER = 512;

    private static final int[] ORDER = {MYSELF, MASTER, SLAVE, PFAIL, FAIL, HANDSHAKE, NOADDR, NOFAILOVER};
    private static final String[] NAMES = {
        "myself", "master", "slave", "fail?", "fail", "handshake", "noaddr", "nofailover"
    };

    private NodeFlags() {}

    /** "myself,master", or "noflags" when none of the listed flags is set. */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ORDER.length; i++) {
            if ((flags & ORDER[i]) != 0) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(NAMES[i]);
            }
        }
        return sb.isEmpty() ? "noflags" : sb.toString();
    }

    /** The bit a flag name stands for (case-insensitive); 0 for "noflags"; -1 for an unknown name. */
    public static int parse(String name) {
        if (name.equalsIgnoreCase("noflags")) {
            return 0;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return ORDER[i];
            }
        }
        return -1;
    }
}
