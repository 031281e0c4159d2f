package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The replication commands' replies and errors on a master without replicas, byte for byte against Redis. */
class ReplicationCommandsTest extends DifferentialSuite {
    @Test
    void replconfAndPsyncArguments() throws IOException {
        d.check("REPLCONF");
        d.check("REPLCONF", "listening-port");
        d.check("REPLCONF", "listening-port", "abc");
        d.check("REPLCONF", "listening-port", "6380", "capa", "eof", "capa", "psync2");
        d.check("REPLCONF", "nonsense", "1");
        d.check("PING");
        d.check("PSYNC", "?");
        d.check("SYNC", "extra");
    }

    @Test
    void waitAndRoleWithoutReplicas() throws IOException {
        d.check("ROLE");
        d.check("WAIT", "0", "0");
        d.check("WAIT", "1", "10");
        d.check("WAIT", "x", "0");
        d.check("WAIT", "1", "-1");
        d.check("WAIT", "1", "abc");
        d.check("MULTI");
        d.check("WAIT", "1", "0");
        d.check("EXEC");
    }

    @Test
    void replicaofArguments() throws IOException {
        d.check("REPLICAOF", "127.0.0.1", "abc");
        d.check("REPLICAOF", "127.0.0.1", "70000");
        d.check("REPLICAOF", "NO", "ONE");
        d.check("SLAVEOF", "no", "one");
        d.check("REPLICAOF", "127.0.0.1");
    }

    @Test
    void minReplicasToWriteRefusesWrites() throws IOException {
        d.check("CONFIG", "SET", "min-replicas-to-write", "1");
        d.check("SET", "k", "v");
        d.check("GET", "k");
        d.check("MULTI");
        d.check("SET", "k", "v");
        d.check("EXEC");
        d.check("CONFIG", "SET", "min-slaves-to-write", "0");
        d.check("SET", "k", "v");
    }

    @Test
    void infoReplicationHasRedisFieldsInRedisOrder() {
        try (Jedis ours = new Jedis("127.0.0.1", respite.port());
                Jedis theirs = new Jedis("127.0.0.1", reference.port())) {
            assertEquals(fieldNames(theirs.info("replication")), fieldNames(ours.info("replication")));
        }
    }

    private static List<String> fieldNames(String info) {
        List<String> names = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }
}
