package dev.respite.server.replication;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;

/**
 * The channel behind the client that applies the master's stream: replies go nowhere, but CLIENT LIST shows
 * the addresses of the replication link, as Redis shows its master client.
 */
final class MasterClientChannel extends EmbeddedChannel {
    private final SocketAddress remote;
    private final SocketAddress local;

    MasterClientChannel(SocketAddress remote, SocketAddress local) {
        this.remote = remote;
        this.local = local;
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
