package dev.respite.server.replication;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the replication stream from a master in large reads and cuts it into batches of whole commands,
 * keeping the bytes of each batch as received: each command's slice counts in the replication offset and
 * goes on verbatim to this server's own replicas. Parsing works on the array directly, so a command costs
 * the allocation of its arguments and nothing else.
 */
final class MasterStreamReader {
    /** Commands parsed from one read: {@code args[i]} was received as {@code raw[ends[i-1] .. ends[i])}. */
    record Batch(byte[] raw, byte[][][] args, int[] ends, int count) {
        int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }
    }

    private static final byte[][] NO_ARGS = new byte[0][];
    private final InputStream in;
    private final int maxCommands;
    private byte[] buf = new byte[256 * 1024];
    /** Parsed up to here. */
    private int pos;
    /** Received up to here. */
    private int limit;

    private long consumed;

    MasterStreamReader(InputStream in, int maxCommands) {
        this.in = in;
        this.maxCommands = maxCommands;
    }

    /** Stream bytes handed out in batches so far (slave_read_repl_offset counts from the sync's offset). */
    long bytesRead() {
        return consumed;
    }

    /** The commands already received, at least one (reading blocks until one is whole), at most maxCommands. */
    Batch next() throws IOException {
        byte[][][] args = new byte[Math.min(maxCommands, 64)][][];
        int[] ends = new int[args.length];
        int count = 0;
        int start = pos;
        while (count < maxCommands) {
            if (count == args.length) {
                args = Arrays.copyOf(args, Math.min(maxCommands, count * 2));
                ends = Arrays.copyOf(ends, args.length);
            }
            byte[][] cmd = parse();
            if (cmd == null) {
                if (count > 0) {
                    break;
                }
                start = fill(start);
                continue;
            }
            args[count] = cmd;
            ends[count++] = pos - start;
        }
        byte[] raw = Arrays.copyOfRange(buf, start, pos);
        consumed += raw.length;
        return new Batch(raw, args, ends, count);
    }

    /**
     * Reads more, first moving the unparsed bytes (from {@code start}) to the front of the buffer, or growing it
     * for a command larger than the buffer; returns where {@code start} is now.
     */
    private int fill(int start) throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            pos -= start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            throw new EOFException("the master closed the connection");
        }
        limit += n;
        return start;
    }

    /** One command from {@code pos}, advancing past it, or null (pos unchanged) while it is not all received. */
    private byte[][] parse() throws IOException {
        if (pos >= limit) {
            return null;
        }
        if (buf[pos] != '*') {
            return inline();
        }
        int p = pos + 1;
        int lineEnd = lineEnd(p);
        if (lineEnd < 0) {
            return null;
        }
        long n = number(p, lineEnd);
        p = lineEnd + 2;
        if (n <= 0) {
            pos = p;
            return NO_ARGS;
        }
        if (n > 1024 * 1024) {
            throw new ProtocolException("invalid multibulk length in the replication stream");
        }
        byte[][] args = new byte[(int) n][];
        for (int i = 0; i < args.length; i++) {
            if (p >= limit) {
                return null;
            }
            if (buf[p] != '$') {
                throw new ProtocolException("expected a bulk string in the replication stream");
            }
            lineEnd = lineEnd(p + 1);
            if (lineEnd < 0) {
                return null;
            }
            long len = number(p + 1, lineEnd);
            if (len < 0 || len > Integer.MAX_VALUE - 16) {
                throw new ProtocolException("invalid bulk length in the replication stream");
            }
            p = lineEnd + 2;
            if (limit - p < len + 2) {
                return null;
            }
            if (buf[p + (int) len] != '\r' || buf[p + (int) len + 1] != '\n') {
                throw new ProtocolException("bulk string not terminated by CRLF in the replication stream");
            }
            args[i] = Arrays.copyOfRange(buf, p, p + (int) len);
            p += (int) len + 2;
        }
        pos = p;
        return args;
    }

    /** An inline command (a master only sends newlines this way, to keep the link alive): to the end of the line. */
    private byte[][] inline() {
        int nl = -1;
        for (int i = pos; i < limit; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            return null;
        }
        String text = new String(buf, pos, nl - pos, StandardCharsets.UTF_8).trim();
        pos = nl + 1;
        if (text.isEmpty()) {
            return NO_ARGS;
        }
        String[] parts = text.split("\\s+");
        byte[][] args = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            args[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    /** The index of the CR of the CRLF that ends the line starting at {@code from}, or -1 if not received yet. */
    private int lineEnd(int from) {
        for (int i = from; i + 1 < limit; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private long number(int from, int to) throws ProtocolException {
        if (from == to || to - from > 18) {
            throw badNumber(from, to);
        }
        boolean negative = buf[from] == '-';
        long n = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw badNumber(from, to);
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    private ProtocolException badNumber(int from, int to) {
        String text = new String(buf, from, to - from, StandardCharsets.US_ASCII);
        return new ProtocolException("bad length '" + text + "' in the replication stream");
    }
}
