package dev.respite.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/** The kernel interface the event loops use for sockets: the io-transport directive (INFO's multiplexing_api). */
public enum Transport {
    EPOLL("epoll"),
    IO_URING("io_uring"),
    NIO("nio");

    private final String directiveName;

    Transport(String directiveName) {
        this.directiveName = directiveName;
    }

    /**
     * The transport for {@code io-transport}: "auto" takes epoll where Netty's native library loads, else NIO.
     * io_uring, asked for by name, cost a quarter less CPU per pipelined request, but noticed closed
     * connections later (docs/performance.md). A native transport asked for by name must load, or the start
     * fails with the reason.
     */
    public static Transport choose(String setting) {
        Transport t = switch (setting) {
            case "auto" -> Epoll.isAvailable() ? EPOLL : NIO;
            case "epoll" -> EPOLL;
            case "io_uring" -> IO_URING;
            case "nio" -> NIO;
            default ->
                throw new IllegalArgumentException("io-transport must be auto, epoll, io_uring or nio, not " + setting);
        };
        Throwable missing = switch (t) {
            case EPOLL -> Epoll.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
            case NIO -> null;
        };
        if (missing != null) {
            throw new IllegalStateException(
                    "io-transport " + t.directiveName + " is not available here: " + missing.getMessage(), missing);
        }
        return t;
    }

    @Override
    public String toString() {
        return directiveName;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** An outgoing TCP connection on this transport (the cluster bus's links to other nodes). */
    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** Netty's listening Unix domain socket for this transport; null where it has none (NIO). */
    public Class<? extends ServerChannel> serverDomainSocketChannel() {
        return switch (this) {
            case EPOLL -> EpollServerDomainSocketChannel.class;
            case IO_URING -> IoUringServerDomainSocketChannel.class;
            case NIO -> null;
        };
    }

    /** tcp-keepalive's idle time on accepted sockets, where the transport exposes it. */
    public void keepIdle(ServerBootstrap b, int seconds) {
        switch (this) {
            case EPOLL -> b.childOption(EpollChannelOption.TCP_KEEPIDLE, seconds);
            case IO_URING -> b.childOption(IoUringChannelOption.TCP_KEEPIDLE, seconds);
            case NIO -> {}
        }
    }
}
