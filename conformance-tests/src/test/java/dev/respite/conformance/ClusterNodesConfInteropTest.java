package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.ClusterNodes;
import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nodes.conf between Respite and Redis 7.2.5, both ways: a node started from the file the other wrote shows
 * the same CLUSTER NODES, SLOTS and SHARDS, and writes the file back line for line. The file has two masters,
 * a replica, a migrating and an importing slot, a hostname and a human node name.
 */
class ClusterNodesConfInteropTest {
    private static final String C = "ccccccccccccccccccccccccccccccccccccccc3";
    private static final String[] NAMES = {
        "--cluster-announce-hostname",
        "host-a",
        "--cluster-announce-human-nodename",
        "alpha",
        "--cluster-node-timeout",
        "60000"
    };

    /** A server of either kind as the test drives it. */
    private interface Node extends AutoCloseable {
        int port();

        Path dir();

        @Override
        void close();
    }

    private static Node respite(Path dir) throws IOException {
        RespiteProcess p = RespiteProcess.startIn(dir, ClusterNodes.directives(NAMES));
        return new Node() {
            public int port() {
                return p.port();
            }

            public Path dir() {
                return dir;
            }

            public void close() {
                p.close();
            }
        };
    }

    private static Node redis(Path dir) throws IOException {
        RealRedis r = RealRedis.startIn(dir, ClusterNodes.directives(NAMES));
        return new Node() {
            public int port() {
                return r.port();
            }

            public Path dir() {
                return dir;
            }

            public void close() {
                r.close();
            }
        };
    }

    private interface Starter {
        Node start(Path dir) throws IOException;
    }

    private static String prepared() throws IOException {
        int bPort = Ports.free();
        int cPort = Ports.free();
        return ClusterRedirectionTest.nodesConf(bPort)
                .replace(
                        "vars ",
                        C + " 127.0.0.1:" + cPort + "@" + (cPort + 10000) + ",,tls-port=0,shard-id="
                                + ClusterRedirectionTest.SHARD_B + " slave " + ClusterRedirectionTest.B
                                + " 0 0 2 connected\nvars ");
    }

    @Test
    void redisFileLoadsInRespite() throws Exception {
        roundTrip(ClusterNodesConfInteropTest::redis, ClusterNodesConfInteropTest::respite);
    }

    @Test
    void respiteFileLoadsInRedis() throws Exception {
        roundTrip(ClusterNodesConfInteropTest::respite, ClusterNodesConfInteropTest::redis);
    }

    /** {@code writer} runs from the prepared file and changes it; {@code reader} starts from what it wrote. */
    private static void roundTrip(Starter writer, Starter reader) throws Exception {
        List<String> nodes;
        String slots;
        List<String> shards;
        String file;
        try (Node w = writer.start(ClusterNodes.dirWithNodesConf(prepared()))) {
            try (RawConnection c = new RawConnection(w.port())) {
                assertTrue(c.call("CLUSTER", "SETSLOT", "9000", "NODE", ClusterRedirectionTest.A)
                        .startsWith("+OK"));
                assertTrue(c.call("CLUSTER", "SETSLOT", "300", "MIGRATING", ClusterRedirectionTest.B)
                        .startsWith("+OK"));
                assertTrue(c.call("CLUSTER", "SAVECONFIG").startsWith("+OK"));
                nodes = nodes(c, w.port());
                slots = mask(c.call("CLUSTER", "SLOTS"), w.port());
                shards = ClusterNodes.sortedShards(mask(c.call("CLUSTER", "SHARDS"), w.port()));
            }
            file = Files.readString(w.dir().resolve("nodes.conf"));
        }
        assertTrue(file.contains(",host-a,tls-port=0,nodename=alpha,shard-id=" + ClusterRedirectionTest.SHARD_A), file);
        assertTrue(file.contains(" [300->-" + ClusterRedirectionTest.B + "] [5061->-"), file);
        Path copy = ClusterNodes.dirWithNodesConf(file);
        try (Node r = reader.start(copy)) {
            try (RawConnection c = new RawConnection(r.port())) {
                assertEquals(nodes, nodes(c, r.port()));
                assertEquals(slots, mask(c.call("CLUSTER", "SLOTS"), r.port()));
                assertEquals(shards, ClusterNodes.sortedShards(mask(c.call("CLUSTER", "SHARDS"), r.port())));
                assertTrue(c.call("CLUSTER", "SAVECONFIG").startsWith("+OK"));
            }
            assertEquals(fileLines(file), fileLines(Files.readString(copy.resolve("nodes.conf"))));
        }
    }

    private static List<String> nodes(RawConnection c, int port) throws IOException {
        List<String> lines = ClusterNodes.sortedLines(mask(c.call("CLUSTER", "NODES"), port));
        lines.replaceAll(ClusterNodesConfInteropTest::maskTimes);
        return lines;
    }

    /** The file's lines, sorted, with the writer's own ports and the other nodes' ping and pong times masked. */
    private static List<String> fileLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            lines.add(maskTimes(l.replaceFirst("^(\\w{40}) 127\\.0\\.0\\.1:\\d+@\\d+,host-a", "$1 127.0.0.1:P@B,host-a")
                    .replaceFirst("^(\\w{40}) :\\d+@\\d+,host-a", "$1 :P@B,host-a")));
        }
        lines.sort(null);
        return lines;
    }

    /**
     * Ping sent, pong received and link state of nodes other than myself: when the bus last tried to reach them,
     * and whether a connection attempt to their (unreachable) bus port was under way at that moment.
     */
    private static String maskTimes(String line) {
        return line.contains("myself")
                ? line
                : line.replaceFirst("^(\\S+ \\S+ \\S+ \\S+) \\d+ \\d+ (\\d+) (?:dis)?connected", "$1 T T $2 L");
    }

    private static String mask(String reply, int port) {
        return reply.replaceAll(":" + port + "@\\d+", ":PORT@BUSP").replace(":" + port + "\r\n", ":-1\r\n");
    }
}
