package dev.respite.server.cluster.bus;

/** The clusterMsg types of Redis 7.2, by their wire code. Codes past {@link #PUBLISHSHARD} are tolerated as unknown. */
public enum MessageType {
    PING(0),
    PONG(1),
    MEET(2),
    FAIL(3),
    PUBLISH(4),
    FAILOVER_AUTH_REQUEST(5),
    FAILOVER_AUTH_ACK(6),
    UPDATE(7),
    MFSTART(8),
    MODULE(9),
    PUBLISHSHARD(10);

    /** How many types Redis counts in its per-type bus statistics. */
    public static final int COUNT = 11;

    private static final MessageType[] BY_CODE = values();

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null for a code Redis does not know. */
    public static MessageType forCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** PING, PONG and MEET share one layout: gossip sections then ping extensions. */
    public boolean isPing() {
        return this == PING || this == PONG || this == MEET;
    }

    /** The name Redis's CLUSTER INFO uses in cluster_stats_messages_NAME_sent. */
    public String statName() {
        return switch (this) {
            case FAILOVER_AUTH_REQUEST -> "auth-req";
            case FAILOVER_AUTH_ACK -> "auth-ack";
            case PUBLISHSHARD -> "publishshard";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
