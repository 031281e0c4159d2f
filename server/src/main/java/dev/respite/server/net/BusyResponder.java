package dev.respite.server.net;

import dev.respite.protocol.ProtocolException;
import dev.respite.server.RespiteServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a script runs past busy-reply-threshold the keyspace thread is inside it, so Netty's loop cannot read.
 * Called from the script's hook, this reads the other clients' sockets itself and hands their commands to
 * the dispatcher, which answers as Redis does then: commands flagged allow-busy (SCRIPT KILL, FUNCTION KILL,
 * MULTI, DISCARD, ...) and SHUTDOWN NOSAVE run, everything else is refused with -BUSY (inside MULTI that fails
 * the transaction, and EXEC is aborted). Works for connections served on the keyspace thread by a Unix transport
 * (epoll, the default on Linux); with io-threads or NIO the other clients wait for the script instead.
 */
public final class BusyResponder {
    private static final Logger log = LoggerFactory.getLogger(BusyResponder.class);
    private final RespiteServer server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);

    public BusyResponder(RespiteServer server) {
        this.server = server;
    }

    /** Serves every client but {@code running} (the script's caller) once, connections made meanwhile included. */
    public void serve(Client running) {
        server.acceptedConnections().takeIn();
        for (Client c : new ArrayList<>(server.clients().all())) {
            if (c == running || c.isClosing() || c.isBlocked() || !c.deferred().isEmpty()) {
                continue;
            }
            Channel ch = c.channel();
            if (ch instanceof UnixChannel unix
                    && ch.isActive()
                    && ch.eventLoop().inEventLoop()) {
                read(c, unix.fd());
            }
        }
        server.clients().flushAll();
    }

    private void read(Client c, FileDescriptor fd) {
        try {
            int n = fd.read(buffer, 0, buffer.capacity());
            if (n <= 0) {
                if (n < 0) {
                    c.closeAfterReply();
                }
                return;
            }
            server.stats().netInputBytes += n;
            server.stats().readsProcessed++;
            c.touchInteraction(System.currentTimeMillis());
            ByteBuf in = Unpooled.wrappedBuffer(buffer.duplicate().position(0).limit(n));
            c.decoder().decode(in, args -> {
                server.dispatcher().execute(c, args);
                return true;
            });
            c.scheduleFlush();
        } catch (IOException | ProtocolException e) {
            log.debug("Reading client {} while a script is busy failed: {}", c.id(), e.getMessage());
            c.closeAfterReply();
        }
    }
}
