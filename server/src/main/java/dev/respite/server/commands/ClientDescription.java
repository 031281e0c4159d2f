package dev.respite.server.commands;

import dev.respite.server.diagnostics.Monitors;
import dev.respite.server.net.Client;
import dev.respite.server.net.ForeignSocket;
import dev.respite.server.tracking.TrackingMode;
import io.netty.channel.unix.UnixChannel;

/** The one-line description of a client that CLIENT LIST and CLIENT INFO print, with Redis 7.2's fields. */
public final class ClientDescription {
    private ClientDescription() {}

    static boolean isPubSub(Client c) {
        return c.inPubSubContext();
    }

    /** The client class CLIENT LIST TYPE and CLIENT KILL TYPE select by: normal, replica, master or pubsub. */
    static String type(Client c) {
        if (c.isReplica()) {
            return "replica";
        }
        if (c.isMaster()) {
            return "master";
        }
        return isPubSub(c) ? "pubsub" : "normal";
    }

    public static String describe(Monitors monitors, Client c) {
        long now = System.currentTimeMillis();
        int fd = c.channel() instanceof UnixChannel u
                ? u.fd().intValue()
                : c.channel() instanceof ForeignSocket f ? f.fd() : -1;
        StringBuilder flags = new StringBuilder();
        if (c.isReplica()) {
            flags.append('S');
        }
        if (c.isMaster()) {
            flags.append('M');
        }
        TrackingMode tracking = c.tracking();
        if (monitors.contains(c)) {
            flags.append('O');
        }
        if (isPubSub(c)) {
            flags.append('P');
        }
        if (c.inTransaction()) {
            flags.append('x');
        }
        if (c.isBlocked()) {
            flags.append('b');
        }
        if (tracking != null) {
            flags.append('t');
            if (tracking.brokenRedirect()) {
                flags.append('R');
            }
            if (tracking.bcast()) {
                flags.append('B');
            }
        }
        if (c.watchBroken()) {
            flags.append('d');
        }
        if (c.noEvict()) {
            flags.append('e');
        }
        if (c.noTouch()) {
            flags.append('T');
        }
        if (flags.isEmpty()) {
            flags.append('N');
        }
        long omem = c.pendingOutputBytes();
        String cmd = c.lastCommand() == null ? "NULL" : c.lastCommand().fullName();
        return "id=" + c.id()
                + " addr=" + c.address()
                + " laddr=" + c.localAddress()
                + " fd=" + fd
                + " name=" + c.name()
                + " age=" + (now - c.createdMillis()) / 1000
                + " idle=" + (now - c.lastInteractionMillis()) / 1000
                + " flags=" + flags
                + " db=" + c.db().index()
                + " sub=" + c.channelSubscriptions()
                + " psub=" + c.patternSubscriptions()
                + " ssub=" + c.shardSubscriptions()
                + " multi=" + (c.inTransaction() ? c.transaction().size() : -1)
                + " qbuf=" + c.queryBufferBytes() + " qbuf-free=" + c.queryBufferFree() + " argv-mem=" + c.argvBytes()
                + " multi-mem=" + c.transactionBytes() + " rbs=" + c.replyBufferSize() + " rbp=" + c.replyBufferPeak()
                + " obl=0 oll=0 omem=" + omem
                + " tot-mem=" + c.memoryUsage()
                + " events=r"
                + " cmd=" + cmd
                + " user=" + c.user()
                + " redir=" + (tracking == null ? -1 : tracking.redirect())
                + " resp=" + c.protocol()
                + " lib-name=" + c.libName()
                + " lib-ver=" + c.libVersion();
    }
}
