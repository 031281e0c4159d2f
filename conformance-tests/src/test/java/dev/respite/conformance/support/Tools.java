package dev.respite.conformance.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real client tools (redis-cli, redis-benchmark, Debian's python3 with python3-redis). */
public final class Tools {
    /** Debian's interpreter: python3-redis is installed for it, not for other pythons on the PATH. */
    public static final String PYTHON = "/usr/bin/python3";

    private Tools() {}

    /** The absolute path of a tool; a missing tool fails the test (the test command installs them). */
    public static String require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(
                tool + " is not installed: run the README's test command (bin/run-tests), which installs it");
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs a command with optional standard input and a time limit. */
    public static Result run(List<String> command, byte[] stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        Thread feeder = new Thread(() -> {
            try (var out = p.getOutputStream()) {
                if (stdin != null) {
                    out.write(stdin);
                }
            } catch (IOException ignored) {
                // The process may exit before reading everything; its exit code tells.
            }
        });
        feeder.start();
        ByteCollector out = new ByteCollector(p.getInputStream());
        ByteCollector err = new ByteCollector(p.getErrorStream());
        out.start();
        err.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + command);
        }
        feeder.join();
        out.join();
        err.join();
        return new Result(p.exitValue(), out.text(), err.text());
    }

    public static Result redisCli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(require("redis-cli"), "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd, null, 60);
    }

    /** Runs a Python program with Debian's python3; PORT is passed in the environment as RESPITE_PORT. */
    public static Result python(int port, String program) throws IOException, InterruptedException {
        require("python3");
        ProcessBuilder pb = new ProcessBuilder(PYTHON, "-c", program);
        pb.environment().put("RESPITE_PORT", Integer.toString(port));
        Process p = pb.start();
        ByteCollector out = new ByteCollector(p.getInputStream());
        ByteCollector err = new ByteCollector(p.getErrorStream());
        out.start();
        err.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("python timed out");
        }
        out.join();
        err.join();
        return new Result(p.exitValue(), out.text(), err.text());
    }

    private static final class ByteCollector extends Thread {
        private final InputStream in;
        private byte[] data = new byte[0];

        ByteCollector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            try {
                data = in.readAllBytes();
            } catch (IOException ignored) {
                // A killed process closes its streams; what was read is kept.
            }
        }

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }
}
