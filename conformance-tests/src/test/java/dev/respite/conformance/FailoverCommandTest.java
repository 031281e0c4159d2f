package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * FAILOVER as Redis 7.2 runs it, with real processes: a Respite master hands over to a Respite replica (writes
 * held while it catches up, then refused as READONLY), to a Redis 7.0.15 replica, and a Redis 7.0.15 master
 * hands over to a Respite replica through PSYNC ... FAILOVER; ABORT and TIMEOUT give the master back its
 * writes; every error reply matches the 7.2.5 reference byte for byte.
 */
class FailoverCommandTest {
    private static RespiteProcess respite(String... directives) throws Exception {
        List<String> args = new ArrayList<>(List.of("--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(directives));
        return RespiteProcess.startSmallOnPort(
                Files.createTempDirectory("respite-failover"), Ports.free(), args.toArray(new String[0]));
    }

    private static String[] replicaOf(int port) {
        return new String[] {"--replicaof", "127.0.0.1", Integer.toString(port)};
    }

    private static String info(Jedis j, String field) {
        return ReplicationWatch.info(j, "replication", field);
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

    private static void awaitOnline(Jedis master, int replicas) throws InterruptedException {
        await(replicas + " replica(s) online", 30_000, () -> {
            String all = master.info("replication");
            return all.split("state=online", -1).length - 1 == replicas;
        });
    }

    private static void signal(long pid, String sig) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private static void awaitSwitched(Jedis oldMaster, Jedis newMaster, int newMasterPort) throws InterruptedException {
        await(
                "the old master to follow the new one",
                20_000,
                () -> info(oldMaster, "role").equals("slave")
                        && info(oldMaster, "master_port").equals(Integer.toString(newMasterPort))
                        && info(oldMaster, "master_link_status").equals("up")
                        && info(oldMaster, "master_failover_state").equals("no-failover"));
        assertEquals("master", info(newMaster, "role"));
    }

    @Test
    void respiteMasterHandsOverToRespiteReplica() throws Exception {
        try (RespiteProcess a = respite();
                RespiteProcess b = respite(replicaOf(a.port()));
                Jedis ja = new Jedis("127.0.0.1", a.port(), 20_000);
                Jedis jb = new Jedis("127.0.0.1", b.port(), 20_000);
                Jedis held = new Jedis("127.0.0.1", a.port(), 20_000)) {
            awaitOnline(ja, 1);
            for (int i = 0; i < 100; i++) {
                ja.set("k" + i, "v" + i);
            }
            // A stopped replica acknowledges nothing: the failover waits, holding writes, until ABORT.
            signal(b.pid(), "STOP");
            try {
                ja.set("behind", "1");
                assertEquals(
                        "OK",
                        ja.failover(redis.clients.jedis.params.FailoverParams.failoverParams()
                                .to("127.0.0.1", b.port())));
                assertEquals("waiting-for-sync", info(ja, "master_failover_state"));
                CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> held.set("held", "1"));
                Thread.sleep(300);
                assertFalse(write.isDone(), "a write waits while the failover waits for the replica");
                assertEquals("v1", ja.get("k1"), "reads are served");
                JedisDataException busy = assertThrows(JedisDataException.class, () -> ja.replicaof("127.0.0.1", 1));
                assertEquals("ERR REPLICAOF not allowed while failing over.", busy.getMessage());
                assertEquals("OK", ja.failoverAbort());
                assertEquals("OK", write.get(10, TimeUnit.SECONDS));
                assertEquals("no-failover", info(ja, "master_failover_state"));
                assertEquals("master", info(ja, "role"));

                // Without FORCE a timeout gives up and writes go on.
                ja.set("behind", "2");
                try (RawConnection raw = new RawConnection(a.port())) {
                    assertEquals(
                            "+OK\r\n",
                            raw.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(b.port()), "TIMEOUT", "300"));
                }
                await(
                        "the failover to time out",
                        10_000,
                        () -> info(ja, "master_failover_state").equals("no-failover"));
                assertEquals("master", info(ja, "role"));
                assertEquals("OK", ja.set("after-timeout", "1"));
            } finally {
                signal(b.pid(), "CONT");
            }

            // The replica is stopped again so that a write is certain to arrive while the handover is on.
            signal(b.pid(), "STOP");
            CompletableFuture<String> write;
            try {
                ja.set("last", "before-handover");
                try (RawConnection raw = new RawConnection(a.port())) {
                    assertEquals(
                            "+OK\r\n",
                            raw.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(b.port()), "TIMEOUT", "20000"));
                }
                write = CompletableFuture.supplyAsync(() -> {
                    try {
                        return held.set("late", "1");
                    } catch (JedisDataException e) {
                        return e.getMessage();
                    }
                });
                Thread.sleep(200);
                assertFalse(write.isDone());
            } finally {
                signal(b.pid(), "CONT");
            }
            awaitSwitched(ja, jb, b.port());
            assertEquals("READONLY You can't write against a read only replica.", write.get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, jb.get("k" + i));
            }
            assertEquals("before-handover", jb.get("last"));
            assertEquals("1", jb.get("held"));
            assertEquals("0", ReplicationWatch.info(jb, "stats", "sync_full"), "the old master continued with PSYNC");
            assertEquals("OK", jb.set("new", "master"));
            await("the write to reach the old master", 10_000, () -> "master".equals(ja.get("new")));
        }
    }

    @Test
    void respiteMasterHandsOverToRedis70Replica() throws Exception {
        try (RespiteProcess a = respite();
                RealRedis redis = RealRedis.startDebianIn(Files.createTempDirectory("redis-70"), replicaOf(a.port()));
                Jedis ja = new Jedis("127.0.0.1", a.port(), 20_000);
                Jedis jr = new Jedis("127.0.0.1", redis.port(), 20_000)) {
            awaitOnline(ja, 1);
            for (int i = 0; i < 50; i++) {
                ja.set("k" + i, "v" + i);
            }
            // Without TO, the first replica that caught up is chosen.
            try (RawConnection raw = new RawConnection(a.port())) {
                assertEquals("+OK\r\n", raw.call("FAILOVER", "TIMEOUT", "20000"));
            }
            awaitSwitched(ja, jr, redis.port());
            assertEquals("v49", jr.get("k49"));
            assertEquals("0", ReplicationWatch.info(jr, "stats", "sync_full"));
            assertEquals("OK", jr.set("new", "master"));
            await("the write to reach Respite", 10_000, () -> "master".equals(ja.get("new")));
        }
    }

    @Test
    void redis70MasterHandsOverToRespiteReplica() throws Exception {
        try (RealRedis redis = RealRedis.startDebianIn(
                        Files.createTempDirectory("redis-70"), "--repl-diskless-sync-delay", "0");
                RespiteProcess b = respite(replicaOf(redis.port()));
                Jedis jr = new Jedis("127.0.0.1", redis.port(), 20_000);
                Jedis jb = new Jedis("127.0.0.1", b.port(), 20_000)) {
            awaitOnline(jr, 1);
            for (int i = 0; i < 50; i++) {
                jr.set("k" + i, "v" + i);
            }
            try (RawConnection raw = new RawConnection(redis.port())) {
                assertEquals(
                        "+OK\r\n",
                        raw.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(b.port()), "TIMEOUT", "20000"));
            }
            awaitSwitched(jr, jb, b.port());
            assertEquals("v49", jb.get("k49"));
            assertEquals("OK", jb.set("new", "master"));
            await("the write to reach Redis", 10_000, () -> "master".equals(jr.get("new")));
            assertTrue(b.log().contains("MASTER MODE enabled (failover request from"), "Respite logs the request");
        }
    }

    /** Each bad combination answers as the reference does, on a master with one replica and on the replica. */
    @Test
    void errorsMatchRedis() throws Exception {
        try (RespiteProcess a = respite();
                RespiteProcess b = respite(replicaOf(a.port()));
                RealRedis ra = RealRedis.start();
                RealRedis rb = RealRedis.start(replicaOf(ra.port()));
                Jedis ja = new Jedis("127.0.0.1", a.port(), 20_000);
                Jedis jra = new Jedis("127.0.0.1", ra.port(), 20_000)) {
            awaitOnline(ja, 1);
            awaitOnline(jra, 1);
            List<List<String>> onMaster = List.of(
                    List.of("FAILOVER", "TO", "127.0.0.1", "@replica", "FORCE"),
                    List.of("FAILOVER", "FORCE", "TIMEOUT", "5"),
                    List.of("FAILOVER", "TO", "127.0.0.1", "@replica", "FORCE", "TIMEOUT", "0"),
                    List.of("FAILOVER", "TIMEOUT", "-5"),
                    List.of("FAILOVER", "TIMEOUT", "x"),
                    List.of("FAILOVER", "TIMEOUT", "10", "TIMEOUT", "20"),
                    List.of("FAILOVER", "TO", "127.0.0.1", "x"),
                    List.of("FAILOVER", "TO", "127.0.0.1", "1"),
                    List.of("FAILOVER", "TO", "localhost", "@replica"),
                    List.of("FAILOVER", "TO", "127.0.0.1"),
                    List.of("FAILOVER", "TO", "127.0.0.1", "@replica", "TO", "127.0.0.1", "@replica"),
                    List.of("FAILOVER", "FORCE", "FORCE"),
                    List.of("FAILOVER", "abc"),
                    List.of("FAILOVER", "ABORT"),
                    List.of("FAILOVER", "ABORT", "TIMEOUT", "10"),
                    List.of("PSYNC", "?", "-1", "FAILOVER"));
            for (List<String> cmd : onMaster) {
                assertEquals(call(ra.port(), cmd, rb.port()), call(a.port(), cmd, b.port()), String.join(" ", cmd));
            }
            List<List<String>> onReplica = List.of(
                    List.of("FAILOVER"),
                    List.of("FAILOVER", "ABORT"),
                    List.of("PSYNC", "0123456789012345678901234567890123456789", "1", "FAILOVER"));
            for (List<String> cmd : onReplica) {
                assertEquals(call(rb.port(), cmd, 0), call(b.port(), cmd, 0), String.join(" ", cmd));
            }
            // Without its replica, each master refuses.
            b.close();
            rb.close();
            await(
                    "both masters to see their replica gone",
                    20_000,
                    () -> info(ja, "connected_slaves").equals("0")
                            && info(jra, "connected_slaves").equals("0"));
            List<String> cmd = List.of("FAILOVER");
            assertEquals(call(ra.port(), cmd, 0), call(a.port(), cmd, 0));
            assertEquals("-ERR FAILOVER requires connected replicas.\r\n", call(a.port(), cmd, 0));
        }
    }

    /** The raw reply to {@code cmd}, with "@replica" standing for the replica's port. */
    private static String call(int port, List<String> cmd, int replicaPort) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            return c.call(cmd.stream()
                    .map(s -> s.equals("@replica") ? Integer.toString(replicaPort) : s)
                    .toArray(String[]::new));
        }
    }
}
