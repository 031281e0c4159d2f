package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.Numbers;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.PropagationRules;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The string family. Strings are stored as plain byte arrays. */
public final class StringCommands {
    private static final int NX = 1;
    private static final int XX = 1 << 1;
    private static final int GET = 1 << 2;
    private static final int KEEPTTL = 1 << 3;
    private static final int PERSIST = 1 << 4;
    private static final int EX = 1 << 5;
    private static final int PX = 1 << 6;
    private static final int EXAT = 1 << 7;
    private static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    private static final byte[] EMPTY = new byte[0];

    private final DataContext server;

    public StringCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("get", this::get);
        t.bind("set", this::set).propagateAs(PropagationRules::stringWithTtl);
        t.bind("setnx", this::setnx);
        t.bind("setex", this::setex).propagateAs(PropagationRules::stringWithTtl);
        t.bind("psetex", this::psetex).propagateAs(PropagationRules::stringWithTtl);
        t.bind("getset", this::getset).propagateAs(PropagationRules::stringWithTtl);
        t.bind("getdel", this::getdel);
        t.bind("getex", this::getex).propagateAs(PropagationRules::ttlOnly);
        t.bind("mset", this::mset);
        t.bind("msetnx", this::msetnx);
        t.bind("mget", this::mget);
        t.bind("append", this::append);
        t.bind("strlen", this::strlen);
        t.bind("getrange", this::getrange);
        t.bind("substr", this::getrange);
        t.bind("setrange", this::setrange);
        t.bind("incr", (c, a) -> incrBy(c, a[1], 1));
        t.bind("decr", (c, a) -> incrBy(c, a[1], -1));
        t.bind("incrby", (c, a) -> incrBy(c, a[1], Args.toLong(a[2])));
        t.bind("decrby", this::decrby);
        t.bind("incrbyfloat", this::incrbyfloat).propagateAs(PropagationRules::stringKeepTtl);
        t.bind("lcs", new LongestCommonSubsequence(server)::lcs);
    }

    /** Redis's limit on a string a command would build (proto-max-bulk-len). */
    static void checkLength(DataContext server, long length) {
        if (length > server.protoMaxBulkLen()) {
            throw new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    private void get(Client c, byte[][] a) {
        c.reply().bulk(TypeChecked.get(c.db(), a[1], byte[].class));
    }

    private void set(Client c, byte[][] a) {
        if (a.length == 3) {
            // The common plain SET: one table operation, nothing to parse.
            c.db().set(a[1], a[2]);
            server.notifier().notify(KeyspaceEvents.STRING, "set", c.db(), a[1]);
            c.reply().ok();
            return;
        }
        int flags = 0;
        byte[] expire = null;
        for (int j = 3; j < a.length; j++) {
            byte[] opt = a[j];
            boolean hasNext = j < a.length - 1;
            if (Args.is(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (Args.is(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (Args.is(opt, "get")) {
                flags |= GET;
            } else if (Args.is(opt, "keepttl") && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else {
                int unit = expireOption(opt, flags, hasNext);
                if (unit == 0) {
                    throw CommandError.syntax();
                }
                flags |= unit;
                expire = a[++j];
            }
        }
        long at = expire == null ? 0 : expireAt(expire, flags, "set");
        setGeneric(c, a[1], a[2], flags, at, true);
    }

    /** The expiry flag an option names if the flags so far allow it (Redis refuses mixing them), else 0. */
    private static int expireOption(byte[] opt, int flags, boolean hasNext) {
        if (!hasNext || (flags & (KEEPTTL | PERSIST)) != 0) {
            return 0;
        }
        int unit = Args.is(opt, "ex")
                ? EX
                : Args.is(opt, "px") ? PX : Args.is(opt, "exat") ? EXAT : Args.is(opt, "pxat") ? PXAT : 0;
        return (flags & ANY_EXPIRE & ~unit) != 0 ? 0 : unit;
    }

    /** The absolute expiry in Unix milliseconds an EX/PX/EXAT/PXAT argument denotes, with Redis's checks. */
    private long expireAt(byte[] arg, int flags, String command) {
        long v = Args.toLong(arg);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(command);
        }
        if (seconds) {
            v *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            v += server.keyspace().now();
            if (v <= 0) {
                throw invalidExpire(command);
            }
        }
        return v;
    }

    static CommandError invalidExpire(String command) {
        return new CommandError("ERR invalid expire time in '" + command + "' command");
    }

    /** SET and its variants; {@code okReply} false answers 1/0 as SETNX does. */
    private void setGeneric(Client c, byte[] key, byte[] value, int flags, long expireAt, boolean okReply) {
        Database db = c.db();
        RespWriter r = c.reply();
        Entry e = db.lookup(key);
        if ((flags & GET) != 0) {
            // SET ... GET and GETSET read the old value as GET does, and count as a read.
            server.keyspace().countHit(e != null);
            if (e != null && !(e.value() instanceof byte[])) {
                throw CommandError.wrongType();
            }
            r.bulk(e == null ? null : (byte[]) e.value());
        }
        if (((flags & NX) != 0 && e != null) || ((flags & XX) != 0 && e == null)) {
            if ((flags & GET) == 0) {
                if (okReply) {
                    r.nullBulk();
                } else {
                    r.integer(0);
                }
            }
            return;
        }
        Entry set = (flags & KEEPTTL) != 0 ? db.setKeepTtl(key, value) : db.set(key, value);
        server.notifier().notify(KeyspaceEvents.STRING, "set", db, key);
        if (expireAt != 0) {
            db.setExpireAt(set, expireAt);
            server.notifier().notify(KeyspaceEvents.GENERIC, "expire", db, key);
        }
        if ((flags & GET) == 0) {
            if (okReply) {
                r.ok();
            } else {
                r.integer(1);
            }
        }
    }

    private void setnx(Client c, byte[][] a) {
        setGeneric(c, a[1], a[2], NX, 0, false);
    }

    private void setex(Client c, byte[][] a) {
        setGeneric(c, a[1], a[3], 0, expireAt(a[2], EX, "setex"), true);
    }

    private void psetex(Client c, byte[][] a) {
        setGeneric(c, a[1], a[3], 0, expireAt(a[2], PX, "psetex"), true);
    }

    private void getset(Client c, byte[][] a) {
        setGeneric(c, a[1], a[2], GET, 0, true);
    }

    private void getdel(Client c, byte[][] a) {
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        server.keyspace().countHit(v != null);
        if (v != null) {
            c.db().delete(a[1]);
            server.notifier().notify(KeyspaceEvents.GENERIC, "del", c.db(), a[1]);
        }
        c.reply().bulk(v);
    }

    private void getex(Client c, byte[][] a) {
        int flags = 0;
        byte[] expire = null;
        for (int j = 2; j < a.length; j++) {
            byte[] opt = a[j];
            if (Args.is(opt, "persist") && (flags & ANY_EXPIRE) == 0) {
                flags |= PERSIST;
            } else {
                int unit = expireOption(opt, flags, j < a.length - 1);
                if (unit == 0) {
                    throw CommandError.syntax();
                }
                flags |= unit;
                expire = a[++j];
            }
        }
        Database db = c.db();
        Entry e = TypeChecked.entry(db, a[1], byte[].class);
        server.keyspace().countHit(e != null);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        // As in Redis, the time is read after the key: a missing key answers null whatever it says.
        long at = expire == null ? 0 : expireAt(expire, flags, "getex");
        c.reply().bulk((byte[]) e.value());
        if ((flags & (EXAT | PXAT)) != 0 && at <= server.keyspace().expiryNow()) {
            db.delete(a[1]);
            server.notifier().notify(KeyspaceEvents.GENERIC, "del", db, a[1]);
        } else if (expire != null) {
            db.setExpireAt(e, at);
            server.notifier().notify(KeyspaceEvents.GENERIC, "expire", db, a[1]);
        } else if ((flags & PERSIST) != 0 && db.persist(e)) {
            server.notifier().notify(KeyspaceEvents.GENERIC, "persist", db, a[1]);
        }
    }

    private static void checkPairs(byte[][] a) {
        if (a.length % 2 == 0) {
            throw CommandError.wrongArity(new String(a[0], StandardCharsets.UTF_8).toLowerCase());
        }
    }

    private void mset(Client c, byte[][] a) {
        checkPairs(a);
        Database db = c.db();
        for (int i = 1; i < a.length; i += 2) {
            db.set(a[i], a[i + 1]);
            server.notifier().notify(KeyspaceEvents.STRING, "set", db, a[i]);
        }
        c.reply().ok();
    }

    private void msetnx(Client c, byte[][] a) {
        checkPairs(a);
        Database db = c.db();
        for (int i = 1; i < a.length; i += 2) {
            if (db.exists(a[i])) {
                c.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < a.length; i += 2) {
            db.set(a[i], a[i + 1]);
            server.notifier().notify(KeyspaceEvents.STRING, "set", db, a[i]);
        }
        c.reply().integer(1);
    }

    private void mget(Client c, byte[][] a) {
        Database db = c.db();
        RespWriter r = c.reply();
        r.array(a.length - 1);
        for (int i = 1; i < a.length; i++) {
            Object v = db.get(a[i]);
            r.bulk(v instanceof byte[] s ? s : null);
        }
    }

    private void append(Client c, byte[][] a) {
        Database db = c.db();
        Entry e = TypeChecked.entry(db, a[1], byte[].class);
        if (e == null) {
            db.set(a[1], a[2]);
            server.notifier().notify(KeyspaceEvents.STRING, "append", db, a[1]);
            c.reply().integer(a[2].length);
            return;
        }
        byte[] old = (byte[]) e.value();
        checkLength(server, (long) old.length + a[2].length);
        byte[] v = Arrays.copyOf(old, old.length + a[2].length);
        System.arraycopy(a[2], 0, v, old.length, a[2].length);
        db.setKeepTtl(a[1], ValueTypes.modifiedInPlace(v));
        server.notifier().notify(KeyspaceEvents.STRING, "append", db, a[1]);
        c.reply().integer(v.length);
    }

    private void strlen(Client c, byte[][] a) {
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        c.reply().integer(v == null ? 0 : v.length);
    }

    private void getrange(Client c, byte[][] a) {
        long start = Args.toLong(a[2]);
        long end = Args.toLong(a[3]);
        byte[] v = TypeChecked.get(c.db(), a[1], byte[].class);
        if (v == null || (start < 0 && end < 0 && start > end)) {
            c.reply().bulk(EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply().bulk(EMPTY);
        } else {
            c.reply().bulk(v, (int) start, (int) (end - start + 1));
        }
    }

    private void setrange(Client c, byte[][] a) {
        long offset = Args.toLong(a[2]);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        byte[] value = a[3];
        Database db = c.db();
        Entry e = TypeChecked.entry(db, a[1], byte[].class);
        byte[] old = e == null ? EMPTY : (byte[]) e.value();
        if (value.length == 0) {
            c.reply().integer(old.length);
            return;
        }
        // Saturate: offset + length can pass Long.MAX_VALUE, and a wrapped sum would slip under the limit.
        checkLength(server, offset > Long.MAX_VALUE - value.length ? Long.MAX_VALUE : offset + value.length);
        byte[] v = offset + value.length > old.length ? Arrays.copyOf(old, (int) (offset + value.length)) : old.clone();
        System.arraycopy(value, 0, v, (int) offset, value.length);
        db.setKeepTtl(a[1], ValueTypes.modifiedInPlace(v));
        server.notifier().notify(KeyspaceEvents.STRING, "setrange", db, a[1]);
        c.reply().integer(v.length);
    }

    private void decrby(Client c, byte[][] a) {
        long by = Args.toLong(a[2]);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrBy(c, a[1], -by);
    }

    private void incrBy(Client c, byte[] key, long by) {
        Database db = c.db();
        Entry e = TypeChecked.entry(db, key, byte[].class);
        long old = 0;
        if (e != null) {
            byte[] s = (byte[]) e.value();
            old = Args.parseLong(s, 0, s.length);
            if (old == Long.MIN_VALUE && !Args.isLongMin(s)) {
                throw CommandError.notInteger();
            }
        }
        if ((by < 0 && old < 0 && by < Long.MIN_VALUE - old) || (by > 0 && old > 0 && by > Long.MAX_VALUE - old)) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        long v = old + by;
        if (e != null) {
            db.replaceValue(e, IntegerText.of(v));
        } else {
            db.setKeepTtl(key, IntegerText.of(v));
        }
        server.notifier().notify(KeyspaceEvents.STRING, "incrby", db, key);
        c.reply().integer(v);
    }

    private void incrbyfloat(Client c, byte[][] a) {
        Database db = c.db();
        Entry e = TypeChecked.entry(db, a[1], byte[].class);
        Numbers.Parsed value = e == null ? Numbers.ZERO : Numbers.parseLongDouble((byte[]) e.value());
        Numbers.Parsed incr = Numbers.parseLongDouble(a[2]);
        if (value.refusal() == Numbers.Refusal.NOT_A_NUMBER || incr.refusal() == Numbers.Refusal.NOT_A_NUMBER) {
            throw CommandError.notFloat();
        }
        BigDecimal sum = value.ok() && incr.ok() ? Numbers.add(value.value(), incr.value()) : null;
        if (sum == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = Numbers.formatHuman(sum).getBytes(StandardCharsets.US_ASCII);
        db.setKeepTtl(a[1], text);
        server.notifier().notify(KeyspaceEvents.STRING, "incrbyfloat", db, a[1]);
        c.reply().bulk(text);
    }
}
