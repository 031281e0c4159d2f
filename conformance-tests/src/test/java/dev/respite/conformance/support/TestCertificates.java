package dev.respite.conformance.support;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A throwaway certificate authority with a server certificate (for localhost and 127.0.0.1) and a client
 * certificate, made with openssl in a temporary directory when a test needs them.
 */
public record TestCertificates(Path dir) {
    public static TestCertificates generate() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("respite-tls");
        String openssl = Tools.require("openssl");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(
                dir,
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=Respite Test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt");
        for (String who : List.of("server", "client")) {
            run(
                    dir,
                    openssl,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=" + (who.equals("server") ? "localhost" : "client"),
                    "-keyout",
                    who + ".key",
                    "-out",
                    who + ".csr");
            run(
                    dir,
                    openssl,
                    "x509",
                    "-req",
                    "-in",
                    who + ".csr",
                    "-CA",
                    "ca.crt",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    "server.ext",
                    "-out",
                    who + ".crt");
        }
        return new TestCertificates(dir);
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    /**
     * A TLS connection to 127.0.0.1:{@code port} trusting the test CA, showing the client certificate when
     * {@code withClientCertificate}; the handshake is done when it returns.
     */
    public SSLSocket connect(int port, boolean withClientCertificate) throws IOException {
        SslContextBuilder b =
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(new File(file("ca.crt")));
        if (withClientCertificate) {
            b.keyManager(new File(file("client.crt")), new File(file("client.key")));
        }
        SSLSocket s = (SSLSocket)
                ((JdkSslContext) b.build()).context().getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    public String file(String name) {
        return dir.resolve(name).toString();
    }
}
