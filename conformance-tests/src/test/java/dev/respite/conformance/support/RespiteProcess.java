package dev.respite.conformance.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged server (cli/target/respite-server.jar) started as a separate process on a free loopback
 * port, with persistence off unless the arguments say otherwise. Its log goes to target/logs.
 */
public final class RespiteProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final Path dir;

    private RespiteProcess(Process process, int port, Path log, Path dir) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.dir = dir;
    }

    public static Path jar() {
        String p = System.getProperty("respite.jar", "../cli/target/respite-server.jar");
        Path jar = Path.of(p).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Packaged server missing at " + jar + " (run mvn verify from the root)");
        }
        return jar;
    }

    /** Starts a server with extra directives, e.g. {@code start("--maxclients", "5")}. */
    public static RespiteProcess start(String... directives) throws IOException {
        Path dir = Files.createTempDirectory("respite-test");
        return startIn(dir, directives);
    }

    /** Starts a server whose working directory (and so its persistence files) is {@code dir}. */
    public static RespiteProcess startIn(Path dir, String... directives) throws IOException {
        return startWithConfig(dir, null, directives);
    }

    /**
     * Starts a server that reads {@code configFile} first, as redis-server does (null for none); the test's port,
     * bind, save and dir, then {@code directives}, override it. The system property {@code respite.ioThreads}, when
     * set, adds {@code --io-threads} (the build's second test pass sets it).
     */
    public static RespiteProcess startWithConfig(Path dir, Path configFile, String... directives) throws IOException {
        return launch(dir, configFile, Ports.free(), "-Xmx1g", directives);
    }

    /**
     * Starts a server with a 256 MB heap on {@code port} (so that a node killed in a failover test comes back at
     * the address its group knows it by), in {@code dir}.
     */
    public static RespiteProcess startSmallOnPort(Path dir, int port, String... directives) throws IOException {
        return launch(dir, null, port, "-Xmx256m", directives);
    }

    /** Starts a server in a new directory with these JVM options (and the 1 GB heap limit the others get). */
    public static RespiteProcess startWithJvmOptions(List<String> jvmOptions, String... directives) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xmx1g"));
        options.addAll(jvmOptions);
        return launch(Files.createTempDirectory("respite-test"), null, Ports.free(), options, directives);
    }

    private static RespiteProcess launch(Path dir, Path configFile, int port, String heap, String... directives)
            throws IOException {
        return launch(dir, configFile, port, List.of(heap), directives);
    }

    private static RespiteProcess launch(
            Path dir, Path configFile, int port, List<String> jvmOptions, String... directives) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString()));
        if (configFile != null) {
            cmd.add(configFile.toString());
        }
        cmd.addAll(List.of(
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString()));
        String ioThreads = System.getProperty("respite.ioThreads");
        if (ioThreads != null) {
            cmd.addAll(List.of("--io-threads", ioThreads));
        }
        cmd.addAll(List.of(directives));
        Path logs = Path.of("target", "logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("respite-" + port + ".log").toAbsolutePath();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .directory(dir.toFile())
                .start();
        RespiteProcess rp = new RespiteProcess(p, port, log, dir);
        // Generous: a loaded CI machine can take many seconds to start a JVM and load a dataset.
        rp.awaitReady(Duration.ofSeconds(90));
        return rp;
    }

    /** The command line that runs the packaged server with {@code args}, for tests that run it to completion. */
    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "respite-server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Ports.answersPing(port)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        close();
        throw new IllegalStateException(
                "respite-server did not answer PING within " + timeout + ":\n" + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path dir() {
        return dir;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Sends SIGKILL: no chance to flush anything (crash tests). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Sends SIGTERM and waits for a clean exit; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
