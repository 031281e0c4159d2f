package dev.respite.server.cluster.bus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * One TCP connection of the cluster bus, as Redis's clusterLink: made to another node ("to") or accepted from
 * one ("from"). Messages go out through {@link #send}; the bytes not yet taken by the socket are the send
 * buffer CLUSTER LINKS shows and cluster-link-sendbuf-limit bounds. Used on the keyspace thread only.
 */
public final class ClusterLink {
    /** Which side opened the connection, named as CLUSTER LINKS names it. */
    public enum Direction {
        TO("to"),
        FROM("from");

        private final String label;

        Direction(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Channel channel;
    private final Direction direction;
    private final BusStatistics stats;
    private final long createTime;
    /** Messages sent before an outbound connection completed, written once it does. */
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();

    private long closeTime;
    private long sendBufferBytes;
    private boolean flushPending;
    private boolean connected;
    private String nodeName;

    ClusterLink(Channel channel, Direction direction, BusStatistics stats, long createTime) {
        this.channel = channel;
        this.direction = direction;
        this.stats = stats;
        this.createTime = createTime;
    }

    public Direction direction() {
        return direction;
    }

    /** When the link was created, in Unix milliseconds (CLUSTER LINKS create-time). */
    public long createTime() {
        return createTime;
    }

    /** When the link closed, in Unix milliseconds; 0 while open. */
    public long closeTime() {
        return closeTime;
    }

    /** The node at the other end, once the node logic knows it; null before. */
    public String nodeName() {
        return nodeName;
    }

    public void nodeName(String name) {
        if (name != null) {
            Wire.checkName(name, "node name");
        }
        nodeName = name;
    }

    public boolean isConnected() {
        return connected && channel.isActive();
    }

    public boolean isClosed() {
        return closeTime != 0;
    }

    /** Bytes queued and not yet written to the socket. */
    public long sendBufferBytes() {
        return sendBufferBytes;
    }

    /** CLUSTER LINKS events: "r" while reading, "w" while output waits. */
    public String events() {
        if (isClosed()) {
            return "";
        }
        return sendBufferBytes > 0 ? "rw" : "r";
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** Our end of the connection: the address the peer reached us at, which a MEET teaches a node about itself. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Queues {@code m} for the peer; on an outbound link still connecting it waits for the connection. Returns
     * false, sending nothing, once the link is closed.
     */
    public boolean send(ClusterMessage m) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("cluster bus messages are sent from the keyspace thread's loop");
        }
        if (isClosed()) {
            return false;
        }
        int length = (int) m.wireLength();
        ByteBuf buf = channel.alloc().buffer(length);
        ClusterMessageCodec.encode(m, buf);
        sendBufferBytes += length;
        stats.sent(m.type());
        if (connected) {
            write(buf);
        } else {
            waiting.add(buf);
        }
        return true;
    }

    /**
     * Queues {@code buf} and flushes once the current batch of work is done, as Redis writes a link's queue when
     * its event loop next turns: what a transaction sends stays in the send buffer until it ends.
     */
    private void write(ByteBuf buf) {
        int length = buf.readableBytes();
        channel.write(buf).addListener(f -> sendBufferBytes -= length);
        if (!flushPending) {
            flushPending = true;
            channel.eventLoop().execute(() -> {
                flushPending = false;
                channel.flush();
            });
        }
    }

    /** Closes the connection; {@link ClusterBusHandler#closed} follows. */
    public void close() {
        channel.close();
    }

    void connected() {
        connected = true;
        while (!waiting.isEmpty()) {
            write(waiting.poll());
        }
    }

    void closed(long now) {
        closeTime = now;
        connected = false;
        while (!waiting.isEmpty()) {
            ByteBuf b = waiting.poll();
            sendBufferBytes -= b.readableBytes();
            b.release();
        }
    }

    @Override
    public String toString() {
        return "ClusterLink[" + direction + " " + (nodeName == null ? "?" : nodeName) + " " + channel.remoteAddress()
                + "]";
    }
}
