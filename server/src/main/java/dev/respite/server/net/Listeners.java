package dev.respite.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP and TLS listening sockets, on the addresses of {@code bind}. They accept on a thread of their own, so
 * that CONFIG SET port and bind can move them from the keyspace thread and know at once whether the new
 * addresses could be bound. {@code *} is every IPv4 address and {@code ::*} every IPv6 one; a leading {@code -}
 * makes an address optional.
 */
public final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    /** Linux's IPV6_V6ONLY (level IPPROTO_IPV6): an IPv6 address bound alone serves IPv6 only, as in Redis. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    private final EventLoopGroup acceptGroup;
    private final Transport transport;
    private ServerBootstrap plain;
    private ServerBootstrap tls;
    private List<Channel> plainChannels = new ArrayList<>();
    private List<Channel> tlsChannels = new ArrayList<>();
    /** What the channels are bound to; null after a failed move, so that the next move binds in any case. */
    private List<String> boundAddresses;

    private int boundPort;
    private int boundTlsPort;
    /**
     * Whether the listeners take connections: they are bound before the server loads its data, as Redis's are, but
     * connections wait in the kernel's backlog until {@link #acceptConnections}.
     */
    private boolean accepting;

    public Listeners(Transport transport, IoHandlerFactory io) {
        this.transport = transport;
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("respite-accept"), io);
    }

    /** The loop that accepts connections: the parent group of the bootstraps given to {@link #start}. */
    public EventLoopGroup acceptGroup() {
        return acceptGroup;
    }

    /**
     * Binds the plain listeners on {@code port} and the TLS ones on {@code tlsPort}; a port of 0 binds nothing.
     *
     * @throws IllegalStateException naming the address that could not be bound
     */
    public void start(ServerBootstrap plain, ServerBootstrap tls, List<String> addresses, int port, int tlsPort) {
        this.plain = plain;
        this.tls = tls;
        plainChannels = bindAll(plain, addresses, port);
        tlsChannels = bindAll(tls, addresses, tlsPort);
        boundAddresses = addresses;
        boundPort = port;
        boundTlsPort = tlsPort;
    }

    /**
     * CONFIG SET port, tls-port or bind: closes the listeners that change and binds them again where the
     * configuration now says. False, with nothing listening, when a required address could not be bound; the caller
     * moves them back.
     */
    public boolean moveTo(List<String> addresses, int port, int tlsPort) {
        boolean addressesChanged = !addresses.equals(boundAddresses);
        boolean movePlain = addressesChanged || port != boundPort;
        boolean moveTls = addressesChanged || tlsPort != boundTlsPort;
        if (!movePlain && !moveTls) {
            return true;
        }
        if (movePlain) {
            closeAll(plainChannels);
        }
        if (moveTls) {
            closeAll(tlsChannels);
        }
        boundAddresses = null;
        try {
            if (movePlain) {
                plainChannels = bindAll(plain, addresses, port);
            }
            if (moveTls) {
                tlsChannels = bindAll(tls, addresses, tlsPort);
            }
        } catch (IllegalStateException e) {
            log.warn("{}", e.getMessage());
            closeAll(plainChannels);
            closeAll(tlsChannels);
            return false;
        }
        boundAddresses = addresses;
        boundPort = port;
        boundTlsPort = tlsPort;
        if (accepting) {
            acceptOn(plainChannels);
            acceptOn(tlsChannels);
        }
        log.info(
                "Listening on port {} and TLS port {} of {}",
                port,
                tlsPort,
                addresses.isEmpty() ? "no address" : String.join(" ", addresses));
        return true;
    }

    /** Start-up is over: the listeners, bound with auto-read off, begin accepting. */
    public void acceptConnections() {
        accepting = true;
        acceptOn(plainChannels);
        acceptOn(tlsChannels);
    }

    private static void acceptOn(List<Channel> channels) {
        for (Channel c : channels) {
            c.config().setAutoRead(true);
        }
    }

    /** Stops accepting connections; those already accepted stay. */
    public void close() {
        for (Channel c : plainChannels) {
            c.close();
        }
        for (Channel c : tlsChannels) {
            c.close();
        }
    }

    public void shutdown() {
        acceptGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private List<Channel> bindAll(ServerBootstrap b, List<String> addresses, int port) {
        return bindEach(b, transport, addresses, port, "");
    }

    /**
     * Binds {@code b} on {@code port} of each address of {@code bind}; {@code what} names the listener in errors
     * and warnings. Throws IllegalStateException, with nothing left bound, when a required address fails.
     */
    static List<Channel> bindEach(
            ServerBootstrap b, Transport transport, List<String> addresses, int port, String what) {
        List<Channel> bound = new ArrayList<>();
        if (port == 0) {
            return bound;
        }
        boolean everyAddress = false;
        for (String address : addresses) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            if (host.equals("::*") && everyAddress) {
                // The JVM and Netty open IPv6 sockets where the kernel has IPv6, so "*" already took both families.
                continue;
            }
            try {
                bound.add(bootstrapFor(b, transport, host)
                        .bind(hostToBind(host), port)
                        .sync()
                        .channel());
                everyAddress |= host.equals("*");
            } catch (Exception e) {
                if (!optional) {
                    closeAll(bound);
                    throw new IllegalStateException("Could not bind " + what + host + ":" + port + ": " + reason(e), e);
                }
                log.warn("Could not bind {}optional address {}:{}: {}", what, host, port, reason(e));
            }
        }
        return bound;
    }

    private static ServerBootstrap bootstrapFor(ServerBootstrap b, Transport transport, String host) {
        if (host.contains(":") && transport == Transport.EPOLL) {
            return b.clone().option(IPV6_V6ONLY, 1);
        }
        return b;
    }

    private static String hostToBind(String host) {
        return switch (host) {
            case "*" -> "0.0.0.0";
            case "::*" -> "::";
            default -> host;
        };
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void closeAll(List<Channel> channels) {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        channels.clear();
    }
}
