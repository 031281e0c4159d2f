package dev.respite.server.commands;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The network half of MIGRATE: one blocking connection to the target, the prepared AUTH/SELECT/RESTORE
 * commands written in one go, and one reply line read per command. Runs off the keyspace thread; touches
 * no server state, so its result is handed back whole.
 */
final class MigrationTransfer {
    /** How the exchange ended: replies read (first-line text each), and which step failed if any. */
    record Result(List<String> replies, Failure failure) {}

    enum Failure {
        NONE,
        CONNECTING,
        WRITING,
        READING
    }

    private static final int MAX_LINE = 1024;

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final byte[] request;
    private final int expectedReplies;

    MigrationTransfer(String host, int port, int timeoutMillis, byte[] request, int expectedReplies) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.request = request;
        this.expectedReplies = expectedReplies;
    }

    Result run() {
        List<String> replies = new ArrayList<>();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                socket.setTcpNoDelay(true);
            } catch (java.net.ConnectException e) {
                // Redis connects without blocking and learns of a refused connection only when it writes.
                return new Result(replies, Failure.WRITING);
            } catch (IOException | IllegalArgumentException e) {
                return new Result(replies, Failure.CONNECTING);
            }
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                return new Result(replies, Failure.WRITING);
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (replies.size() < expectedReplies) {
                String line = readLine(in);
                if (line == null) {
                    return new Result(replies, Failure.READING);
                }
                replies.add(line);
            }
            return new Result(replies, Failure.NONE);
        } catch (IOException e) {
            return new Result(replies, Failure.READING);
        }
    }

    /** One reply line without its CRLF (as Redis's syncReadLine), or null on a closed or silent connection. */
    private static String readLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    return null;
                }
                if (line.size() < MAX_LINE) {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
