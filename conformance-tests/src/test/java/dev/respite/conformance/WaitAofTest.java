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

    /** The offset field of INFO replication. */
    private static long masterOffset(int port) throws Exception {
        String info = call(port, "INFO", "replication");
        return Long.parseLong(info.split("master_repl_offset:")[1].split("\r\n")[0]);
    }

    /**
     * A master with appendonly on and no replicas moves its offset by one per propagated command, as Redis 7.2
     * does: WAITAOF tells writes apart by it.
     */
    @Test
    void aMasterWithoutReplicasCountsItsLoggedWritesInItsOffset() throws Exception {
        try (RespiteProcess respite = respite("--appendonly", "yes");
                RealRedis redis = RealRedis.start("--appendonly", "yes")) {
            List<List<String>> writes = List.of(
                    List.of("SET", "a", "1"),
                    List.of("SET", "b", "2"),
                    List.of("GET", "a"),
                    List.of("MULTI"),
                    List.of("INCR", "c"),
                    List.of("INCR", "c"),
                    List.of("EXEC"));
            assertEquals(session(redis.port(), writes), session(respite.port(), writes));
            assertEquals(masterOffset(redis.port()), masterOffset(respite.port()));
            assertTrue(masterOffset(respite.port()) > 0);
        }
    }

    /**
     * Under appendfsync everysec a WAITAOF for the local file waits for the next second's fsync instead of forcing
     * one, as Redis does: turning appendonly off meanwhile ends it with Redis's error, and otherwise the fsync
     * answers it, not at once.
     */
    @Test
    void everysecWaitsForTheNextFsyncAsRedisDoes() throws Exception {
        try (RespiteProcess respite = respite("--appendonly", "yes");
                RealRedis redis = RealRedis.start("--appendonly", "yes")) {
            for (int port : new int[] {redis.port(), respite.port()}) {
                await("the first append-only file", 20_000, () -> {
                    try {
                        return call(port, "INFO", "persistence").contains("aof_rewrite_in_progress:0");
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            String[] stopped = new String[2];
            long[] waited = new long[2];
            int i = 0;
            for (int port : new int[] {redis.port(), respite.port()}) {
                try (RawConnection c = new RawConnection(port);
                        RawConnection admin = new RawConnection(port)) {
                    // Redis fsyncs under everysec once the clock's second changed: start early in a second.
                    while (System.currentTimeMillis() % 1000 > 100) {
                        Thread.sleep(5);
                    }
                    assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "always"));
                    c.call("INCR", "foo");
                    assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "everysec"));
                    c.call("INCR", "foo");
                    c.command("WAITAOF", "1", "0", "0");
                    Thread.sleep(50);
                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "appendonly", "no"));
                    stopped[i] = c.readReply();

                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "appendonly", "yes"));
                    await("the append-only file again", 20_000, () -> {
                        try {
                            return admin.call("INFO", "persistence").contains("aof_rewrite_in_progress:0")
                                    && admin.call("INFO", "persistence").contains("aof_rewrite_scheduled:0");
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    Thread.sleep(1100);
                    while (System.currentTimeMillis() % 1000 > 100) {
                        Thread.sleep(5);
                    }
                    assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "always"));
                    c.call("INCR", "foo");
                    assertEquals("+OK\r\n", c.call("CONFIG", "SET", "appendfsync", "everysec"));
                    c.call("INCR", "foo");
                    long start = System.currentTimeMillis();
                    assertEquals("*2\r\n:1\r\n:0\r\n", c.call("WAITAOF", "1", "0", "0"));
                    waited[i] = System.currentTimeMillis() - start;
                }
                i++;
            }
            assertEquals(stopped[0], stopped[1]);
            assertEquals(
                    "-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n", stopped[1]);
            for (long w : waited) {
                assertTrue(w >= 300 && w < 3_000, "answered by the next second's fsync, after " + w + " ms");
            }
        }
    }

    /**
     * A replica under appendfsync no never acknowledges its copy as fsynced (FACK stays behind), so WAITAOF for one
     * replica times out; under everysec the next fsync acknowledges it. Redis's master and replica are held to the
     * same replies.
     */
    @Test
    void aReplicaUnderAppendfsyncNoDoesNotAcknowledgeItsCopyAsFsynced() throws Exception {
        try (RespiteProcess master = respite("--appendonly", "yes", "--appendfsync", "always");
                RespiteProcess replica = respite(
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "no",
                        "--replicaof",
                        "127.0.0.1",
                        Integer.toString(master.port()));
                RealRedis redisMaster = RealRedis.start("--appendonly", "yes", "--appendfsync", "always");
                RealRedis redisReplica = RealRedis.start(
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "no",
                        "--replicaof",
                        "127.0.0.1",
                        Integer.toString(redisMaster.port()))) {
            assertEquals(
                    replicaScenario(redisMaster.port(), redisReplica.port()),
                    replicaScenario(master.port(), replica.port()));
        }
    }

    private static List<String> replicaScenario(int master, int replica) throws Exception {
        await("the replica online with its append-only file written", 30_000, () -> {
            try {
                return call(master, "INFO", "replication").contains("state=online")
                        && call(replica, "INFO", "persistence").contains("aof_rewrite_in_progress:0")
                        && call(replica, "INFO", "persistence").contains("aof_rewrite_scheduled:0");
            } catch (Exception e) {
                return false;
            }
        });
        Thread.sleep(1500);
        List<String> replies = new java.util.ArrayList<>();
        try (RawConnection c = new RawConnection(master)) {
            c.call("INCR", "foo");
            replies.add(c.call("WAITAOF", "0", "1", "300"));
            replies.add(c.call("WAIT", "1", "3000"));
            assertEquals("+OK\r\n", call(replica, "CONFIG", "SET", "appendfsync", "everysec"));
            c.call("INCR", "foo");
            replies.add(c.call("WAITAOF", "1", "1", "5000"));
        }
        return replies;
    }
}
