package dev.respite.server.cluster.bus;

/** Messages sent and received per type, for CLUSTER INFO's cluster_stats_messages_* lines. */
public final class BusStatistics {
    private final long[] sent = new long[MessageType.COUNT];
    private final long[] received = new long[MessageType.COUNT];
    private long linksOverSendBufferLimit;

    void sent(int type) {
        if (type < MessageType.COUNT) {
            sent[type]++;
        }
    }

    /** Counted as Redis counts: every complete frame of a known type, before its content is checked. */
    void received(int type) {
        if (type < MessageType.COUNT) {
            received[type]++;
        }
    }

    void linkOverSendBufferLimit() {
        linksOverSendBufferLimit++;
    }

    public long sent(MessageType type) {
        return sent[type.code()];
    }

    public long received(MessageType type) {
        return received[type.code()];
    }

    public long totalSent() {
        long n = 0;
        for (long v : sent) {
            n += v;
        }
        return n;
    }

    public long totalReceived() {
        long n = 0;
        for (long v : received) {
            n += v;
        }
        return n;
    }

    /** INFO's total_cluster_links_buffer_limit_exceeded. */
    public long linksOverSendBufferLimit() {
        return linksOverSendBufferLimit;
    }
}
