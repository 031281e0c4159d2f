package dev.respite.server.net;

import dev.respite.server.config.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The TLS contexts in force: the client listener's, the cluster bus listener's and the one for connections this
 * server opens (bus links, a replica's link to its master). They are built together, at start and at each CONFIG
 * SET of a tls-* parameter, so a set of files that fails for one of them changes none; connections made from then
 * on use the new ones.
 */
public final class ServerTls {
    private final TlsSettings settings;
    private volatile Contexts contexts;

    private record Contexts(SslContext listener, SslContext bus, SslContext outbound) {}

    public ServerTls(TlsSettings settings) {
        this.settings = settings;
    }

    /** Whether the configuration uses TLS at all: a TLS port, the bus or replication over TLS. */
    public boolean wanted() {
        return settings.port != 0 || settings.cluster || settings.replication;
    }

    /** (Re)builds the contexts from the settings; on failure the previous ones stay. Nothing when TLS is unused. */
    public void load() throws SSLException {
        if (!wanted()) {
            return;
        }
        contexts = new Contexts(TlsContexts.server(settings), TlsContexts.bus(settings), TlsContexts.client(settings));
    }

    public boolean loaded() {
        return contexts != null;
    }

    /** The client listener's context; null before {@link #load}. */
    public SslContext listener() {
        return contexts == null ? null : contexts.listener;
    }

    /**
     * The TLS end of a client connection. No handshake deadline: as with Redis, a client may connect and say
     * nothing for as long as it likes (Redis's test suite opens its connections well before it first uses them);
     * the timeout directive is what bounds idle clients.
     */
    public SslHandler listenerHandler(ByteBufAllocator alloc) {
        SSLEngine engine = listener().newEngine(alloc);
        // tls-prefer-server-ciphers: the JDK's server follows its own order unless told otherwise; OpenSSL, the
        // client's.
        SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(settings.preferServerCiphers);
        engine.setSSLParameters(p);
        SslHandler h = new SslHandler(engine);
        h.setHandshakeTimeoutMillis(0);
        return h;
    }

    /** The cluster bus listener's context; null before {@link #load}. */
    public SslContext bus() {
        return contexts == null ? null : contexts.bus;
    }

    /** The context of outgoing connections; null before {@link #load}. */
    public SslContext outbound() {
        return contexts == null ? null : contexts.outbound;
    }

    /**
     * Wraps a connected blocking socket to another server (a replica's link to its master) in TLS with the
     * outgoing context, limited to the configured protocols and ciphers, and completes the handshake.
     */
    public SSLSocket connect(Socket plain, String host, int port) throws IOException {
        SslContext c = outbound();
        if (c == null) {
            throw new SSLException("TLS is not configured (tls-cert-file, tls-key-file)");
        }
        // Built with the JDK provider (TlsContexts), so the JDK's own context is underneath.
        SSLSocket s =
                (SSLSocket) ((JdkSslContext) c).context().getSocketFactory().createSocket(plain, host, port, true);
        s.setUseClientMode(true);
        s.setEnabledCipherSuites(c.cipherSuites().toArray(new String[0]));
        if (!settings.protocols.isBlank()) {
            s.setEnabledProtocols(settings.protocols.trim().split("\\s+"));
        }
        s.startHandshake();
        return s;
    }
}
