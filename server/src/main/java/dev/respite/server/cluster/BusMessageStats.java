package dev.respite.server.cluster;

/**
 * Bus messages sent and received by type, as CLUSTER INFO reports them (types with no message are left out
 * of the report, the totals always shown). The bus counts here; until it runs, every count is zero.
 */
public final class BusMessageStats {
    /** Message type names in Redis's type number order. */
    public static final String[] TYPES = {
        "ping", "pong", "meet", "fail", "publish", "auth-req", "auth-ack", "update", "mfstart", "module", "publishshard"
    };

    private final long[] sent = new long[TYPES.length];
    private final long[] received = new long[TYPES.length];
    private long linksBufferLimitExceeded;

    public void countSent(int type) {
        sent[type]++;
    }

    public void countReceived(int type) {
        received[type]++;
    }

    public void countLinkBufferLimitExceeded() {
        linksBufferLimitExceeded++;
    }

    /** CLUSTER INFO's message lines. */
    void appendTo(StringBuilder sb) {
        append(sb, sent, "sent");
        append(sb, received, "received");
        sb.append("total_cluster_links_buffer_limit_exceeded:")
                .append(linksBufferLimitExceeded)
                .append("\r\n");
    }

    private static void append(StringBuilder sb, long[] counts, String direction) {
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                total += counts[i];
                sb.append("cluster_stats_messages_")
                        .append(TYPES[i])
                        .append('_')
                        .append(direction)
                        .append(':')
                        .append(counts[i])
                        .append("\r\n");
            }
        }
        sb.append("cluster_stats_messages_")
                .append(direction)
                .append(':')
                .append(total)
                .append("\r\n");
    }
}
