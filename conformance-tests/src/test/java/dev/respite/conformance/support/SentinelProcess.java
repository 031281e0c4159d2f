package dev.respite.conformance.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Redis Sentinel from the reference 7.2.5 build (redis-server --sentinel), with its sentinel.conf in a temp dir. */
public final class SentinelProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private SentinelProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a sentinel whose configuration is its port and dir followed by {@code monitorLines} (sentinel
     * monitor, down-after-milliseconds...).
     */
    public static SentinelProcess start(List<String> monitorLines) throws IOException {
        int port = Ports.free();
        Path dir = Files.createTempDirectory("sentinel");
        StringBuilder conf = new StringBuilder()
                .append("port ")
                .append(port)
                .append("\nbind 127.0.0.1\ndir ")
                .append(dir)
                .append('\n');
        for (String line : monitorLines) {
            conf.append(line).append('\n');
        }
        Path confFile = dir.resolve("sentinel.conf");
        Files.writeString(confFile, conf);
        Path logs = Path.of("target", "logs");
        Files.createDirectories(logs);
        Process p = new ProcessBuilder(ReferenceRedis.binary(), confFile.toString(), "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve("sentinel-" + port + ".log").toFile())
                .start();
        SentinelProcess s = new SentinelProcess(p, port, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Ports.answersPing(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new IllegalStateException("redis-sentinel did not start on port " + port);
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return s;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
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
            process.destroyForcibly();
        }
    }
}
