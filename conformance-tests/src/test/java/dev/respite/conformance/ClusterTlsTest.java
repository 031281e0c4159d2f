package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.ClusterNodes;
import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.TestCertificates;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode over TLS: the bus with tls-cluster yes, replicas with tls-replication yes, and the TLS ports named to
 * TLS clients (CLUSTER SLOTS, CLUSTER NODES, -MOVED) while plain clients keep hearing the TCP ports. Between Respite
 * nodes, and in one cluster with Debian's Redis 7.0, built with TLS.
 */
class ClusterTlsTest {
    private static final Pattern MOVED = Pattern.compile("^-MOVED \\d+ 127\\.0\\.0\\.1:(\\d+)\r\n$");

    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate();
    }

    /**
     * A node's directives: cluster mode with its own bus port, TLS on {@code tlsPort}, the bus and replication over
     * TLS. A MEET's handshake must finish within the node timeout, and the first TLS handshakes of a freshly
     * started JVM on a busy machine can take seconds: the timeout is generous, as nothing here fails over.
     */
    private static String[] directives(int tlsPort) throws IOException {
        return ClusterNodes.directives(
                "--cluster-node-timeout",
                "15000",
                "--tls-port",
                Integer.toString(tlsPort),
                "--tls-cert-file",
                certs.file("server.crt"),
                "--tls-key-file",
                certs.file("server.key"),
                "--tls-ca-cert-file",
                certs.file("ca.crt"),
                "--tls-client-cert-file",
                certs.file("client.crt"),
                "--tls-client-key-file",
                certs.file("client.key"),
                // Clients need no certificate; the bus still demands one from every node.
                "--tls-auth-clients",
                "no",
                "--tls-cluster",
                "yes",
                "--tls-replication",
                "yes");
    }

    private static RawConnection tlsConnection(int tlsPort) throws IOException {
        return new RawConnection(certs.connect(tlsPort, true));
    }

    @Test
    void respiteNodesTalkOverTheTlsBusAndNameTlsPortsToTlsClients() throws Exception {
        List<RespiteProcess> nodes = new ArrayList<>();
        List<Integer> tls = new ArrayList<>();
        List<Integer> plain = new ArrayList<>();
        List<Integer> bus = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                int tlsPort = Ports.free();
                String[] d = directives(tlsPort);
                RespiteProcess p =
                        RespiteProcess.startSmallOnPort(Files.createTempDirectory("cluster-tls"), Ports.free(), d);
                nodes.add(p);
                tls.add(tlsPort);
                plain.add(p.port());
                bus.add(ClusterNodes.busPort(d));
            }
            Tools.Result created = Tools.redisCli(
                    tls.get(0),
                    "--tls",
                    "--cacert",
                    certs.file("ca.crt"),
                    "--cluster",
                    "create",
                    "127.0.0.1:" + tls.get(0),
                    "127.0.0.1:" + tls.get(1),
                    "127.0.0.1:" + tls.get(2),
                    "--cluster-yes");
            assertEquals(0, created.exitCode(), created.stdout() + created.stderr());
            assertTrue(created.stdout().contains("[OK] All 16384 slots covered."), created.stdout());
            for (int i = 0; i < 3; i++) {
                ClusterNodes.awaitState(plain.get(i), "ok");
            }

            try (RawConnection overTls = tlsConnection(tls.get(0));
                    RawConnection overTcp = new RawConnection(plain.get(0))) {
                String tlsSlots = overTls.call("CLUSTER", "SLOTS");
                String tcpSlots = overTcp.call("CLUSTER", "SLOTS");
                String tlsNodes = overTls.call("CLUSTER", "NODES");
                String tcpNodes = overTcp.call("CLUSTER", "NODES");
                for (int i = 0; i < 3; i++) {
                    assertTrue(tlsSlots.contains(":" + tls.get(i) + "\r\n"), tlsSlots);
                    assertFalse(tlsSlots.contains(":" + plain.get(i) + "\r\n"), tlsSlots);
                    assertTrue(tcpSlots.contains(":" + plain.get(i) + "\r\n"), tcpSlots);
                    assertFalse(tcpSlots.contains(":" + tls.get(i) + "\r\n"), tcpSlots);
                    assertTrue(tlsNodes.contains(" 127.0.0.1:" + tls.get(i) + "@" + bus.get(i) + " "), tlsNodes);
                    assertTrue(tcpNodes.contains(" 127.0.0.1:" + plain.get(i) + "@" + bus.get(i) + " "), tcpNodes);
                }
                // The same key redirected: to the owner's TLS port over TLS, to its TCP port over TCP.
                String key = keyOwnedElsewhere(overTcp);
                int tlsTarget = movedPort(overTls.call("SET", key, "v"));
                int tcpTarget = movedPort(overTcp.call("SET", key, "v"));
                assertTrue(tls.indexOf(tlsTarget) > 0, "TLS client sent to " + tlsTarget + ", TLS ports " + tls);
                assertEquals(tls.indexOf(tlsTarget), plain.indexOf(tcpTarget), "plain client sent to " + tcpTarget);
            }

            // The bus port speaks TLS and wants a node's certificate, though clients need none.
            try (RawConnection c = new RawConnection(certs.connect(tls.get(0), false))) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
            byte[] nothing = new byte[0];
            assertTrue(
                    busRefuses(certs.connect(bus.get(0), false), nothing), "the bus took a peer without a certificate");
            // The start of a bus message header in the clear: signature and length.
            byte[] clear = "RCmb\0\0\u0008\u00d0".getBytes(StandardCharsets.ISO_8859_1);
            assertTrue(busRefuses(new Socket("127.0.0.1", bus.get(0)), clear), "the bus took plain TCP");
            assertFalse(busRefuses(certs.connect(bus.get(0), true), nothing), "the bus refused a node's certificate");

            // A fourth node joins by MEET on the TLS port and replicates from the first over TLS.
            String masterId;
            try (RawConnection master = new RawConnection(plain.get(0));
                    RawConnection replica = new RawConnection(plain.get(3))) {
                masterId = ClusterNodes.myId(master);
                assertEquals("+OK\r\n", replica.call("CLUSTER", "MEET", "127.0.0.1", "" + tls.get(0), "" + bus.get(0)));
                awaitKnown(replica, masterId);
                assertEquals("+OK\r\n", replica.call("CLUSTER", "REPLICATE", masterId));
                replica.awaitInfo(
                        "replication",
                        info -> info.contains("master_link_status:up") && info.contains("master_port:" + tls.get(0)));
                master.awaitInfo("replication", info -> info.contains("port=" + tls.get(3) + ",state=online"));
                String key = keyOwnedHere(master);
                assertEquals("+OK\r\n", master.call("SET", key, "over-tls"));
                assertEquals("+OK\r\n", replica.call("READONLY"));
                awaitValue(replica, key, "over-tls");
            }
        } finally {
            nodes.forEach(RespiteProcess::close);
        }
    }

    @Test
    void respiteAndRedisShareOneClusterOverTls() throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            int tlsA = Ports.free();
            String[] dA = directives(tlsA);
            RespiteProcess a =
                    RespiteProcess.startSmallOnPort(Files.createTempDirectory("cluster-tls"), Ports.free(), dA);
            started.add(a);
            int tlsB = Ports.free();
            String[] dB = directives(tlsB);
            RealRedis b = RealRedis.startDebianOnPort(Ports.free(), dB);
            started.add(b);
            int tlsC = Ports.free();
            String[] dC = directives(tlsC);
            RealRedis c = RealRedis.startDebianOnPort(Ports.free(), dC);
            started.add(c);
            int tlsD = Ports.free();
            String[] dD = directives(tlsD);
            RespiteProcess d =
                    RespiteProcess.startSmallOnPort(Files.createTempDirectory("cluster-tls"), Ports.free(), dD);
            started.add(d);

            try (RawConnection ca = new RawConnection(a.port());
                    RawConnection cb = new RawConnection(b.port());
                    RawConnection cc = new RawConnection(c.port());
                    RawConnection cd = new RawConnection(d.port())) {
                String idA = ClusterNodes.myId(ca);
                String idB = ClusterNodes.myId(cb);
                // Respite meets the Redis nodes and the other Respite node at their TLS ports; Redis answers over TLS.
                assertEquals(
                        "+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", "" + tlsB, "" + ClusterNodes.busPort(dB)));
                assertEquals(
                        "+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", "" + tlsC, "" + ClusterNodes.busPort(dC)));
                assertEquals(
                        "+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", "" + tlsD, "" + ClusterNodes.busPort(dD)));
                assertEquals("+OK\r\n", ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
                assertEquals("+OK\r\n", cb.call("CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
                for (RawConnection n : List.of(ca, cb, cc, cd)) {
                    awaitKnown(n, idA);
                    awaitKnown(n, idB);
                }
                // A Redis replica of the Respite master and a Respite replica of the Redis master, both over TLS.
                assertEquals("+OK\r\n", cc.call("CLUSTER", "REPLICATE", idA));
                assertEquals("+OK\r\n", cd.call("CLUSTER", "REPLICATE", idB));
                ClusterNodes.awaitState(a.port(), "ok");
                ClusterNodes.awaitState(b.port(), "ok");
                cc.awaitInfo(
                        "replication", i -> i.contains("master_link_status:up") && i.contains("master_port:" + tlsA));
                cd.awaitInfo(
                        "replication", i -> i.contains("master_link_status:up") && i.contains("master_port:" + tlsB));

                String keyOfA = keyOwnedHere(ca);
                String keyOfB = keyOwnedHere(cb);
                assertEquals("+OK\r\n", ca.call("SET", keyOfA, "from-respite"));
                assertEquals("+OK\r\n", cb.call("SET", keyOfB, "from-redis"));
                assertEquals("+OK\r\n", cc.call("READONLY"));
                assertEquals("+OK\r\n", cd.call("READONLY"));
                awaitValue(cc, keyOfA, "from-respite");
                awaitValue(cd, keyOfB, "from-redis");

                // Each names the other's TLS port to a TLS client and its TCP port to a plain one.
                try (RawConnection tlsToA = tlsConnection(tlsA);
                        RawConnection tlsToB = tlsConnection(tlsB)) {
                    assertEquals(tlsB, movedPort(tlsToA.call("SET", keyOfB, "x")));
                    assertEquals(b.port(), movedPort(ca.call("SET", keyOfB, "x")));
                    assertEquals(tlsA, movedPort(tlsToB.call("SET", keyOfA, "x")));
                    assertEquals(a.port(), movedPort(cb.call("SET", keyOfA, "x")));
                    String redisView = tlsToB.call("CLUSTER", "NODES");
                    assertTrue(
                            redisView.contains(idA + " 127.0.0.1:" + tlsA + "@" + ClusterNodes.busPort(dA)), redisView);
                    String plainView = cb.call("CLUSTER", "NODES");
                    assertTrue(
                            plainView.contains(idA + " 127.0.0.1:" + a.port() + "@" + ClusterNodes.busPort(dA)),
                            plainView);
                    String respiteView = tlsToA.call("CLUSTER", "NODES");
                    assertTrue(
                            respiteView.contains(idB + " 127.0.0.1:" + tlsB + "@" + ClusterNodes.busPort(dB)),
                            respiteView);
                }
            }
        } finally {
            for (AutoCloseable s : started) {
                s.close();
            }
        }
    }

    /** The TCP or TLS port in a -MOVED error. */
    private static int movedPort(String reply) {
        Matcher m = MOVED.matcher(reply);
        assertTrue(m.matches(), reply);
        return Integer.parseInt(m.group(1));
    }

    /** A key whose slot another node serves (its SET is redirected). */
    private static String keyOwnedElsewhere(RawConnection c) throws IOException {
        for (int i = 0; i < 100; i++) {
            if (c.call("SET", "k" + i, "v").startsWith("-MOVED")) {
                return "k" + i;
            }
        }
        throw new AssertionError("every key was served locally");
    }

    /** A key whose slot this node serves. */
    private static String keyOwnedHere(RawConnection c) throws IOException {
        for (int i = 0; i < 100; i++) {
            String key = "k" + i;
            if (c.call("GET", key).startsWith("$")) {
                return key;
            }
        }
        throw new AssertionError("no key was served locally");
    }

    /** Waits (bounded) until the node's CLUSTER NODES lists {@code id}. */
    private static void awaitKnown(RawConnection c, String id) throws IOException, InterruptedException {
        String nodes = "";
        for (int i = 0; i < 400; i++) {
            nodes = c.call("CLUSTER", "NODES");
            if (nodes.contains(id + " ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node " + id + " never became known:\n" + nodes);
    }

    private static void awaitValue(RawConnection c, String key, String value) throws IOException, InterruptedException {
        String want = "$" + value.length() + "\r\n" + value + "\r\n";
        String got = "";
        for (int i = 0; i < 400; i++) {
            got = c.call("GET", key);
            if (got.equals(want)) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(want, got, "the replica never received " + key);
    }

    /**
     * Whether a bus port drops this connection within five seconds after {@code probe} is sent (a refused client
     * certificate surfaces on the first read with TLS 1.3, after the client's side of the handshake is done).
     */
    private static boolean busRefuses(Socket s, byte[] probe) throws IOException {
        try (s) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(probe);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
