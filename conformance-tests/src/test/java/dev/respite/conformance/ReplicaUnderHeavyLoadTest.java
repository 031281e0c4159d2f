package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SampleData;
import dev.respite.conformance.support.WriteLoad;
import java.io.Closeable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A full resynchronisation from a Respite master whose dataset takes a while to walk, while several clients
 * write at once: the payload's point in time and the stream that follows it must meet exactly, for a Redis
 * 7.0 replica and for a Respite replica, with either payload form.
 */
class ReplicaUnderHeavyLoadTest {
    private static final int DATABASES = 4;
    private static final int FILLER_KEYS = 100_000;
    private static final int WRITERS = 3;

    @ParameterizedTest(name = "{0} replica, repl-diskless-sync {1}")
    @CsvSource({"redis, yes", "redis, no", "respite, yes", "respite, no"})
    void replicaMeetsTheMasterAfterASyncUnderConcurrentWrites(String replicaKind, String diskless) throws Exception {
        try (RespiteProcess master =
                        RespiteProcess.start("--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
                Jedis m = new Jedis("127.0.0.1", master.port(), 30_000)) {
            SampleData.populate(m);
            fill(m);
            new WriteLoad(21).run(m, 20);
            List<Jedis> writers = new ArrayList<>();
            try (Replica replica = startReplica(replicaKind, master.port());
                    Jedis r = new Jedis("127.0.0.1", replica.port(), 30_000)) {
                List<CompletableFuture<Void>> loads = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    Jedis w = new Jedis("127.0.0.1", master.port(), 30_000);
                    writers.add(w);
                    long seed = 100 + i;
                    loads.add(CompletableFuture.runAsync(() -> new WriteLoad(seed, "w" + seed + ":").run(w, 120)));
                }
                for (CompletableFuture<Void> load : loads) {
                    load.get(300, TimeUnit.SECONDS);
                }
                ReplicationWatch.awaitCaughtUp(m, r, 60_000);
                ReplicationWatch.settleExpiries(m, DATABASES);
                ReplicationWatch.awaitCaughtUp(m, r, 60_000);
                ReplicationWatch.assertSameData(m, r, DATABASES);
                assertTrue(replica.isAlive(), "the replica stopped on a propagated command");
            } finally {
                writers.forEach(Jedis::close);
            }
        }
    }

    /** Keys enough that the payload's walk spans many turns of the event loop while the writers run. */
    private static void fill(Jedis m) {
        m.select(3);
        Pipeline p = m.pipelined();
        for (int i = 0; i < FILLER_KEYS; i += 1000) {
            String[] kv = new String[2000];
            for (int k = 0; k < 1000; k++) {
                kv[2 * k] = "filler:" + (i + k);
                kv[2 * k + 1] = "value-" + (i + k);
            }
            p.mset(kv);
        }
        p.sync();
        m.select(0);
    }

    private interface Replica extends Closeable {
        int port();

        boolean isAlive();
    }

    private static Replica startReplica(String kind, int masterPort) throws Exception {
        if (kind.equals("redis")) {
            RealRedis redis = RealRedis.startDebianIn(
                    Files.createTempDirectory("redis-70"),
                    "--replicaof",
                    "127.0.0.1",
                    Integer.toString(masterPort),
                    "--propagation-error-behavior",
                    "panic");
            return new Replica() {
                public int port() {
                    return redis.port();
                }

                public boolean isAlive() {
                    return redis.isAlive();
                }

                public void close() {
                    redis.close();
                }
            };
        }
        RespiteProcess respite = RespiteProcess.start("--replicaof", "127.0.0.1", Integer.toString(masterPort));
        return new Replica() {
            public int port() {
                return respite.port();
            }

            public boolean isAlive() {
                return respite.process().isAlive();
            }

            public void close() {
                respite.close();
            }
        };
    }
}
