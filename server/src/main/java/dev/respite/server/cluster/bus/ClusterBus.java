package dev.respite.server.cluster.bus;

import dev.respite.server.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The cluster bus: a listener on the bus port (port + 10000 by default) and the links to and from other nodes.
 * Everything runs on one event loop, the keyspace thread's, as Redis runs its bus in its main thread: a node
 * busy with a command (DEBUG SLEEP, a long script) stops reading and answering the bus until the command ends,
 * which is what lets the other nodes see it as failing.
 */
public final class ClusterBus implements AutoCloseable {
    private final EventLoop loop;
    private final Transport transport;
    private final ClusterBusHandler handler;
    private final long maxMessageBytes;
    private final LongSupplier clock;
    private final BusStatistics statistics = new BusStatistics();
    private final Set<ClusterLink> links = new LinkedHashSet<>();
    private final List<Channel> listeners = new ArrayList<>();
    /** With tls-cluster: the contexts of accepted and of opened links, read per connection (CONFIG SET renews them). */
    private Supplier<SslContext> acceptTls;

    private Supplier<SslContext> connectTls;

    /**
     * @param loop the keyspace thread's event loop
     * @param maxMessageBytes the longest frame accepted; a peer announcing more is disconnected (Redis has no
     *     bound but its memory, and its longest messages are PUBLISH of a channel and a message of at most
     *     proto-max-bulk-len each)
     * @param clock Unix milliseconds, for the links' create and close times
     */
    public ClusterBus(
            EventLoop loop, Transport transport, ClusterBusHandler handler, long maxMessageBytes, LongSupplier clock) {
        this.loop = loop;
        this.transport = transport;
        this.handler = handler;
        this.maxMessageBytes = maxMessageBytes;
        this.clock = clock;
    }

    /**
     * Runs every link over TLS from now on, as tls-cluster does: accepted connections with {@code accept}'s context,
     * the ones this bus opens with {@code connect}'s. Call before {@link #listen}.
     */
    public void useTls(Supplier<SslContext> accept, Supplier<SslContext> connect) {
        this.acceptTls = accept;
        this.connectTls = connect;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port) and returns the bound address. Waits for the bind, so
     * call it at startup, from outside the loop.
     */
    public InetSocketAddress listen(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer(ClusterLink.Direction.FROM));
        Channel ch = b.bind(host, port).sync().channel();
        listeners.add(ch);
        return (InetSocketAddress) ch.localAddress();
    }

    /**
     * Opens a link to the bus of the node at {@code host:port}. The link exists at once (messages sent now wait
     * for the connection); {@link ClusterBusHandler#connected} follows, or {@link ClusterBusHandler#closed} if the
     * connection fails. Call on the loop.
     */
    public ClusterLink connect(String host, int port, int connectTimeoutMillis) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("cluster bus links are made on the keyspace thread's loop");
        }
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(initializer(ClusterLink.Direction.TO));
        // Registering on our own loop runs the initializer now, so the link exists before connect returns.
        Channel ch = b.register().channel();
        ClusterLinkHandler h = ch.pipeline().get(ClusterLinkHandler.class);
        ch.connect(new InetSocketAddress(host, port)).addListener(f -> {
            if (!f.isSuccess()) {
                ch.close();
            }
        });
        return h.link();
    }

    private ChannelInitializer<Channel> initializer(ClusterLink.Direction direction) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                Supplier<SslContext> tls = direction == ClusterLink.Direction.FROM ? acceptTls : connectTls;
                if (tls != null) {
                    // Messages a link sends before the handshake ends wait in the SslHandler until it does.
                    ch.pipeline().addLast(tls.get().newHandler(ch.alloc()));
                }
                ch.pipeline().addLast(new ClusterLinkHandler(ClusterBus.this, direction, maxMessageBytes));
            }
        };
    }

    ClusterLink created(Channel ch, ClusterLink.Direction direction) {
        ClusterLink link = new ClusterLink(ch, direction, statistics, clock.getAsLong());
        links.add(link);
        // The close future, not channelInactive: a connection that never completed was never active.
        ch.closeFuture().addListener(f -> closed(link));
        return link;
    }

    void closed(ClusterLink link) {
        if (links.remove(link)) {
            link.closed(clock.getAsLong());
            handler.closed(link);
        }
    }

    ClusterBusHandler handler() {
        return handler;
    }

    public BusStatistics statistics() {
        return statistics;
    }

    /** The open links, both directions, in creation order. */
    public Set<ClusterLink> links() {
        return Collections.unmodifiableSet(links);
    }

    /**
     * Closes the links whose send buffer is over {@code limitBytes} (cluster-link-sendbuf-limit; 0 is no limit),
     * counting each in {@link BusStatistics#linksOverSendBufferLimit}. Redis checks this from its cron. Returns
     * how many were closed.
     */
    public int enforceSendBufferLimit(long limitBytes) {
        if (limitBytes == 0) {
            return 0;
        }
        int closed = 0;
        for (ClusterLink l : List.copyOf(links)) {
            if (l.sendBufferBytes() > limitBytes) {
                statistics.linkOverSendBufferLimit();
                l.close();
                closed++;
            }
        }
        return closed;
    }

    /** The bytes waiting in every link's send buffer (part of INFO's mem_cluster_links). */
    public long sendBufferBytes() {
        long n = 0;
        for (ClusterLink l : links) {
            n += l.sendBufferBytes();
        }
        return n;
    }

    public EventLoop loop() {
        return loop;
    }

    /** Stops listening and closes every link. Call on the loop or from another thread. */
    @Override
    public void close() {
        if (!loop.inEventLoop()) {
            loop.submit(this::close).syncUninterruptibly();
            return;
        }
        listeners.forEach(Channel::close);
        listeners.clear();
        List.copyOf(links).forEach(ClusterLink::close);
    }
}
