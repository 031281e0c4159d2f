package dev.respite.server.replication;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the replication stream from a master, one command at a time, keeping each command's bytes as
 * received: they count in the replication offset and go on verbatim to this server's own replicas.
 */
final class MasterStreamReader {
    /** One command: its arguments and its bytes in the stream. */
    record Command(byte[][] args, byte[] raw) {}

    private final InputStream in;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(256);
    private long read;

    MasterStreamReader(InputStream in) {
        this.in = in;
    }

    /** Stream bytes read so far (slave_read_repl_offset counts from the sync's offset). */
    long bytesRead() {
        return read;
    }

    /** Whether a command's bytes are already buffered: the caller may gather more before handing over. */
    boolean hasBuffered() throws IOException {
        return in.available() > 0;
    }

    Command next() throws IOException {
        raw.reset();
        int first = readByte();
        if (first != '*') {
            // An inline command (a master only sends newlines this way): read to the end of the line.
            StringBuilder line = new StringBuilder().append((char) first);
            String rest = readLine();
            line.append(rest);
            String text = line.toString().trim();
            byte[][] args = text.isEmpty() ? new byte[0][] : splitInline(text);
            return new Command(args, raw.toByteArray());
        }
        int n = (int) readNumber();
        byte[][] args = new byte[Math.max(n, 0)][];
        for (int i = 0; i < args.length; i++) {
            if (readByte() != '$') {
                throw new ProtocolException("expected a bulk string in the replication stream");
            }
            int len = (int) readNumber();
            byte[] arg = new byte[len];
            readFully(arg);
            if (readByte() != '\r' || readByte() != '\n') {
                throw new ProtocolException("bulk string not terminated by CRLF in the replication stream");
            }
            args[i] = arg;
        }
        return new Command(args, raw.toByteArray());
    }

    private static byte[][] splitInline(String text) {
        String[] parts = text.split("\\s+");
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the master closed the connection");
        }
        raw.write(b);
        read++;
        return b;
    }

    private void readFully(byte[] into) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n = in.read(into, off, into.length - off);
            if (n < 0) {
                throw new EOFException("the master closed the connection");
            }
            off += n;
        }
        raw.write(into, 0, into.length);
        read += into.length;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = readByte()) != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private long readNumber() throws IOException {
        String line = readLine();
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad length '" + line + "' in the replication stream");
        }
    }
}
