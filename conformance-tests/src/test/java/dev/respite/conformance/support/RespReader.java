package dev.respite.conformance.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict RESP2/RESP3 reader for tests that must tell a well-formed reply from a broken one: every length
 * must be a plain integer, every bulk must end in CRLF, and nothing but the listed type bytes may start a
 * value. The parsed tree keeps the type byte so callers can find errors at any depth.
 */
public final class RespReader {
    private static final int MAX_LINE = 1 << 20;

    private final InputStream in;

    public RespReader(InputStream in) {
        this.in = in;
    }

    /** One value: its RESP type byte, its text (line or bulk payload) and, for aggregates, its elements. */
    public record Value(char type, byte[] data, List<Value> elements) {
        public String text() {
            return data == null ? "" : new String(data, StandardCharsets.UTF_8);
        }

        public boolean isError() {
            return type == '-' || type == '!';
        }

        /** This value and every value nested in it, depth first. */
        public List<Value> flatten() {
            List<Value> out = new ArrayList<>();
            collect(out);
            return out;
        }

        private void collect(List<Value> out) {
            out.add(this);
            if (elements != null) {
                for (Value v : elements) {
                    v.collect(out);
                }
            }
        }

        @Override
        public String toString() {
            if (elements == null) {
                String t = text();
                return type + (t.length() > 200 ? t.substring(0, 200) + "..." : t);
            }
            return type + elements.toString();
        }
    }

    /** Thrown for bytes that are not a valid RESP value. */
    public static final class MalformedReply extends IOException {
        MalformedReply(String message) {
            super(message);
        }
    }

    public Value read() throws IOException {
        String line = readLine();
        if (line.isEmpty()) {
            throw new MalformedReply("empty reply line");
        }
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-', '_', ',', '#', '(' -> {
                return new Value(type, rest.getBytes(StandardCharsets.ISO_8859_1), null);
            }
            case ':' -> {
                length(rest, Long.MIN_VALUE);
                return new Value(type, rest.getBytes(StandardCharsets.ISO_8859_1), null);
            }
            case '$', '=', '!' -> {
                long n = length(rest, type == '$' ? -1 : 0);
                if (n < 0) {
                    return new Value(type, null, null);
                }
                byte[] payload = in.readNBytes((int) n);
                if (payload.length != n) {
                    throw new IOException("connection closed inside a bulk of " + n + " bytes");
                }
                int cr = in.read();
                int lf = in.read();
                if (cr != '\r' || lf != '\n') {
                    throw new MalformedReply("bulk of " + n + " bytes not followed by CRLF");
                }
                return new Value(type, payload, null);
            }
            case '*', '~', '>', '%', '|' -> {
                long n = length(rest, type == '*' ? -1 : 0);
                if (n < 0) {
                    return new Value(type, null, null);
                }
                long count = type == '%' || type == '|' ? 2 * n : n;
                List<Value> elements = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    elements.add(read());
                }
                return new Value(type, null, elements);
            }
            default -> throw new MalformedReply("not a RESP type byte: " + line);
        }
    }

    private static long length(String s, long min) throws MalformedReply {
        try {
            long n = Long.parseLong(s);
            if (n < min) {
                throw new MalformedReply("length " + n + " below " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new MalformedReply("not an integer: '" + s + "'");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed; read so far: " + buf.toString(StandardCharsets.ISO_8859_1));
            }
            if (c == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new MalformedReply("CR not followed by LF in a line");
                }
                return buf.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                throw new MalformedReply("bare LF in a line");
            }
            buf.write(c);
            if (buf.size() > MAX_LINE) {
                throw new MalformedReply("line longer than " + MAX_LINE + " bytes");
            }
        }
    }
}
