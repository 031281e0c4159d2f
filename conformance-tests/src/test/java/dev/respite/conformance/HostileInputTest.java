package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A catalogue of bad input. Each case gets Redis's reply (compared with a real redis-server where the
 * reply is defined), and after each a second client must still be served.
 */
class HostileInputTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @AfterEach
    void anotherClientIsStillServed() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void badLengthsGetRedisProtocolErrorsAndTheConnectionCloses() throws IOException {
        for (String raw : List.of(
                "*99999999999\r\n",
                "*1\r\n$-3\r\n",
                "*1\r\n$99999999999\r\n",
                "*1\r\n$abc\r\n",
                "*x\r\n",
                "*1\r\nfoo\r\n",
                "*2\r\n$3\r\nGET\r\n$600000000\r\n")) {
            try (Differential d = new Differential(respite.port(), redis.port())) {
                d.checkRaw(raw);
                assertTrue(d.respite().isClosedByPeer(), raw);
            }
        }
    }

    @Test
    void nonPositiveMultibulkCountsAreIgnoredAsRedisDoes() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            assertEquals("+PONG\r\n", d.checkRaw("*-5\r\n*0\r\nPING\r\n"));
        }
    }

    @Test
    void inlineLinesOverTheLimitAreRefused() throws IOException {
        // One byte past the 64 KB limit and no line end: the server can only see the line is too long once it
        // has read that last byte, so it closes with nothing unread and the error arrives before the FIN
        // (a longer line would let it close with bytes pending, and the kernel would reset the connection).
        try (RawConnection c = new RawConnection(respite.port())) {
            c.send("a".repeat(64 * 1024 + 1));
            assertEquals("-ERR Protocol error: too big inline request\r\n", c.readReply());
            assertTrue(c.isClosedByPeer());
        }
    }

    @Test
    void truncatedFramesAndClientsClosingMidCommandLeaveNoTrace() throws IOException {
        for (String raw :
                List.of("*3\r\n$3\r\nSET\r\n$1", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc", "*2\r\n", "GET k")) {
            try (Socket s = connect()) {
                s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
            }
        }
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("$-1\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void aClientClosingMidReplyDoesNotDisturbOthers() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            c.call("SET", "big", "x".repeat(8 * 1024 * 1024));
        }
        for (int i = 0; i < 5; i++) {
            try (Socket s = connect()) {
                s.getOutputStream().write("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read(new byte[100]);
            }
        }
    }

    @Test
    void binaryGarbageGetsAnErrorOrAClosedConnectionNeverACrash() throws IOException {
        Random rnd = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(4096)];
            rnd.nextBytes(junk);
            try (Socket s = connect()) {
                s.setSoTimeout(2000);
                s.getOutputStream().write(junk);
                s.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    s.getInputStream().read(new byte[1024]);
                } catch (IOException closedOrQuiet) {
                    // Either outcome is fine; the server staying up is what is checked after each test.
                }
            }
        }
    }

    @Test
    void nulBytesInKeysAndValuesAreJustBytes() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            byte[] key = {'a', 0, 'b', 0};
            c.command("SET".getBytes(), key, new byte[] {0, 0, 1});
            assertEquals("+OK\r\n", c.readReply());
            c.command("GET".getBytes(), key);
            assertEquals("$3\r\n\0\0\u0001\r\n", c.readReply());
            c.command("GET".getBytes(), new byte[] {'a'});
            assertEquals("$-1\r\n", c.readReply());
        }
    }

    @Test
    void aHundredThousandArgumentsAreOneCommand() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            StringBuilder sb = new StringBuilder("*100001\r\n$3\r\nDEL\r\n");
            for (int i = 0; i < 100_000; i++) {
                String k = "k" + i;
                sb.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
            }
            assertEquals(":0\r\n", d.checkRaw(sb.toString()));
        }
    }

    @Test
    void aCommandSplitOneBytePerPacketStillRuns() throws IOException {
        byte[] cmd = "*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$2\r\nok\r\nGET split\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = connect()) {
            s.setTcpNoDelay(true);
            for (byte b : cmd) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            }
            s.setSoTimeout(5000);
            byte[] expected = "+OK\r\n$2\r\nok\r\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(
                    new String(expected, StandardCharsets.US_ASCII),
                    new String(s.getInputStream().readNBytes(expected.length), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aBulkAnnouncedAs500MegabytesIsNotAllocatedUpFront() throws Exception {
        long before = rssKb(respite.pid());
        List<Socket> liars = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = connect();
                s.getOutputStream().write("*2\r\n$3\r\nSET\r\n$524288000\r\nabc".getBytes(StandardCharsets.US_ASCII));
                liars.add(s);
            }
            Thread.sleep(500);
            try (RawConnection c = new RawConnection(respite.port())) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
            long grownMb = (rssKb(respite.pid()) - before) / 1024;
            assertTrue(grownMb < 64, "resident memory grew by " + grownMb + " MB for four 500 MB announcements");
        } finally {
            for (Socket s : liars) {
                s.close();
            }
        }
    }

    @Test
    void silentClientsDoNotStarveOthersAndTimeoutClosesThem() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try (RawConnection admin = new RawConnection(respite.port())) {
            for (int i = 0; i < 200; i++) {
                silent.add(connect());
            }
            assertEquals("+PONG\r\n", admin.call("PING"));
            admin.call("CONFIG", "SET", "timeout", "1");
            Thread.sleep(2500);
            Socket first = silent.get(0);
            first.setSoTimeout(2000);
            assertEquals(-1, first.getInputStream().read(), "an idle client outlived timeout");
        } finally {
            try (RawConnection admin = new RawConnection(respite.port())) {
                admin.call("CONFIG", "SET", "timeout", "0");
            }
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    @Test
    void maxclientsRefusesTheClientOverTheLimit() throws Exception {
        try (RespiteProcess small = RespiteProcess.start("--maxclients", "3");
                RealRedis ref = RealRedis.start("--maxclients", "3")) {
            for (int port : new int[] {small.port(), ref.port()}) {
                List<RawConnection> held = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) {
                        held.add(new RawConnection(port));
                        held.get(i).call("PING");
                    }
                    try (RawConnection over = new RawConnection(port)) {
                        over.send("PING\r\n");
                        assertEquals("-ERR max number of clients reached\r\n", over.readReply());
                    }
                } finally {
                    for (RawConnection c : held) {
                        c.close();
                    }
                }
            }
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", respite.port()), 2000);
        return s;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
