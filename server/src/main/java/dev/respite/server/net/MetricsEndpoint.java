package dev.respite.server.net;

import dev.respite.server.RespiteServer;
import dev.respite.server.info.PrometheusExposition;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional Prometheus listener (metrics-port): HTTP/1.1 on the addresses of {@code bind}, served by the
 * same event loop as the clients, so a scrape reads the statistics without locks, between two commands.
 */
public final class MetricsEndpoint {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** A scrape is a bodiless GET; anything larger is not one. */
    private static final int MAX_REQUEST_BYTES = 8192;

    private final RespiteServer server;

    public MetricsEndpoint(RespiteServer server) {
        this.server = server;
    }

    /** Binds metrics-port on every bind address; a required address that fails to bind fails the start. */
    public List<Channel> bind(EventLoopGroup group, Transport transport) {
        PrometheusExposition exposition = new PrometheusExposition(server);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                        new MetricsHttpHandler(exposition));
                    }
                });
        int port = server.config().metricsPort;
        List<Channel> bound = Listeners.bindEach(b, transport, server.config().bind, port, "metrics-port ");
        log.info("Serving Prometheus metrics on port {} at /metrics", port);
        return bound;
    }
}
