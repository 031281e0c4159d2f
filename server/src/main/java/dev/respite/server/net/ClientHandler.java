package dev.respite.server.net;

import dev.respite.protocol.CommandSink;
import dev.respite.protocol.ProtocolException;
import dev.respite.server.RespiteServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The Netty end of one connection: decodes what arrives, runs each command at once on this (the
 * keyspace) thread, and flushes every reply of the read batch together when the batch ends.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter implements CommandSink {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    /** Deferred commands past this stop reading from the socket until the client is released. */
    private static final int DEFERRED_HIGH_WATER = 1024;

    private final RespiteServer server;
    private Client client;

    public ClientHandler(RespiteServer server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Clients clients = server.clients();
        client = new Client(clients.nextId(), server, ctx.channel());
        if (clients.count() >= server.config().maxclients) {
            clients.countRejected();
            log.warn("Rejected a client from {}: maxclients ({}) reached", client.address(), server.config().maxclients);
            client.reply().error("ERR max number of clients reached");
            client.closeAfterReply();
            clients.flushAll();
            client = null;
            return;
        }
        if (ProtectedMode.refuses(server.config().protectedMode, server.acl().users().defaultUser(), ctx.channel().remoteAddress())) {
            log.warn("Refused a client from {}: protected mode", client.address());
            client.reply().error(ProtectedMode.DENIED);
            client.closeAfterReply();
            clients.flushAll();
            client = null;
            return;
        }
        clients.add(client);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        long start = System.nanoTime();
        try {
            if (client == null || client.isClosing()) {
                return;
            }
            server.stats().netInputBytes += in.readableBytes();
            server.stats().readsProcessed++;
            client.touchInteraction(System.currentTimeMillis());
            client.decoder().decode(in, this);
            if (client.decoder().pendingBytes() > server.config().clientQueryBufferLimit) {
                log.warn("Closing client {} ({}): query buffer over client-query-buffer-limit", client.id(), client.address());
                client.closeAfterReply();
            }
        } catch (ProtocolException e) {
            client.reply().error("ERR " + e.getMessage());
            client.closeAfterReply();
        } finally {
            in.release();
            server.stats().cycles().cycle(System.nanoTime() - start);
        }
    }

    @Override
    public void command(byte[][] args) {
        if (client.isClosing()) {
            return;
        }
        boolean stalled = client.outputStalled();
        if (client.isBlocked() || !client.deferred().isEmpty() || stalled) {
            client.deferred().add(args);
            if (stalled || client.deferred().size() > DEFERRED_HIGH_WATER) {
                client.channel().config().setAutoRead(false);
            }
            return;
        }
        server.dispatcher().execute(client, args);
        client.enforceOutputLimit(System.currentTimeMillis());
    }

    /** A peer that caught up with its output: send what waited, then run the commands that waited. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (client != null && ctx.channel().isWritable()) {
            client.scheduleFlush();
            client.runDeferred();
            server.clients().flushAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (client != null) {
            client.scheduleFlush();
        }
        server.clients().flushAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            server.disconnected(client);
            client.reply().discard();
            server.clients().remove(client);
            client = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("Closing connection after an unexpected error", cause);
        }
        ctx.close();
    }
}
