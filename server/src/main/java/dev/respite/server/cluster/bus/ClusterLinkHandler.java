package dev.respite.server.cluster.bus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of a {@link ClusterLink}: frames the stream by the totlen in each message's first 8 bytes,
 * decodes each frame and hands it to the {@link ClusterBusHandler}, on the keyspace thread's loop.
 */
final class ClusterLinkHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(ClusterLinkHandler.class);

    private final ClusterBus bus;
    private final ClusterLink.Direction direction;
    private final long maxMessageBytes;
    private ClusterLink link;

    ClusterLinkHandler(ClusterBus bus, ClusterLink.Direction direction, long maxMessageBytes) {
        this.bus = bus;
        this.direction = direction;
        this.maxMessageBytes = maxMessageBytes;
    }

    ClusterLink link() {
        return link;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        link = bus.created(ctx.channel(), direction);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        link.connected();
        bus.handler().connected(link);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!link.isClosed() && ctx.channel().isActive()) {
            long totlen;
            try {
                totlen = ClusterMessageCodec.frameLength(in);
                if (totlen > maxMessageBytes) {
                    throw BusProtocolException.fatal("Cluster bus message of " + totlen + " bytes is over the "
                            + maxMessageBytes + "-byte limit");
                }
            } catch (BusProtocolException e) {
                log.warn(
                        "{} received on the Cluster bus from {}",
                        e.getMessage(),
                        ctx.channel().remoteAddress());
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (totlen < 0 || in.readableBytes() < totlen) {
                return;
            }
            bus.statistics().received(in.getUnsignedShort(in.readerIndex() + 12));
            ClusterMessage m;
            try {
                m = ClusterMessageCodec.decode(in);
            } catch (BusProtocolException e) {
                log.debug(
                        "Dropped a cluster bus packet from {}: {}",
                        ctx.channel().remoteAddress(),
                        e.getMessage());
                bus.handler().dropped(link, e);
                continue;
            }
            bus.handler().received(link, m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("I/O error on cluster bus link {}: {}", link, cause.toString());
        ctx.close();
    }
}
