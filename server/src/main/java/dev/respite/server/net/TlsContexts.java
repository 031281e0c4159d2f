package dev.respite.server.net;

import dev.respite.server.config.TlsSettings;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the server's TLS contexts from Redis's tls-* directives. */
public final class TlsContexts {
    private TlsContexts() {}

    /** The client listener's context: client certificates as tls-auth-clients says. */
    public static SslContext server(TlsSettings tls) throws SSLException {
        return server(
                tls,
                switch (tls.authClients) {
                    case "no" -> ClientAuth.NONE;
                    case "optional" -> ClientAuth.OPTIONAL;
                    default -> ClientAuth.REQUIRE;
                });
    }

    /**
     * The cluster bus listener's context: as Redis, another node must always present a certificate signed by
     * tls-ca-cert-file, whatever tls-auth-clients says for clients.
     */
    public static SslContext bus(TlsSettings tls) throws SSLException {
        return server(tls, ClientAuth.REQUIRE);
    }

    private static SslContext server(TlsSettings tls, ClientAuth auth) throws SSLException {
        if (tls.certFile.isEmpty() || tls.keyFile.isEmpty()) {
            throw new SSLException("tls-port needs tls-cert-file and tls-key-file");
        }
        SslContextBuilder b = SslContextBuilder.forServer(
                        new File(tls.certFile),
                        new File(tls.keyFile),
                        tls.keyFilePass.isEmpty() ? null : tls.keyFilePass)
                .sslProvider(SslProvider.JDK);
        if (!tls.caCertFile.isEmpty()) {
            b.trustManager(new File(tls.caCertFile));
        }
        b.clientAuth(auth);
        limits(b, tls);
        return b.build();
    }

    /**
     * The context of the connections this server opens (cluster bus links, a replica's link to its master): it
     * trusts tls-ca-cert-file and shows tls-client-cert-file, or the server's own certificate when none is set.
     * As Redis, it checks the peer's certificate chain but not its name: nodes are known by address.
     */
    public static SslContext client(TlsSettings tls) throws SSLException {
        boolean own = !tls.clientCertFile.isEmpty() && !tls.clientKeyFile.isEmpty();
        String cert = own ? tls.clientCertFile : tls.certFile;
        String key = own ? tls.clientKeyFile : tls.keyFile;
        String pass = own ? tls.clientKeyFilePass : tls.keyFilePass;
        if (cert.isEmpty() || key.isEmpty()) {
            throw new SSLException("TLS connections to other servers need tls-cert-file and tls-key-file");
        }
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(new File(cert), new File(key), pass.isEmpty() ? null : pass)
                .endpointIdentificationAlgorithm(null);
        if (!tls.caCertFile.isEmpty()) {
            b.trustManager(new File(tls.caCertFile));
        }
        limits(b, tls);
        return b.build();
    }

    private static void limits(SslContextBuilder b, TlsSettings tls) {
        if (!tls.protocols.isBlank()) {
            b.protocols(tls.protocols.trim().split("\\s+"));
        }
        List<String> ciphers = new ArrayList<>();
        for (String list : List.of(tls.ciphers, tls.ciphersuites)) {
            for (String c : list.split(":")) {
                String name = c.trim();
                if (!name.isEmpty()) {
                    // Redis takes OpenSSL's cipher names; the JDK knows them by their IANA names.
                    String java = name.startsWith("TLS_") ? name : CipherSuiteConverter.toJava(name, "TLS");
                    ciphers.add(java == null ? name : java);
                }
            }
        }
        if (!ciphers.isEmpty()) {
            b.ciphers(ciphers);
        }
    }
}
