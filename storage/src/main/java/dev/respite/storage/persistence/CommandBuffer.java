package dev.respite.storage.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Commands encoded as RESP arrays of bulk strings, the append-only file's format, into one growable byte
 * array: a whole batch of commands becomes one write.
 */
public final class CommandBuffer {
    private static final byte[] CRLF = {'\r', '\n'};
    private byte[] bytes;
    private int size;

    public CommandBuffer() {
        this(4096);
    }

    public CommandBuffer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Appends one command. */
    public void command(byte[]... args) {
        arrayHeader(args.length);
        for (byte[] a : args) {
            bulk(a, 0, a.length);
        }
    }

    /** Appends Redis's timestamp annotation, {@code #TS:<unix seconds>}, a line loading skips. */
    public void timestamp(long unixSeconds) {
        put((byte) '#');
        put((byte) 'T');
        put((byte) 'S');
        put((byte) ':');
        number(unixSeconds);
        put(CRLF, 0, 2);
    }

    public void arrayHeader(int count) {
        put((byte) '*');
        number(count);
        put(CRLF, 0, 2);
    }

    public void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int offset, int length) {
        put((byte) '$');
        number(length);
        put(CRLF, 0, 2);
        put(b, offset, length);
        put(CRLF, 0, 2);
    }

    public void bulk(String ascii) {
        bulk(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public void bulk(long n) {
        bulk(Long.toString(n));
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The bytes appended so far, as a copy the caller owns. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** The buffer itself, holding the bytes appended so far up to {@link #size()}; valid until the next append. */
    public byte[] buffer() {
        return bytes;
    }

    public void clear() {
        size = 0;
    }

    /** Keeps the first {@code length} bytes: undoes appends made after {@link #size()} returned it. */
    public void truncate(int length) {
        size = length;
    }

    private void number(long n) {
        if (n >= 0 && n < 10) {
            put((byte) ('0' + n));
            return;
        }
        if (n < 0) {
            byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
            put(digits, 0, digits.length);
            return;
        }
        // Lengths are written for every argument: digits go straight into the buffer.
        int width = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            width++;
        }
        ensure(width);
        for (int i = size + width - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        size += width;
    }

    private void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void put(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }
}
