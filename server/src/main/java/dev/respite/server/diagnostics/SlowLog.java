package dev.respite.server.diagnostics;

import dev.respite.protocol.RespWriter;
import dev.respite.server.net.Client;
import java.util.ArrayDeque;
import java.util.Iterator;

/** The slow log: commands that ran longer than slowlog-log-slower-than, newest first, bounded by slowlog-max-len. */
public final class SlowLog {
    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_BYTES = 128;

    private record Record(long id, long unixSeconds, long micros, byte[][] args, String address, String name) {}

    private final ArrayDeque<Record> records = new ArrayDeque<>();
    private long nextId;

    /** Records a command if it ran at least {@code thresholdMicros} (negative disables, 0 logs all). */
    public void consider(Client c, byte[][] args, long micros, long thresholdMicros, int maxLen) {
        if (thresholdMicros < 0 || micros < thresholdMicros) {
            return;
        }
        records.addFirst(
                new Record(nextId++, System.currentTimeMillis() / 1000, micros, trim(args), c.address(), c.name()));
        while (records.size() > maxLen) {
            records.removeLast();
        }
    }

    /** Keeps what Redis keeps: 32 arguments at most, each cut at 128 bytes, with a note of what was left out. */
    private static byte[][] trim(byte[][] args) {
        int n = Math.min(args.length, MAX_ARGS);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGS - 1 && args.length > MAX_ARGS) {
                out[i] = ("... (" + (args.length - MAX_ARGS + 1) + " more arguments)").getBytes();
            } else if (args[i].length > MAX_ARG_BYTES) {
                byte[] cut = new byte[MAX_ARG_BYTES];
                System.arraycopy(args[i], 0, cut, 0, MAX_ARG_BYTES);
                String note = "... (" + (args[i].length - MAX_ARG_BYTES) + " more bytes)";
                byte[] noteBytes = note.getBytes();
                byte[] joined = new byte[MAX_ARG_BYTES + noteBytes.length];
                System.arraycopy(cut, 0, joined, 0, MAX_ARG_BYTES);
                System.arraycopy(noteBytes, 0, joined, MAX_ARG_BYTES, noteBytes.length);
                out[i] = joined;
            } else {
                out[i] = args[i];
            }
        }
        return out;
    }

    public int size() {
        return records.size();
    }

    public void reset() {
        records.clear();
    }

    /** Drops the oldest entries past a new, smaller maximum length. */
    public void trimTo(int maxLen) {
        while (records.size() > maxLen) {
            records.removeLast();
        }
    }

    /** SLOWLOG GET: the newest {@code count} entries (negative: all) in Redis's reply shape. */
    public void write(RespWriter r, long count) {
        int n = count < 0 ? records.size() : (int) Math.min(count, records.size());
        r.array(n);
        Iterator<Record> it = records.iterator();
        for (int i = 0; i < n; i++) {
            Record rec = it.next();
            r.array(6);
            r.integer(rec.id);
            r.integer(rec.unixSeconds);
            r.integer(rec.micros);
            r.array(rec.args.length);
            for (byte[] a : rec.args) {
                r.bulk(a);
            }
            r.bulk(rec.address);
            r.bulk(rec.name);
        }
    }
}
