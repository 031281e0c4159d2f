package dev.respite.server.persistence;

import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.types.HashValue;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * What the append-only file records for commands whose arguments, replayed later, would not do the same
 * thing: relative TTLs (a replay must never extend one) and floating-point increments. Each rule turns a
 * command that just ran into deterministic commands, read from the key's state after it ran; a family
 * attaches it where it binds the command ({@code t.bind("set", this::set).propagateAs(...)}). Commands
 * without a rule are logged as received.
 */
public final class PropagationRules {
    private static final byte[] SET = ascii("SET");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] PXAT = ascii("PXAT");
    private static final byte[] KEEPTTL = ascii("KEEPTTL");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    private static final byte[] PERSIST = ascii("PERSIST");
    private static final byte[] HSET = ascii("HSET");

    private PropagationRules() {}

    /** SET and its relatives: the value and the absolute expiry they left, or DEL if the key is gone. */
    public static List<byte[][]> stringWithTtl(Database db, byte[][] args) {
        if (args.length == 3 && args[0].length == 3) {
            // A plain SET key value left exactly that, with no TTL: it goes as received, as Redis propagates it,
            // without looking the key up again.
            return Collections.singletonList(args);
        }
        byte[] key = args[1];
        Entry e = db.entryFor(key);
        if (e == null || !(e.value() instanceof byte[] v)) {
            return one(DEL, key);
        }
        if (e.hasExpiry()) {
            return one(SET, key, v, PXAT, number(e.expireAt()));
        }
        return one(SET, key, v);
    }

    /** EXPIRE and its relatives: the absolute expiry they left, no TTL at all, or DEL if the key is gone. */
    public static List<byte[][]> ttlOnly(Database db, byte[][] args) {
        byte[] key = args[1];
        Entry e = db.entryFor(key);
        if (e == null) {
            return one(DEL, key);
        }
        if (e.hasExpiry()) {
            return one(PEXPIREAT, key, number(e.expireAt()));
        }
        return one(PERSIST, key);
    }

    /** INCRBYFLOAT: the resulting value, so that a replay does not redo floating-point arithmetic. */
    public static List<byte[][]> stringKeepTtl(Database db, byte[][] args) {
        byte[] key = args[1];
        Entry e = db.entryFor(key);
        if (e == null || !(e.value() instanceof byte[] v)) {
            return one(DEL, key);
        }
        return one(SET, key, v, KEEPTTL);
    }

    /** HINCRBYFLOAT: the resulting field value. */
    public static List<byte[][]> hashField(Database db, byte[][] args) {
        byte[] key = args[1];
        Entry e = db.entryFor(key);
        if (e == null || !(e.value() instanceof HashValue h) || h.get(args[2]) == null) {
            return Collections.singletonList(args);
        }
        return one(HSET, key, args[2], h.get(args[2]));
    }

    private static List<byte[][]> one(byte[]... command) {
        return Collections.singletonList(command);
    }

    private static byte[] number(long n) {
        return ascii(Long.toString(n));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
