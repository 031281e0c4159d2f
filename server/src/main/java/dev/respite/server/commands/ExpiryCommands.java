package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.PropagationRules;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;

/** Key expiry: setting, reading and removing a key's time to live. */
public final class ExpiryCommands {
    private static final int NX = 1;
    private static final int XX = 2;
    private static final int GT = 4;
    private static final int LT = 8;

    private final DataContext server;

    public ExpiryCommands(DataContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("expire", (c, a) -> expire(c, a, 1000, true)).propagateAs(PropagationRules::ttlOnly);
        t.bind("pexpire", (c, a) -> expire(c, a, 1, true)).propagateAs(PropagationRules::ttlOnly);
        t.bind("expireat", (c, a) -> expire(c, a, 1000, false)).propagateAs(PropagationRules::ttlOnly);
        t.bind("pexpireat", (c, a) -> expire(c, a, 1, false)).propagateAs(PropagationRules::ttlOnly);
        t.bind("ttl", (c, a) -> ttl(c, a, true));
        t.bind("pttl", (c, a) -> ttl(c, a, false));
        t.bind("expiretime", (c, a) -> expireTime(c, a, 1000));
        t.bind("pexpiretime", (c, a) -> expireTime(c, a, 1));
        t.bind("persist", this::persist);
    }

    private static int conditions(byte[][] a) {
        int flags = 0;
        for (int j = 3; j < a.length; j++) {
            if (Args.is(a[j], "nx")) {
                flags |= NX;
            } else if (Args.is(a[j], "xx")) {
                flags |= XX;
            } else if (Args.is(a[j], "gt")) {
                flags |= GT;
            } else if (Args.is(a[j], "lt")) {
                flags |= LT;
            } else {
                throw new CommandError("ERR Unsupported option " + Args.cString(a[j]));
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    private void expire(Client c, byte[][] a, long unitMillis, boolean relative) {
        int flags = conditions(a);
        String name = Args.str(a[0]).toLowerCase();
        long when = Args.toLong(a[2]);
        if (unitMillis == 1000) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw StringCommands.invalidExpire(name);
            }
            when *= 1000;
        }
        long base = relative ? server.keyspace().now() : 0;
        if (when > Long.MAX_VALUE - base) {
            throw StringCommands.invalidExpire(name);
        }
        when += base;
        Database db = c.db();
        Entry e = db.lookup(a[1]);
        if (e == null || !allowed(flags, e.expireAt(), when)) {
            c.reply().integer(0);
            return;
        }
        if (when <= server.keyspace().expiryNow()) {
            db.delete(a[1]);
            server.notifier().notify(KeyspaceEvents.GENERIC, "del", db, a[1]);
        } else {
            db.setExpireAt(e, when);
            server.notifier().notify(KeyspaceEvents.GENERIC, "expire", db, a[1]);
        }
        c.reply().integer(1);
    }

    /** NX/XX/GT/LT as Redis reads them: no TTL counts as an infinite one. */
    private static boolean allowed(int flags, long current, long when) {
        boolean none = current == Entry.NO_EXPIRY;
        if ((flags & NX) != 0 && !none) {
            return false;
        }
        if ((flags & XX) != 0 && none) {
            return false;
        }
        if ((flags & GT) != 0 && (none || when <= current)) {
            return false;
        }
        return (flags & LT) == 0 || none || when < current;
    }

    private void ttl(Client c, byte[][] a, boolean seconds) {
        Entry e = c.db().peek(a[1]);
        if (e == null) {
            c.reply().integer(-2);
        } else if (!e.hasExpiry()) {
            c.reply().integer(-1);
        } else {
            long ttl = Math.max(0, e.expireAt() - server.keyspace().now());
            c.reply().integer(seconds ? (ttl + 500) / 1000 : ttl);
        }
    }

    private void expireTime(Client c, byte[][] a, long unit) {
        Entry e = c.db().peek(a[1]);
        if (e == null) {
            c.reply().integer(-2);
        } else if (!e.hasExpiry()) {
            c.reply().integer(-1);
        } else {
            c.reply().integer(e.expireAt() / unit);
        }
    }

    private void persist(Client c, byte[][] a) {
        Database db = c.db();
        Entry e = db.lookup(a[1]);
        boolean persisted = e != null && db.persist(e);
        if (persisted) {
            server.notifier().notify(KeyspaceEvents.GENERIC, "persist", db, a[1]);
        }
        c.reply().integer(persisted ? 1 : 0);
    }
}
