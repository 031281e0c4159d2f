package dev.respite.server.cluster.bus;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Redis 7.2.5, built from the reference source by shared/tools/reference-redis.sh (found above the working
 * directory, or named by -Dreference.redis.dir), started with cluster-enabled in a temporary directory. A
 * missing or failing server fails the test.
 */
final class ReferenceRedisNode implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private ReferenceRedisNode(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static ReferenceRedisNode startCluster(String... directives) throws Exception {
        Path dir = Files.createTempDirectory("redis-cluster-bus");
        int port = freePortPair();
        List<String> cmd = new ArrayList<>(List.of(
                binary(),
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
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--logfile",
                dir.resolve("redis.log").toString()));
        cmd.addAll(List.of(directives));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout").toFile())
                .start();
        ReferenceRedisNode node = new ReferenceRedisNode(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Conn c = node.connect()) {
                if ("PONG".equals(c.call("PING"))) {
                    break;
                }
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    node.close();
                    throw new IllegalStateException("redis-server did not start on port " + port + ": " + node.log());
                }
                Thread.sleep(30);
            }
        }
        try (Conn c = node.connect()) {
            String info = (String) c.call("INFO", "server");
            if (!info.contains("redis_version:7.2.5")) {
                node.close();
                throw new IllegalStateException("the reference server is not Redis 7.2.5");
            }
        }
        return node;
    }

    /** A port whose cluster bus port (port + 10000) is free too. */
    private static int freePortPair() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 50000);
            try (ServerSocket a = new ServerSocket();
                    ServerSocket b = new ServerSocket()) {
                a.bind(new InetSocketAddress("127.0.0.1", port));
                b.bind(new InetSocketAddress("127.0.0.1", port + 10000));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair");
    }

    private static String binary() throws Exception {
        String dir = System.getProperty("reference.redis.dir");
        if (dir == null) {
            Path script = null;
            for (Path p = Path.of("").toAbsolutePath(); p != null && script == null; p = p.getParent()) {
                Path s = p.resolve("shared/tools/reference-redis.sh");
                script = Files.isRegularFile(s) ? s : null;
            }
            if (script == null) {
                throw new IllegalStateException("shared/tools/reference-redis.sh not found above "
                        + Path.of("").toAbsolutePath() + "; pass -Dreference.redis.dir");
            }
            Process build = new ProcessBuilder("bash", script.toString())
                    .redirectErrorStream(false)
                    .start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!build.waitFor(900, TimeUnit.SECONDS) || build.exitValue() != 0) {
                throw new IllegalStateException(script + " failed");
            }
            String[] lines = out.split("\n");
            dir = lines[lines.length - 1].trim();
        }
        Path bin = Path.of(dir, "src", "redis-server");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing");
        }
        return bin.toString();
    }

    int port() {
        return port;
    }

    int busPort() {
        return port + 10000;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Conn connect() throws IOException {
        return new Conn(port);
    }

    Object call(String... args) throws IOException {
        try (Conn c = connect()) {
            return c.call(args);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A plain RESP2 connection: commands out, replies as String, Long, List or a RuntimeException for errors. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Object call(String... args) throws IOException {
            send(args);
            return read();
        }

        void send(String... args) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String a : args) {
                byte[] x = a.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                b.writeBytes(x);
                b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(b.toByteArray());
            out.flush();
        }

        Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IllegalStateException(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(n + 2);
                    return new String(data, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected reply type " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                sb.append((char) c);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
