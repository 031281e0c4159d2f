package dev.respite.storage;

import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.PendingEntry;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.StreamConsumer;
import dev.respite.storage.types.StreamEntry;
import dev.respite.storage.types.StreamGroup;
import dev.respite.storage.types.StreamId;
import dev.respite.storage.types.StreamValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DIGEST-VALUE: a SHA-1 based fingerprint of the dataset that depends on contents only —
 * keys, values, expiry times, database numbers — never on encodings or iteration order where the type is
 * unordered (hashes, sets combine their elements with XOR). Two keyspaces holding the same data have the
 * same digest, which is what restart and rewrite tests compare. It is Respite's own, not Redis's value.
 */
public final class DatasetDigest {
    private static final int SIZE = 20;

    private DatasetDigest() {}

    /** Forty hex digits; all zeros for an empty keyspace, as in Redis. */
    public static String of(Keyspace keyspace) {
        byte[] total = new byte[SIZE];
        boolean any = false;
        for (int d = 0; d < keyspace.count(); d++) {
            Database db = keyspace.db(d);
            if (db.size() == 0) {
                continue;
            }
            any = true;
            byte[] dbNumber = Integer.toString(d).getBytes();
            db.forEach(e -> {
                byte[] k = entry(e);
                xorInto(total, sha(k, dbNumber));
            });
        }
        return any ? HexFormat.of().formatHex(total) : "0".repeat(2 * SIZE);
    }

    /** The digest of one key's value and expiry; all zeros when the key is missing. */
    public static String ofKey(Database db, byte[] key) {
        Entry e = db.peek(key);
        if (e == null) {
            return "0".repeat(2 * SIZE);
        }
        // The key's name is left out, as in Redis: a COPY has the same value digest as its source.
        MessageDigest md = sha1();
        md.update(value(e.value()));
        md.update(Long.toString(e.expireAt()).getBytes());
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] entry(Entry e) {
        MessageDigest md = sha1();
        md.update(e.key());
        md.update(value(e.value()));
        md.update(Long.toString(e.expireAt()).getBytes());
        return md.digest();
    }

    private static byte[] value(Object v) {
        MessageDigest ordered = sha1();
        byte[] unordered = new byte[SIZE];
        if (v instanceof byte[] s) {
            ordered.update((byte) 's');
            ordered.update(s);
        } else if (v instanceof ListValue l) {
            ordered.update((byte) 'l');
            l.iterator().forEachRemaining(x -> element(ordered, x));
        } else if (v instanceof SortedSetValue z) {
            ordered.update((byte) 'z');
            z.forEach((m, score) -> {
                element(ordered, m);
                element(ordered, Double.toString(score == 0 ? 0.0 : score).getBytes());
            });
        } else if (v instanceof SetValue s) {
            ordered.update((byte) 'S');
            s.forEach(m -> xorInto(unordered, sha(m, new byte[0])));
        } else if (v instanceof HashValue h) {
            ordered.update((byte) 'h');
            h.forEach((f, fo, fl, x, xo, xl) ->
                    xorInto(unordered, sha(Arrays.copyOfRange(f, fo, fo + fl), Arrays.copyOfRange(x, xo, xo + xl))));
        } else if (v instanceof StreamValue st) {
            ordered.update((byte) 'x');
            stream(ordered, st);
        } else {
            throw new IllegalArgumentException("unknown value type " + v.getClass());
        }
        ordered.update(unordered);
        return ordered.digest();
    }

    /** Entries in order, the stream's counters, then each group with its pending entries and consumers. */
    private static void stream(MessageDigest md, StreamValue s) {
        StreamEntry e = new StreamEntry();
        StreamValue.Cursor c = s.cursor(StreamId.MIN, StreamId.MAX, false);
        while (c.next(e)) {
            element(md, e.id().toBytes());
            for (int i = 0; i < e.pairs(); i++) {
                element(md, e.field(i));
                element(md, e.value(i));
            }
        }
        element(md, (s.lastId() + " " + s.entriesAdded() + " " + s.maxDeletedId()).getBytes());
        for (StreamGroup g : s.groups().values()) {
            element(md, g.name());
            element(md, (g.lastId() + " " + g.entriesRead()).getBytes());
            for (PendingEntry p : g.pending().values()) {
                element(md, (p.id() + " " + p.deliveryTime() + " " + p.deliveryCount()).getBytes());
                element(md, p.consumer().name());
            }
            for (StreamConsumer sc : g.consumers().values()) {
                element(md, sc.name());
            }
        }
    }

    /** Length-prefixed, so that ["ab", "c"] and ["a", "bc"] differ. */
    private static void element(MessageDigest md, byte[] x) {
        md.update(Integer.toString(x.length).getBytes());
        md.update((byte) ':');
        md.update(x);
    }

    private static byte[] sha(byte[] a, byte[] b) {
        MessageDigest md = sha1();
        element(md, a);
        element(md, b);
        return md.digest();
    }

    private static void xorInto(byte[] acc, byte[] x) {
        for (int i = 0; i < SIZE; i++) {
            acc[i] ^= x[i];
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
