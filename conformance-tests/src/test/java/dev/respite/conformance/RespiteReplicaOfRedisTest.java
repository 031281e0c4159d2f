package dev.respite.conformance;

import static dev.respite.conformance.support.ReplicationWatch.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import dev.respite.conformance.support.WriteLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Respite replicates from a real Redis (Debian's 7.0.15 and the 7.2.5 reference): it ends with the master's
 * offset and data under a mixed write load, resumes from the backlog after its link is killed and after a
 * restart, passes the stream on to a Redis replica of its own, and once promoted lets the old master's other
 * replicas continue without a full resynchronisation.
 */
class RespiteReplicaOfRedisTest {
    private static final int DATABASES = 4;

    private static RealRedis master(String version, String... directives) throws IOException {
        return version.equals("7.2.5") ? RealRedis.start(directives) : debian(directives);
    }

    private static RealRedis debian(String... directives) throws IOException {
        return RealRedis.startDebianIn(Files.createTempDirectory("redis-70"), directives);
    }

    @ParameterizedTest(name = "redis {0}, repl-diskless-sync {1}")
    // Each version once and each payload form once: a disk-based RDB from 7.0, the $EOF: stream from 7.2.
    @CsvSource({"7.0.15, no", "7.2.5, yes"})
    void respiteFollowsRedisUnderMixedLoad(String version, String diskless) throws Exception {
        try (RealRedis redis = master(version, "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
                Jedis m = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            SampleData.populate(m);
            new WriteLoad(11).run(m, 40);
            try (RespiteProcess replica =
                            RespiteProcess.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
                    Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000);
                    Jedis writer = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                CompletableFuture<Void> load = CompletableFuture.runAsync(() -> new WriteLoad(12).run(writer, 150));
                load.get(120, TimeUnit.SECONDS);
                settle(m, r);
                ReplicationWatch.assertSameData(m, r, DATABASES);
                JedisDataException readOnly = assertThrows(JedisDataException.class, () -> r.set("k", "v"));
                assertEquals("READONLY You can't write against a read only replica.", readOnly.getMessage());
                assertEquals(1, m.waitReplicas(1, 5000));

                assertEquals(1, m.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA)));
                new WriteLoad(13).run(m, 30);
                settle(m, r);
                assertEquals("1", info(m, "stats", "sync_full"));
                assertEquals("1", info(m, "stats", "sync_partial_ok"));
                ReplicationWatch.assertSameData(m, r, DATABASES);
                assertEquals(
                        List.of("slave", "127.0.0.1", (long) redis.port(), "connected", ReplicationWatch.offset(m)),
                        r.role());
            }
        }
    }

    @Test
    void restartedReplicaContinuesFromTheOffsetItSaved() throws Exception {
        Path dir = Files.createTempDirectory("respite-replica");
        try (RealRedis redis = debian();
                Jedis m = new Jedis("127.0.0.1", redis.port(), 10_000)) {
            new WriteLoad(21).run(m, 30);
            String port = Integer.toString(redis.port());
            try (RespiteProcess replica = RespiteProcess.startIn(dir, "--replicaof", "127.0.0.1", port);
                    Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
                settle(m, r);
                r.save();
                new WriteLoad(22).run(m, 10);
                replica.stop();
            }
            new WriteLoad(23).run(m, 10);
            try (RespiteProcess replica = RespiteProcess.startIn(dir, "--replicaof", "127.0.0.1", port);
                    Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
                settle(m, r);
                assertEquals("1", info(m, "stats", "sync_full"));
                assertEquals("1", info(m, "stats", "sync_partial_ok"));
                ReplicationWatch.assertSameData(m, r, 3);
            }
        }
    }

    @Test
    void chainRedisToRespiteToRedisAndPromotion() throws Exception {
        // No PING from the old master between the promotion and its own switch, which would move its offset.
        try (RealRedis top = RealRedis.start("--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600");
                Jedis m = new Jedis("127.0.0.1", top.port(), 10_000)) {
            new WriteLoad(31).run(m, 30);
            String topPort = Integer.toString(top.port());
            try (RespiteProcess middle = RespiteProcess.start(
                            "--replicaof", "127.0.0.1", topPort, "--repl-diskless-sync-delay", "0");
                    Jedis mid = new Jedis("127.0.0.1", middle.port(), 10_000);
                    RealRedis bottom = debian(
                            "--replicaof",
                            "127.0.0.1",
                            Integer.toString(middle.port()),
                            "--propagation-error-behavior",
                            "panic");
                    Jedis low = new Jedis("127.0.0.1", bottom.port(), 10_000);
                    RealRedis sibling = RealRedis.start("--replicaof", "127.0.0.1", topPort);
                    Jedis sib = new Jedis("127.0.0.1", sibling.port(), 10_000)) {
                new WriteLoad(32).run(m, 60);
                settle(m, mid);
                ReplicationWatch.awaitCaughtUp(mid, low, 30_000);
                ReplicationWatch.awaitCaughtUp(m, sib, 30_000);
                ReplicationWatch.assertSameData(m, low, 3);
                assertEquals(info(m, "replication", "master_replid"), info(low, "replication", "master_replid"));

                // Promotion: the old history stays valid as replid2, so nobody needs a full copy.
                String oldId = info(m, "replication", "master_replid");
                assertEquals("OK", mid.replicaofNoOne());
                assertEquals("master", info(mid, "replication", "role"));
                assertEquals(oldId, info(mid, "replication", "master_replid2"));
                assertEquals("OK", sib.replicaof("127.0.0.1", middle.port()));
                assertEquals("OK", m.replicaof("127.0.0.1", middle.port()));
                mid.set("after-promotion", "1");
                new WriteLoad(33).run(mid, 20);
                ReplicationWatch.settleExpiries(mid, DATABASES);
                for (Jedis follower : List.of(low, sib, m)) {
                    ReplicationWatch.awaitCaughtUp(mid, follower, 30_000);
                    ReplicationWatch.assertSameData(mid, follower, 3);
                }
                assertEquals("1", info(mid, "stats", "sync_full"));
                assertEquals("3", info(mid, "stats", "sync_partial_ok"));
                assertTrue(bottom.isAlive(), "the chained replica panicked on a command passed on to it");
            }
        }
    }

    /** The master's short TTLs run out and their DELs reach the replica; then both stand at one offset. */
    private static void settle(Jedis m, Jedis r) throws InterruptedException {
        ReplicationWatch.awaitCaughtUp(m, r, 30_000);
        ReplicationWatch.settleExpiries(m, DATABASES);
        ReplicationWatch.awaitCaughtUp(m, r, 30_000);
    }
}
