package dev.respite.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies straight into one pending output buffer, in RESP3 or in RESP2 with Redis's
 * down-conversion of the RESP3-only types. The owner takes the buffer once per read batch and flushes it,
 * so a pipeline of replies costs one write. Not thread-safe: one per connection.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = bytes("+OK\r\n");
    private static final byte[] NULL_BULK = bytes("$-1\r\n");
    private static final byte[] NULL_ARRAY = bytes("*-1\r\n");
    private static final byte[] NULL3 = bytes("_\r\n");
    private static final byte[] TRUE3 = bytes("#t\r\n");
    private static final byte[] FALSE3 = bytes("#f\r\n");
    private static final byte[] EMPTY_BULK = bytes("$0\r\n\r\n");
    private static final int SMALL_INTS = 1024;
    private static final byte[][] INTEGERS = new byte[SMALL_INTS][];
    private static final byte[][] BULK_HEADERS = new byte[SMALL_INTS][];
    private static final byte[][] ARRAY_HEADERS = new byte[SMALL_INTS][];

    static {
        for (int i = 0; i < SMALL_INTS; i++) {
            INTEGERS[i] = bytes(":" + i + "\r\n");
            BULK_HEADERS[i] = bytes("$" + i + "\r\n");
            ARRAY_HEADERS[i] = bytes("*" + i + "\r\n");
        }
    }

    private final ByteBufAllocator allocator;
    private ByteBuf buffer;
    private int protocol = 2;
    private boolean muted;
    /** Hears the errors a muted writer drops (a replica's answers to its master, which nobody reads). */
    private java.util.function.Consumer<String> droppedErrors;

    public RespWriter(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public void onDroppedError(java.util.function.Consumer<String> listener) {
        droppedErrors = listener;
    }

    /** While muted (CLIENT REPLY OFF / SKIP) replies are dropped instead of written. */
    public void setMuted(boolean muted) {
        this.muted = muted;
    }

    public boolean isMuted() {
        return muted;
    }

    /** The pending output, handed over for writing; null when nothing is pending. */
    public ByteBuf take() {
        ByteBuf b = buffer;
        buffer = null;
        return b;
    }

    /** The pending output, left in place: a reader that consumes it then calls {@link #reuse}. */
    public ByteBuf pending() {
        return buffer;
    }

    /**
     * Empties the pending output but keeps its buffer for the next replies, unless it grew past
     * {@code maxKept} bytes: for an internal client whose replies are read in place, one at a time.
     */
    public void reuse(int maxKept) {
        if (buffer == null) {
            return;
        }
        if (buffer.capacity() > maxKept) {
            buffer.release();
            buffer = null;
        } else {
            buffer.clear();
        }
    }

    public int pendingBytes() {
        return buffer == null ? 0 : buffer.readableBytes();
    }

    /** Drops pending output (the connection is going away). */
    public void discard() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    private ByteBuf out() {
        if (buffer == null) {
            buffer = allocator.ioBuffer(512);
        }
        return buffer;
    }

    private void raw(byte[] b) {
        if (!muted) {
            out().writeBytes(b);
        }
    }

    /** Bytes already RESP-encoded, written as they are. */
    public void encoded(byte[] resp) {
        raw(resp);
    }

    /** {@code length} bytes of {@code resp} from {@code offset}, already RESP-encoded, written as they are. */
    public void encoded(byte[] resp, int offset, int length) {
        if (!muted) {
            out().writeBytes(resp, offset, length);
        }
    }

    public void ok() {
        raw(OK);
    }

    public void simple(String s) {
        if (muted) {
            return;
        }
        ByteBuf o = out();
        o.writeByte('+');
        o.writeCharSequence(s, StandardCharsets.UTF_8);
        o.writeBytes(CRLF);
    }

    /** An error reply; {@code message} starts with its code, e.g. "ERR syntax error" or "WRONGTYPE ...". */
    public void error(String message) {
        if (muted) {
            if (droppedErrors != null) {
                droppedErrors.accept(message);
            }
            return;
        }
        ByteBuf o = out();
        o.writeByte('-');
        // Newlines inside an error would break the framing; Redis trims them from the ends, then replaces the
        // rest with spaces.
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                message = trimLineBreaks(message).replace('\r', ' ').replace('\n', ' ');
                break;
            }
        }
        o.writeCharSequence(message, StandardCharsets.UTF_8);
        o.writeBytes(CRLF);
    }

    private static String trimLineBreaks(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '\r' || s.charAt(from) == '\n')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '\r' || s.charAt(to - 1) == '\n')) {
            to--;
        }
        return s.substring(from, to);
    }

    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS) {
            raw(INTEGERS[(int) v]);
        } else {
            prefixed(':', v);
        }
    }

    public void bulk(byte[] v) {
        if (v == null) {
            nullBulk();
        } else {
            bulk(v, 0, v.length);
        }
    }

    public void bulk(byte[] v, int offset, int length) {
        if (muted) {
            return;
        }
        ByteBuf o = out();
        if (length < SMALL_INTS) {
            o.writeBytes(BULK_HEADERS[length]);
        } else {
            header(o, '$', length);
        }
        o.writeBytes(v, offset, length);
        o.writeBytes(CRLF);
    }

    public void bulk(String s) {
        if (s == null) {
            nullBulk();
        } else {
            bulk(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A signed 64-bit integer written as a bulk string (INCRBYFLOAT-style replies that hold numbers). */
    public void bulkOfLong(long v) {
        bulk(Long.toString(v));
    }

    public void emptyBulk() {
        raw(EMPTY_BULK);
    }

    public void nullBulk() {
        raw(protocol == 3 ? NULL3 : NULL_BULK);
    }

    public void nullArray() {
        raw(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    public void array(long n) {
        if (n >= 0 && n < SMALL_INTS) {
            raw(ARRAY_HEADERS[(int) n]);
        } else {
            prefixed('*', n);
        }
    }

    /** A map of n pairs; RESP2 sees a flat array of 2n elements. */
    public void map(long n) {
        if (protocol == 3) {
            prefixed('%', n);
        } else {
            array(n * 2);
        }
    }

    /** A set of n elements; RESP2 sees an array. */
    public void set(long n) {
        if (protocol == 3) {
            prefixed('~', n);
        } else {
            array(n);
        }
    }

    /** An out-of-band push frame (pub/sub messages); RESP2 sees an array. */
    public void push(long n) {
        if (protocol == 3) {
            prefixed('>', n);
        } else {
            array(n);
        }
    }

    /** A double already formatted as Redis formats it ("1.5", "inf", "-inf"); RESP2 sees a bulk string. */
    public void doubleValue(String formatted) {
        if (protocol == 3) {
            if (muted) {
                return;
            }
            ByteBuf o = out();
            o.writeByte(',');
            o.writeCharSequence(formatted, StandardCharsets.US_ASCII);
            o.writeBytes(CRLF);
        } else {
            bulk(formatted);
        }
    }

    /** RESP3 boolean; RESP2 sees the integer 1 or 0. */
    public void bool(boolean v) {
        if (protocol == 3) {
            raw(v ? TRUE3 : FALSE3);
        } else {
            integer(v ? 1 : 0);
        }
    }

    /** RESP3 big number; RESP2 sees a bulk string. */
    public void bigNumber(String digits) {
        if (protocol == 3) {
            if (muted) {
                return;
            }
            ByteBuf o = out();
            o.writeByte('(');
            o.writeCharSequence(digits, StandardCharsets.US_ASCII);
            o.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    /** RESP3 verbatim string with a three-letter format ("txt", "mkd"); RESP2 sees a bulk string. */
    public void verbatim(String format, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (protocol != 3) {
            bulk(body);
            return;
        }
        if (muted) {
            return;
        }
        ByteBuf o = out();
        header(o, '=', body.length + 4);
        o.writeCharSequence(format, StandardCharsets.US_ASCII);
        o.writeByte(':');
        o.writeBytes(body);
        o.writeBytes(CRLF);
    }

    private void prefixed(char type, long n) {
        if (!muted) {
            header(out(), type, n);
        }
    }

    private static void header(ByteBuf o, char type, long n) {
        o.writeByte(type);
        writeDecimal(o, n);
        o.writeBytes(CRLF);
    }

    private static void writeDecimal(ByteBuf o, long v) {
        if (v == Long.MIN_VALUE) {
            o.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        if (v < 0) {
            o.writeByte('-');
            v = -v;
        }
        if (v < 10) {
            o.writeByte((int) ('0' + v));
            return;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = o.writerIndex() + digits;
        o.ensureWritable(digits);
        for (int i = end - 1; i >= end - digits; i--) {
            o.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        o.writerIndex(end);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
