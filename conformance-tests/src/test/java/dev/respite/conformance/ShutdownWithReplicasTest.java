package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SHUTDOWN on a master with a replica that has not acknowledged the whole stream waits up to shutdown-timeout, as
 * Redis 7 does: the SHUTDOWN clients stay blocked, writes are held and reads go on, and the server stops as soon as
 * the replica acknowledges (here a raw connection attached with SYNC, whose acknowledgements the test sends).
 * SHUTDOWN ABORT ends the wait with an error to every blocked SHUTDOWN and releases the held writes; SHUTDOWN NOW
 * and the end of shutdown-timeout stop without the replica, logging it as lagging.
 */
class ShutdownWithReplicasTest {
    private static final String FAILED = "-ERR Errors trying to SHUTDOWN. Check logs.\r\n";

    @Test
    void waitsForTheReplicaThenStopsOnceItAcknowledges() throws Exception {
        try (RespiteProcess master = RespiteProcess.start("--shutdown-timeout", "60");
                Jedis j = new Jedis("127.0.0.1", master.port());
                RawConnection replica = new RawConnection(master.port());
                RawConnection shutdown = new RawConnection(master.port());
                RawConnection writer = new RawConnection(master.port())) {
            replica.attachAsReplica();
            j.set("k", "1");
            shutdown.command("SHUTDOWN");
            await("the shutdown to wait", () -> shutdownIn(j) != null);
            assertTrue(Long.parseLong(shutdownIn(j)) > 50_000, shutdownIn(j));
            assertEquals("1", ReplicationWatch.info(j, "clients", "blocked_clients"));
            // The replica's connection is not a client in INFO's count, as in Redis.
            assertEquals("3", ReplicationWatch.info(j, "clients", "connected_clients"));
            assertTrue(master.log().contains("Waiting for replicas before shutting down."));

            writer.command("INCR", "k");
            writer.setTimeout(300);
            assertThrows(SocketTimeoutException.class, writer::readReply, "a write ran during the wait");
            assertEquals("1", j.get("k"));
            assertEquals("2", ReplicationWatch.info(j, "clients", "blocked_clients"));

            replica.command("REPLCONF", "ACK", Long.toString(ReplicationWatch.offset(j)));
            assertTrue(master.process().waitFor(20, TimeUnit.SECONDS), "the master did not stop");
            assertEquals(0, master.process().exitValue());
            String log = master.log();
            assertTrue(log.contains("1 of 1 replicas are in sync when shutting down."), log);
            assertFalse(log.contains("Lagging replica"), log);
            assertTrue(log.contains("ready to exit, bye bye"), log);
        }
    }

    @Test
    void abortAnswersEveryWaitingShutdownAndReleasesWritesThenNowDoesNotWait() throws Exception {
        try (RespiteProcess master = RespiteProcess.start("--shutdown-timeout", "60");
                Jedis j = new Jedis("127.0.0.1", master.port());
                RawConnection replica = new RawConnection(master.port());
                RawConnection first = new RawConnection(master.port());
                RawConnection second = new RawConnection(master.port());
                RawConnection writer = new RawConnection(master.port());
                RawConnection control = new RawConnection(master.port())) {
            replica.attachAsReplica();
            j.set("k", "1");
            first.command("SHUTDOWN");
            await("the shutdown to wait", () -> shutdownIn(j) != null);
            // A SHUTDOWN NOW while one waits joins the wait rather than starting another shutdown, as in Redis.
            second.command("SHUTDOWN", "NOW");
            writer.command("INCR", "k");
            await("three blocked clients", () -> "3".equals(ReplicationWatch.info(j, "clients", "blocked_clients")));

            assertEquals("+OK\r\n", control.call("SHUTDOWN", "ABORT"));
            assertEquals(FAILED, first.readReply());
            assertEquals(FAILED, second.readReply());
            assertEquals(":2\r\n", writer.readReply());
            assertNull(shutdownIn(j));
            assertEquals("0", ReplicationWatch.info(j, "clients", "blocked_clients"));
            assertTrue(master.log().contains("Shutdown manually aborted."));
            assertEquals("-ERR No shutdown in progress.\r\n", first.call("SHUTDOWN", "ABORT"));

            // The replica still lags (it never acknowledged): NOW stops without it.
            first.command("SHUTDOWN", "NOW", "NOSAVE");
            assertTrue(master.process().waitFor(20, TimeUnit.SECONDS), "SHUTDOWN NOW did not stop the master");
            String log = master.log();
            assertTrue(
                    log.matches(
                            "(?s).*Lagging replica \\S+ reported offset \\d+ behind master, lag=\\d+, state=online\\..*"),
                    log);
            assertTrue(log.contains("0 of 1 replicas are in sync when shutting down."), log);
        }
    }

    @Test
    void theWaitEndsAfterShutdownTimeout() throws Exception {
        try (RespiteProcess master = RespiteProcess.start("--shutdown-timeout", "1");
                Jedis j = new Jedis("127.0.0.1", master.port());
                RawConnection replica = new RawConnection(master.port())) {
            replica.attachAsReplica();
            j.set("k", "1");
            long start = System.nanoTime();
            master.process().destroy();
            assertTrue(master.process().waitFor(20, TimeUnit.SECONDS), "the master did not stop");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000));
            String log = master.log();
            assertTrue(log.contains("Waiting for replicas before shutting down."), log);
            assertTrue(log.contains("0 of 1 replicas are in sync when shutting down."), log);
        }
    }

    @Test
    void shutdownTimeoutAndAbortAnswerAsRedis() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                Differential d = new Differential(p.port(), redis.port())) {
            d.check("CONFIG", "GET", "shutdown-timeout");
            d.check("CONFIG", "SET", "shutdown-timeout", "0");
            d.check("CONFIG", "SET", "shutdown-timeout", "-1");
            d.check("CONFIG", "SET", "shutdown-timeout", "abc");
            d.check("CONFIG", "GET", "shutdown-timeout");
            d.check("SHUTDOWN", "ABORT");
            d.check("SHUTDOWN", "ABORT", "ABORT");
            d.check("SHUTDOWN", "ABORT", "NOW");
            d.check("SHUTDOWN", "NOW", "FORCE", "SAVE", "NOSAVE");
            d.check("SHUTDOWN", "LATER");
        }
    }

    /** INFO's shutdown_in_milliseconds, present only while a shutdown waits. */
    private static String shutdownIn(Jedis j) {
        return ReplicationWatch.info(j, "server", "shutdown_in_milliseconds");
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
