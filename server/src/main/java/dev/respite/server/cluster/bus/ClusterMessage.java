package dev.respite.server.cluster.bus;

/**
 * One message of the cluster bus (Redis 7.2's clusterMsg).
 *
 * @param type the wire type code: a {@link MessageType} code, or another a newer peer may send
 * @param header the sender's fields every message carries
 * @param body the data the type calls for: {@link MessageBody.Ping} for PING/PONG/MEET, {@link MessageBody.Fail},
 *     {@link MessageBody.Publish} for PUBLISH/PUBLISHSHARD, {@link MessageBody.Update}, {@link MessageBody.Module},
 *     {@link MessageBody.Empty} for the failover messages, {@link MessageBody.Opaque} for unknown types
 */
public record ClusterMessage(int type, MessageHeader header, MessageBody body) {
    /** Redis's frames are bounded by a 32-bit totlen. */
    public static final long MAX_LENGTH = 0xffffffffL;

    public ClusterMessage {
        Wire.checkUnsigned(type, 16, "type");
        if (header == null || body == null) {
            throw new IllegalArgumentException("header and body are required");
        }
        MessageType t = MessageType.forCode(type);
        boolean fits = t == null
                ? body instanceof MessageBody.Opaque
                : switch (t) {
                    case PING, PONG, MEET -> body instanceof MessageBody.Ping;
                    case FAIL -> body instanceof MessageBody.Fail;
                    case PUBLISH, PUBLISHSHARD -> body instanceof MessageBody.Publish;
                    case UPDATE -> body instanceof MessageBody.Update;
                    case MODULE -> body instanceof MessageBody.Module;
                    case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> body instanceof MessageBody.Empty;
                };
        if (!fits) {
            throw new IllegalArgumentException("a " + (t == null ? "type " + type : t) + " message cannot carry "
                    + body.getClass().getSimpleName());
        }
        if (Wire.HEADER_LEN + body.wireLength() > MAX_LENGTH) {
            throw new IllegalArgumentException("a message is at most " + MAX_LENGTH + " bytes");
        }
    }

    public ClusterMessage(MessageType type, MessageHeader header, MessageBody body) {
        this(type.code(), header, body);
    }

    /** The known type, or null for a type code Redis 7.2 does not know. */
    public MessageType kind() {
        return MessageType.forCode(type);
    }

    /** totlen: the whole message's length on the wire. */
    public long wireLength() {
        return Wire.HEADER_LEN + body.wireLength();
    }

    public static ClusterMessage ping(
            MessageType type,
            MessageHeader header,
            java.util.List<GossipEntry> gossip,
            java.util.List<PingExtension> extensions) {
        return new ClusterMessage(type, header, new MessageBody.Ping(gossip, extensions));
    }
}
