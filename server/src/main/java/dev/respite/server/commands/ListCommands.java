package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.types.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The list family's non-blocking commands, and the list operations the blocking ones share
 * ({@link BlockingListCommands}). Every write that adds elements signals the key ready so that clients
 * blocked on it are served after the command; a list left empty is deleted.
 */
public final class ListCommands {
    static final byte[] LPOP = "LPOP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RPOP = "RPOP".getBytes(StandardCharsets.US_ASCII);

    private final DataContext server;

    public ListCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("lpush", (c, a) -> push(c, a, true, false));
        t.bind("rpush", (c, a) -> push(c, a, false, false));
        t.bind("lpushx", (c, a) -> push(c, a, true, true));
        t.bind("rpushx", (c, a) -> push(c, a, false, true));
        t.bind("lpop", (c, a) -> pop(c, a, true));
        t.bind("rpop", (c, a) -> pop(c, a, false));
        t.bind("lrange", this::lrange);
        t.bind("lindex", this::lindex);
        t.bind("lset", this::lset);
        t.bind("linsert", this::linsert);
        t.bind("llen", this::llen);
        t.bind("lrem", this::lrem);
        t.bind("ltrim", this::ltrim);
        t.bind("lpos", this::lpos);
        t.bind("lmove", this::lmove);
        t.bind("rpoplpush", this::rpoplpush);
        t.bind("lmpop", this::lmpop);
    }

    static String popEvent(boolean left) {
        return left ? "lpop" : "rpop";
    }

    /** Reports elements added to the list at {@code key}: for WATCH, notifications and blocked clients. */
    void pushed(Database db, byte[] key, String event) {
        db.signalModified(key);
        server.notifier().notify(KeyspaceEvents.LIST, event, db, key);
        server.blocking().signalKeyReady(db, key);
    }

    /** Parses LEFT or RIGHT; true for LEFT (the head). */
    static boolean isLeft(byte[] arg) {
        if (Args.is(arg, "left")) {
            return true;
        }
        if (Args.is(arg, "right")) {
            return false;
        }
        throw CommandError.syntax();
    }

    /**
     * Pops from {@code src} (head if {@code fromLeft}) and pushes onto {@code dst} (head if {@code toLeft}),
     * creating it; returns the element, or null if {@code src} is absent. The destination's type is checked
     * only when there is something to move, and before anything changes, as Redis does.
     */
    byte[] move(Database db, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft) {
        ListValue from = TypeChecked.get(db, src, ListValue.class);
        if (from == null) {
            return null;
        }
        ListValue to = TypeChecked.get(db, dst, ListValue.class);
        long dirtyBefore = server.keyspace().dirty();
        byte[] value = fromLeft ? from.popHead() : from.popTail();
        if (to == null) {
            to = new ListValue(server.keyspace().limits());
            db.add(dst, to);
        }
        if (toLeft) {
            to.pushHead(value);
        } else {
            to.pushTail(value);
        }
        // Redis reports the push onto the destination before the pop from the source.
        pushed(db, dst, toLeft ? "lpush" : "rpush");
        server.removed(db, src, from.isEmpty(), KeyspaceEvents.LIST, popEvent(fromLeft));
        // One change in Redis, served at once or to a blocked BLMOVE.
        server.countChanges(dirtyBefore, 1);
        return value;
    }

    /**
     * Pops up to {@code count} elements of the list at {@code key} into a reply [key, [elements]]
     * (LMPOP, BLMPOP); the caller has checked that the list exists and is not empty. Logged as
     * {@code LPOP/RPOP key n}, as Redis 7 propagates both.
     */
    void popMany(Client c, byte[] key, ListValue list, boolean left, long count) {
        long n = Math.min(count, list.size());
        long dirtyBefore = server.keyspace().dirty();
        c.propagate(new byte[][] {left ? LPOP : RPOP, key, IntegerText.of(n)});
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(key);
        r.array(n);
        for (long i = 0; i < n; i++) {
            r.bulk(left ? list.popHead() : list.popTail());
        }
        server.removed(c.db(), key, list.isEmpty(), KeyspaceEvents.LIST, popEvent(left));
        server.countChanges(dirtyBefore, n);
    }

    private void push(Client c, byte[][] a, boolean left, boolean onlyIfExists) {
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        long dirtyBefore = server.keyspace().dirty();
        if (list == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            list = new ListValue(server.keyspace().limits());
            db.add(a[1], list);
        }
        for (int i = 2; i < a.length; i++) {
            if (left) {
                list.pushHead(a[i]);
            } else {
                list.pushTail(a[i]);
            }
        }
        pushed(db, a[1], left ? "lpush" : "rpush");
        // Each element pushed is one change, as Redis counts them; creating the list is not another.
        server.countChanges(dirtyBefore, a.length - 2);
        c.reply().integer(list.size());
    }

    private void pop(Client c, byte[][] a, boolean left) {
        if (a.length > 3) {
            throw CommandError.wrongArity(left ? "lpop" : "rpop");
        }
        boolean hasCount = a.length == 3;
        long count = hasCount ? nonNegative(a[2], "ERR value is out of range, must be positive") : 1;
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        RespWriter r = c.reply();
        if (list == null) {
            if (hasCount) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        long dirtyBefore = server.keyspace().dirty();
        long n = 1;
        if (!hasCount) {
            r.bulk(left ? list.popHead() : list.popTail());
        } else {
            n = Math.min(count, list.size());
            r.array(n);
            for (long i = 0; i < n; i++) {
                r.bulk(left ? list.popHead() : list.popTail());
            }
            if (n == 0) {
                return;
            }
        }
        server.removed(db, a[1], list.isEmpty(), KeyspaceEvents.LIST, popEvent(left));
        server.countChanges(dirtyBefore, n);
    }

    private void lrange(Client c, byte[][] a) {
        long start = Args.toLong(a[2]);
        long stop = Args.toLong(a[3]);
        ListValue list = TypeChecked.get(c.db(), a[1], ListValue.class);
        RespWriter r = c.reply();
        if (list == null) {
            r.array(0);
            return;
        }
        long size = list.size();
        long from = start < 0 ? Math.max(0, size + start) : start;
        long to = stop < 0 ? size + stop : Math.min(stop, size - 1);
        r.array(from > to || from >= size ? 0 : to - from + 1);
        list.range(start, stop, r::bulk);
    }

    private void lindex(Client c, byte[][] a) {
        // Redis looks the key up before it reads the index: a missing key is null whatever the index.
        ListValue list = TypeChecked.get(c.db(), a[1], ListValue.class);
        if (list == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(list.get(Args.toLong(a[2])));
    }

    private void lset(Client c, byte[][] a) {
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        if (list == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        // Redis 7.2 passes the index through an int parameter: only its low 32 bits count.
        if (!list.set((int) Args.toLong(a[2]), a[3])) {
            throw new CommandError(CommandError.OUT_OF_RANGE);
        }
        db.signalModified(a[1]);
        server.notifier().notify(KeyspaceEvents.LIST, "lset", db, a[1]);
        c.reply().ok();
    }

    private void linsert(Client c, byte[][] a) {
        boolean after;
        if (Args.is(a[2], "after")) {
            after = true;
        } else if (Args.is(a[2], "before")) {
            after = false;
        } else {
            throw CommandError.syntax();
        }
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        long size = list.insert(a[3], a[4], after);
        if (size > 0) {
            pushed(db, a[1], "linsert");
        }
        c.reply().integer(size);
    }

    private void llen(Client c, byte[][] a) {
        ListValue list = TypeChecked.get(c.db(), a[1], ListValue.class);
        c.reply().integer(list == null ? 0 : list.size());
    }

    private void lrem(Client c, byte[][] a) {
        long count = Args.toLong(a[2]);
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        long removed = list == null ? 0 : list.remove(count, a[3]);
        if (removed > 0) {
            server.removed(db, a[1], list.isEmpty(), KeyspaceEvents.LIST, "lrem");
        }
        c.reply().integer(removed);
    }

    private void ltrim(Client c, byte[][] a) {
        long start = Args.toLong(a[2]);
        long stop = Args.toLong(a[3]);
        Database db = c.db();
        ListValue list = TypeChecked.get(db, a[1], ListValue.class);
        if (list != null) {
            list.trim(start, stop);
            // Redis reports "ltrim" whenever the list exists, even if nothing was cut.
            server.removed(db, a[1], list.isEmpty(), KeyspaceEvents.LIST, "ltrim");
        }
        c.reply().ok();
    }

    private void lpos(Client c, byte[][] a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < a.length; i++) {
            boolean hasValue = i + 1 < a.length;
            if (Args.is(a[i], "rank") && hasValue) {
                rank = Args.toLongInRange(a[++i], -Long.MAX_VALUE, Long.MAX_VALUE);
                if (rank == 0) {
                    throw new CommandError(
                            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                                    + "or use negative to start from the end of the list");
                }
            } else if (Args.is(a[i], "count") && hasValue) {
                count = nonNegative(a[++i], "ERR COUNT can't be negative");
            } else if (Args.is(a[i], "maxlen") && hasValue) {
                maxlen = nonNegative(a[++i], "ERR MAXLEN can't be negative");
            } else {
                throw CommandError.syntax();
            }
        }
        ListValue list = TypeChecked.get(c.db(), a[1], ListValue.class);
        RespWriter r = c.reply();
        if (count < 0) {
            long[] found = {-1};
            if (list != null) {
                list.positions(a[2], rank, 1, maxlen, i -> found[0] = i);
            }
            if (found[0] < 0) {
                r.nullBulk();
            } else {
                r.integer(found[0]);
            }
            return;
        }
        List<Long> found = new ArrayList<>();
        if (list != null) {
            list.positions(a[2], rank, count, maxlen, found::add);
        }
        r.array(found.size());
        for (long i : found) {
            r.integer(i);
        }
    }

    /** A count that Redis reads with getPositiveLongFromObjectOrReply and a custom message for every refusal. */
    static long nonNegative(byte[] arg, String error) {
        long v = Args.toLong(arg, error);
        if (v < 0) {
            throw new CommandError(error);
        }
        return v;
    }

    private void lmove(Client c, byte[][] a) {
        boolean fromLeft = isLeft(a[3]);
        boolean toLeft = isLeft(a[4]);
        c.reply().bulk(move(c.db(), a[1], a[2], fromLeft, toLeft));
    }

    private void rpoplpush(Client c, byte[][] a) {
        c.reply().bulk(move(c.db(), a[1], a[2], false, true));
    }

    private void lmpop(Client c, byte[][] a) {
        MultiPop p = MultiPop.parse(a, 1);
        Database db = c.db();
        for (byte[] key : p.keys()) {
            ListValue list = TypeChecked.get(db, key, ListValue.class);
            if (list != null) {
                popMany(c, key, list, p.head(), p.count());
                return;
            }
        }
        c.reply().nullArray();
    }
}
