package dev.respite.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Turns a stream of request bytes into commands: RESP multibulk requests and inline lines, split at any
 * point by TCP. A state machine over the incoming buffer; header lines are parsed digit by digit as they
 * arrive, so nothing is accumulated but bulk payloads, which are copied once, straight into the argument
 * array. A huge announced bulk is not allocated up front: its array grows with the bytes that really come.
 * One decoder per connection, used by one thread at a time; the limits may be changed from another thread.
 *
 * <p>Most requests arrive whole (a pipeline of them in one read), so a request that starts a read batch or
 * follows a complete one is first parsed in one pass over a heap copy of the read ({@link Window}): plain
 * array reads instead of a ByteBuf call, with its index and liveness checks, per header byte. Anything that
 * pass does not recognise as a complete, well-formed request (a request cut by TCP, a header it would
 * reject, an unauthenticated client, an inline command) goes to the state machine, which decides exactly as
 * it always did.
 */
public final class RespDecoder {
    /** Redis's PROTO_INLINE_MAX_SIZE: inline lines and header lines may not grow past this. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Bulks up to this size get their whole array at once; larger ones grow as data arrives. */
    private static final int EAGER_BULK_LIMIT = 1024 * 1024;

    private static final int UNAUTHENTICATED_MAX_ARGS = 10;
    /** Requests with more arguments than this take the state machine, which grows the array as bulks come. */
    private static final int WHOLE_MAX_ARGS = 1024;
    /** Header numbers of up to this many digits cannot overflow an int; longer ones take the state machine. */
    private static final int WHOLE_MAX_DIGITS = 9;

    private static final FastThreadLocal<Window> WINDOWS = new FastThreadLocal<>() {
        @Override
        protected Window initialValue() {
            return new Window();
        }
    };
    private static final int UNAUTHENTICATED_MAX_BULK = 16384;

    private enum State {
        START,
        MULTIBULK_COUNT,
        BULK_DOLLAR,
        BULK_LENGTH,
        BULK_DATA,
        BULK_CR,
        BULK_LF,
        INLINE
    }

    private State state = State.START;
    private volatile long maxBulkLength = 512L * 1024 * 1024;
    private volatile boolean authenticated = true;

    private final NumberLine number = new NumberLine();

    private byte[][] args;
    /** Argument arrays handed back by the sink: a request of as many arguments is read into one. */
    private final ArgumentArrays spares = new ArgumentArrays();

    private int argCount;
    private int argIndex;
    private byte[] bulk;
    private int bulkLength;
    private int bulkFilled;
    /** Bytes of the arguments already read of the request in progress. */
    private long argumentBytes;

    private byte[] inline = new byte[0];
    private int inlineLength;

    /**
     * The command name of the last whole request, handed out again while the client repeats it (pipelines
     * usually do): saves an allocation per command. Argument arrays are never written to after decoding.
     */
    private byte[] lastName = new byte[0];
    /** Where the whole-request pass stopped: the buffer index after the request it returned. */
    private int wholeEnd;

    public void setMaxBulkLength(long maxBulkLength) {
        this.maxBulkLength = maxBulkLength;
    }

    /** Unauthenticated clients are held to small requests so they cannot make the server allocate much. */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** Bytes held for a request not yet complete (the client's query buffer). */
    public long pendingBytes() {
        return (long) bulkFilled + inlineLength;
    }

    /** The announced length of the argument being read, -1 between arguments (Redis's bulklen). */
    public int bulkLength() {
        return bulk == null ? -1 : bulkLength;
    }

    /**
     * Memory held for the request in progress: the arguments already read, the whole announced length of the
     * one being read (Redis reserves room for a big argument as soon as its header arrives, so a client is
     * charged for it before its bytes come) and a partial inline line.
     */
    public long heldBytes() {
        return argumentBytes + inlineLength + (bulk == null ? 0 : bulkLength);
    }

    /**
     * Consumes the readable bytes of {@code in}, passing complete commands to {@code sink}, until they run
     * out or the sink asks to stop; then the bytes after that command are left unread.
     */
    public void decode(ByteBuf in, CommandSink sink) throws ProtocolException {
        Window.forget(this);
        boolean more = true;
        while (more && in.isReadable()) {
            if (state == State.START && authenticated) {
                byte[][] whole = wholeRequest(in);
                if (whole != null) {
                    in.readerIndex(wholeEnd);
                    more = sink.command(whole);
                    continue;
                }
            }
            switch (state) {
                case START -> {
                    if (in.getByte(in.readerIndex()) == '*') {
                        in.skipBytes(1);
                        number.reset();
                        state = State.MULTIBULK_COUNT;
                    } else {
                        state = State.INLINE;
                    }
                }
                case MULTIBULK_COUNT -> {
                    if (!number.feed(in)) {
                        if (number.length > INLINE_MAX_SIZE) {
                            throw new ProtocolException("Protocol error: too big mbulk count string");
                        }
                        return;
                    }
                    startMultibulk();
                }
                case BULK_DOLLAR -> {
                    byte b = in.readByte();
                    if (b != '$') {
                        throw new ProtocolException("Protocol error: expected '$', got '" + (char) (b & 0xff) + "'");
                    }
                    number.reset();
                    state = State.BULK_LENGTH;
                }
                case BULK_LENGTH -> {
                    if (!number.feed(in)) {
                        if (number.length > INLINE_MAX_SIZE) {
                            throw new ProtocolException("Protocol error: too big bulk count string");
                        }
                        return;
                    }
                    startBulk();
                }
                case BULK_DATA -> readBulk(in);
                case BULK_CR -> {
                    in.skipBytes(1);
                    state = State.BULK_LF;
                }
                case BULK_LF -> {
                    in.skipBytes(1);
                    args[argIndex++] = bulk;
                    argumentBytes += bulk.length;
                    bulk = null;
                    bulkFilled = 0;
                    if (argIndex == argCount) {
                        more = emit(sink);
                    } else {
                        state = State.BULK_DOLLAR;
                    }
                }
                case INLINE -> more = readInline(in, sink);
            }
        }
    }

    private void startMultibulk() throws ProtocolException {
        if (!number.valid || number.value > Integer.MAX_VALUE) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        if (number.value <= 0) {
            state = State.START;
            return;
        }
        if (!authenticated && number.value > UNAUTHENTICATED_MAX_ARGS) {
            throw new ProtocolException("Protocol error: unauthenticated multibulk length");
        }
        argCount = (int) number.value;
        argumentBytes = 0;
        // Cap the first allocation: a client may announce millions of arguments and send none.
        args = new byte[Math.min(argCount, 1024)][];
        argIndex = 0;
        state = State.BULK_DOLLAR;
    }

    private void startBulk() throws ProtocolException {
        if (!number.valid || number.value < 0 || number.value > maxBulkLength) {
            throw new ProtocolException("Protocol error: invalid bulk length");
        }
        if (!authenticated && number.value > UNAUTHENTICATED_MAX_BULK) {
            throw new ProtocolException("Protocol error: unauthenticated bulk length");
        }
        if (number.value > Integer.MAX_VALUE - 16) {
            throw new ProtocolException("Protocol error: invalid bulk length");
        }
        if (argIndex == args.length) {
            byte[][] grown = new byte[(int) Math.min(argCount, (long) args.length * 2)][];
            System.arraycopy(args, 0, grown, 0, args.length);
            args = grown;
        }
        bulkLength = (int) number.value;
        bulk = new byte[Math.min(bulkLength, EAGER_BULK_LIMIT)];
        bulkFilled = 0;
        state = bulkLength == 0 ? State.BULK_CR : State.BULK_DATA;
    }

    private void readBulk(ByteBuf in) {
        int wanted = bulkLength - bulkFilled;
        int n = Math.min(wanted, in.readableBytes());
        if (bulkFilled + n > bulk.length) {
            long target = Math.max((long) bulk.length * 2, (long) bulkFilled + n);
            byte[] grown = new byte[(int) Math.min(target, bulkLength)];
            System.arraycopy(bulk, 0, grown, 0, bulkFilled);
            bulk = grown;
        }
        in.readBytes(bulk, bulkFilled, n);
        bulkFilled += n;
        if (bulkFilled == bulkLength) {
            state = State.BULK_CR;
        }
    }

    private boolean emit(CommandSink sink) {
        byte[][] complete = args;
        args = null;
        argumentBytes = 0;
        state = State.START;
        return sink.command(complete);
    }

    /**
     * The request at the reader index when it is complete within the bytes at hand and in the form clients
     * send ("*N\r\n" then N times "$len\r\n" bytes "\r\n", counts without sign or leading zeros), with
     * {@link #wholeEnd} set after it; null otherwise, leaving the request to the state machine.
     */
    private byte[][] wholeRequest(ByteBuf in) {
        int from = in.readerIndex();
        Window w = Window.over(this, in, from);
        byte[][] request = parse(w.bytes, from - w.start, w.end - w.start);
        if (request == null && w.end < in.writerIndex() && w.start < from) {
            // The request may run past the copied part of a read larger than the window: copy again from here.
            w.fill(this, in, from);
            request = parse(w.bytes, 0, w.end - w.start);
        }
        if (request != null) {
            wholeEnd = w.start + parsedTo;
        }
        return request;
    }

    /** Set by {@link #parse}: the array index after the request it returned. */
    private int parsedTo;

    /**
     * Takes back a request's argument array once its command is done with it and nothing kept it: the next
     * request of as many arguments is decoded into it. Called on the thread that decodes.
     */
    public void recycle(byte[][] done) {
        spares.give(done);
    }

    private byte[][] parse(byte[] b, int p, int end) {
        if (p >= end || b[p] != '*') {
            return null;
        }
        long line = header(b, p + 1, end);
        int count = (int) (line >> 32);
        if (line < 0 || count == 0 || count > WHOLE_MAX_ARGS) {
            return null;
        }
        int q = (int) line;
        long maxBulk = maxBulkLength;
        byte[][] args = spares.take(count);
        for (int i = 0; i < count; i++) {
            if (q >= end || b[q] != '$') {
                return null;
            }
            line = header(b, q + 1, end);
            int len = (int) (line >> 32);
            q = (int) line;
            // The data must be here with its line end (whose two bytes are skipped unread, as Redis does).
            if (line < 0 || len > maxBulk || len > end - q - 2) {
                return null;
            }
            if (i == 0 && len == lastName.length && Arrays.equals(lastName, 0, len, b, q, q + len)) {
                args[0] = lastName;
            } else {
                args[i] = Arrays.copyOfRange(b, q, q + len);
            }
            q += len + 2;
        }
        if (args[0].length <= 32) {
            lastName = args[0];
        }
        parsedTo = q;
        return args;
    }

    /**
     * The decimal number at {@code b[q]} and the line end after it, as (value &lt;&lt; 32 | index after the
     * line); -1 unless it is 1 to {@link #WHOLE_MAX_DIGITS} digits without a leading zero, then "\r\n".
     */
    private static long header(byte[] b, int q, int end) {
        int first = q;
        int value = 0;
        for (; q < end; q++) {
            int d = b[q] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (q - first == WHOLE_MAX_DIGITS || (q > first && value == 0)) {
                return -1;
            }
            value = value * 10 + d;
        }
        if (q == first || q + 1 >= end || b[q] != '\r' || b[q + 1] != '\n') {
            return -1;
        }
        return (long) value << 32 | (q + 2);
    }

    /**
     * A heap copy of (up to {@link #SIZE} bytes of) the read being decoded, one per thread: the decoders of
     * all the connections a thread serves share it, since a request is copied out of it before it runs.
     * A decoder trusts it only while it is the last one to have filled it, as a command may decode other
     * input on the same thread (DEBUG LOADAOF, a replica's stream) before the outer decoder goes on.
     */
    private static final class Window {
        static final int SIZE = 64 * 1024;

        final byte[] bytes = new byte[SIZE];
        /** Buffer indexes of bytes[0] and of the byte after the last one copied. */
        int start;

        int end;

        private RespDecoder owner;

        /** This thread's window, holding the bytes of {@code in} from {@code from} (copying them if not). */
        static Window over(RespDecoder decoder, ByteBuf in, int from) {
            Window w = WINDOWS.get();
            if (w.owner != decoder || from < w.start || from >= w.end) {
                w.fill(decoder, in, from);
            }
            return w;
        }

        void fill(RespDecoder decoder, ByteBuf in, int from) {
            int n = Math.min(in.writerIndex() - from, SIZE);
            in.getBytes(from, bytes, 0, n);
            start = from;
            end = from + n;
            owner = decoder;
        }

        /** A new read: what this thread's window holds for {@code decoder} is of the previous one. */
        static void forget(RespDecoder decoder) {
            Window w = WINDOWS.getIfExists();
            if (w != null && w.owner == decoder) {
                w.owner = null;
            }
        }
    }

    /** Reads inline bytes up to the end of the line; returns whether to go on decoding. */
    private boolean readInline(ByteBuf in, CommandSink sink) throws ProtocolException {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        int take = (newline < 0 ? in.writerIndex() : newline) - start;
        if (inlineLength + take > INLINE_MAX_SIZE) {
            throw new ProtocolException("Protocol error: too big inline request");
        }
        if (inline.length < inlineLength + take) {
            byte[] grown = new byte[Math.max(inlineLength + take, Math.min(INLINE_MAX_SIZE, inline.length * 2 + 64))];
            System.arraycopy(inline, 0, grown, 0, inlineLength);
            inline = grown;
        }
        in.readBytes(inline, inlineLength, take);
        inlineLength += take;
        if (newline < 0) {
            return true;
        }
        in.skipBytes(1);
        int length = inlineLength;
        if (length > 0 && inline[length - 1] == '\r') {
            length--;
        }
        byte[][] parsed = InlineSplitter.split(inline, length);
        inlineLength = 0;
        if (inline.length > 4096) {
            inline = new byte[0];
        }
        state = State.START;
        if (parsed == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        return parsed.length == 0 || sink.command(parsed);
    }

    /**
     * A decimal header line ("123\r\n") parsed as its bytes arrive, with the acceptance rules of Redis's
     * string2ll: optional leading '-', no leading zeros, no '+', no spaces, no overflow.
     */
    private static final class NumberLine {
        private static final long MAX_BEFORE_LAST_DIGIT = Long.MAX_VALUE / 10;

        private final byte[] block = new byte[16];

        long value;
        boolean valid;
        boolean negative;
        int digits;
        int length;
        boolean sawCr;

        void reset() {
            value = 0;
            valid = true;
            negative = false;
            digits = 0;
            length = 0;
            sawCr = false;
        }

        /**
         * Feeds bytes up to the end of the line; true once the whole line (with its '\n') is consumed. The
         * bytes are copied out in small blocks and parsed from the array: a header line is a few bytes, and
         * reading the buffer byte by byte costs an index and liveness check each.
         */
        boolean feed(ByteBuf in) {
            int at = in.readerIndex();
            int end = in.writerIndex();
            while (at < end) {
                int n = Math.min(end - at, block.length);
                in.getBytes(at, block, 0, n);
                for (int i = 0; i < n; i++) {
                    if (!process(block[i])) {
                        in.readerIndex(at + i + 1);
                        return true;
                    }
                }
                at += n;
            }
            in.readerIndex(end);
            return false;
        }

        /** One byte of the line; false (stop) on the byte after '\r', which ends the line. */
        private boolean process(byte b) {
            if (sawCr) {
                // Like Redis, the byte after '\r' is skipped without a look.
                if (digits == 0 || (negative && value == 0)) {
                    valid = false;
                }
                if (negative) {
                    value = -value;
                }
                return false;
            }
            length++;
            if (b == '\r') {
                sawCr = true;
                return true;
            }
            if (!valid) {
                return true;
            }
            if (b == '-' && length == 1) {
                negative = true;
            } else if (b >= '0' && b <= '9') {
                int digit = b - '0';
                if ((digits > 0 && value == 0)
                        || value > MAX_BEFORE_LAST_DIGIT
                        || (value == MAX_BEFORE_LAST_DIGIT && digit > 7)) {
                    // A leading zero, or value * 10 + digit would pass Long.MAX_VALUE (…5807).
                    valid = false;
                } else {
                    value = value * 10 + digit;
                    digits++;
                }
            } else {
                valid = false;
            }
            return true;
        }
    }
}
