package dev.respite.conformance;

import static dev.respite.conformance.support.ReplicationWatch.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import dev.respite.conformance.support.WriteLoad;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A real redis-server 7.0 replicates from Respite while a mixed write load runs: the replica, which panics
 * on any propagated command it cannot apply, ends with the master's offset and the master's data (values
 * and whether each key expires), after a full resynchronisation in either payload form and after its
 * connection is killed and resumed from the backlog.
 */
class RedisReplicaOfRespiteTest {
    private static final int DATABASES = 4;

    @ParameterizedTest(name = "repl-diskless-sync {0}")
    @ValueSource(strings = {"yes", "no"})
    void redisReplicaFollowsRespiteUnderMixedLoad(String diskless) throws Exception {
        try (RespiteProcess master =
                        RespiteProcess.start("--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
                Jedis m = new Jedis("127.0.0.1", master.port(), 10_000)) {
            SampleData.populate(m);
            new WriteLoad(1).run(m, 40);
            try (RealRedis replica = RealRedis.startDebianIn(
                            Files.createTempDirectory("redis-70"),
                            "--replicaof",
                            "127.0.0.1",
                            Integer.toString(master.port()),
                            "--propagation-error-behavior",
                            "panic");
                    Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000);
                    Jedis writer = new Jedis("127.0.0.1", master.port(), 10_000)) {
                // Writes keep coming while the payload is produced and loaded: they are buffered for the replica.
                CompletableFuture<Void> load = CompletableFuture.runAsync(() -> new WriteLoad(2).run(writer, 150));
                load.get(120, TimeUnit.SECONDS);
                ReplicationWatch.awaitCaughtUp(m, r, 30_000);
                ReplicationWatch.settleExpiries(m, DATABASES);
                ReplicationWatch.awaitCaughtUp(m, r, 30_000);
                ReplicationWatch.assertSameData(m, r, DATABASES);
                assertEquals(1, m.waitReplicas(1, 5000));
                assertEquals("1", info(m, "stats", "sync_full"));

                long killed = m.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
                assertEquals(1, killed);
                new WriteLoad(3).run(m, 30);
                ReplicationWatch.awaitCaughtUp(m, r, 30_000);
                ReplicationWatch.settleExpiries(m, DATABASES);
                ReplicationWatch.awaitCaughtUp(m, r, 30_000);
                assertEquals("1", info(m, "stats", "sync_partial_ok"));
                assertEquals("1", info(m, "stats", "sync_full"));
                ReplicationWatch.assertSameData(m, r, DATABASES);
                assertEquals(info(m, "replication", "master_replid"), info(r, "replication", "master_replid"));
                assertTrue(info(m, "replication", "slave0").contains("state=online"), m.info("replication"));
                assertTrue(replica.isAlive(), "the replica panicked on a propagated command");
            }
        }
    }
}
