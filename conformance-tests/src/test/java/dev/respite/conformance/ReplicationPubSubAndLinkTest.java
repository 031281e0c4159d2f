package dev.respite.conformance;

import static dev.respite.conformance.support.ReplicationWatch.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * PUBLISH reaches the subscribers of replicas, a Respite master's and a Respite replica's alike; a Respite
 * replica lists its master link in CLIENT LIST (flags=M), drops it on CLIENT KILL TYPE master and continues
 * with a partial resynchronisation, and its INFO replication has the fields a Redis replica has, in order.
 */
class ReplicationPubSubAndLinkTest {

    @Test
    void publishOnRespiteMasterReachesSubscriberOfRedisReplica() throws Exception {
        try (RespiteProcess master = RespiteProcess.start();
                Jedis m = new Jedis("127.0.0.1", master.port(), 10_000);
                RealRedis replica = RealRedis.startDebianIn(
                        Files.createTempDirectory("redis-70"),
                        "--replicaof",
                        "127.0.0.1",
                        Integer.toString(master.port()),
                        "--propagation-error-behavior",
                        "panic");
                Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertEquals(List.of("news:hello", "news:world"), publishAndReceive(m, replica.port()));
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertTrue(replica.isAlive(), "the replica panicked on PUBLISH");
        }
    }

    @Test
    void publishOnRedisMasterReachesSubscriberOfRespiteReplica() throws Exception {
        try (RealRedis master = RealRedis.start();
                Jedis m = new Jedis("127.0.0.1", master.port(), 10_000);
                RespiteProcess replica =
                        RespiteProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertEquals(List.of("news:hello", "news:world"), publishAndReceive(m, replica.port()));
        }
    }

    @Test
    void respiteReplicaOfRespiteReceivesPublishAndKeepsItOutOfTheAppendOnlyFile() throws Exception {
        try (RespiteProcess master = RespiteProcess.start("--appendonly", "yes");
                Jedis m = new Jedis("127.0.0.1", master.port(), 10_000);
                RespiteProcess replica =
                        RespiteProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertEquals(List.of("news:hello", "news:world"), publishAndReceive(m, replica.port()));
            m.set("after", "the messages");
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertEquals("the messages", r.get("after"));
            String aof = "";
            for (int i = 0; i < 100 && !aof.contains("after"); i++) {
                Thread.sleep(50);
                aof = new String(Files.readAllBytes(appendOnlyIncrement(master)));
            }
            assertTrue(aof.contains("after"), aof);
            assertTrue(!aof.toUpperCase().contains("PUBLISH"), aof);
        }
    }

    @Test
    void respiteReplicaListsItsMasterLinkAndDropsItOnKill() throws Exception {
        try (RealRedis master = RealRedis.start();
                Jedis m = new Jedis("127.0.0.1", master.port(), 10_000);
                RespiteProcess replica =
                        RespiteProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000);
                RealRedis redisReplica = RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis rr = new Jedis("127.0.0.1", redisReplica.port(), 10_000)) {
            m.set("k", "v");
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            ReplicationWatch.awaitCaughtUp(m, rr, 30_000);

            String masterLine = masterLine(r.clientList());
            assertTrue(masterLine.contains(" addr=127.0.0.1:" + master.port() + " "), masterLine);
            assertTrue(masterLine.contains(" cmd="), masterLine);
            assertEquals(fieldNames(masterLine(rr.clientList())), fieldNames(masterLine));
            assertTrue(r.clientList(ClientType.MASTER).contains("flags=M"), r.clientList());

            assertEquals(fieldNames(rr.info("replication")), fieldNames(r.info("replication")));

            long killed = r.clientKill(ClientKillParams.clientKillParams().type(ClientType.MASTER));
            assertEquals(1, killed, r.clientList() + "\n" + r.info("replication"));
            // The link reconnects and continues from the backlog.
            for (int i = 0; i < 200 && !"1".equals(info(m, "stats", "sync_partial_ok")); i++) {
                Thread.sleep(50);
            }
            assertEquals("1", info(m, "stats", "sync_partial_ok"));
            m.set("k", "after the kill");
            ReplicationWatch.awaitCaughtUp(m, r, 30_000);
            assertEquals("after the kill", r.get("k"));
            String relisted = masterLine(r.clientList());
            assertTrue(!relisted.startsWith(masterLine.substring(0, masterLine.indexOf(' '))), relisted);
        }
    }

    private static List<String> publishAndReceive(Jedis master, int replicaPort) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(channel + ":" + message);
            }
        };
        Thread subscriber = new Thread(() -> {
            try (Jedis s = new Jedis("127.0.0.1", replicaPort, 10_000)) {
                s.subscribe(listener, "news");
            }
        });
        subscriber.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!listener.isSubscribed() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        // Nobody subscribes on the master: the count is the master's own, the delivery the replica's.
        assertEquals(0, master.publish("news", "hello"));
        assertEquals(0, master.publish("news", "world"));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                break;
            }
            got.add(message);
        }
        listener.unsubscribe();
        subscriber.join(10_000);
        return got;
    }

    private static String masterLine(String clientList) {
        for (String line : clientList.split("\n")) {
            if (line.contains(" flags=M ")) {
                return line.trim();
            }
        }
        throw new AssertionError("no master client in CLIENT LIST:\n" + clientList);
    }

    /** The names of "name=value" or "name:value" fields, in order. */
    private static List<String> fieldNames(String text) {
        List<String> names = new ArrayList<>();
        for (String part : text.split("[ \r\n]+")) {
            int eq = part.indexOf('=');
            int colon = part.indexOf(':');
            int at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
            if (at > 0 && !part.startsWith("#")) {
                names.add(part.substring(0, at));
            }
        }
        return names;
    }

    private static java.nio.file.Path appendOnlyIncrement(RespiteProcess p) throws IOException {
        try (var files = Files.walk(p.dir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".incr.aof"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no incremental append-only file in " + p.dir()));
        }
    }
}
