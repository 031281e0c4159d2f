package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where the server listens: the built-in bind, and CONFIG SET port and bind moving the listeners at run time. */
class ListenersTest {
    @Test
    void withoutABindDirectiveEveryAddressIsServed() throws Exception {
        Path dir = Files.createTempDirectory("listeners");
        int port = Ports.free();
        Process p = new ProcessBuilder(
                        RespiteProcess.command("--port", Integer.toString(port), "--save", "", "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "respite.log"))
                .start();
        try {
            RawConnection c = connectWithin(port, 90);
            assertEquals("*2\r\n$4\r\nbind\r\n$6\r\n* -::*\r\n", c.call("CONFIG", "GET", "bind"));
            c.close();
            assertFalse(Files.readString(dir.resolve("respite.log")).contains("Could not bind"));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void configSetPortMovesTheListenerOrChangesNothing() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Differential d = new Differential(respite.port(), redis.port())) {
            // A port something else holds: the error names it, and no parameter of the call changes.
            String taken = Integer.toString(busy.getLocalPort());
            d.check("CONFIG", "SET", "maxmemory", "12345", "port", taken, "maxmemory-policy", "allkeys-lru");
            d.check("CONFIG", "GET", "maxmemory");
            d.check("CONFIG", "GET", "maxmemory-policy");
            String port = Integer.toString(respite.port());
            assertEquals(
                    "*2\r\n$4\r\nport\r\n$" + port.length() + "\r\n" + port + "\r\n",
                    d.respite().call("CONFIG", "GET", "port"));
            d.check("CONFIG", "SET", "bind", "999.999.999.999");
            d.check("CONFIG", "GET", "bind");
            try (RawConnection again = new RawConnection(respite.port())) {
                assertEquals("+PONG\r\n", again.call("PING"));
            }

            int moved = Ports.free();
            assertEquals("+OK\r\n", d.respite().call("CONFIG", "SET", "port", Integer.toString(moved)));
            try (RawConnection there = new RawConnection(moved)) {
                assertEquals("+PONG\r\n", there.call("PING"));
                assertThrows(ConnectException.class, () -> new RawConnection(respite.port()));
                // The connection that asked keeps being served.
                assertEquals("+PONG\r\n", d.respite().call("PING"));
                assertEquals("+OK\r\n", there.call("CONFIG", "SET", "port", Integer.toString(respite.port())));
            }
            try (RawConnection back = new RawConnection(respite.port())) {
                assertEquals("+PONG\r\n", back.call("PING"));
            }
        }
    }

    @Test
    void configSetBindToNothingRefusesNewConnectionsUntilSetAgain() throws Exception {
        try (RespiteProcess respite = RespiteProcess.start();
                RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "bind", ""));
            assertEquals("*2\r\n$4\r\nbind\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "bind"));
            assertThrows(ConnectException.class, () -> new RawConnection(respite.port()));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "bind", "127.0.0.1 -::1"));
            try (RawConnection again = new RawConnection(respite.port())) {
                assertEquals("+PONG\r\n", again.call("PING"));
            }
        }
    }

    private static RawConnection connectWithin(int port, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return new RawConnection(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }
}
