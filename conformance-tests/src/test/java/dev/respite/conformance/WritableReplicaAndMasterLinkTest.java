package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A Respite replica of a Respite master: with replica-read-only no it expires the keys its own clients wrote
 * with a TTL (no DEL will come from the master for them) and, writing over a key whose time passed, replaces
 * it; CLIENT LIST shows the master link's real file descriptor.
 */
class WritableReplicaAndMasterLinkTest {
    private static RespiteProcess start(String... directives) throws Exception {
        return RespiteProcess.startSmallOnPort(Files.createTempDirectory("respite-writable"), Ports.free(), directives);
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

    private static void awaitLinkUp(Jedis replica) throws InterruptedException {
        await("the replica's link", 20_000, () -> replica.info("replication").contains("master_link_status:up"));
    }

    @Test
    void aWritableReplicaExpiresTheKeysItsClientsWroteWithATtl() throws Exception {
        try (RespiteProcess master = start();
                RespiteProcess replica = start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis m = new Jedis("127.0.0.1", master.port());
                Jedis r = new Jedis("127.0.0.1", replica.port())) {
            awaitLinkUp(r);
            r.configSet("replica-read-only", "no");
            r.select(5);
            r.set("own1", "1", SetParams.setParams().px(300));
            r.set("own2", "2", SetParams.setParams().px(300));
            r.set("kept", "3");
            assertEquals(3, r.dbSize());
            await("the replica's own keys to expire", 5_000, () -> r.dbSize() == 1);
            assertEquals("3", r.get("kept"));

            // A key of the master's, expired but kept on the replica until the master's DEL.
            m.sendCommand(() -> SafeEncoder.encode("DEBUG"), "set-active-expire", "0");
            m.select(5);
            m.set("fromMaster", "5", SetParams.setParams().px(10));
            m.set("alsoFromMaster", "5", SetParams.setParams().px(10));
            // Both past their expiry: the second SET may reach the master milliseconds after the first.
            await(
                    "the master's keys on the replica",
                    5_000,
                    () -> r.dbSize() == 3 && !r.exists("fromMaster") && !r.exists("alsoFromMaster"));
            assertEquals(1, r.incr("fromMaster"));
            assertEquals(-1, r.ttl("fromMaster"));
            assertNull(r.get("alsoFromMaster"));
            assertEquals(3, r.dbSize());
        }
    }

    @Test
    void aCommandOfTheMastersStreamThatFailsIsReportedAsDivergence() throws Exception {
        try (RespiteProcess master = start();
                RespiteProcess replica = start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis m = new Jedis("127.0.0.1", master.port());
                Jedis r = new Jedis("127.0.0.1", replica.port())) {
            awaitLinkUp(r);
            await("the replica online", 20_000, () -> m.info("replication").contains("state=online"));
            // DEBUG REPLICATE sends a command to the replicas only.
            assertEquals("OK", SafeEncoder.encode((byte[])
                    m.sendCommand(() -> SafeEncoder.encode("DEBUG"), "replicate", "fake-command-1")));
            r.configSet("replica-read-only", "no");
            r.set("number2", "foo");
            m.incrBy("number2", 1);
            assertEquals(1, m.waitReplicas(1, 5000));
            assertEquals("1", m.get("number2"));
            assertEquals("foo", r.get("number2"));
            String log = replica.log();
            assertTrue(
                    log.contains(
                            "== CRITICAL == This replica is sending an error to its master: "
                                    + "'unknown command 'fake-command-1', with args beginning with: ' after processing the command"),
                    log);
            assertTrue(
                    log.contains("== CRITICAL == This replica is sending an error to its master: "
                            + "'value is not an integer or out of range' after processing the command 'incrby'"),
                    log);
            assertTrue(r.info("stats").contains("unexpected_error_replies:2"));
        }
    }

    @Test
    void bindSourceAddrChoosesTheAddressTheMasterLinkLeavesFrom() throws Exception {
        try (RespiteProcess master = start("--protected-mode", "no");
                RespiteProcess replica = start();
                Jedis m = new Jedis("127.0.0.1", master.port());
                Jedis r = new Jedis("127.0.0.1", replica.port())) {
            assertEquals("OK", r.configSet("bind-source-addr", "127.0.0.2"));
            r.replicaof("127.0.0.1", master.port());
            awaitLinkUp(r);
            String replicaLine = m.info("replication")
                    .lines()
                    .filter(l -> l.startsWith("slave0:"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(replicaLine.contains("ip=127.0.0.2,"), replicaLine);
        }
    }

    @Test
    void clientListShowsTheMasterLinksFileDescriptor() throws Exception {
        try (RespiteProcess master = start();
                RespiteProcess replica = start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
                Jedis r = new Jedis("127.0.0.1", replica.port())) {
            awaitLinkUp(r);
            String line = r.clientList(ClientType.MASTER).trim();
            assertTrue(line.contains("flags=M"), line);
            int fd = Integer.parseInt(line.replaceAll(".* fd=(-?\\d+) .*", "$1"));
            assertTrue(fd > 2, "fd=" + fd + " in " + line);
            Path link = Path.of("/proc", Long.toString(replica.pid()), "fd", Integer.toString(fd));
            assertTrue(Files.readSymbolicLink(link).toString().startsWith("socket:["), link + " is not a socket");
        }
    }
}
