package dev.respite.server.replication;

import dev.respite.server.net.ForeignSocket;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;

/**
 * The channel behind the client that applies the master's stream: replies go nowhere, but CLIENT LIST shows
 * the addresses and descriptor of the replication link, as Redis shows its master client.
 */
final class MasterClientChannel extends EmbeddedChannel implements ForeignSocket {
    private final SocketAddress remote;
    private final SocketAddress local;
    private final int fd;

    MasterClientChannel(SocketAddress remote, SocketAddress local, int fd) {
        this.remote = remote;
        this.local = local;
        this.fd = fd;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }
}
