package dev.respite.conformance;

import static dev.respite.conformance.support.ReplicationWatch.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A master restarted from the snapshot it saved at SHUTDOWN resumes its replication history, as Redis 7 does: the
 * saved id becomes its secondary id and the saved offset its offset, so a Respite replica and a Redis 7.2.5 replica
 * continue with PSYNC instead of a full copy, and get the deletions of the keys that expired while it was down.
 */
class RestartedMasterTest {
    private static final int DATABASES = 4;
    private static final int EXPIRING = 40;

    @Test
    void replicasContinueWithPsyncAfterTheMasterRestarts() throws Exception {
        Path dir = Files.createTempDirectory("respite-restarted-master");
        int port = Ports.free();
        String[] masterArgs = {
            "--save", "3600 1", "--repl-ping-replica-period", "3600", "--repl-diskless-sync-delay", "0"
        };
        String masterPort = Integer.toString(port);
        RespiteProcess master = RespiteProcess.startSmallOnPort(dir, port, masterArgs);
        try (RespiteProcess respiteReplica = RespiteProcess.start("--replicaof", "127.0.0.1", masterPort);
                RealRedis redisReplica = RealRedis.start(
                        "--replicaof", "127.0.0.1", masterPort, "--propagation-error-behavior", "panic");
                Jedis r1 = new Jedis("127.0.0.1", respiteReplica.port(), 10_000);
                Jedis r2 = new Jedis("127.0.0.1", redisReplica.port(), 10_000)) {
            String oldId;
            long oldOffset;
            try (Jedis m = new Jedis("127.0.0.1", port, 10_000)) {
                m.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "SET-ACTIVE-EXPIRE", "0");
                for (int i = 0; i < 200; i++) {
                    m.select(i % DATABASES);
                    m.set("kept:" + i, "v" + i);
                    if (i < EXPIRING) {
                        m.psetex("short:" + i, 50, "gone soon");
                    }
                }
                m.select(0);
                awaitInSync(m, List.of(r1, r2));
                Thread.sleep(100);
                oldId = info(m, "replication", "master_replid");
                oldOffset = ReplicationWatch.offset(m);
            }
            try (RawConnection c = new RawConnection(port)) {
                c.command("SHUTDOWN");
                assertTrue(master.process().waitFor(30, TimeUnit.SECONDS), "the master did not stop");
            }
            assertTrue(master.log().contains("2 of 2 replicas are in sync when shutting down."), master.log());

            master = RespiteProcess.startSmallOnPort(dir, port, masterArgs);
            try (Jedis m = new Jedis("127.0.0.1", port, 10_000)) {
                awaitInSync(m, List.of(r1, r2));
                assertEquals("0", info(m, "stats", "sync_full"));
                assertEquals("2", info(m, "stats", "sync_partial_ok"));
                assertNotEquals(oldId, info(m, "replication", "master_replid"));
                assertEquals(oldId, info(m, "replication", "master_replid2"));
                assertEquals(Long.toString(oldOffset + 1), info(m, "replication", "second_repl_offset"));
                assertEquals(Integer.toString(EXPIRING), info(m, "persistence", "rdb_last_load_keys_expired"));
                long deletions = Long.parseLong(info(m, "replication", "repl_backlog_histlen"));
                assertTrue(deletions > 0);
                assertEquals(oldOffset + deletions, ReplicationWatch.offset(m));
                for (Jedis replica : List.of(r1, r2)) {
                    assertEquals(
                            info(m, "replication", "master_replid"), info(replica, "replication", "master_replid"));
                    ReplicationWatch.assertSameData(m, replica, DATABASES);
                }
                // DBSIZE counts a key whose time passed until its deletion arrives: the DELs reached Redis.
                for (int db = 0; db < DATABASES; db++) {
                    m.select(db);
                    r2.select(db);
                    assertEquals(m.dbSize(), r2.dbSize(), "database " + db);
                }
                assertTrue(redisReplica.isAlive(), "the Redis replica panicked on the resumed stream");
            }
        } finally {
            master.close();
        }
    }

    /** Waits until every replica applied the master's whole stream and the master knows it. */
    private static void awaitInSync(Jedis m, List<Jedis> replicas) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long offset = ReplicationWatch.offset(m);
            String lines = m.info("replication");
            boolean done = lines.split(",offset=" + offset + ",", -1).length - 1 == replicas.size();
            for (Jedis r : replicas) {
                done &= "up".equals(info(r, "replication", "master_link_status"))
                        && ReplicationWatch.offset(r) == offset;
            }
            if (done) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "replicas not in sync with the master: " + lines);
            Thread.sleep(50);
        }
    }
}
