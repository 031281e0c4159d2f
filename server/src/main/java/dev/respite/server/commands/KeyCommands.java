package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Glob;
import dev.respite.storage.Keyspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The generic keyspace family: commands that work on keys of any type. */
public final class KeyCommands {
    private static final String SAME_OBJECT = "ERR source and destination objects are the same";
    private static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";

    private final DataContext server;

    public KeyCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("del", (c, a) -> del(c, a, server.lazyfreeUserDel()));
        t.bind("unlink", (c, a) -> del(c, a, true));
        t.bind("exists", this::exists);
        t.bind("touch", this::touch);
        t.bind("type", this::type);
        t.bind("keys", this::keys);
        t.bind("scan", this::scan);
        t.bind("randomkey", this::randomkey);
        t.bind("rename", (c, a) -> rename(c, a, false));
        t.bind("renamenx", (c, a) -> rename(c, a, true));
        t.bind("copy", this::copy);
        t.bind("move", this::move);
        t.bind("swapdb", this::swapdb);
    }

    /** DEL and UNLINK: the same deletion; {@code lazy} counts large values in lazyfreed_objects, as Redis. */
    private void del(Client c, byte[][] a, boolean lazy) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (lazy) {
                Entry e = db.peek(a[i]);
                if (e != null && LazyFreeEffort.freedLazily(e.value())) {
                    server.keyspace().countLazyFreed(1);
                }
            }
            if (db.delete(a[i])) {
                server.notifier().notify(KeyspaceEvents.GENERIC, "del", db, a[i]);
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void exists(Client c, byte[][] a) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (db.exists(a[i])) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void touch(Client c, byte[][] a) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (db.lookup(a[i]) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void type(Client c, byte[][] a) {
        Entry e = c.db().peek(a[1]);
        c.reply().simple(e == null ? "none" : ValueTypes.typeName(e.value()));
    }

    private void keys(Client c, byte[][] a) {
        byte[] pattern = a[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        c.db().forEach(e -> {
            if (all || Glob.matches(pattern, e.key())) {
                out.add(e.key());
            }
        });
        RespWriter r = c.reply();
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    private void scan(Client c, byte[][] a) {
        long cursor = ScanRequest.parseCursor(a[1]);
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < a.length; i += 2) {
            boolean hasValue = i + 1 < a.length;
            if (Args.is(a[i], "count") && hasValue) {
                count = Args.toLong(a[i + 1]);
                if (count < 1) {
                    throw CommandError.syntax();
                }
            } else if (Args.is(a[i], "match") && hasValue) {
                pattern = a[i + 1].length == 1 && a[i + 1][0] == '*' ? null : a[i + 1];
            } else if (Args.is(a[i], "type") && hasValue) {
                type = Args.str(a[i + 1]);
            } else {
                throw CommandError.syntax();
            }
        }
        List<Entry> visited = new ArrayList<>();
        long next = c.db().scan(cursor, (int) Math.min(count, Integer.MAX_VALUE / 16), visited::add);
        List<byte[]> keys = new ArrayList<>(visited.size());
        for (Entry e : visited) {
            if (pattern != null && !Glob.matches(pattern, e.key())) {
                continue;
            }
            // As Redis 7.2 does, every key that matches the pattern is checked for expiry, and removed if past it.
            Entry live = c.db().peek(e.key());
            if (live != null && (type == null || type.equalsIgnoreCase(ValueTypes.typeName(live.value())))) {
                keys.add(e.key());
            }
        }
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(keys.size());
        for (byte[] k : keys) {
            r.bulk(k);
        }
    }

    private void randomkey(Client c, byte[][] a) {
        Entry e = c.db().randomEntry(ThreadLocalRandom.current());
        c.reply().bulk(e == null ? null : e.key());
    }

    private void rename(Client c, byte[][] a, boolean nx) {
        Database db = c.db();
        Entry src = db.lookup(a[1]);
        if (src == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        if (java.util.Arrays.equals(a[1], a[2])) {
            if (nx) {
                c.reply().integer(0);
            } else {
                c.reply().ok();
            }
            return;
        }
        if (nx && db.exists(a[2])) {
            c.reply().integer(0);
            return;
        }
        Object value = src.value();
        long expireAt = src.expireAt();
        db.delete(a[1]);
        Entry dst = db.set(a[2], value);
        if (expireAt != Entry.NO_EXPIRY) {
            db.setExpireAt(dst, expireAt);
        }
        server.notifier().notify(KeyspaceEvents.GENERIC, "rename_from", db, a[1]);
        server.notifier().notify(KeyspaceEvents.GENERIC, "rename_to", db, a[2]);
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    private Database otherDb(long index) {
        Keyspace ks = server.keyspace();
        if (index < 0 || index >= ks.count()) {
            throw new CommandError(DB_OUT_OF_RANGE);
        }
        return ks.db((int) index);
    }

    private void copy(Client c, byte[][] a) {
        Database dst = c.db();
        boolean replace = false;
        for (int j = 3; j < a.length; j++) {
            if (Args.is(a[j], "replace")) {
                replace = true;
            } else if (Args.is(a[j], "db") && j + 1 < a.length) {
                dst = otherDb(Args.toInt(a[j + 1]));
                j++;
            } else {
                throw CommandError.syntax();
            }
        }
        Database src = c.db();
        if (server.clusterEnabled() && (src.index() != 0 || dst.index() != 0)) {
            throw new CommandError("ERR Copying to another database is not allowed in cluster mode");
        }
        if (src == dst && java.util.Arrays.equals(a[1], a[2])) {
            throw new CommandError(SAME_OBJECT);
        }
        Entry e = src.lookup(a[1]);
        server.keyspace().countHit(e != null);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        long expireAt = e.expireAt();
        if (dst.exists(a[2]) && !replace) {
            c.reply().integer(0);
            return;
        }
        Entry n = dst.set(a[2], ValueTypes.copy(e.value(), server.keyspace().limits()));
        if (expireAt != Entry.NO_EXPIRY) {
            dst.setExpireAt(n, expireAt);
        }
        server.notifier().notify(KeyspaceEvents.GENERIC, "copy_to", dst, a[2]);
        c.reply().integer(1);
    }

    private void move(Client c, byte[][] a) {
        if (server.clusterEnabled()) {
            throw new CommandError("ERR MOVE is not allowed in cluster mode");
        }
        Database dst = otherDb(Args.toInt(a[2]));
        Database src = c.db();
        if (src == dst) {
            throw new CommandError(SAME_OBJECT);
        }
        Entry e = src.lookup(a[1]);
        if (e == null || dst.exists(a[1])) {
            c.reply().integer(0);
            return;
        }
        Object value = e.value();
        long expireAt = e.expireAt();
        Entry n = dst.add(a[1], value);
        if (expireAt != Entry.NO_EXPIRY) {
            dst.setExpireAt(n, expireAt);
        }
        src.delete(a[1]);
        server.notifier().notify(KeyspaceEvents.GENERIC, "move_from", src, a[1]);
        server.notifier().notify(KeyspaceEvents.GENERIC, "move_to", dst, a[1]);
        c.reply().integer(1);
    }

    /** An int, or {@code error} for anything else (out of int range included), as SWAPDB reads its indexes. */
    private static int dbIndex(byte[] arg, String error) {
        long v = Args.toLong(arg, error);
        if (v != (int) v) {
            throw new CommandError(error);
        }
        return (int) v;
    }

    private void swapdb(Client c, byte[][] a) {
        if (server.clusterEnabled()) {
            throw new CommandError("ERR SWAPDB is not allowed in cluster mode");
        }
        long first = dbIndex(a[1], "ERR invalid first DB index");
        long second = dbIndex(a[2], "ERR invalid second DB index");
        Keyspace ks = server.keyspace();
        if (first < 0 || first >= ks.count() || second < 0 || second >= ks.count()) {
            throw new CommandError(DB_OUT_OF_RANGE);
        }
        server.watches().touchedSwap(ks.db((int) first), ks.db((int) second), ks.now());
        ks.swap((int) first, (int) second);
        server.blocking().signalDatabaseChanged(ks.db((int) first));
        server.blocking().signalDatabaseChanged(ks.db((int) second));
        ks.addDirty(1);
        c.reply().ok();
    }
}
