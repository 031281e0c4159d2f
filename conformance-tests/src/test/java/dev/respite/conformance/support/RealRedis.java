package dev.respite.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server (Debian's package) on a free loopback port, the reference for differential tests.
 * Its absence is a failure, never a skip: the README's test command installs it.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RealRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static RealRedis start(String... directives) throws IOException {
        Path dir = Files.createTempDirectory("redis-ref");
        return startIn(dir, directives);
    }

    public static RealRedis startIn(Path dir, String... directives) throws IOException {
        return startBinary(Tools.require("redis-server"), dir, directives);
    }

    /** The Redis 7.2.5 build that Respite's replies are specified by (see {@link ReferenceRedis}). */
    public static RealRedis start725(String... directives) throws IOException {
        return startBinary(ReferenceRedis.binary(), Files.createTempDirectory("redis-ref"), directives);
    }

    /** Starts {@code bin} (a redis-server executable, e.g. {@link ReferenceRedis#binary()}) in {@code dir}. */
    public static RealRedis startBinary(String bin, Path dir, String... directives) throws IOException {
        int port = Ports.free();
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--logfile", ""));
        cmd.addAll(List.of(directives));
        Path logs = Path.of("target", "logs");
        Files.createDirectories(logs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve("redis-" + port + ".log").toFile()).start();
        RealRedis r = new RealRedis(p, port, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Ports.answersPing(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                r.close();
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return r;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
