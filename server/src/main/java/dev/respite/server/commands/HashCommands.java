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
import dev.respite.storage.Glob;
import dev.respite.storage.types.HashValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hash family. Values are {@link HashValue}s, which keep the argument arrays they are given: the
 * decoder hands each command fresh arrays that nothing modifies afterwards. A hash left without fields
 * is deleted, so an empty hash never exists in the keyspace.
 */
public final class HashCommands {
    private final DataContext server;
    private final SplittableRandom random = new SplittableRandom();

    public HashCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("hset", this::hset);
        t.bind("hmset", this::hset);
        t.bind("hsetnx", this::hsetnx);
        t.bind("hget", this::hget);
        t.bind("hmget", this::hmget);
        t.bind("hgetall", this::hgetall);
        t.bind("hkeys", this::hkeys);
        t.bind("hvals", this::hvals);
        t.bind("hlen", this::hlen);
        t.bind("hexists", this::hexists);
        t.bind("hdel", this::hdel);
        t.bind("hincrby", this::hincrby);
        t.bind("hincrbyfloat", this::hincrbyfloat).propagateAs(PropagationRules::hashField);
        t.bind("hstrlen", this::hstrlen);
        t.bind("hrandfield", this::hrandfield);
        t.bind("hscan", this::hscan);
    }

    /** The hash at {@code key}, created (and added to the keyspace) if absent. */
    private HashValue hashForWrite(Database db, byte[] key) {
        HashValue h = TypeChecked.get(db, key, HashValue.class);
        if (h == null) {
            h = new HashValue(server.keyspace().limits());
            db.add(key, h);
        }
        return h;
    }

    private void hset(Client c, byte[][] a) {
        if (a.length % 2 != 0) {
            throw CommandError.wrongArity(Args.str(a[0]).toLowerCase());
        }
        Database db = c.db();
        HashValue h = hashForWrite(db, a[1]);
        long added = h.putAll(a, 2);
        db.signalModified(a[1]);
        server.notifier().notify(KeyspaceEvents.HASH, "hset", db, a[1]);
        if (Args.is(a[0], "hmset")) {
            c.reply().ok();
        } else {
            c.reply().integer(added);
        }
    }

    private void hsetnx(Client c, byte[][] a) {
        Database db = c.db();
        HashValue h = hashForWrite(db, a[1]);
        boolean set = h.putIfAbsent(a[2], a[3]);
        if (set) {
            db.signalModified(a[1]);
            server.notifier().notify(KeyspaceEvents.HASH, "hset", db, a[1]);
        }
        c.reply().integer(set ? 1 : 0);
    }

    private void hget(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        c.reply().bulk(h == null ? null : h.get(a[2]));
    }

    private void hmget(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        c.reply().array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            c.reply().bulk(h == null ? null : h.get(a[i]));
        }
    }

    private void hgetall(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        RespWriter r = c.reply();
        if (h == null) {
            r.map(0);
            return;
        }
        r.map(h.size());
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            r.bulk(fb, fo, fl);
            r.bulk(vb, vo, vl);
        });
    }

    private void hkeysOrVals(Client c, byte[][] a, boolean keys) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        RespWriter r = c.reply();
        if (h == null) {
            r.array(0);
            return;
        }
        r.array(h.size());
        h.forEach((fb, fo, fl, vb, vo, vl) -> {
            if (keys) {
                r.bulk(fb, fo, fl);
            } else {
                r.bulk(vb, vo, vl);
            }
        });
    }

    private void hkeys(Client c, byte[][] a) {
        hkeysOrVals(c, a, true);
    }

    private void hvals(Client c, byte[][] a) {
        hkeysOrVals(c, a, false);
    }

    private void hlen(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        c.reply().integer(h == null ? 0 : h.size());
    }

    private void hexists(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        c.reply().integer(h != null && h.contains(a[2]) ? 1 : 0);
    }

    private void hdel(Client c, byte[][] a) {
        Database db = c.db();
        HashValue h = TypeChecked.get(db, a[1], HashValue.class);
        long removed = 0;
        if (h != null) {
            for (int i = 2; i < a.length; i++) {
                if (h.remove(a[i])) {
                    removed++;
                    if (h.isEmpty()) {
                        break;
                    }
                }
            }
            if (removed > 0) {
                server.removed(db, a[1], h.isEmpty(), KeyspaceEvents.HASH, "hdel");
            }
        }
        c.reply().integer(removed);
    }

    private void hincrby(Client c, byte[][] a) {
        long incr = Args.toLong(a[3]);
        Database db = c.db();
        HashValue h = hashForWrite(db, a[1]);
        byte[] old = h.get(a[2]);
        long value = 0;
        if (old != null) {
            value = Args.parseLong(old, 0, old.length);
            if (value == Long.MIN_VALUE && !Args.isLongMin(old)) {
                throw new CommandError("ERR hash value is not an integer");
            }
        }
        long result;
        try {
            result = Math.addExact(value, incr);
        } catch (ArithmeticException e) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        h.put(a[2], Long.toString(result).getBytes(StandardCharsets.US_ASCII));
        db.signalModified(a[1]);
        server.notifier().notify(KeyspaceEvents.HASH, "hincrby", db, a[1]);
        c.reply().integer(result);
    }

    private void hincrbyfloat(Client c, byte[][] a) {
        Numbers.Parsed incr = Numbers.parseLongDouble(a[3]);
        if (incr.refusal() == Numbers.Refusal.INFINITE) {
            throw new CommandError("ERR value is NaN or Infinity");
        }
        if (!incr.ok()) {
            throw CommandError.notFloat();
        }
        Database db = c.db();
        HashValue h = hashForWrite(db, a[1]);
        byte[] old = h.get(a[2]);
        BigDecimal value = BigDecimal.ZERO;
        if (old != null) {
            Numbers.Parsed current = Numbers.parseLongDouble(old);
            if (current.refusal() == Numbers.Refusal.INFINITE) {
                throw new CommandError("ERR increment would produce NaN or Infinity");
            }
            if (!current.ok()) {
                throw new CommandError("ERR hash value is not a float");
            }
            value = current.value();
        }
        BigDecimal sum = Numbers.add(value, incr.value());
        if (sum == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = Numbers.formatHuman(sum).getBytes(StandardCharsets.US_ASCII);
        h.put(a[2], text);
        db.signalModified(a[1]);
        server.notifier().notify(KeyspaceEvents.HASH, "hincrbyfloat", db, a[1]);
        c.reply().bulk(text);
    }

    private void hstrlen(Client c, byte[][] a) {
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        c.reply().integer(h == null ? 0 : Math.max(0, h.valueLength(a[2])));
    }

    private void hrandfield(Client c, byte[][] a) {
        if (a.length == 2) {
            HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
            c.reply().bulk(h == null ? null : h.randomField(random));
            return;
        }
        long count = Args.toLongInRange(a[2], -Long.MAX_VALUE, Long.MAX_VALUE);
        boolean withValues = false;
        if (a.length == 4) {
            if (!Args.is(a[3], "withvalues")) {
                throw CommandError.syntax();
            }
            withValues = true;
        } else if (a.length > 4) {
            throw CommandError.syntax();
        }
        // Redis refuses magnitudes whose reply length would overflow (LONG_MAX / 2 with values)
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new CommandError("ERR value is out of range");
        }
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        RespWriter r = c.reply();
        if (h == null || count == 0) {
            r.array(0);
            return;
        }
        long n = count >= 0 ? Math.min(count, h.size()) : -count;
        boolean nested = withValues && r.protocol() == 3;
        r.array(withValues && !nested ? n * 2 : n);
        boolean values = withValues;
        // A huge negative count stops once the reply passes the client's output limit, as in Redis, since
        // the connection is closed anyway.
        h.randomEntries(
                count,
                random,
                (fb, fo, fl, vb, vo, vl) -> {
                    if (nested) {
                        r.array(2);
                    }
                    r.bulk(fb, fo, fl);
                    if (values) {
                        r.bulk(vb, vo, vl);
                    }
                },
                () -> {
                    c.enforceOutputLimit();
                    return c.isClosing();
                });
    }

    private void hscan(Client c, byte[][] a) {
        long cursor = ScanRequest.parseCursor(a[2]);
        // As in Redis, a missing key answers an empty page before the options are read.
        HashValue h = TypeChecked.get(c.db(), a[1], HashValue.class);
        if (h == null) {
            ScanRequest.emptyPage(c.reply());
            return;
        }
        byte[] pattern = null;
        long count = 10;
        boolean noValues = false;
        for (int i = 3; i < a.length; i++) {
            boolean hasValue = i + 1 < a.length;
            if (Args.is(a[i], "match") && hasValue) {
                pattern = a[++i];
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (Args.is(a[i], "count") && hasValue) {
                count = Args.toLong(a[++i]);
                if (count < 1) {
                    throw CommandError.syntax();
                }
            } else if (Args.is(a[i], "novalues")) {
                noValues = true;
            } else {
                throw CommandError.syntax();
            }
        }
        List<byte[]> items = new ArrayList<>();
        byte[] match = pattern;
        boolean keepValues = !noValues;
        long next = h.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), (fb, fo, fl, vb, vo, vl) -> {
            if (match != null && !Glob.matches(match, 0, match.length, fb, fo, fl, false)) {
                return;
            }
            items.add(Arrays.copyOfRange(fb, fo, fo + fl));
            if (keepValues) {
                items.add(Arrays.copyOfRange(vb, vo, vo + vl));
            }
        });
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(items.size());
        for (byte[] item : items) {
            r.bulk(item);
        }
    }
}
