package dev.respite.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real redis-server on a free loopback port. {@link #start} runs Redis 7.2.5, the version Respite
 * reports, built from the reference source: the oracle for differential tests. {@link #startDebianIn} runs
 * Debian's packaged 7.0, for snapshot compatibility with the Redis users already run. Each asserts the
 * version it started; a missing server is a failure, never a skip (bin/run-tests provides both).
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

    /** Redis 7.2.5 in a fresh directory. */
    public static RealRedis start(String... directives) throws IOException {
        Path dir = Files.createTempDirectory("redis-ref");
        return startIn(dir, directives);
    }

    /** Redis 7.2.5 with {@code dir} as its working directory. */
    public static RealRedis startIn(Path dir, String... directives) throws IOException {
        return launch(ReferenceRedis.binary(), "7.2.5", dir, directives);
    }

    /** Redis 7.2.5 on {@code port} in a fresh directory (a cluster node whose bus port must be port + 10000). */
    public static RealRedis startOnPort(int port, String... directives) throws IOException {
        return launch(ReferenceRedis.binary(), "7.2.5", Files.createTempDirectory("redis-ref"), port, directives);
    }

    /** Debian's redis-server 7.0, which writes and reads the snapshots of Redis 7.0 installations. */
    public static RealRedis startDebianIn(Path dir, String... directives) throws IOException {
        return launch(Tools.require("redis-server"), "7.0.", dir, directives);
    }

    /** Debian's redis-server 7.0 on {@code port} in a fresh directory (a cluster node: its bus port is port + 10000). */
    public static RealRedis startDebianOnPort(int port, String... directives) throws IOException {
        return launch(Tools.require("redis-server"), "7.0.", Files.createTempDirectory("redis-deb"), port, directives);
    }

    private static RealRedis launch(String bin, String version, Path dir, String... directives) throws IOException {
        return launch(bin, version, dir, Ports.free(), directives);
    }

    private static RealRedis launch(String bin, String version, Path dir, int port, String... directives)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                bin,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--logfile",
                ""));
        cmd.addAll(List.of(directives));
        Path logs = Path.of("target", "logs");
        Files.createDirectories(logs);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("redis-" + port + ".log").toFile())
                .start();
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
        String started = r.version(password(directives));
        if (!started.startsWith(version)) {
            r.close();
            throw new IllegalStateException(bin + " is Redis " + started + ", not " + version);
        }
        return r;
    }

    private static String password(String... directives) {
        for (int i = 0; i + 1 < directives.length; i++) {
            if (directives[i].equals("--requirepass")) {
                return directives[i + 1];
            }
        }
        return null;
    }

    /** INFO server's redis_version, as the running server reports it. */
    private String version(String password) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            if (password != null) {
                c.call("AUTH", password);
            }
            Matcher m = Pattern.compile("redis_version:(\\S+)").matcher(c.call("INFO", "server"));
            if (!m.find()) {
                throw new IllegalStateException("INFO server has no redis_version on port " + port);
            }
            return m.group(1);
        }
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

    /** False once the server exited (a replica started with propagation-error-behavior panic that met an error). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crashed node. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
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
