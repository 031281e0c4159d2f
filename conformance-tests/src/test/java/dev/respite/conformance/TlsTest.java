package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.TestCertificates;
import dev.respite.conformance.support.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TLS listener: redis-cli --tls and redis-py ssl=True against certificates made for the test. */
class TlsTest {
    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate();
    }

    private static RespiteProcess start(int tlsPort, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--tls-port",
                Integer.toString(tlsPort),
                "--tls-cert-file",
                certs.file("server.crt"),
                "--tls-key-file",
                certs.file("server.key"),
                "--tls-ca-cert-file",
                certs.file("ca.crt")));
        args.addAll(List.of(more));
        return RespiteProcess.start(args.toArray(new String[0]));
    }

    private static Tools.Result pingWithClientCertificate(int tlsPort) throws Exception {
        return Tools.redisCli(
                tlsPort,
                "--tls",
                "--cacert",
                certs.file("ca.crt"),
                "--cert",
                certs.file("client.crt"),
                "--key",
                certs.file("client.key"),
                "PING");
    }

    @Test
    void redisCliAndRedisPyTalkOverTlsWithoutClientCertificates() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no")) {
            Tools.Result cli =
                    Tools.redisCli(tlsPort, "--tls", "--cacert", certs.file("ca.crt"), "SET", "secure", "yes");
            assertEquals("OK\n", cli.stdout(), cli.stderr());
            Tools.Result py = Tools.python(tlsPort, """
                    import os, redis
                    r = redis.Redis(host='localhost', port=int(os.environ['RESPITE_PORT']), ssl=True, ssl_ca_certs='%s')
                    print(r.get('secure'), r.ping())
                    """.formatted(certs.file("ca.crt")));
            assertEquals("", py.stderr());
            assertEquals("b'yes' True\n", py.stdout());
        }
    }

    @Test
    void requiredClientCertificatesMustBeSignedByTheCa() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "yes")) {
            Tools.Result withCert = pingWithClientCertificate(tlsPort);
            assertEquals("PONG\n", withCert.stdout(), withCert.stderr());
            Tools.Result without = Tools.redisCli(tlsPort, "--tls", "--cacert", certs.file("ca.crt"), "PING");
            assertNotEquals("PONG\n", without.stdout());
            Tools.Result py = Tools.python(
                    tlsPort, """
                    import os, redis
                    r = redis.Redis(host='localhost', port=int(os.environ['RESPITE_PORT']), ssl=True, ssl_ca_certs='%s',
                                    ssl_certfile='%s', ssl_keyfile='%s')
                    print(r.ping())
                    """.formatted(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key")));
            assertEquals("True\n", py.stdout(), py.stderr());
        }
    }

    @Test
    void configSetChangesTlsForNewConnectionsAndRefusesBrokenFiles() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals(
                    "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - "
                            + "Unable to update TLS configuration. Check server logs.\r\n",
                    c.call("CONFIG", "SET", "tls-cert-file", certs.file("no-such.crt")));
            assertTrue(c.call("CONFIG", "GET", "tls-cert-file").contains("server.crt"));
            Tools.Result before = Tools.redisCli(tlsPort, "--tls", "--cacert", certs.file("ca.crt"), "PING");
            assertEquals("PONG\n", before.stdout(), before.stderr());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-auth-clients", "yes"));
            Tools.Result without = Tools.redisCli(tlsPort, "--tls", "--cacert", certs.file("ca.crt"), "PING");
            assertNotEquals("PONG\n", without.stdout());
            Tools.Result withCert = pingWithClientCertificate(tlsPort);
            assertEquals("PONG\n", withCert.stdout(), withCert.stderr());
        }
    }

    @Test
    void tlsProtocolsLimitsTheVersionsOffered() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no", "--tls-protocols", "TLSv1.3")) {
            Tools.Result py = Tools.python(tlsPort, """
                    import os, ssl, redis
                    port = int(os.environ['RESPITE_PORT'])
                    ok = redis.Redis(host='localhost', port=port, ssl=True, ssl_ca_certs='%1$s')
                    print(ok.ping())
                    import socket
                    ctx = ssl.create_default_context(cafile='%1$s')
                    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                    try:
                        ctx.wrap_socket(socket.create_connection(('localhost', port)), server_hostname='localhost')
                        print('TLSv1.2 accepted')
                    except ssl.SSLError:
                        print('TLSv1.2 refused')
                    """.formatted(certs.file("ca.crt")));
            assertEquals("True\nTLSv1.2 refused\n", py.stdout(), py.stderr());
        }
    }

    @Test
    void plainTextOnTheTlsPortIsNotServed() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no")) {
            Tools.Result plain = Tools.redisCli(tlsPort, "PING");
            assertTrue(!plain.stdout().contains("PONG"), plain.stdout());
            assertEquals("PONG\n", Tools.redisCli(p.port(), "PING").stdout());
        }
    }

    /**
     * An OpenSSL client (Python's ssl) offering only {@code offer} over TLSv1.2: the cipher it got and PONG, or
     * "refused". Redis's tls-ciphers is an OpenSSL cipher list, and these are what OpenSSL clients see of it.
     */
    private static String cipherProbe(int tlsPort, String offer) throws Exception {
        Tools.Result py = Tools.python(tlsPort, """
                import os, socket, ssl
                ctx = ssl.create_default_context(cafile='%s')
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                ctx.set_ciphers('%s')
                try:
                    s = ctx.wrap_socket(socket.create_connection(('localhost', int(os.environ['RESPITE_PORT']))),
                                        server_hostname='localhost')
                    s.sendall(b'PING\\r\\n')
                    print(s.cipher()[0], s.recv(64).decode().strip())
                except OSError:
                    print('refused')
                """.formatted(certs.file("ca.crt"), offer));
        assertEquals("", py.stderr());
        return py.stdout().trim();
    }

    @Test
    void tlsCiphersIsReadAsAnOpenSslCipherList() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(
                        tlsPort,
                        "--tls-auth-clients",
                        "no",
                        "--tls-protocols",
                        "TLSv1.2",
                        "--tls-ciphers",
                        "DEFAULT:-AES128-SHA256");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("refused", cipherProbe(tlsPort, "AES128-SHA256"));
            assertEquals("AES256-SHA256 +PONG", cipherProbe(tlsPort, "AES256-SHA256"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-ciphers", "-ALL:AES256-SHA256"));
            assertEquals("refused", cipherProbe(tlsPort, "AES128-SHA256"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-ciphers", "DEFAULT"));
            assertEquals("AES128-SHA256 +PONG", cipherProbe(tlsPort, "AES128-SHA256"));
        }
    }

    /** As with OpenSSL, the client's order decides unless tls-prefer-server-ciphers says the server's does. */
    @Test
    void tlsPreferServerCiphersDecidesWhoseOrderWins() throws Exception {
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(
                        tlsPort,
                        "--tls-auth-clients",
                        "no",
                        "--tls-protocols",
                        "TLSv1.2",
                        "--tls-ciphers",
                        "AES128-SHA256:AES256-SHA256");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("AES256-SHA256 +PONG", cipherProbe(tlsPort, "AES256-SHA256:AES128-SHA256"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-prefer-server-ciphers", "yes"));
            assertEquals("AES128-SHA256 +PONG", cipherProbe(tlsPort, "AES256-SHA256:AES128-SHA256"));
        }
    }

    @Test
    void tlsPortMovesAtRunTime() throws Exception {
        int tlsPort = Ports.free();
        int movedTo = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-port", "0"));
            assertEquals("refused", cipherProbe(tlsPort, "DEFAULT"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-port", Integer.toString(movedTo)));
            assertTrue(cipherProbe(movedTo, "DEFAULT").endsWith(" +PONG"));
            assertEquals(
                    "*2\r\n$8\r\ntls-port\r\n$" + Integer.toString(movedTo).length() + "\r\n" + movedTo + "\r\n",
                    c.call("CONFIG", "GET", "tls-port"));
        }
    }

    /**
     * tls-key-file-pass is used only for an encrypted key, as OpenSSL uses it: setting it while the key is not
     * encrypted changes nothing, and an encrypted key loads with it and fails without it.
     */
    @Test
    void anEncryptedKeyFileLoadsWithItsPassphrase() throws Exception {
        Path encrypted = Path.of(certs.file("server.key.encrypted"));
        Tools.Result made = Tools.run(
                List.of(
                        Tools.require("openssl"),
                        "rsa",
                        "-in",
                        certs.file("server.key"),
                        "-out",
                        encrypted.toString(),
                        "-aes256",
                        "-passout",
                        "pass:1234"),
                null,
                60);
        assertEquals(0, made.exitCode(), made.stderr());
        int tlsPort = Ports.free();
        try (RespiteProcess p = start(tlsPort, "--tls-auth-clients", "no");
                RawConnection c = new RawConnection(p.port())) {
            assertEquals(
                    "-ERR CONFIG SET failed (possibly related to argument 'tls-key-file') - "
                            + "Unable to update TLS configuration. Check server logs.\r\n",
                    c.call("CONFIG", "SET", "tls-key-file", encrypted.toString()));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-key-file-pass", "1234"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "tls-key-file", encrypted.toString()));
            assertTrue(cipherProbe(tlsPort, "DEFAULT").endsWith(" +PONG"));
        }
    }
}
