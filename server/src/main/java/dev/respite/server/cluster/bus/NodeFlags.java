package dev.respite.server.cluster.bus;

/** The node flag bits a message's header and gossip sections carry (Redis's CLUSTER_NODE_*). */
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

    private NodeFlags() {}
}
