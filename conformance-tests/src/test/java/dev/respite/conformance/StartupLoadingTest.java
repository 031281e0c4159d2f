package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.ReferenceRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A server loading its RDB file at start-up takes connections and answers them as Redis does: -LOADING to
 * commands not allowed while loading, INFO's loading fields, and commands flagged for loading (INFO, CONFIG,
 * DEBUG, SELECT) served. key-load-delay keeps the load going long enough to look at it.
 */
class StartupLoadingTest {
    private static final int KEYS = 20_000;
    /** Microseconds per key: 20 000 keys take 20 s or more, far longer than the checks. */
    private static final String DELAY = "1000";

    @Test
    void clientsAreAnsweredWhileTheSnapshotLoadsAsRedisAnswersThem() throws Exception {
        Path respiteDir = Files.createTempDirectory("startup-loading");
        try (RespiteProcess r = RespiteProcess.startIn(respiteDir);
                RawConnection c = new RawConnection(r.port())) {
            assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "100"));
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        Path redisDir = Files.createTempDirectory("startup-loading-redis");
        Files.copy(respiteDir.resolve("dump.rdb"), redisDir.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        long fileSize = Files.size(respiteDir.resolve("dump.rdb"));

        int respitePort = Ports.free();
        int redisPort = Ports.free();
        Process respite = launch(
                RespiteProcess.command(arguments(respitePort, respiteDir).toArray(String[]::new)),
                respiteDir,
                "respite");
        Process redis = launch(redisCommand(redisPort, redisDir), redisDir, "redis");
        try {
            awaitConnectable(respitePort, respite);
            awaitConnectable(redisPort, redis);
            try (Differential d = new Differential(respitePort, redisPort)) {
                assertEquals("-LOADING Redis is loading the dataset in memory\r\n", d.check("PING"));
                d.check("GET", "key:1");
                d.check("SET", "k", "v");
                d.check("DBSIZE");
                d.check("SELECT", "1");
                d.check("DEBUG", "LOG", "still loading");
                d.check("CONFIG", "GET", "key-load-delay");
                d.check("CONFIG", "SET", "repl-diskless-load", "swapdb");
                d.check("CONFIG", "SET", "appendonly", "yes");
                d.check("CONFIG", "SET", "loglevel", "verbose");

                String info = d.respite().call("INFO", "persistence");
                assertTrue(info.contains("\r\nloading:1\r\n"), info);
                assertTrue(info.contains("loading_total_bytes:" + fileSize + "\r\n"), info);
                assertEquals(loadingFields(d.redis().call("INFO", "persistence")), loadingFields(info));

                d.check("CONFIG", "SET", "key-load-delay", "0");
                awaitLoaded(d.respite());
                awaitLoaded(d.redis());
                d.check("SELECT", "0");
                assertEquals(":" + KEYS + "\r\n", d.check("DBSIZE"));
                d.check("GET", "key:1");
                assertTrue(
                        d.respite().call("INFO", "persistence").contains("rdb_last_load_keys_loaded:" + KEYS + "\r\n"));
            }
        } finally {
            stop(respite);
            stop(redis);
        }
    }

    /** A SIGTERM while loading ends the process without saving the half-loaded dataset over the file. */
    @Test
    void stoppingWhileLoadingLeavesTheFileAsItWas() throws Exception {
        Path dir = Files.createTempDirectory("startup-loading-stop");
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                RawConnection c = new RawConnection(r.port())) {
            assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", Integer.toString(KEYS), "key", "100"));
            assertEquals("+OK\r\n", c.call("SAVE"));
        }
        byte[] before = Files.readAllBytes(dir.resolve("dump.rdb"));
        int port = Ports.free();
        List<String> cmd =
                new ArrayList<>(RespiteProcess.command(arguments(port, dir).toArray(String[]::new)));
        cmd.addAll(List.of("--save", "900 1"));
        Process p = launch(cmd, dir, "respite-stop");
        try {
            awaitConnectable(port, p);
            try (RawConnection c = new RawConnection(port)) {
                assertTrue(c.call("INFO", "persistence").contains("\r\nloading:1\r\n"));
                assertEquals("+OK\r\n", c.call("DEBUG", "LOG", "stopping"));
            }
        } finally {
            stop(p);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("dump.rdb"))));
    }

    private static List<String> arguments(int port, Path dir) {
        return List.of(
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                dir.toString(),
                "--key-load-delay",
                DELAY,
                "--loading-process-events-interval-bytes",
                "1024");
    }

    private static List<String> redisCommand(int port, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ReferenceRedis.binary());
        cmd.addAll(arguments(port, dir));
        cmd.addAll(
                List.of("--appendonly", "no", "--daemonize", "no", "--logfile", "", "--enable-debug-command", "yes"));
        return cmd;
    }

    private static Process launch(List<String> cmd, Path dir, String name) throws IOException {
        Path logs = Path.of("target", "logs");
        Files.createDirectories(logs);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("startup-loading-" + name + ".log").toFile())
                .directory(dir.toFile())
                .start();
    }

    /** The listener takes connections before the load ends: a connection made and answered is enough. */
    private static void awaitConnectable(int port, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            assertTrue(p.isAlive(), "the server exited");
            try (RawConnection c = new RawConnection(port)) {
                String info = c.call("INFO", "persistence");
                assertTrue(info.contains("\r\nloading:1\r\n"), "the load ended before it could be looked at: " + info);
                return;
            } catch (java.net.ConnectException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no connection was accepted on port " + port);
    }

    private static void awaitLoaded(RawConnection c) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (c.call("INFO", "persistence").contains("\r\nloading:0\r\n")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the load did not finish");
    }

    /** The names of INFO's loading fields (their values differ from server to server). */
    private static TreeSet<String> loadingFields(String info) {
        TreeSet<String> names = new TreeSet<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("loading") || line.startsWith("async_loading")) {
                names.add(line.substring(0, line.indexOf(':')));
            }
        }
        return names;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
