package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.KeyValue;

/**
 * WAITAOF as Redis 7.2 answers it: the local append-only file and the replicas' fsynced offsets (REPLCONF ACK
 * ... FACK) from Respite replicas and from a 7.2.5 replica, the timeout, MULTI and scripts, and every error
 * reply byte for byte against the reference.
 */
class WaitAofTest {
    private static RespiteProcess respite(String... directives) throws Exception {
        return RespiteProcess.startSmallOnPort(Files.createTempDirectory("respite-waitaof"), Ports.free(), directives);
    }

    private static String call(int port, String... cmd) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            return c.call(cmd);
        }
    }

    /** Sends the commands on one connection and returns their replies, concatenated. */
    private static String session(int port, List<List<String>> cmds) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (RawConnection c = new RawConnection(port)) {
            for (List<String> cmd : cmds) {
                sb.append(c.call(cmd.toArray(String[]::new)));
            }
        }
        return sb.toString();
    }

    private static void await(String what, long millis, BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
    }

    @Test
    void repliesAndErrorsMatchRedis() throws Exception {
        try (RespiteProcess respite = respite();
                RealRedis redis = RealRedis.start();
                RespiteProcess respiteReplica = respite("--replicaof", "127.0.0.1", "1");
                RealRedis redisReplica = RealRedis.start("--replicaof", "127.0.0.1", "1")) {
            List<List<String>> cmds = List.of(
                    List.of("WAITAOF", "0", "0", "0"),
                    List.of("WAITAOF", "1", "0", "0"),
                    List.of("WAITAOF", "2", "0", "0"),
                    List.of("WAITAOF", "-1", "0", "0"),
                    List.of("WAITAOF", "x", "0", "0"),
                    List.of("WAITAOF", "0", "-1", "0"),
                    List.of("WAITAOF", "0", "x", "0"),
                    List.of("WAITAOF", "0", "0", "-1"),
                    List.of("WAITAOF", "0", "0", "x"),
                    List.of("WAITAOF", "0", "1", "50"),
                    List.of("WAITAOF", "0", "0"),
                    List.of("EVAL", "return redis.call('waitaof', 0, 0, 0)", "0"),
                    List.of("MULTI"),
                    List.of("WAITAOF", "0", "5", "0"),
                    List.of("EXEC"));
            for (List<String> cmd : cmds.subList(0, 12)) {
                String[] c = cmd.toArray(String[]::new);
                assertEquals(call(redis.port(), c), call(respite.port(), c), String.join(" ", cmd));
                assertEquals(call(redisReplica.port(), c), call(respiteReplica.port(), c), "on a replica: " + cmd);
            }
            assertEquals(session(redis.port(), cmds.subList(12, 15)), session(respite.port(), cmds.subList(12, 15)));

            for (int port : new int[] {respite.port(), redis.port()}) {
                assertEquals("+OK\r\n", call(port, "CONFIG", "SET", "appendonly", "yes"));
            }
            await("both append-only files to be on", 20_000, () -> {
                try {
                    return call(respite.port(), "INFO", "persistence").contains("aof_enabled:1")
                            && call(redis.port(), "INFO", "persistence").contains("aof_rewrite_in_progress:0")
                            && call(redis.port(), "INFO", "persistence").contains("aof_rewrite_scheduled:0");
                } catch (Exception e) {
                    return false;
                }
            });
            List<List<String>> afterWrite = List.of(
                    List.of("SET", "k", "v"),
                    List.of("WAITAOF", "1", "0", "0"),
                    List.of("WAITAOF", "0", "0", "0"),
                    List.of("WAITAOF", "1", "1", "100"),
                    List.of("MULTI"),
                    List.of("SET", "k", "w"),
                    List.of("WAITAOF", "1", "0", "0"),
                    List.of("EXEC"));
            assertEquals(session(redis.port(), afterWrite), session(respite.port(), afterWrite));
        }
    }

    @Test
    void countsReplicasWhoseFilesHoldTheWrites() throws Exception {
        try (RespiteProcess master = respite("--appendonly", "yes", "--repl-diskless-sync-delay", "0");
                RespiteProcess withAof =
                        respite("--appendonly", "yes", "--replicaof", "127.0.0.1", Integer.toString(master.port()));
                RespiteProcess withoutAof = respite("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                RealRedis redisWithAof = RealRedis.start(
                        "--appendonly", "yes", "--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis m = new Jedis("127.0.0.1", master.port(), 20_000)) {
            await(
                    "three replicas online",
                    30_000,
                    () -> m.info("replication").split("state=online", -1).length - 1 == 3);
            m.set("k", "v");
            long start = System.currentTimeMillis();
            KeyValue<Long, Long> both = m.waitAOF(1, 2, 10_000);
            assertEquals(
                    List.of(1L, 2L), List.of(both.getKey(), both.getValue()), "two replicas with appendonly fsync it");
            assertTrue(System.currentTimeMillis() - start < 5_000, "answered once acknowledged, not at the timeout");
            assertEquals(3L, m.waitReplicas(3, 10_000), "all three applied it");
            start = System.currentTimeMillis();
            KeyValue<Long, Long> timedOut = m.waitAOF(1, 3, 300);
            assertEquals(
                    List.of(1L, 2L),
                    List.of(timedOut.getKey(), timedOut.getValue()),
                    "the third has no file: the timeout answers");
            assertTrue(System.currentTimeMillis() - start >= 300);
        }
    }
}
