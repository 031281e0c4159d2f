package dev.respite.server.net;

import dev.respite.server.config.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                        new File(tls.certFile), new File(tls.keyFile), passwordFor(tls.keyFile, tls.keyFilePass))
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
                .keyManager(new File(cert), new File(key), passwordFor(key, pass))
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
        List<String> ciphers = OpenSslCipherList.of(tls.ciphers, tls.ciphersuites);
        if (!ciphers.isEmpty()) {
            b.ciphers(ciphers);
        }
    }

    /**
     * The passphrase to read {@code keyFile} with: as OpenSSL, Redis ignores tls-key-file-pass for a key that is not
     * encrypted, so it is given only for an encrypted one (which Netty would otherwise refuse the other way round).
     */
    private static String passwordFor(String keyFile, String pass) throws SSLException {
        if (pass.isEmpty()) {
            return null;
        }
        try {
            String pem = Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII);
            return pem.contains("ENCRYPTED") ? pass : null;
        } catch (IOException e) {
            throw new SSLException("Can't read the key file " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
