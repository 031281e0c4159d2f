package dev.respite.server.cluster;

/**
 * The text form of the node table, one line per node, shared by CLUSTER NODES and nodes.conf:
 * {@code <id> <ip>:<port>@<cport>[,<hostname>] <flags> <master|-> <ping-sent> <pong-received>
 * <config-epoch> <connected|disconnected> <slot ranges> [<slot>->-<id>] [<slot>-<-<id>]}. The file form
 * adds the aux fields after the hostname (always with its comma, even when empty): tls-port, nodename when
 * set, shard-id. The port in the address is the TCP port in the file, and for clients the port of their kind of
 * connection (the TLS port to a client connected over TLS), as Redis shows it.
 */
public final class NodesDescription {
    private NodesDescription() {}

    /** Every node's line, each ending in a newline; {@code forFile} adds the aux fields. */
    public static String of(ClusterState state, boolean forFile) {
        return of(state, forFile, false);
    }

    /** As {@link #of(ClusterState, boolean)}, naming TLS ports in the addresses when {@code tls}. */
    public static String of(ClusterState state, boolean forFile, boolean tls) {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : state.nodes()) {
            if (forFile && n.has(NodeFlags.HANDSHAKE)) {
                continue;
            }
            line(sb, state, n, forFile, tls);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One node's line, without the newline; {@code tls} names its TLS port in the address. */
    public static void line(StringBuilder sb, ClusterState state, ClusterNode n, boolean forFile, boolean tls) {
        sb.append(n.id())
                .append(' ')
                .append(n.ip())
                .append(':')
                .append(n.clientPort(tls))
                .append('@')
                .append(n.busPort());
        if (!n.hostname().isEmpty()) {
            sb.append(',').append(n.hostname());
        }
        if (forFile) {
            if (n.hostname().isEmpty()) {
                sb.append(',');
            }
            sb.append(",tls-port=").append(n.tlsPort());
            if (!n.humanNodename().isEmpty()) {
                sb.append(",nodename=").append(n.humanNodename());
            }
            if (!n.shardId().isEmpty()) {
                sb.append(",shard-id=").append(n.shardId());
            }
        }
        sb.append(' ').append(NodeFlags.format(n.flags()));
        sb.append(' ').append(n.master() != null ? n.master().id() : "-");
        sb.append(' ').append(n.pingSent()).append(' ').append(n.pongReceived());
        sb.append(' ').append(Long.toUnsignedString(n.shownEpoch()));
        sb.append(' ').append(n.linked() || n.isMyself() ? "connected" : "disconnected");
        appendRanges(sb, state, n);
        if (n.isMyself()) {
            for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                ClusterNode to = state.migratingTo(slot);
                ClusterNode from = state.importingFrom(slot);
                if (to != null) {
                    sb.append(" [").append(slot).append("->-").append(to.id()).append(']');
                } else if (from != null) {
                    sb.append(" [").append(slot).append("-<-").append(from.id()).append(']');
                }
            }
        }
    }

    private static void appendRanges(StringBuilder sb, ClusterState state, ClusterNode n) {
        int slot = 0;
        while (slot < KeySlot.SLOTS) {
            if (state.owner(slot) != n) {
                slot++;
                continue;
            }
            int start = slot;
            while (slot + 1 < KeySlot.SLOTS && state.owner(slot + 1) == n) {
                slot++;
            }
            sb.append(' ').append(start);
            if (slot != start) {
                sb.append('-').append(slot);
            }
            slot++;
        }
    }
}
