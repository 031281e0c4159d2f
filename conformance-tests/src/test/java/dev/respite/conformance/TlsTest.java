package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.TestCertificates;
import dev.respite.conformance.support.Tools;
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
}
