package dev.respite.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers for tests of cluster mode: starting Respite and Redis 7.2.5 as cluster nodes, waiting for the
 * cluster state, and masking what must differ between two nodes (node and shard ids, ports) so that their
 * replies compare byte for byte.
 */
public final class ClusterNodes {
    private static final Pattern STATE = Pattern.compile("cluster_state:(\\w+)");

    private ClusterNodes() {}

    /** The directives that make a node: cluster mode, a free bus port, a short node timeout. */
    public static String[] directives(String... more) throws IOException {
        List<String> d = new ArrayList<>(List.of(
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                Integer.toString(Ports.free()),
                "--cluster-node-timeout",
                "500"));
        d.addAll(Arrays.asList(more));
        return d.toArray(new String[0]);
    }

    /** Waits (bounded) until CLUSTER INFO reports {@code state}. */
    public static void awaitState(int port, String state) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String last = "";
        try (RawConnection c = new RawConnection(port)) {
            while (System.nanoTime() < deadline) {
                Matcher m = STATE.matcher(c.call("CLUSTER", "INFO"));
                last = m.find() ? m.group(1) : "";
                if (last.equals(state)) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("cluster state on port " + port + " stayed " + last + ", expected " + state);
    }

    /** Replaces a node's own identity and ports in a reply by placeholders of the same length. */
    public static String mask(String reply, String myId, String myShardId, int port, int busPort) {
        return reply.replace(myId, "I".repeat(40))
                .replace(myShardId, "S".repeat(40))
                .replace(":" + port + "@" + busPort, ":PORT@BUSP")
                .replace(":" + port + "\r\n", ":-1\r\n")
                .replace("$" + Integer.toString(port).length() + "\r\n" + port + "\r\n", "$P\r\nPORT\r\n");
    }

    /** A node's id, from CLUSTER MYID's bulk reply. */
    public static String myId(RawConnection c) throws IOException {
        return bulk(c.call("CLUSTER", "MYID"));
    }

    public static String myShardId(RawConnection c) throws IOException {
        return bulk(c.call("CLUSTER", "MYSHARDID"));
    }

    private static String bulk(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    /** The bus port a node was given with --cluster-port. */
    public static int busPort(String[] directives) {
        for (int i = 0; i + 1 < directives.length; i++) {
            if (directives[i].equals("--cluster-port")) {
                return Integer.parseInt(directives[i + 1]);
            }
        }
        throw new IllegalArgumentException("no --cluster-port");
    }

    /** Writes {@code text} as nodes.conf in a new directory and returns the directory. */
    public static Path dirWithNodesConf(String text) throws IOException {
        Path dir = Files.createTempDirectory("cluster-node");
        Files.writeString(dir.resolve("nodes.conf"), text);
        return dir;
    }

    /**
     * CLUSTER SHARDS (RESP2) as sorted text, each shard's nodes sorted too: Redis lists shards in hash table
     * order and a shard's nodes in the order it learnt of them.
     */
    public static List<String> sortedShards(String reply) throws IOException {
        RespReader.Value v = new RespReader(
                        new java.io.ByteArrayInputStream(reply.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .read();
        List<String> out = new ArrayList<>();
        for (RespReader.Value shard : v.elements()) {
            List<String> nodes = new ArrayList<>();
            for (RespReader.Value node : shard.elements().get(3).elements()) {
                nodes.add(node.toString());
            }
            nodes.sort(null);
            out.add(shard.elements().get(0) + " " + shard.elements().get(1) + " " + nodes);
        }
        out.sort(null);
        return out;
    }

    /** The lines of a CLUSTER NODES reply (RESP2 bulk), sorted: Redis lists nodes in hash table order. */
    public static List<String> sortedLines(String reply) {
        String body = bulk(reply);
        List<String> lines = new ArrayList<>(List.of(body.split("\n")));
        lines.sort(null);
        return lines;
    }
}
