package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client eviction (maxmemory-clients) against Redis 7.2.5: the same clients, with a big query buffer or a pile
 * of unread replies, are disconnected by both servers, INFO evicted_clients counts them alike, and CLIENT
 * NO-EVICT and the parameter's syntax answer byte for byte the same.
 */
class ClientEvictionDifferentialTest extends DifferentialSuite {
    private static final int MB = 1024 * 1024;

    @AfterEach
    void restoreLimit() throws IOException {
        check("CONFIG SET maxmemory-clients 0", "CONFIG SET maxmemory 0", "CLIENT NO-EVICT off");
    }

    @Test
    void noEvictRepliesFlagAndArgumentMemory() throws IOException {
        check(
                "CLIENT NO-EVICT on",
                "CLIENT NO-EVICT ON",
                "CLIENT NO-EVICT off",
                "CLIENT NO-EVICT maybe",
                "CLIENT NO-EVICT",
                "CLIENT NO-EVICT on extra",
                "CLIENT NO-EVICT \"\"");
        for (int port : ports()) {
            try (RawConnection c = new RawConnection(port)) {
                assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "on"));
                assertEquals("e", field(c.call("CLIENT", "INFO"), "flags"), "port " + port);
                assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "off"));
                assertEquals("N", field(c.call("CLIENT", "INFO"), "flags"), "port " + port);
                // argv-mem is the length of the running command's arguments: "client" and "info".
                assertEquals("10", field(c.call("CLIENT", "INFO"), "argv-mem"), "port " + port);
            }
        }
    }

    @Test
    void limitSyntaxAndPercentages() throws IOException {
        check(
                "CONFIG SET maxmemory-clients 0%",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 7%",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 101%",
                "CONFIG SET maxmemory-clients 1.5%",
                "CONFIG SET maxmemory-clients -1",
                "CONFIG SET maxmemory-clients 1gb",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 3000000",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 0",
                "CONFIG GET maxmemory-clients");
    }

    @Test
    void clientWithABigQueryBufferIsEvicted() throws IOException {
        check("CONFIG SET maxmemory-clients 1mb", "CLIENT NO-EVICT on");
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection big = new RawConnection(port)) {
                assertEquals("+OK\r\n", control.call("CLIENT", "NO-EVICT", "on"));
                long before = evictedClients(control);
                // An argument announced at 2 MB, half sent: the command never completes.
                try {
                    big.send(("*1\r\n$" + 2 * MB + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    big.send(filled(MB, 'q'));
                } catch (IOException closedWhileSending) {
                    // Redis drops the client as soon as the header announces the argument.
                }
                assertTrue(drainsToEnd(big), "port " + port + " kept the client");
                assertEquals(before + 1, evictedClients(control), "port " + port);
                assertEquals("+PONG\r\n", control.call("PING"));
            }
        }
    }

    @Test
    void noEvictClientStaysOverTheLimit() throws IOException {
        check("CONFIG SET maxmemory-clients 1mb", "CLIENT NO-EVICT on");
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection big = new RawConnection(port)) {
                assertEquals("+OK\r\n", control.call("CLIENT", "NO-EVICT", "on"));
                assertEquals("+OK\r\n", big.call("CLIENT", "SETNAME", "big"));
                assertEquals("+OK\r\n", big.call("CLIENT", "NO-EVICT", "on"));
                long before = evictedClients(control);
                int size = MB + MB / 2;
                big.send(("*1\r\n$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                big.send(filled(size, 'q'));
                String listed = awaitQueryBuffer(control, "big", size);
                assertTrue(Long.parseLong(field(listed, "tot-mem")) > MB, listed);
                assertEquals(before, evictedClients(control), "port " + port);
                big.setTimeout(200);
                assertFalse(big.isClosedByPeer(), "port " + port + " evicted a NO-EVICT client");
            }
        }
    }

    @Test
    void clientThatDoesNotReadItsRepliesIsEvicted() throws IOException {
        check("SETRANGE big 262143 v", "CONFIG SET maxmemory-clients 2mb", "CLIENT NO-EVICT on");
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection reader = new RawConnection(port)) {
                assertEquals("+OK\r\n", control.call("CLIENT", "NO-EVICT", "on"));
                long before = evictedClients(control);
                // 256 KB replies, never read: the socket buffers fill, then the server's output for the client
                // grows until the client is evicted.
                boolean evicted = false;
                for (int i = 0; i < 1000 && !evicted; i++) {
                    try {
                        reader.command("GET", "big");
                    } catch (IOException closed) {
                        break;
                    }
                    evicted = evictedClients(control) > before;
                }
                assertEquals(before + 1, evictedClients(control), "port " + port);
                assertTrue(drainsToEnd(reader), "port " + port);
            }
        }
    }

    /** Reads what the server sent before it closed the connection; false if it stays open past 2000 replies. */
    private static boolean drainsToEnd(RawConnection c) {
        for (int i = 0; i < 2000; i++) {
            try {
                c.readReply();
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException closed) {
                return true;
            }
        }
        return false;
    }

    private int[] ports() {
        return new int[] {reference.port(), respite.port()};
    }

    /** Polls CLIENT LIST until the named client's qbuf reaches {@code size}; returns its line. */
    private static String awaitQueryBuffer(RawConnection control, String name, int size) throws IOException {
        String line = "";
        for (int i = 0; i < 500; i++) {
            line = Arrays.stream(control.call("CLIENT", "LIST").split("\n"))
                    .filter(l -> l.contains(" name=" + name + " "))
                    .findFirst()
                    .orElse("");
            if (!line.isEmpty() && Long.parseLong(field(line, "qbuf")) >= size) {
                return line;
            }
            sleep();
        }
        throw new AssertionError("the query buffer never filled: " + line);
    }

    private static long evictedClients(RawConnection c) throws IOException {
        Matcher m = Pattern.compile("evicted_clients:(\\d+)").matcher(c.call("INFO", "stats"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static String field(String clientLine, String name) {
        Matcher m = Pattern.compile(" " + name + "=(\\S*)").matcher(clientLine);
        assertTrue(m.find(), clientLine);
        return m.group(1);
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
