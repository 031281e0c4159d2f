package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.ClusterNodes;
import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Redirections without a bus: Respite and Redis 7.2.5 each start from the same prepared nodes.conf, in which
 * this node (A) owns slots 0-8191 and is migrating slot 5061 ("bar") to a second master B, not running, that
 * owns 8192-16383 and from which A imports slot 12182 ("foo"). MOVED, ASK, TRYAGAIN, ASKING, transactions,
 * scripts, shard channels and the CLUSTERDOWN states are compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRedirectionTest {
    static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
    static final String SHARD_A = "5a00000000000000000000000000000000000001";
    static final String SHARD_B = "5b00000000000000000000000000000000000002";

    private RespiteProcess respite;
    private RealRedis reference;
    private Differential d;
    private int bPort;

    /** The prepared file: B's address is a port nothing listens on. */
    static String nodesConf(int bPort) {
        return A + " 127.0.0.1:7000@17000,,tls-port=0,shard-id=" + SHARD_A
                + " myself,master - 0 0 1 connected 0-8191 [5061->-" + B + "] [12182-<-" + B + "]\n"
                + B + " 127.0.0.1:" + bPort + "@" + (bPort + 10000) + ",,tls-port=0,shard-id=" + SHARD_B
                + " master - 0 0 2 connected 8192-16383\n"
                + "vars currentEpoch 2 lastVoteEpoch 0\n";
    }

    @BeforeAll
    void start() throws Exception {
        bPort = Ports.free();
        // A long node timeout: the unreachable B must not be flagged as failing while the test runs.
        String[] ours = ClusterNodes.directives("--cluster-node-timeout", "60000");
        String[] theirs = ClusterNodes.directives("--cluster-node-timeout", "60000");
        respite = RespiteProcess.startIn(ClusterNodes.dirWithNodesConf(nodesConf(bPort)), ours);
        reference = RealRedis.startIn(ClusterNodes.dirWithNodesConf(nodesConf(bPort)), theirs);
        ClusterNodes.awaitState(respite.port(), "ok");
        ClusterNodes.awaitState(reference.port(), "ok");
        d = new Differential(respite.port(), reference.port());
    }

    @AfterAll
    void stop() throws IOException {
        d.close();
        respite.close();
        reference.close();
    }

    private String check(String... command) throws IOException {
        return d.check(command);
    }

    @Test
    @Order(1)
    void movedForSlotsOfAnotherNode() throws IOException {
        String moved = check("GET", "key");
        assertEquals("-MOVED 12539 127.0.0.1:" + bPort + "\r\n", moved);
        check("SET", "key", "v");
        check("GET", "hello");
        check("SET", "hello", "v");
        check("MGET", "hello", "key");
        check("DEL", "{key}a", "{key}b");
        check("SPUBLISH", "{key}x", "m");
        check("SSUBSCRIBE", "{key}x");
        check("SPUBLISH", "chan", "m");
        check("EVAL", "return 1", "1", "key");
        check("EVAL", "return redis.call('get', 'key')", "0");
        check("EVAL", "return redis.call('get', 'hello')", "0");
        check("FCALL", "nosuch", "1", "key");
        check("MULTI");
        check("GET", "hello");
        check("GET", "key");
        check("EXEC");
        check("MULTI");
        check("GET", "hello");
        check("GET", "zap");
        check("EXEC");
        check("CONFIG", "SET", "cluster-preferred-endpoint-type", "hostname");
        check("GET", "key");
        check("CONFIG", "SET", "cluster-preferred-endpoint-type", "unknown-endpoint");
        check("GET", "key");
        check("CONFIG", "SET", "cluster-preferred-endpoint-type", "ip");
    }

    @Test
    @Order(2)
    void askAndTryAgainForAMigratingSlot() throws IOException {
        check("GET", "bar");
        check("SET", "bar", "v");
        check("CLUSTER", "SETSLOT", "5061", "STABLE");
        check("SET", "{bar}1", "v");
        check("CLUSTER", "SETSLOT", "5061", "MIGRATING", B);
        check("GET", "{bar}1");
        check("MGET", "{bar}1", "{bar}2");
        check("MGET", "{bar}2", "{bar}3");
        check("MGET", "{bar}1", "{bar}1");
        check("EXISTS", "{bar}2");
        check("CLUSTER", "COUNTKEYSINSLOT", "5061");
        check("CLUSTER", "SETSLOT", "5061", "NODE", B);
    }

    @Test
    @Order(3)
    void askingServesAnImportingSlotOnce() throws IOException {
        check("GET", "foo");
        check("ASKING");
        check("GET", "foo");
        check("GET", "foo");
        check("ASKING");
        check("MGET", "{foo}1", "{foo}2");
        check("ASKING");
        check("SET", "{foo}1", "v");
        check("ASKING");
        check("MGET", "{foo}1", "{foo}2");
        check("ASKING");
        check("MGET", "{foo}1", "{foo}1");
        check("ASKING");
        check("MULTI");
        check("GET", "{foo}1");
        check("EXEC");
        check("GET", "{foo}1");
        String payload = d.redis().call("DUMP", "hello");
        String raw = payload.substring(payload.indexOf("\r\n") + 2, payload.length() - 2);
        check("RESTORE", "{foo}9", "0", raw);
        check("RESTORE-ASKING", "{foo}9", "0", raw);
        check("ASKING");
        check("GET", "{foo}9");
        check("CLUSTER", "COUNTKEYSINSLOT", "12182");
        check("CLUSTER", "GETKEYSINSLOT", "12182", "10");
    }

    @Test
    @Order(4)
    void tableCommandsSeeBothNodes() throws Exception {
        nodesMatch();
        check("CLUSTER", "COUNT-FAILURE-REPORTS", B);
        check("CLUSTER", "REPLICAS", B);
        check("CLUSTER", "SETSLOT", "100", "IMPORTING", B);
        check("CLUSTER", "SETSLOT", "12539", "MIGRATING", B);
        check("CLUSTER", "SETSLOT", "866", "NODE", B);
        check("CLUSTER", "SETSLOT", "9000", "NODE", A);
        check("CLUSTER", "SETSLOT", "12182", "NODE", A);
        check("CLUSTER", "BUMPEPOCH");
        nodesMatch();
        check("CLUSTER", "SET-CONFIG-EPOCH", "9");
        String redis = mask(d.redis(), reference.port(), "CLUSTER", "SLOTS");
        String ours = mask(d.respite(), respite.port(), "CLUSTER", "SLOTS");
        assertEquals(redis, ours);
        assertEquals(
                ClusterNodes.sortedShards(mask(d.redis(), reference.port(), "CLUSTER", "SHARDS")),
                ClusterNodes.sortedShards(mask(d.respite(), respite.port(), "CLUSTER", "SHARDS")));
        assertEquals(info(d.redis()), info(d.respite()));
    }

    @Test
    @Order(5)
    void clusterDownStates() throws Exception {
        check("CLUSTER", "DELSLOTS", "866");
        check("GET", "hello");
        check("GET", "zap");
        check("SPUBLISH", "chan", "m");
        check("CONFIG", "SET", "cluster-allow-pubsubshard-when-down", "no");
        check("SPUBLISH", "chan", "m");
        check("CONFIG", "SET", "cluster-allow-reads-when-down", "yes");
        check("GET", "zap");
        check("SET", "zap", "v");
        check("EVAL", "#!lua flags=no-writes\nreturn 1", "1", "zap");
        check("EVAL", "#!lua\nreturn 1", "1", "zap");
        check("EVAL", "return redis.call('set', 'zap', 'v')", "0");
        check("CONFIG", "SET", "cluster-require-full-coverage", "no");
        check("CLUSTER", "ADDSLOTS", "866");
        assertEquals(info(d.redis()), info(d.respite()));
    }

    /**
     * CLUSTER INFO's fields but the bus message counts: Redis counts its attempts to ping the absent B,
     * Respite has no bus yet.
     */
    private static List<String> info(RawConnection c) throws IOException {
        List<String> fields =
                new java.util.ArrayList<>(List.of(c.call("CLUSTER", "INFO").split("\r\n")));
        fields.remove(0);
        fields.removeIf(f -> f.startsWith("cluster_stats_messages_"));
        return fields;
    }

    private void nodesMatch() throws IOException {
        assertEquals(maskedNodes(d.redis(), reference.port()), maskedNodes(d.respite(), respite.port()));
    }

    private static List<String> maskedNodes(RawConnection c, int port) throws IOException {
        List<String> lines = ClusterNodes.sortedLines(mask(c, port, "CLUSTER", "NODES"));
        // B's ping and pong times are Redis's failed attempts to reach it; they are the bus's business.
        lines.replaceAll(l -> l.startsWith(B) ? l.replaceFirst(" master - \\d+ \\d+ ", " master - P P ") : l);
        return lines;
    }

    /** A reply with the node's own client and bus ports masked (the bus port follows the "@"). */
    private static String mask(RawConnection c, int port, String... command) throws IOException {
        String reply = c.call(command);
        return reply.replaceAll(":" + port + "@\\d+", ":PORT@BUSP").replace(":" + port + "\r\n", ":-1\r\n");
    }
}
