package dev.respite.storage.persistence;

import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Writes keys as the commands that recreate them, the content of a rewritten append-only file's base:
 * SET, or RPUSH/HSET/SADD/ZADD in batches of {@link #ITEMS_PER_COMMAND} items, then PEXPIREAT for a
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
        } else {
            throw new IllegalStateException("no rewrite for a value of type " + value.getClass().getSimpleName());
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
