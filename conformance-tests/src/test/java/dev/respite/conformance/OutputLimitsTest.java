package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow readers cannot take the server down: client-output-buffer-limit disconnects subscribers that fall
 * behind, and a client that never reads its replies stops being served once 32 MB of them wait.
 * Memory is the server process's resident set, sampled from /proc while the test runs.
 */
class OutputLimitsTest {
    private static final int MB = 1024 * 1024;
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void configSyntaxAndDefaultsMatchRedis() throws IOException {
        try (RealRedis redis = RealRedis.start();
                Differential d = new Differential(respite.port(), redis.port())) {
            d.check("CONFIG", "GET", "client-output-buffer-limit");
            d.check("CONFIG", "SET", "client-output-buffer-limit", "pubsub 64mb 16mb 90 normal 1gb 512mb 120");
            d.check("CONFIG", "GET", "client-output-buffer-limit");
            d.check("CONFIG", "SET", "client-output-buffer-limit", "fast 1 2 3");
            d.check("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2");
            d.check("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 -3");
            d.check("CONFIG", "SET", "client-output-buffer-limit", "normal x 2 3");
            d.check(
                    "CONFIG",
                    "SET",
                    "client-output-buffer-limit",
                    "normal 0 0 0 slave 268435456 67108864 60 pubsub 32mb 8mb 60");
            d.check("CONFIG", "GET", "client-output-buffer-limit");
        }
    }

    @Test
    void subscriberThatNeverReadsIsDisconnectedWhileOthersReceiveTwoGigabytes() throws Exception {
        int messages = 2048;
        byte[] payload = new byte[MB];
        Arrays.fill(payload, (byte) 'm');
        long frame = ("*3\r\n$7\r\nmessage\r\n$4\r\nbulk\r\n$" + MB + "\r\n").length() + MB + 2;
        long disconnectionsBefore = statsField("client_output_buffer_limit_disconnections");
        RssSampler rss = new RssSampler(respite.pid());
        try (RawConnection slow = new RawConnection(respite.port());
                Socket fast = connect();
                Socket publisher = connect()) {
            slow.call("SUBSCRIBE", "bulk");
            fast.getOutputStream().write(resp("SUBSCRIBE", "bulk"));
            InputStream fastIn = fast.getInputStream();
            byte[] confirmation = new byte[("*3\r\n$9\r\nsubscribe\r\n$4\r\nbulk\r\n:1\r\n").length()];
            assertEquals(confirmation.length, fastIn.readNBytes(confirmation, 0, confirmation.length));
            AtomicLong fastBytes = new AtomicLong();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[256 * 1024];
                try {
                    for (int n; fastBytes.get() < messages * frame && (n = fastIn.read(buf)) > 0; ) {
                        fastBytes.addAndGet(n);
                    }
                } catch (IOException ignored) {
                    // The assertion on the byte count reports a short read.
                }
            });
            drain.start();
            rss.start();
            long started = System.nanoTime();
            byte[] publish = resp("PUBLISH", "bulk", payload);
            OutputStream pubOut = publisher.getOutputStream();
            InputStream pubIn = publisher.getInputStream();
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            for (int i = 0; i < messages; i++) {
                // Pace on the reading subscriber only, so it never legitimately falls 8 MB behind.
                while ((long) i * frame - fastBytes.get() > 8L * MB) {
                    Thread.sleep(1);
                    assertTrue(System.nanoTime() - started < 240_000_000_000L, "publishing 2 GB took over 4 minutes");
                }
                pubOut.write(publish);
                replies.write(readLine(pubIn));
            }
            drain.join(60_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            rss.stop();
            assertEquals(messages * frame, fastBytes.get(), "the reading subscriber got every message");
            String all = replies.toString(StandardCharsets.US_ASCII);
            assertTrue(all.startsWith(":2\r\n"), all.substring(0, 8));
            assertTrue(all.endsWith(":1\r\n"), "the slow subscriber was dropped: " + all.substring(all.length() - 8));
            assertEquals(disconnectionsBefore + 1, statsField("client_output_buffer_limit_disconnections"));
            assertTrue(
                    respite.log().contains("closed for overcoming of output buffer limits (pubsub class"),
                    respite.log());
            System.out.printf(
                    "2 GB fan-out in %.1f s; server RSS before %d MB, peak %d MB%n",
                    seconds, rss.first() / MB, rss.peak() / MB);
            assertTrue(rss.peak() < 700L * MB, "server RSS peaked at " + rss.peak() / MB + " MB");
        }
    }

    @Test
    void millionPipelinedGetsOfTenKilobytesWithoutReadingStayBounded() throws Exception {
        try (RawConnection setup = new RawConnection(respite.port())) {
            byte[] value = new byte[10 * 1024];
            Arrays.fill(value, (byte) 'v');
            setup.command("SET".getBytes(), "big".getBytes(), value);
            assertEquals("+OK\r\n", setup.readReply());
        }
        RssSampler rss = new RssSampler(respite.pid());
        rss.start();
        int total = 1_000_000;
        int batch = 10_000;
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 0; i < batch; i++) {
            chunk.writeBytes(resp("GET", "big"));
        }
        byte[] gets = chunk.toByteArray();
        AtomicLong sent = new AtomicLong();
        try (Socket pipeliner = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = pipeliner.getOutputStream();
                    for (int i = 0; i < total / batch; i++) {
                        out.write(gets);
                        sent.addAndGet(batch);
                    }
                } catch (IOException ignored) {
                    // Closing the socket ends a writer the server stopped reading from.
                }
            });
            writer.start();
            // Wait until the writer finished or the server stopped taking its requests for two seconds.
            long lastSent = -1;
            for (int quiet = 0; writer.isAlive() && quiet < 4; ) {
                writer.join(500);
                quiet = sent.get() == lastSent ? quiet + 1 : 0;
                lastSent = sent.get();
            }
            try (RawConnection other = new RawConnection(respite.port())) {
                assertEquals("+PONG\r\n", other.call("PING"), "other clients are still served");
            }
            rss.stop();
            System.out.printf(
                    "pipelined %d of %d GETs without reading; server RSS before %d MB, peak %d MB%n",
                    sent.get(), total, rss.first() / MB, rss.peak() / MB);
            assertTrue(
                    rss.peak() - rss.first() < 300L * MB,
                    "server RSS grew from " + rss.first() / MB + " to " + rss.peak() / MB + " MB");
        }
    }

    @Test
    void normalClassHardLimitDisconnectsAClientWhoseReplyIsTooLarge() throws Exception {
        try (RawConnection c = new RawConnection(respite.port())) {
            byte[] value = new byte[2 * MB];
            c.command("SET".getBytes(), "two-mb".getBytes(), value);
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"));
            long before = statsField("client_output_buffer_limit_disconnections");
            try (RawConnection reader = new RawConnection(respite.port())) {
                reader.command("GET", "two-mb");
                assertTrue(reader.isClosedByPeer());
            }
            assertEquals(before + 1, statsField("client_output_buffer_limit_disconnections"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"));
        }
    }

    @Test
    void pipelineWhoseRepliesPassTheHardLimitGetsNoneAndStopsRunning() throws Exception {
        try (RawConnection admin = new RawConnection(respite.port())) {
            byte[] value = new byte[10_000];
            Arrays.fill(value, (byte) 'x');
            admin.command("SET".getBytes(), "ten-kb".getBytes(), value);
            assertEquals("+OK\r\n", admin.readReply());
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 100000 0 0"));
            ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
            for (int i = 0; i < 30; i++) {
                pipeline.writeBytes(resp("GET", "ten-kb"));
                pipeline.writeBytes(resp("SET", "after-limit-" + i, "v"));
            }
            try (Socket s = connect()) {
                // One write, so that the whole pipeline is read and run in one batch, as Redis reads it.
                s.getOutputStream().write(pipeline.toByteArray());
                assertEquals(-1, s.getInputStream().read(), "no reply leaves before the limit closes the connection");
            }
            // Ten replies of 10 KB reach the limit: the SETs queued after the tenth GET never run.
            assertEquals(":9\r\n", admin.call(existsOf("after-limit-", 30)));
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"));
        }
    }

    private static String[] existsOf(String prefix, int count) {
        String[] command = new String[count + 1];
        command[0] = "EXISTS";
        for (int i = 0; i < count; i++) {
            command[i + 1] = prefix + i;
        }
        return command;
    }

    @Test
    void pubsubSoftLimitDisconnectsAfterItsPeriod() throws Exception {
        try (RawConnection admin = new RawConnection(respite.port());
                RawConnection slow = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 4mb 1"));
            long before = statsField("client_output_buffer_limit_disconnections");
            slow.call("SUBSCRIBE", "soft");
            byte[] payload = new byte[MB];
            for (int i = 0; i < 16; i++) {
                admin.command("PUBLISH".getBytes(), "soft".getBytes(), payload);
                String receivers = admin.readReply();
                // On a slow machine the period may end, and the subscriber go, before all 16 are sent.
                if (receivers.equals(":0\r\n")) {
                    break;
                }
                assertEquals(":1\r\n", receivers);
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (statsField("client_output_buffer_limit_disconnections") == before
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(before + 1, statsField("client_output_buffer_limit_disconnections"));
            assertEquals(":0\r\n", admin.call("PUBLISH", "soft", "after"));
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60"));
        }
    }

    private static long statsField(String name) throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            for (String line : c.call("INFO", "stats").split("\r\n")) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1));
                }
            }
        }
        throw new AssertionError("INFO stats has no " + name);
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", respite.port()), 2000);
        s.setSoTimeout(60_000);
        return s;
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        for (int c; (c = in.read()) >= 0; prev = c) {
            line.write(c);
            if (prev == '\r' && c == '\n') {
                return line.toByteArray();
            }
        }
        throw new IOException("connection closed");
    }

    private static byte[] resp(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : a.toString().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Samples a process's resident set size (VmRSS in /proc/<pid>/status) every 50 ms. */
    private static final class RssSampler {
        private final Path status;
        private volatile boolean running;
        private volatile long first;
        private volatile long peak;
        private Thread thread;

        RssSampler(long pid) {
            this.status = Path.of("/proc", Long.toString(pid), "status");
        }

        void start() throws IOException {
            first = sample();
            peak = first;
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    try {
                        peak = Math.max(peak, sample());
                        Thread.sleep(50);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException, IOException {
            running = false;
            thread.join();
            peak = Math.max(peak, sample());
        }

        long first() {
            return first;
        }

        long peak() {
            return peak;
        }

        private long sample() throws IOException {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IOException("no VmRSS in " + status);
        }
    }
}
