package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT LIST's buffer fields against Redis 7.2.5: the query buffer's size (qbuf plus qbuf-free) as reads and a
 * big argument's header grow it and the cron trims it, and the reply buffer's size and peak (rbs, rbp) as the cron
 * shrinks and doubles it, with DEBUG PAUSE-CRON and DEBUG REPLYBUFFER steering the cron. Both servers are driven
 * the same way and must show the same figures.
 */
class ClientBufferSizesDifferentialTest extends DifferentialSuite {
    private static final String[] FIELDS = {"qbuf", "qbuf-free", "rbs", "rbp"};
    private static final int BIG = 400_000;
    /** The reply buffer's largest size as the reference reports it: 16 KiB as glibc's malloc rounds it. */
    private static final long LARGEST_REPLY_BUFFER = 16392;
    /** The smallest: 1 KiB rounded likewise. */
    private static final long SMALLEST_REPLY_BUFFER = 1032;

    @AfterEach
    void restoreCron() throws IOException {
        check("DEBUG PAUSE-CRON 0", "DEBUG REPLYBUFFER PEAK-RESET-TIME reset", "CONFIG SET hz 10");
    }

    @Test
    void newClientsShowTheSameBuffers() throws IOException {
        check("DEBUG PAUSE-CRON 1");
        List<String> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection silent = new RawConnection(port);
                    RawConnection c = new RawConnection(port)) {
                seen.add(port + " self " + fields(c.call("CLIENT", "INFO")));
                String line = awaitLine(control, l -> l.contains(" cmd=NULL "));
                seen.add(port + " silent " + fields(line));
                assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "c"));
                seen.add(port + " named " + fields(line(control, "c")));
            }
        }
        assertSameOnBoth(seen);
    }

    @Test
    void bigArgumentsReserveRoomForAllOfThemselves() throws IOException {
        check("DEBUG PAUSE-CRON 1");
        List<String> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection big = new RawConnection(port);
                    RawConnection fat = new RawConnection(port)) {
                assertEquals("+OK\r\n", big.call("CLIENT", "SETNAME", "big"));
                assertEquals("+OK\r\n", big.call("SET", "x", "A".repeat(BIG)));
                seen.add(port + " after a big SET " + fields(line(control, "big")));
                assertEquals("+OK\r\n", fat.call("CLIENT", "SETNAME", "fat"));
                fat.send(header(1_000_000));
                seen.add(port + " header " + fields(awaitLine(control, named("fat", "qbuf-free", v -> v > 1_000_000))));
                fat.send(filled(300_000));
                seen.add(port + " part " + fields(awaitLine(control, named("fat", "qbuf", v -> v == 300_000))));
            }
        }
        assertSameOnBoth(seen);
    }

    @Test
    void cronTrimsTheBuffersOfIdleClients() throws IOException {
        check("CONFIG SET hz 100", "DEBUG REPLYBUFFER PEAK-RESET-TIME 100");
        List<String> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection big = new RawConnection(port);
                    RawConnection fat = new RawConnection(port)) {
                assertEquals("+OK\r\n", big.call("CLIENT", "SETNAME", "big"));
                assertEquals("+OK\r\n", big.call("SET", "x", "A".repeat(BIG)));
                assertEquals("+OK\r\n", fat.call("CLIENT", "SETNAME", "fat"));
                fat.send(header(1_000_000));
                fat.send(filled(300_000));
                // Silent for more than two seconds: each query buffer is trimmed to what it holds, and the reply
                // buffers, whose peaks were reset meanwhile, are at their smallest.
                seen.add(port + " big " + fields(awaitLine(control, idleAndTrimmed("big"))));
                seen.add(port + " fat " + fields(awaitLine(control, idleAndTrimmed("fat"))));
            }
        }
        assertSameOnBoth(seen);
    }

    @Test
    void busyClientsBigBufferShrinksToItsRecentPeak() throws IOException {
        check("CONFIG SET hz 100", "DEBUG PAUSE-CRON 1");
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection c = new RawConnection(port)) {
                assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "c"));
                assertEquals("+OK\r\n", c.call("SET", "x", "A".repeat(BIG)));
                long grown = querySize(line(control, "c"));
                assertTrue(grown > BIG, port + ": " + grown);
                assertEquals("+OK\r\n", control.call("DEBUG", "PAUSE-CRON", "0"));
                // Small commands keep the client busy: the buffer follows their peak, not the idle rule.
                long size = grown;
                for (int i = 0; i < 500 && size >= grown; i++) {
                    assertEquals("+OK\r\n", c.call("SET", "x", "A".repeat(100)));
                    size = querySize(line(control, "c"));
                    pause();
                }
                // Trimmed, perhaps to nothing while no command came; the next read finds room again.
                assertTrue(size < grown, port + ": " + size + " after " + grown);
                assertEquals("+OK\r\n", c.call("SET", "x", "A".repeat(100)));
                size = querySize(line(control, "c"));
                assertTrue(size > 0 && size < grown, port + ": " + size + " after " + grown);
            }
        }
    }

    @Test
    void replyBufferDoublesUpToItsLargestSizeWhileFull() throws IOException {
        check("SET bigval " + "x".repeat(32768), "DEBUG REPLYBUFFER PEAK-RESET-TIME 100");
        List<String> seen = new ArrayList<>();
        for (int port : ports()) {
            try (RawConnection control = new RawConnection(port);
                    RawConnection c = new RawConnection(port)) {
                assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "c"));
                awaitLine(control, named("c", "rbs", v -> v == SMALLEST_REPLY_BUFFER));
                assertEquals("+OK\r\n", control.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never"));
                // Each reply fills the buffer; the cron's next visit then doubles it. (A doubled size that the next
                // reply does not reach first may be halved again: twice 4152 rounds to 8312, more than twice the peak.)
                long size = SMALLEST_REPLY_BUFFER;
                for (int i = 0; i < 500 && size < LARGEST_REPLY_BUFFER; i++) {
                    c.call("GET", "bigval");
                    size = field(line(control, "c"), "rbs");
                    pause();
                }
                c.call("GET", "bigval");
                String grown = line(control, "c");
                seen.add(port + " grown rbs=" + field(grown, "rbs") + " rbp=" + field(grown, "rbp"));
            }
        }
        assertSameOnBoth(seen);
    }

    /** The reference's observations come first, Respite's after, each prefixed with its port. */
    private void assertSameOnBoth(List<String> seen) {
        int half = seen.size() / 2;
        String ref = String.join("\n", seen.subList(0, half)).replace(reference.port() + " ", "");
        String ours = String.join("\n", seen.subList(half, seen.size())).replace(respite.port() + " ", "");
        assertEquals(ref, ours);
    }

    private int[] ports() {
        return new int[] {reference.port(), respite.port()};
    }

    private static Predicate<String> idleAndTrimmed(String name) {
        return named(name, "idle", v -> v >= 3).and(l -> field(l, "qbuf-free") == 0);
    }

    private static Predicate<String> named(String name, String field, java.util.function.LongPredicate value) {
        return l -> l.contains(" name=" + name + " ") && value.test(field(l, field));
    }

    /** Polls CLIENT LIST until a client's line passes {@code wanted}; returns that line. */
    private static String awaitLine(RawConnection control, Predicate<String> wanted) throws IOException {
        String list = "";
        for (int i = 0; i < 500; i++) {
            list = control.call("CLIENT", "LIST");
            for (String l : list.split("\n")) {
                if (wanted.test(l)) {
                    return l;
                }
            }
            pause();
        }
        throw new AssertionError("no client line as wanted in " + list);
    }

    private static String line(RawConnection control, String name) throws IOException {
        return Arrays.stream(control.call("CLIENT", "LIST").split("\n"))
                .filter(l -> l.contains(" name=" + name + " "))
                .findFirst()
                .orElseThrow();
    }

    private static long querySize(String line) {
        return field(line, "qbuf") + field(line, "qbuf-free");
    }

    private static String fields(String line) {
        StringBuilder sb = new StringBuilder();
        for (String f : FIELDS) {
            sb.append(f).append('=').append(field(line, f)).append(' ');
        }
        return sb.toString().trim();
    }

    private static long field(String line, String name) {
        Matcher m = Pattern.compile(" " + name + "=(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    /** The start of SET a with a value of {@code length} bytes, up to the value. */
    private static byte[] header(int length) {
        return ("*3\r\n$3\r\nset\r\n$1\r\na\r\n$" + length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'B');
        return b;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
