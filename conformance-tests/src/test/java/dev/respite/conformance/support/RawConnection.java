package dev.respite.conformance.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket speaking RESP by hand: sends exact bytes and reads exactly one reply back as the bytes
 * that came over the wire, for byte-for-byte comparison with a real redis-server.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        this(plain(port));
    }

    /** Speaks RESP over a socket already connected (a TLS one, say). */
    public RawConnection(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a command as a RESP multibulk request. */
    public void command(String... args) throws IOException {
        send(encode(args));
    }

    public void command(byte[]... args) throws IOException {
        send(encode(args));
    }

    /** A command as a RESP multibulk request. */
    public static byte[] encode(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(b);
    }

    public static byte[] encode(byte[]... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(a);
            buf.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return buf.toByteArray();
    }

    /** Sends a command and returns its whole reply as text (RESP bytes decoded as UTF-8). */
    public String call(String... args) throws IOException {
        command(args);
        return readReply();
    }

    /** Reads one complete RESP2/RESP3 reply, returning its raw bytes as text. */
    public String readReply() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private void readValue(ByteArrayOutputStream buf) throws IOException {
        String line = readLine(buf);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {}
            case '$', '=', '!' -> {
                long n = Long.parseLong(line.substring(1));
                if (n >= 0) {
                    buf.writeBytes(in.readNBytes((int) n + 2));
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < n; i++) {
                    readValue(buf);
                }
            }
            case '%', '|' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < 2 * n; i++) {
                    readValue(buf);
                }
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream buf) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed; read so far: " + sb);
            }
            buf.write(c);
            if (prev == '\r' && c == '\n') {
                sb.setLength(sb.length() - 1);
                return sb.toString();
            }
            sb.append((char) c);
            prev = c;
        }
    }

    /**
     * Turns this connection into a replica's link, as Redis's own tests attach to a master: sends SYNC,
     * skips the newlines a master sends while it prepares the snapshot, and reads past the snapshot, so
     * that {@link #readReply} returns the propagated commands one by one.
     */
    public void attachAsReplica() throws IOException {
        send("SYNC\r\n");
        int c = in.read();
        while (c == '\n') {
            c = in.read();
        }
        if (c != '$') {
            throw new IOException("SYNC answered with '" + (char) c + "'");
        }
        long length = Long.parseLong(readLine(new ByteArrayOutputStream()));
        in.skipNBytes(length);
    }

    /** True if the server closed the connection (reads EOF) within the socket timeout. */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Polls INFO {@code section} every 20 ms until {@code done} holds; fails after ten seconds. */
    public void awaitInfo(String section, java.util.function.Predicate<String> done) throws IOException {
        for (int i = 0; i < 500; i++) {
            if (done.test(call("INFO", section))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new AssertionError("INFO " + section + " never reached the state waited for:\n" + call("INFO", section));
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
