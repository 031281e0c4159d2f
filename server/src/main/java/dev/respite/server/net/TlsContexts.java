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

/** Builds the server's TLS context from Redis's tls-* directives. */
public final class TlsContexts {
    private TlsContexts() {}

    public static SslContext server(TlsSettings tls) throws SSLException {
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
        b.clientAuth(
                switch (tls.authClients) {
                    case "no" -> ClientAuth.NONE;
                    case "optional" -> ClientAuth.OPTIONAL;
                    default -> ClientAuth.REQUIRE;
                });
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
        return b.build();
    }
}
