package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** The append-only file end to end: what is logged, restarts, damaged files, --check-aof. */
class AppendOnlyFileTest {
    static final String[] AOF = {"--appendonly", "yes", "--appendfsync", "always"};

    static Path lastIncr(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        String last = lines.get(lines.size() - 1);
        return dir.resolve("appendonlydir").resolve(last.split(" ")[1]);
    }

    private static void writeSample(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("a", "1");
            j.select(3);
            j.set("b", "2");
            Transaction t = j.multi();
            t.set("c", "3");
            t.set("d", "4");
            t.exec();
            j.select(0);
            j.set("gone", "x");
            j.del("gone");
        }
    }

    private static void assertSample(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("1", j.get("a"));
            assertNull(j.get("gone"));
            j.select(3);
            assertEquals("2", j.get("b"));
            assertEquals("3", j.get("c"));
            assertEquals("4", j.get("d"));
        }
    }

    @Test
    void writesSurviveARestartInTheirDatabases(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF)) {
            writeSample(s.port());
            s.stop();
        }
        String log = Files.readString(lastIncr(dir), StandardCharsets.ISO_8859_1);
        assertTrue(log.contains("*1\r\n$5\r\nMULTI\r\n"), log);
        assertTrue(log.contains("$6\r\nSELECT\r\n$1\r\n3\r\n"), log);
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF)) {
            assertSample(s.port());
        }
    }

    /** Redis writes the file before it replies; DEBUG AOF-FLUSH-SLEEP makes a reply that did not wait visible. */
    @Test
    void aWriteIsInTheFileWhenItsReplyArrives(@TempDir Path dir) throws Exception {
        for (String policy : new String[] {"everysec", "no"}) {
            Path sub = Files.createDirectories(dir.resolve(policy));
            try (RespiteProcess s = RespiteProcess.startIn(sub, "--appendonly", "yes", "--appendfsync", policy);
                    Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "AOF-FLUSH-SLEEP", "200000");
                Path incr = lastIncr(sub);
                for (int i = 0; i < 3; i++) {
                    long before = Files.size(incr);
                    j.set("k" + i, "v");
                    assertTrue(
                            Files.size(incr) > before, policy + ": SET " + i + " was answered before it was written");
                    long written = Files.size(incr);
                    j.getEx("k" + i, redis.clients.jedis.params.GetExParams.getExParams());
                    assertEquals(written, Files.size(incr), policy + ": GETEX without options is not logged");
                }
            }
        }
    }

    @Test
    void commandsThatChangeNothingAreNotLogged(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k", "v");
            long before = Files.size(lastIncr(dir));
            j.del("missing");
            j.get("k");
            assertEquals(before, Files.size(lastIncr(dir)));
        }
    }

    @Test
    void shutdownCommandFsyncsAndExits(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes", "--appendfsync", "no")) {
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.set("k", "v");
                j.shutdown();
            }
            assertTrue(s.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, s.process().exitValue());
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("v", j.get("k"));
        }
    }

    @Test
    void truncatedLastCommandIsDroppedAndTheServerStarts(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF)) {
            writeSample(s.port());
            s.kill();
        }
        Path incr = lastIncr(dir);
        long good = Files.size(incr);
        Files.write(
                incr,
                "*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$4\r\nhal".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF)) {
            assertSample(s.port());
            assertTrue(
                    s.log().contains("!!! Truncating the AOF " + incr.getFileName() + " at offset " + good + " !!!"),
                    s.log());
            assertEquals(good, Files.size(incr));
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                j.set("after", "fix");
            }
            s.stop();
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("fix", j.get("after"));
        }
    }

    @Test
    void damageInTheMiddleStopsTheStartNamingTheOffsetAndCheckAofFixesIt(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF)) {
            writeSample(s.port());
            s.stop();
        }
        Path incr = lastIncr(dir);
        byte[] bytes = Files.readAllBytes(incr);
        // The SET before the last DEL: damage with complete commands on both sides, outside the transaction.
        int at = new String(bytes, StandardCharsets.ISO_8859_1).lastIndexOf("*3\r\n$3\r\nSET\r\n$4\r\ngone");
        bytes[at] = '!';
        Files.write(incr, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RespiteProcess.startIn(dir, AOF));
        assertTrue(e.getMessage().contains("at offset " + at), e.getMessage());

        Tools.Result check = checkAof(incr, false);
        assertEquals(1, check.exitCode());
        assertTrue(check.stdout().contains("ok_up_to=" + at), check.stdout());
        Tools.Result fixed = checkAof(incr, true);
        assertEquals(0, fixed.exitCode(), fixed.stdout());
        assertEquals(at, Files.size(incr));
        assertEquals(
                0,
                checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"), false)
                        .exitCode());
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("1", j.get("a"));
        }
    }

    private static Tools.Result checkAof(Path file, boolean fix) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = fix
                ? List.of(java, "-jar", RespiteProcess.jar().toString(), "--check-aof", file.toString(), "--fix")
                : List.of(java, "-jar", RespiteProcess.jar().toString(), "--check-aof", file.toString());
        return Tools.run(cmd, null, 60);
    }
}
