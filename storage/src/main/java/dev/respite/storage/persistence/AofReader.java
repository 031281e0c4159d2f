package dev.respite.storage.persistence;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Reads the commands of one append-only file in order, keeping byte offsets so that a loader can say where
 * a problem is and how much of the file is good. Lines starting with '#' (Redis's annotations) are
 * skipped.
 */
public final class AofReader implements Closeable {
    /** Largest argument accepted: a length beyond it is damage, not data (proto-max-bulk-len's ceiling). */
    private static final long MAX_BULK = 512L * 1024 * 1024;

    private static final int MAX_ARGS = 1024 * 1024 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    /** File offset of buf[0]. */
    private long bufStart;

    private long commandStart;
    private long goodOffset;
    /** The last command's name: a file repeats a few names, and the next command shares the array. */
    private byte[] lastName = new byte[0];
    /** Where a command's argument array comes from: new by default, or one the loader handed back. */
    private IntFunction<byte[][]> argumentArrays = byte[][]::new;

    public AofReader(InputStream in) {
        this(in, 0);
    }

    /** Reads {@code in}, which starts {@code start} bytes into its file: offsets are the file's (an AOF tail after an RDB preamble). */
    public AofReader(InputStream in, long start) {
        this.in = in;
        this.bufStart = start;
        this.goodOffset = start;
    }

    /** Bytes read through the end of the last complete command. */
    public long goodOffset() {
        return goodOffset;
    }

    /** Where the command last returned by {@link #next} starts. */
    public long commandStart() {
        return commandStart;
    }

    /** The next command, or null at a clean end of file. */
    public byte[][] next() throws IOException, AofFormatException {
        int first;
        while (true) {
            commandStart = offset();
            first = read();
            if (first < 0) {
                return null;
            }
            if (first != '#') {
                break;
            }
            skipLine();
            goodOffset = offset();
        }
        if (first != '*') {
            throw corrupt("expected '*' at the start of a command, found " + describe(first), commandStart);
        }
        long count = number(1, MAX_ARGS);
        byte[][] args = argumentArrays.apply((int) count);
        for (int i = 0; i < count; i++) {
            long at = offset();
            int b = read();
            if (b < 0) {
                throw truncated();
            }
            if (b != '$') {
                throw corrupt("expected '$' before an argument, found " + describe(b), at);
            }
            long len = number(0, MAX_BULK);
            byte[] arg;
            if (i == 0
                    && len == lastName.length
                    && pos + len <= limit
                    && Arrays.equals(buf, pos, pos + (int) len, lastName, 0, lastName.length)) {
                arg = lastName;
                pos += (int) len;
            } else {
                arg = new byte[(int) len];
                readFully(arg);
                if (i == 0) {
                    lastName = arg;
                }
            }
            expect('\r');
            expect('\n');
            args[i] = arg;
        }
        goodOffset = offset();
        return args;
    }

    /**
     * Reads each command into an array {@code source} gives for its argument count (empty slots), so that a
     * loader can hand back the arrays of commands that kept none and a replay leaves no garbage among the data.
     */
    public void argumentArrays(IntFunction<byte[][]> source) {
        argumentArrays = source;
    }

    private long offset() {
        return bufStart + pos;
    }

    private long number(long min, long max) throws IOException, AofFormatException {
        long at = offset();
        long n = 0;
        int digits = 0;
        while (true) {
            int b = read();
            if (b < 0) {
                throw truncated();
            }
            if (b == '\r') {
                break;
            }
            if (b < '0' || b > '9' || digits > 12) {
                throw corrupt("invalid length " + describe(b), at);
            }
            n = n * 10 + (b - '0');
            digits++;
        }
        expect('\n');
        if (digits == 0 || n < min || n > max) {
            throw corrupt("length " + n + " out of range", at);
        }
        return n;
    }

    private void expect(int c) throws IOException, AofFormatException {
        long at = offset();
        int b = read();
        if (b < 0) {
            throw truncated();
        }
        if (b != c) {
            throw corrupt("expected " + describe(c) + ", found " + describe(b), at);
        }
    }

    private void skipLine() throws IOException {
        int b;
        do {
            b = read();
        } while (b >= 0 && b != '\n');
    }

    private void readFully(byte[] dst) throws IOException, AofFormatException {
        int done = 0;
        while (done < dst.length) {
            if (pos == limit && !fill()) {
                throw truncated();
            }
            int n = Math.min(limit - pos, dst.length - done);
            System.arraycopy(buf, pos, dst, done, n);
            pos += n;
            done += n;
        }
    }

    private int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        bufStart += limit;
        pos = 0;
        limit = 0;
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private AofFormatException truncated() {
        return new AofFormatException(
                "unexpected end of file inside the command at offset " + commandStart, offset(), goodOffset, true);
    }

    private AofFormatException corrupt(String what, long at) {
        return new AofFormatException("bad format at offset " + at + ": " + what, at, goodOffset, false);
    }

    private static String describe(int b) {
        if (b >= 0x21 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return String.format("byte 0x%02x", b);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
