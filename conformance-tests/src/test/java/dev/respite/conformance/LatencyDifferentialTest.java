package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LATENCY GRAPH and LATENCY HISTOGRAM against Redis 7.2.5. Measured times differ from server to server, so
 * replies are compared with the measured numbers masked; everything else is byte for byte.
 */
class LatencyDifferentialTest extends DifferentialSuite {
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** Where the next command's entry of LATENCY HISTOGRAM's map begins, in a masked reply. */
    private static final Pattern ENTRY = Pattern.compile("(?=\\$N\r\n[^\r]+\r\n[*%]N\r\n\\$N\r\ncalls\r\n)");

    /**
     * Sends the command to both and compares the replies with numbers masked. The entries of a map reply are
     * compared as a multiset: Redis lists a container's subcommands in its hash table's order.
     */
    private String bothMasked(String... command) throws IOException {
        String redis = d.redis().call(command);
        String ours = d.respite().call(command);
        String what = String.join(" ", command) + "\n" + redis + "\n" + ours;
        assertEquals(entries(redis), entries(ours), what);
        return ours;
    }

    private static List<String> entries(String reply) {
        List<String> parts =
                new ArrayList<>(List.of(ENTRY.split(DIGITS.matcher(reply).replaceAll("N"))));
        Collections.sort(parts);
        return parts;
    }

    @Test
    void graphOfAnEventDrawsTheSamples() throws IOException {
        check("LATENCY RESET", "CONFIG SET latency-monitor-threshold 150", "LATENCY GRAPH command", "LATENCY GRAPH");
        check("DEBUG SLEEP 0.3");
        String graph = bothMasked("LATENCY", "GRAPH", "command");
        assertTrue(graph.startsWith("$"), graph);
        assertTrue(graph.contains("command - high "), graph);
        // One sample: the lowest mark of the column, a blank row, then "0s" (or "1s") downwards.
        assertTrue(DIGITS.matcher(graph).replaceAll("N").contains("-".repeat(80) + "\n \n \n \n_\n \nN\ns\n"), graph);
        for (String protocol : new String[] {"3", "2"}) {
            d.hello(protocol);
            bothMasked("LATENCY", "GRAPH", "command");
        }
        check("CONFIG SET latency-monitor-threshold 0", "LATENCY RESET");
    }

    /** Active expiry reports how long its work took as the expire-cycle event, as Redis's cycle does. */
    @Test
    void activeExpiryRecordsTheExpireCycleEvent() throws IOException, InterruptedException {
        check("LATENCY RESET", "CONFIG SET latency-monitor-threshold 1");
        StringBuilder pipeline = new StringBuilder();
        int keys = 50_000;
        for (int i = 0; i < keys; i++) {
            String key = "k" + i;
            pipeline.append("*5\r\n$3\r\nSET\r\n$")
                    .append(key.length())
                    .append("\r\n")
                    .append(key)
                    .append("\r\n$1\r\nv\r\n$2\r\nPX\r\n$3\r\n100\r\n");
        }
        for (RawConnection c : new RawConnection[] {d.redis(), d.respite()}) {
            c.send(pipeline.toString());
            for (int i = 0; i < keys; i++) {
                assertEquals("+OK\r\n", c.readReply());
            }
        }
        for (int i = 0;
                i < 300
                        && !(d.respite().call("DBSIZE").equals(":0\r\n")
                                && d.redis().call("DBSIZE").equals(":0\r\n"));
                i++) {
            Thread.sleep(20);
        }
        check("DBSIZE");
        for (String latest :
                new String[] {d.redis().call("LATENCY", "LATEST"), d.respite().call("LATENCY", "LATEST")}) {
            assertTrue(latest.contains("expire-cycle"), latest);
        }
        check("CONFIG SET latency-monitor-threshold 0");
        // Which other events each recorded meanwhile (command, fast-command) depends on timing.
        d.redis().call("LATENCY", "RESET");
        d.respite().call("LATENCY", "RESET");
    }

    @Test
    void histogramsOfNamedCommandsAndSubcommands() throws IOException {
        check("CONFIG RESETSTAT", "SET k v", "GET k", "CONFIG GET maxmemory");
        String set = bothMasked("LATENCY", "HISTOGRAM", "set");
        assertTrue(
                set.startsWith("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n*2\r\n"), set);
        bothMasked("LATENCY", "HISTOGRAM", "config", "no-such-command", "get");
        bothMasked("LATENCY", "HISTOGRAM", "config|get", "ping");
        check("LATENCY HISTOGRAM no-such-command", "LATENCY HISTOGRAM ping");
        for (String protocol : new String[] {"3", "2"}) {
            d.hello(protocol);
            bothMasked("LATENCY", "HISTOGRAM", "set", "config");
        }
    }
}
