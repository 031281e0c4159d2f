package dev.respite.server.net;

import dev.respite.protocol.CommandSink;
import dev.respite.protocol.ProtocolException;
import dev.respite.protocol.RespDecoder;
import dev.respite.server.RespiteServer;
import dev.respite.server.command.CommandSpec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of one connection served on the keyspace thread (io-threads 1): decodes what arrives, runs
 * each command at once, and flushes every reply of the read batch together when the batch ends. Its
 * package-private methods are the keyspace side of a connection, which {@link IoThreadHandler} calls
 * through the keyspace thread's task queue when the socket lives on an I/O thread.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter implements CommandSink {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    /** Deferred commands past this stop reading from the socket until the client is released. */
    private static final int DEFERRED_HIGH_WATER = 1024;

    private final RespiteServer server;
    private final RespDecoder decoder = new RespDecoder();
    private Client client;
    /**
     * The sink of requests decoded on this thread (not with io-threads, whose decoder runs elsewhere): each
     * one's argument array goes back to the decoder when its command kept no hold of it.
     */
    private final CommandSink reusing = args -> {
        command(args);
        if (client != null && !client.isBlocked() && client.deferred().isEmpty() && !client.inTransaction()) {
            CommandSpec ran = client.lastCommand();
            if (ran != null && ran.argumentsReusable()) {
                decoder.recycle(args);
            }
        }
        return true;
    };

    public ClientHandler(RespiteServer server) {
        this.server = server;
    }

    RespDecoder decoder() {
        return decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        long start = System.nanoTime();
        long commandsBefore = server.stats().totalCommandsProcessed;
        try {
            if (!accepting()) {
                return;
            }
            received(in.readableBytes(), decoder.pendingBytes(), System.currentTimeMillis());
            decoder.decode(in, reusing);
            decoded(decoder.pendingBytes(), decoder.heldBytes(), decoder.bulkLength());
            if (decoder.pendingBytes() > server.config().clientQueryBufferLimit) {
                queryBufferExceeded();
            }
        } catch (ProtocolException e) {
            protocolError(e.getMessage());
        } finally {
            in.release();
            server.stats()
                    .cycles()
                    .cycle(System.nanoTime() - start, server.stats().totalCommandsProcessed - commandsBefore);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        batchEnded();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writable();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeOnError(ctx, cause);
    }

    static void closeOnError(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            log.warn("Closing connection after an unexpected error", cause);
        }
        ctx.close();
    }

    // ---- the keyspace side of the connection; everything below runs on the keyspace thread

    /** A new connection: admitted as a client, or answered with why not and closed. */
    void open(Channel channel) {
        Clients clients = server.clients();
        client = new Client(clients.nextId(), server, channel, decoder);
        if (clients.count() >= server.config().maxclients) {
            clients.countRejected();
            log.warn(
                    "Rejected a client from {}: maxclients ({}) reached", client.address(), server.config().maxclients);
            refuse("ERR max number of clients reached");
            return;
        }
        if (ProtectedMode.refuses(
                server.config().protectedMode, server.acl().users().defaultUser(), channel.remoteAddress())) {
            log.warn("Refused a client from {}: protected mode", client.address());
            refuse(ProtectedMode.DENIED);
            return;
        }
        clients.add(client);
    }

    private void refuse(String error) {
        client.reply().error(error);
        client.closeAfterReply();
        server.clients().flushAll();
        client = null;
    }

    /** False once the connection was refused or is closing: what it sends is not read any more. */
    boolean accepting() {
        return client != null && !client.isClosing();
    }

    /** A read of {@code bytes} arrived, after {@code held} bytes of an unfinished command. */
    void received(int bytes, long held, long nowMillis) {
        server.stats().netInputBytes += bytes;
        server.stats().readsProcessed++;
        client.touchInteraction(nowMillis);
        client.received(held, bytes);
    }

    /**
     * The read's commands ran; {@code held} bytes of an unfinished one wait for more, inside an argument of
     * {@code bulkLength} bytes (-1 between arguments), for which the decoder holds {@code request} bytes of
     * memory: a client whose query grew too big may be evicted now.
     */
    void decoded(long held, long request, int bulkLength) {
        client.decoded(held, request, bulkLength);
        client.updateMemory();
        evictClients();
    }

    /** maxmemory-clients, after each read and command as Redis checks it before each command and before sleeping. */
    private void evictClients() {
        server.clients().memory().enforce(server.config(), server.stats());
    }

    @Override
    public boolean command(byte[][] args) {
        if (client.isClosing()) {
            return true;
        }
        boolean stalled = client.outputStalled();
        if (client.isBlocked() || !client.deferred().isEmpty() || stalled) {
            client.deferred().add(args);
            if (stalled || client.deferred().size() > DEFERRED_HIGH_WATER) {
                client.channel().config().setAutoRead(false);
            }
            return true;
        }
        client.setRunning(args);
        server.dispatcher().execute(client, args);
        client.setRunning(null);
        client.enforceOutputLimit();
        client.updateMemory();
        evictClients();
        return true;
    }

    void queryBufferExceeded() {
        log.warn("Closing client {} ({}): query buffer over client-query-buffer-limit", client.id(), client.address());
        server.stats().queryLimitDisconnections++;
        client.closeAfterReply();
    }

    void protocolError(String message) {
        client.reply().error("ERR " + message);
        client.closeAfterReply();
    }

    /** The end of a batch of reads: every reply produced meanwhile leaves now. */
    void batchEnded() {
        if (client != null) {
            client.scheduleFlush();
        }
        server.clients().flushAll();
        // Output written just before the flush (BCAST invalidations) may have grown a client past the limit.
        evictClients();
    }

    /** A peer that caught up with its output: send what waited, then run the commands that waited. */
    void writable() {
        if (client != null && client.channel().isWritable()) {
            client.scheduleFlush();
            client.runDeferred();
            server.clients().flushAll();
        }
    }

    void closed() {
        if (client != null) {
            server.disconnectHooks().disconnected(client);
            client.reply().discard();
            server.clients().remove(client);
            client = null;
        }
    }
}
