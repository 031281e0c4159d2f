package dev.respite.storage.persistence;

import dev.respite.storage.types.Doubles;
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
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Writes keys as the commands that recreate them, the content of a rewritten append-only file's base:
 * SET, or RPUSH/HSET/SADD/ZADD in batches of {@link #ITEMS_PER_COMMAND} items, streams as Redis writes
 * them, then PEXPIREAT for a
 * key with a TTL, and SELECT whenever the database changes.
 */
public final class DatasetCommands {
    /** Items per command for collections, as Redis's rewrite does: bounded memory when loading. */
    public static final int ITEMS_PER_COMMAND = 64;

    private static final byte[] SELECT = bytes("SELECT");
    private static final byte[] SET = bytes("SET");
    private static final byte[] RPUSH = bytes("RPUSH");
    private static final byte[] HSET = bytes("HSET");
    private static final byte[] SADD = bytes("SADD");
    private static final byte[] ZADD = bytes("ZADD");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] XADD = bytes("XADD");
    private static final byte[] MAXLEN = bytes("MAXLEN");
    private static final byte[] XSETID = bytes("XSETID");
    private static final byte[] ENTRIESADDED = bytes("ENTRIESADDED");
    private static final byte[] MAXDELETEDID = bytes("MAXDELETEDID");
    private static final byte[] XGROUP = bytes("XGROUP");
    private static final byte[] CREATE = bytes("CREATE");
    private static final byte[] CREATECONSUMER = bytes("CREATECONSUMER");
    private static final byte[] ENTRIESREAD = bytes("ENTRIESREAD");
    private static final byte[] XCLAIM = bytes("XCLAIM");
    private static final byte[] TIME = bytes("TIME");
    private static final byte[] RETRYCOUNT = bytes("RETRYCOUNT");
    private static final byte[] JUSTID = bytes("JUSTID");
    private static final byte[] FORCE = bytes("FORCE");

    private final CommandBuffer out;
    private int db = -1;

    public DatasetCommands(CommandBuffer out) {
        this.out = out;
    }

    /** Appends the commands for one key of database {@code dbIndex}; {@code expireAt} is -1 without TTL. */
    public void key(int dbIndex, byte[] key, Object value, long expireAt) {
        if (dbIndex != db) {
            out.command(SELECT, bytes(Integer.toString(dbIndex)));
            db = dbIndex;
        }
        if (value instanceof byte[] s) {
            out.command(SET, key, s);
        } else if (value instanceof ListValue l) {
            items(RPUSH, key, l.size(), l.iterator());
        } else if (value instanceof SetValue s) {
            items(SADD, key, s.size(), s.iterator());
        } else if (value instanceof HashValue h) {
            hash(key, h);
        } else if (value instanceof SortedSetValue z) {
            sortedSet(key, z);
        } else if (value instanceof StreamValue st) {
            stream(key, st);
        } else {
            throw new IllegalStateException(
                    "no rewrite for a value of type " + value.getClass().getSimpleName());
        }
        if (expireAt >= 0) {
            out.command(PEXPIREAT, key, bytes(Long.toString(expireAt)));
        }
    }

    private void items(byte[] verb, byte[] key, long size, Iterator<byte[]> it) {
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(ITEMS_PER_COMMAND, left);
            out.arrayHeader(2 + n);
            out.bulk(verb);
            out.bulk(key);
            for (int i = 0; i < n; i++) {
                out.bulk(it.next());
            }
            left -= n;
        }
    }

    private void hash(byte[] key, HashValue h) {
        int[] left = {h.size()};
        int[] inCommand = {0};
        h.forEach((f, fo, fl, v, vo, vl) -> {
            if (inCommand[0] == 0) {
                int n = Math.min(ITEMS_PER_COMMAND, left[0]);
                out.arrayHeader(2 + 2 * n);
                out.bulk(HSET);
                out.bulk(key);
                inCommand[0] = n;
                left[0] -= n;
            }
            out.bulk(f, fo, fl);
            out.bulk(v, vo, vl);
            inCommand[0]--;
        });
    }

    private void sortedSet(byte[] key, SortedSetValue z) {
        int[] left = {z.size()};
        int[] inCommand = {0};
        z.forEach((member, score) -> {
            if (inCommand[0] == 0) {
                int n = Math.min(ITEMS_PER_COMMAND, left[0]);
                out.arrayHeader(2 + 2 * n);
                out.bulk(ZADD);
                out.bulk(key);
                inCommand[0] = n;
                left[0] -= n;
            }
            out.bulk(Doubles.formatBytes(score));
            out.bulk(member);
            inCommand[0]--;
        });
    }

    /**
     * A stream as Redis rewrites one: XADD per entry (an empty stream is created by an XADD trimmed to
     * nothing), XSETID for its counters, then per group XGROUP CREATE, an XCLAIM per pending entry and
     * XGROUP CREATECONSUMER for consumers holding none.
     */
    private void stream(byte[] key, StreamValue s) {
        if (s.length() > 0) {
            StreamEntry e = new StreamEntry();
            StreamValue.Cursor c = s.cursor(StreamId.MIN, StreamId.MAX, false);
            while (c.next(e)) {
                out.arrayHeader(3 + 2 * e.pairs());
                out.bulk(XADD);
                out.bulk(key);
                out.bulk(e.id().toBytes());
                byte[] d = e.data();
                for (int i = 0; i < e.pairs(); i++) {
                    out.bulk(d, e.fieldOffset(i), e.fieldLength(i));
                    out.bulk(d, e.valueOffset(i), e.valueLength(i));
                }
            }
        } else {
            out.command(XADD, key, MAXLEN, bytes("0"), bytes("0-1"), bytes("x"), bytes("y"));
        }
        out.command(
                XSETID,
                key,
                s.lastId().toBytes(),
                ENTRIESADDED,
                bytes(Long.toString(s.entriesAdded())),
                MAXDELETEDID,
                s.maxDeletedId().toBytes());
        for (StreamGroup g : s.groups().values()) {
            out.command(
                    XGROUP,
                    CREATE,
                    key,
                    g.name(),
                    g.lastId().toBytes(),
                    ENTRIESREAD,
                    bytes(Long.toString(g.entriesRead())));
            for (StreamConsumer c : g.consumers().values()) {
                if (c.pending().isEmpty()) {
                    out.command(XGROUP, CREATECONSUMER, key, g.name(), c.name());
                    continue;
                }
                for (PendingEntry p : c.pending().values()) {
                    out.command(
                            XCLAIM,
                            key,
                            g.name(),
                            c.name(),
                            bytes("0"),
                            p.id().toBytes(),
                            TIME,
                            bytes(Long.toString(p.deliveryTime())),
                            RETRYCOUNT,
                            bytes(Long.toString(p.deliveryCount())),
                            JUSTID,
                            FORCE);
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
