package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WAIT counts acknowledgements against the offset of the waiting client's own last write (Redis's woff), and a
 * master made a replica releases the clients blocked in WAIT, WAITAOF and BLPOP with Redis's error; the same
 * script runs against Respite and the 7.2.5 reference, with a hand-driven replica that acknowledges what the
 * test says.
 */
class WaitOffsetAndDemotionTest {
    private static final String UNBLOCKED =
            "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n";

    private static long masterOffset(RawConnection c) throws Exception {
        String info = c.call("INFO", "replication");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("master_repl_offset:")) {
                return Long.parseLong(line.substring("master_repl_offset:".length()));
            }
        }
        throw new AssertionError("no master_repl_offset in " + info);
    }

    /** A's write acknowledged, B's later one not: A's WAIT counts the replica, B's does not. */
    private static List<String> waitScript(int port) throws Exception {
        try (RawConnection replica = new RawConnection(port);
                RawConnection a = new RawConnection(port);
                RawConnection b = new RawConnection(port)) {
            replica.attachAsReplica();
            assertEquals("+OK\r\n", a.call("SET", "a", "1"));
            long afterA = masterOffset(a);
            assertEquals("+OK\r\n", b.call("SET", "b", "2"));
            replica.command("REPLCONF", "ACK", Long.toString(afterA));
            String waitA = a.call("WAIT", "1", "200");
            String waitB = b.call("WAIT", "1", "200");
            return List.of(waitA, waitB);
        }
    }

    @Test
    void waitCountsAcknowledgementsOfTheClientsOwnLastWrite() throws Exception {
        try (RespiteProcess respite =
                        RespiteProcess.startSmallOnPort(Files.createTempDirectory("respite-wait"), Ports.free());
                RealRedis redis = RealRedis.start()) {
            List<String> expected = List.of(":1\r\n", ":0\r\n");
            assertEquals(expected, waitScript(redis.port()), "the reference");
            assertEquals(expected, waitScript(respite.port()));
        }
    }

    /** Three clients blocked (WAIT, WAITAOF, BLPOP) when the master is told to follow another; their replies. */
    private static List<String> demotionScript(int port, int newMasterPort) throws Exception {
        try (RawConnection replica = new RawConnection(port);
                RawConnection waiter = new RawConnection(port);
                RawConnection aofWaiter = new RawConnection(port);
                RawConnection popper = new RawConnection(port);
                RawConnection admin = new RawConnection(port)) {
            replica.attachAsReplica();
            assertEquals("+OK\r\n", waiter.call("SET", "w", "1"));
            waiter.command("WAIT", "1", "0");
            assertEquals(":1\r\n", aofWaiter.call("INCR", "n"));
            aofWaiter.command("WAITAOF", "0", "1", "0");
            popper.command("BLPOP", "nothing", "0");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!admin.call("INFO", "clients").contains("blocked_clients:3")) {
                assertTrue(System.currentTimeMillis() < deadline, "three clients never blocked");
                Thread.sleep(20);
            }
            assertEquals("+OK\r\n", admin.call("REPLICAOF", "127.0.0.1", Integer.toString(newMasterPort)));
            waiter.setTimeout(10_000);
            aofWaiter.setTimeout(10_000);
            popper.setTimeout(10_000);
            List<String> replies = List.of(waiter.readReply(), aofWaiter.readReply(), popper.readReply());
            assertTrue(waiter.isClosedByPeer(), "the WAIT client is disconnected after its reply");
            return replies;
        }
    }

    @Test
    void aDemotedMasterReleasesItsBlockedClientsWithAnError() throws Exception {
        try (RealRedis newMaster = RealRedis.start();
                RespiteProcess respite = RespiteProcess.startSmallOnPort(
                        Files.createTempDirectory("respite-demoted"), Ports.free(), "--appendonly", "yes");
                RealRedis redis = RealRedis.start("--appendonly", "yes")) {
            List<String> expected = List.of(UNBLOCKED, UNBLOCKED, UNBLOCKED);
            assertEquals(expected, demotionScript(redis.port(), newMaster.port()), "the reference");
            assertEquals(expected, demotionScript(respite.port(), newMaster.port()));
        }
    }
}
