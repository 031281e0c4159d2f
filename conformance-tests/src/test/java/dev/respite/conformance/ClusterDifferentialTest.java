package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.ClusterNodes;
import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A single cluster node, Respite against Redis 7.2.5, reply by reply: before any slot is assigned, after
 * ADDSLOTSRANGE 0 16383, and through RESET. What must differ (node and shard ids, ports) is masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDifferentialTest {
    private RespiteProcess respite;
    private RealRedis reference;
    private Differential d;
    private int respiteBus;
    private int redisBus;

    @BeforeAll
    void start() throws Exception {
        String[] ours = ClusterNodes.directives();
        String[] theirs = ClusterNodes.directives();
        respiteBus = ClusterNodes.busPort(ours);
        redisBus = ClusterNodes.busPort(theirs);
        respite = RespiteProcess.start(ours);
        reference = RealRedis.start(theirs);
        d = new Differential(respite.port(), reference.port());
    }

    @AfterAll
    void stop() throws IOException {
        d.close();
        respite.close();
        reference.close();
    }

    /** Sends to both and compares with each server's own id, shard id and ports masked. */
    private String masked(String... command) throws IOException {
        String redis = maskRedis(d.redis().call(command));
        String ours = maskRespite(d.respite().call(command));
        assertEquals(redis, ours, () -> "reply to " + String.join(" ", command));
        return ours;
    }

    private String maskRespite(String reply) throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            return ClusterNodes.mask(
                    reply, ClusterNodes.myId(c), ClusterNodes.myShardId(c), respite.port(), respiteBus);
        }
    }

    private String maskRedis(String reply) throws IOException {
        try (RawConnection c = new RawConnection(reference.port())) {
            return ClusterNodes.mask(
                    reply, ClusterNodes.myId(c), ClusterNodes.myShardId(c), reference.port(), redisBus);
        }
    }

    /** A command naming the server's own node id, sent to each with its own id, replies compared masked. */
    private void withOwnId(Function<String, String[]> command) throws IOException {
        String redisId;
        String ourId;
        try (RawConnection c = new RawConnection(reference.port())) {
            redisId = ClusterNodes.myId(c);
        }
        try (RawConnection c = new RawConnection(respite.port())) {
            ourId = ClusterNodes.myId(c);
        }
        String redis = maskRedis(d.redis().call(command.apply(redisId)));
        String ours = maskRespite(d.respite().call(command.apply(ourId)));
        assertEquals(redis, ours, () -> "reply to " + String.join(" ", command.apply("<myid>")));
    }

    private void check(String... command) throws IOException {
        d.check(command);
    }

    @Test
    @Order(1)
    void beforeSlotsAreAssignedKeysAreRefused() throws IOException {
        masked("CLUSTER", "INFO");
        masked("CLUSTER", "NODES");
        masked("CLUSTER", "SLOTS");
        masked("CLUSTER", "SHARDS");
        masked("CLUSTER", "LINKS");
        check("SET", "foo", "bar");
        check("GET", "foo");
        check("MSET", "a", "1", "b", "2");
        check("PING");
        check("DBSIZE");
        check("CLUSTER", "COUNTKEYSINSLOT", "12182");
        check("INFO", "cluster");
        assertEquals(40, ClusterNodes.myId(d.respite()).length());
        assertEquals(40, ClusterNodes.myShardId(d.respite()).length());
    }

    @Test
    @Order(2)
    void argumentErrorsAndOtherDatabases() throws IOException {
        String[][] commands = {
            {"CLUSTER"},
            {"CLUSTER", "NOSUCH"},
            {"CLUSTER", "HELP"},
            {"CLUSTER", "INFO", "extra"},
            {"CLUSTER", "KEYSLOT"},
            {"CLUSTER", "ADDSLOTS", "x"},
            {"CLUSTER", "ADDSLOTS", "16384"},
            {"CLUSTER", "ADDSLOTS", "-1"},
            {"CLUSTER", "ADDSLOTS", "1", "1"},
            {"CLUSTER", "ADDSLOTS", "1", "x"},
            {"CLUSTER", "ADDSLOTSRANGE", "1"},
            {"CLUSTER", "ADDSLOTSRANGE", "1", "2", "3"},
            {"CLUSTER", "ADDSLOTSRANGE", "5", "2"},
            {"CLUSTER", "ADDSLOTSRANGE", "1", "5", "3", "7"},
            {"CLUSTER", "DELSLOTS", "7"},
            {"CLUSTER", "DELSLOTSRANGE", "7", "9"},
            {"CLUSTER", "DELSLOTSRANGE", "7", "9", "10"},
            {"CLUSTER", "COUNTKEYSINSLOT", "x"},
            {"CLUSTER", "COUNTKEYSINSLOT", "16384"},
            {"CLUSTER", "COUNTKEYSINSLOT", "-1"},
            {"CLUSTER", "GETKEYSINSLOT", "x", "1"},
            {"CLUSTER", "GETKEYSINSLOT", "1", "x"},
            {"CLUSTER", "GETKEYSINSLOT", "1", "-1"},
            {"CLUSTER", "GETKEYSINSLOT", "16384", "1"},
            {"CLUSTER", "GETKEYSINSLOT", "0", "10"},
            {"CLUSTER", "SETSLOT", "x", "STABLE"},
            {"CLUSTER", "SETSLOT", "1"},
            {"CLUSTER", "SETSLOT", "1", "FOO"},
            {"CLUSTER", "SETSLOT", "1", "STABLE", "extra"},
            {"CLUSTER", "SETSLOT", "1", "MIGRATING", "0123456789012345678901234567890123456789"},
            {"CLUSTER", "SETSLOT", "1", "IMPORTING", "0123456789012345678901234567890123456789"},
            {"CLUSTER", "SETSLOT", "1", "IMPORTING", "nosuchnode"},
            {"CLUSTER", "SETSLOT", "1", "NODE", "nosuchnode"},
            {"CLUSTER", "SETSLOT", "1", "MIGRATING"},
            {"CLUSTER", "SETSLOT", "16384", "STABLE"},
            {"CLUSTER", "RESET", "foo"},
            {"CLUSTER", "RESET", "soft", "extra"},
            {"CLUSTER", "SET-CONFIG-EPOCH", "x"},
            {"CLUSTER", "SET-CONFIG-EPOCH", "-1"},
            {"CLUSTER", "COUNT-FAILURE-REPORTS", "nosuchnode"},
            {"CLUSTER", "REPLICAS", "nosuchnode"},
            {"CLUSTER", "SLAVES", "0123456789012345678901234567890123456789"},
            {"SELECT", "1"},
            {"SELECT", "0"},
            {"SELECT", "x"},
            {"SELECT", "99"},
            {"MOVE", "k", "1"},
            {"SWAPDB", "0", "1"},
            {"COPY", "{x}a", "{x}b", "DB", "1"},
            {"COPY", "{x}a", "{x}b", "DB", "0"},
            {"CONFIG", "GET", "databases"},
            {"ASKING"},
            {"ASKING", "extra"},
            {"READONLY"},
            {"READWRITE"},
            {"RESTORE-ASKING", "k"},
        };
        for (String[] command : commands) {
            check(command);
        }
        withOwnId(id -> new String[] {"CLUSTER", "SETSLOT", "1", "MIGRATING", id});
        withOwnId(id -> new String[] {"CLUSTER", "SETSLOT", "1", "NODE", id});
        withOwnId(id -> new String[] {"CLUSTER", "COUNT-FAILURE-REPORTS", id});
        withOwnId(id -> new String[] {"CLUSTER", "REPLICAS", id});
        withOwnId(id -> new String[] {"CLUSTER", "SETSLOT", "2", "IMPORTING", id});
        masked("CLUSTER", "NODES");
        check("CLUSTER", "SETSLOT", "2", "STABLE");
        check("CLUSTER", "DELSLOTS", "1");
        masked("CLUSTER", "NODES");
    }

    @Test
    @Order(3)
    void withEverySlotAssignedKeysAreServed() throws Exception {
        check("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        ClusterNodes.awaitState(respite.port(), "ok");
        ClusterNodes.awaitState(reference.port(), "ok");
        masked("CLUSTER", "INFO");
        masked("CLUSTER", "NODES");
        masked("CLUSTER", "SLOTS");
        masked("CLUSTER", "SHARDS");
        d.hello("3");
        masked("CLUSTER", "INFO");
        masked("CLUSTER", "NODES");
        masked("CLUSTER", "SLOTS");
        masked("CLUSTER", "SHARDS");
        d.hello("2");
        for (String key : new String[] {
            "",
            "foo",
            "bar",
            "{",
            "}",
            "{}",
            "{}a",
            "a{}",
            "a{b}c",
            "a{}{b}",
            "{{a}}",
            "{a}}",
            "foo{bar}{zap}",
            "{user1000}.following",
            "{user1000}.followers",
            "x{y",
            "\u00e9t\u00e9",
            "{\u00e9}"
        }) {
            check("CLUSTER", "KEYSLOT", key);
        }
        check("SET", "foo", "bar");
        check("GET", "foo");
        for (int i = 0; i < 5; i++) {
            check("SET", "{tag}" + i, "v");
        }
        check("CLUSTER", "KEYSLOT", "{tag}");
        check("CLUSTER", "COUNTKEYSINSLOT", "8338");
        check("CLUSTER", "GETKEYSINSLOT", "8338", "3");
        check("CLUSTER", "GETKEYSINSLOT", "8338", "100");
        check("CLUSTER", "GETKEYSINSLOT", "8338", "0");
        check("DEL", "{tag}2");
        check("CLUSTER", "GETKEYSINSLOT", "8338", "100");
        check("CLUSTER", "COUNTKEYSINSLOT", "8338");
        check("MSET", "a", "1", "b", "2");
        check("MSET", "{t}a", "1", "{t}b", "2");
        check("MGET", "{t}a", "{t}b", "{t}c");
        check("SUNIONSTORE", "dst", "s1", "s2");
        check("SUNIONSTORE", "{s}dst", "{s}1", "{s}2");
        check("EVAL", "return redis.call('get', KEYS[1])", "2", "a", "b");
        check("EVAL", "return redis.call('get', KEYS[1])", "2", "{t}a", "{t}b");
        check("EVAL", "return redis.call('get', 'a')", "0");
        check("EVAL", "return {redis.call('get', '{t}a'), redis.call('get', 'foo')}", "0");
        check("EVAL", "#!lua\nreturn {redis.call('get', '{t}a'), redis.call('get', 'foo')}", "0");
        check(
                "EVAL",
                "#!lua flags=allow-cross-slot-keys\nreturn {redis.call('get', '{t}a'), redis.call('get', 'foo')}",
                "0");
        check("EVAL", "#!lua\nreturn redis.call('get', 'foo')", "1", "{t}a");
        check("EVAL", "#!lua flags=no-cluster\nreturn 1", "0");
        check("MULTI");
        check("SET", "a", "1");
        check("SET", "b", "2");
        check("EXEC");
        check("GET", "a");
        check("MULTI");
        check("SET", "{t}a", "3");
        check("GET", "{t}b");
        check("EXEC");
        check("SPUBLISH", "chan", "msg");
        check("SELECT", "1");
        check("COPY", "a", "b", "DB", "1");
        check("CLUSTER", "FLUSHSLOTS");
        check("CLUSTER", "RESET");
        check("INFO", "cluster");
        check("CLUSTER", "ASKING");
    }

    @Test
    @Order(4)
    void epochsAndReset() throws Exception {
        check("FLUSHALL");
        check("CLUSTER", "BUMPEPOCH");
        masked("CLUSTER", "INFO");
        check("CLUSTER", "SET-CONFIG-EPOCH", "5");
        check("CLUSTER", "RESET", "SOFT");
        masked("CLUSTER", "NODES");
        masked("CLUSTER", "INFO");
        check("SET", "k", "v");
        String before = ClusterNodes.myId(d.respite());
        check("CLUSTER", "RESET", "HARD");
        assertTrue(!before.equals(ClusterNodes.myId(d.respite())), "a hard reset gives a new node id");
        masked("CLUSTER", "INFO");
        masked("CLUSTER", "NODES");
        check("CLUSTER", "SET-CONFIG-EPOCH", "5");
        check("CLUSTER", "SET-CONFIG-EPOCH", "6");
        check("CLUSTER", "BUMPEPOCH");
        masked("CLUSTER", "INFO");
        check("CLUSTER", "SAVECONFIG");
        String file = Files.readString(respite.dir().resolve("nodes.conf"));
        assertTrue(file.endsWith("vars currentEpoch 5 lastVoteEpoch 0\n"), file);
        assertTrue(
                file.contains(ClusterNodes.myId(d.respite()) + " :" + respite.port() + "@" + respiteBus
                        + ",,tls-port=0,shard-id=" + ClusterNodes.myShardId(d.respite())
                        + " myself,master - 0 0 5 connected\n"),
                file);
    }

    @Test
    @Order(5)
    void clusterParametersGetAndSet() throws Exception {
        String[] params = {
            "cluster-enabled",
            "cluster-config-file",
            "cluster-node-timeout",
            "cluster-announce-ip",
            "cluster-announce-port",
            "cluster-announce-bus-port",
            "cluster-announce-tls-port",
            "cluster-announce-hostname",
            "cluster-announce-human-nodename",
            "cluster-require-full-coverage",
            "cluster-replica-validity-factor",
            "cluster-slave-validity-factor",
            "cluster-allow-reads-when-down",
            "cluster-allow-pubsubshard-when-down",
            "cluster-replica-no-failover",
            "cluster-slave-no-failover",
            "cluster-migration-barrier",
            "cluster-allow-replica-migration",
            "cluster-link-sendbuf-limit",
            "cluster-preferred-endpoint-type"
        };
        for (String p : params) {
            check("CONFIG", "GET", p);
        }
        String[][] sets = {
            {"cluster-enabled", "no"},
            {"cluster-config-file", "other.conf"},
            {"cluster-port", "1234"},
            {"cluster-node-timeout", "-1"},
            {"cluster-node-timeout", "abc"},
            {"cluster-node-timeout", "2000"},
            {"cluster-announce-port", "70000"},
            {"cluster-announce-hostname", "bad_host"},
            {"cluster-announce-hostname", "h".repeat(300)},
            {"cluster-announce-human-nodename", "a:b"},
            {"cluster-announce-human-nodename", "alpha"},
            {"cluster-preferred-endpoint-type", "foo"},
            {"cluster-preferred-endpoint-type", "HOSTNAME"},
            {"cluster-replica-validity-factor", "-1"},
            {"cluster-slave-validity-factor", "5"},
            {"cluster-migration-barrier", "x"},
            {"cluster-link-sendbuf-limit", "1mb"},
            {"cluster-allow-reads-when-down", "maybe"},
            {"cluster-slave-no-failover", "yes"},
            {"cluster-announce-hostname", "host-a.example"},
            {"cluster-announce-ip", "127.0.0.1"},
        };
        for (String[] set : sets) {
            check("CONFIG", "SET", set[0], set[1]);
        }
        for (String p : params) {
            check("CONFIG", "GET", p);
        }
        masked("CLUSTER", "NODES");
        masked("CLUSTER", "SLOTS");
        masked("CLUSTER", "SHARDS");
        check("CONFIG", "SET", "cluster-preferred-endpoint-type", "unknown-endpoint");
        masked("CLUSTER", "SLOTS");
        masked("CLUSTER", "SHARDS");
        check("CONFIG", "SET", "cluster-preferred-endpoint-type", "ip");
        check("CONFIG", "SET", "cluster-announce-hostname", "");
        check("CONFIG", "SET", "cluster-announce-ip", "");
        check("CONFIG", "SET", "cluster-slave-no-failover", "no");
        masked("CLUSTER", "NODES");
    }

    /**
     * A slot that loses its owner lets its shard channels' subscribers go, each told with an sunsubscribe
     * frame (RESP2 array or RESP3 push); channels of other slots stay.
     */
    @Test
    @Order(6)
    void deletingASlotUnsubscribesItsShardChannels() throws Exception {
        check("CLUSTER", "RESET", "HARD");
        check("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        ClusterNodes.awaitState(respite.port(), "ok");
        ClusterNodes.awaitState(reference.port(), "ok");
        try (RawConnection ours2 = new RawConnection(respite.port());
                RawConnection theirs2 = new RawConnection(reference.port());
                RawConnection ours3 = new RawConnection(respite.port());
                RawConnection theirs3 = new RawConnection(reference.port())) {
            ours3.call("HELLO", "3");
            theirs3.call("HELLO", "3");
            for (String channel : new String[] {"{a}x", "{b}y"}) {
                ours2.command("SSUBSCRIBE", channel);
                theirs2.command("SSUBSCRIBE", channel);
            }
            ours3.command("SSUBSCRIBE", "{a}x");
            theirs3.command("SSUBSCRIBE", "{a}x");
            for (int i = 0; i < 2; i++) {
                assertEquals(theirs2.readReply(), ours2.readReply());
            }
            assertEquals(theirs3.readReply(), ours3.readReply());
            check("CLUSTER", "KEYSLOT", "a");
            check("CLUSTER", "DELSLOTS", "15495");
            String dropped = ours2.readReply();
            assertEquals(theirs2.readReply(), dropped);
            assertEquals("*3\r\n$12\r\nsunsubscribe\r\n$4\r\n{a}x\r\n:1\r\n", dropped);
            assertEquals(theirs3.readReply(), ours3.readReply());
            check("PUBSUB", "SHARDCHANNELS");
            check("PUBSUB", "SHARDNUMSUB", "{a}x", "{b}y");
        }
    }
}
