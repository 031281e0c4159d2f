package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM stops the server as SHUTDOWN does, with shutdown-on-sigterm's flags, and a failed save keeps it up. */
class StopSignalsTest {
    @Test
    void aFailedSaveKeepsTheServerRunningUntilForcedOrNosave(@TempDir Path dir) throws Exception {
        try (RespiteProcess p = RespiteProcess.startIn(dir, "--save", "900 1");
                RawConnection c = new RawConnection(p.port())) {
            c.call("SET", "k", "v");
            // A directory where the snapshot must go: the save fails at its rename.
            Files.createDirectory(dir.resolve("dump.rdb"));
            p.process().destroy();
            awaitLog(p, "Errors trying to shut down the server");
            assertTrue(p.process().isAlive());
            assertEquals("+PONG\r\n", c.call("PING"));
            assertFalse(Files.list(dir).anyMatch(f -> f.getFileName().toString().startsWith("temp-")));
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", c.call("SHUTDOWN"));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "shutdown-on-sigterm", "nosave"));
            p.process().destroy();
            assertTrue(p.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.process().exitValue());
            assertTrue(p.log().contains("Received SIGTERM scheduling shutdown..."));
            assertTrue(p.log().contains("ready to exit, bye bye"));
        }
    }

    @Test
    void shutdownOnSignalSettingsAnswerAsRedis() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                Differential d = new Differential(p.port(), redis.port())) {
            for (String name : new String[] {"shutdown-on-sigint", "shutdown-on-sigterm"}) {
                d.check("CONFIG", "GET", name);
                d.check("CONFIG", "SET", name, "nosave now");
                d.check("CONFIG", "GET", name);
                d.check("CONFIG", "SET", name, "force save now");
                d.check("CONFIG", "GET", name);
                d.check("CONFIG", "SET", name, "save nosave");
                d.check("CONFIG", "SET", name, "sometimes");
                d.check("CONFIG", "SET", name, "default");
                d.check("CONFIG", "GET", name);
            }
        }
    }

    private static void awaitLog(RespiteProcess p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!p.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in the log:\n" + p.log());
            Thread.sleep(50);
        }
    }
}
