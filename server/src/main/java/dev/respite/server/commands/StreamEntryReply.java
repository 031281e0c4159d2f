package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.storage.types.StreamEntry;
import java.util.Arrays;

/**
 * Stream entries encoded as their RESP reply ({@code [id, [field, value, ...]]}) into one reusable array,
 * straight from the node's bytes, and handed to the connection's buffer in one copy: a range of entries
 * costs no object per entry and one buffer write instead of a few per field. Entries are counted as they
 * are encoded, so a range whose size is not known ahead is still walked once. Used on the keyspace thread.
 */
final class StreamEntryReply {
    /** Past this the array is not kept for the next reply: one huge range must not pin its size. */
    private static final int KEEP_BYTES = 1 << 20;

    private static final int INITIAL_BYTES = 4096;

    private byte[] buf = new byte[INITIAL_BYTES];
    private final byte[] msText = new byte[20];
    private int msDigits;
    private long lastMs;
    private int length;
    private long count;

    /** Entries encoded since the last write. */
    long count() {
        return count;
    }

    void add(StreamEntry e) {
        int pairs = e.pairs();
        byte[] d = e.data();
        int need = 4 + 2 * 20 + 8 + 16;
        for (int i = 0; i < pairs; i++) {
            need += e.fieldLength(i) + e.valueLength(i) + 2 * 16;
        }
        room(need);
        byte[] b = buf;
        int p = length;
        b[p++] = '*';
        b[p++] = '2';
        b[p++] = '\r';
        b[p++] = '\n';
        long ms = e.ms();
        long seq = e.seq();
        if (ms < 0 || seq < 0) {
            p = bulk(b, p, StreamCommands.idBytes(ms, seq), 0, -1);
        } else {
            if (ms != lastMs || msDigits == 0) {
                // Entries next to each other mostly share their millisecond: its digits are kept.
                msDigits = decimal(msText, 0, ms);
                lastMs = ms;
            }
            int seqDigits = digits(seq);
            p = header(b, p, '$', msDigits + 1 + seqDigits);
            System.arraycopy(msText, 0, b, p, msDigits);
            p += msDigits;
            b[p++] = '-';
            p = decimal(b, p, seq, seqDigits);
            b[p++] = '\r';
            b[p++] = '\n';
        }
        p = header(b, p, '*', 2L * pairs);
        for (int i = 0; i < pairs; i++) {
            p = bulk(b, p, d, e.fieldOffset(i), e.fieldLength(i));
            p = bulk(b, p, d, e.valueOffset(i), e.valueLength(i));
        }
        length = p;
        count++;
    }

    /** Writes the entries encoded so far as an array of them, and starts again. */
    void writeArray(RespWriter r) {
        r.array(count);
        writeEntries(r);
    }

    /** Writes the entries encoded so far, each an element of an array the caller opened, and starts again. */
    void writeEntries(RespWriter r) {
        r.encoded(buf, 0, length);
        length = 0;
        count = 0;
        if (buf.length > KEEP_BYTES) {
            buf = new byte[INITIAL_BYTES];
        }
    }

    private void room(int need) {
        if (length + need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + need, buf.length * 2));
        }
    }

    /** A bulk string of {@code len} bytes of {@code src} from {@code off}; a negative len means all of it. */
    private static int bulk(byte[] b, int p, byte[] src, int off, int len) {
        int n = len < 0 ? src.length : len;
        p = header(b, p, '$', n);
        System.arraycopy(src, off, b, p, n);
        p += n;
        b[p++] = '\r';
        b[p++] = '\n';
        return p;
    }

    private static int header(byte[] b, int p, char type, long n) {
        b[p++] = (byte) type;
        p = decimal(b, p, n);
        b[p++] = '\r';
        b[p++] = '\n';
        return p;
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** A non-negative number in decimal. */
    private static int decimal(byte[] b, int p, long v) {
        return decimal(b, p, v, digits(v));
    }

    /** A non-negative number of {@code digits} digits in decimal. */
    private static int decimal(byte[] b, int p, long v, int digits) {
        int end = p + digits;
        int i = end - 1;
        while (v > Integer.MAX_VALUE) {
            b[i--] = (byte) ('0' + v % 10);
            v /= 10;
        }
        // The rest fits an int, whose division is cheaper.
        for (int n = (int) v; i >= p; i--) {
            b[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return end;
    }
}
