package dev.respite.server.net;

import dev.respite.protocol.ProtocolException;
import dev.respite.server.RespiteServer;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
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
 * Called from the script's hook, this reads the other clients' sockets itself and answers as Redis does
 * then: commands flagged allow-busy (SCRIPT KILL, FUNCTION KILL, CLIENT, ...) and SHUTDOWN NOSAVE run,
 * everything else gets -BUSY. Works for connections served on the keyspace thread by a Unix transport
 * (epoll, the default on Linux); with io-threads or NIO the other clients wait for the script instead.
 */
public final class BusyResponder {
    private static final Logger log = LoggerFactory.getLogger(BusyResponder.class);
    private final RespiteServer server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);

    public BusyResponder(RespiteServer server) {
        this.server = server;
    }

    /** Serves every client but {@code running} (the script's caller) once; {@code busyError} is the -BUSY text. */
    public void serve(Client running, String busyError) {
        for (Client c : new ArrayList<>(server.clients().all())) {
            if (c == running || c.isClosing() || c.isBlocked() || !c.deferred().isEmpty()) {
                continue;
            }
            Channel ch = c.channel();
            if (ch instanceof UnixChannel unix
                    && ch.isActive()
                    && ch.eventLoop().inEventLoop()) {
                read(c, unix.fd(), busyError);
            }
        }
        server.clients().flushAll();
    }

    private void read(Client c, FileDescriptor fd, String busyError) {
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
                answer(c, args, busyError);
                return true;
            });
            c.scheduleFlush();
        } catch (IOException | ProtocolException e) {
            log.debug("Reading client {} while a script is busy failed: {}", c.id(), e.getMessage());
            c.closeAfterReply();
        }
    }

    private void answer(Client c, byte[][] args, String busyError) {
        CommandSpec spec = server.commands().lookup(args[0]);
        if (spec != null && spec.hasSubcommands() && args.length >= 2) {
            CommandSpec sub = CommandTable.subcommand(spec, args[1]);
            spec = sub == null ? spec : sub;
        }
        boolean shutdownNoSave =
                spec != null && spec.name().equals("shutdown") && args.length == 2 && Args.is(args[1], "nosave");
        if (spec == null
                || shutdownNoSave
                || (spec.has(CommandFlag.ALLOW_BUSY) && !spec.name().equals("shutdown"))) {
            server.dispatcher().execute(c, args);
            return;
        }
        c.reply().error(busyError);
        server.stats().countError("BUSY");
        if (c.inTransaction()) {
            c.failTransaction();
        }
    }
}
