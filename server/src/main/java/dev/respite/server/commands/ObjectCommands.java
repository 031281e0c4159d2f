package dev.respite.server.commands;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Entry;

/** OBJECT: how a key's value is held, as Redis reports it. None of these count as an access. */
public final class ObjectCommands {
    /** Redis's refcount of its shared integer objects, which values 0..9999 are. */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    private static final long SHARED_INTEGERS = 10_000;
    private static final String POLICY_NOTE =
            " Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private final AdminContext server;

    public ObjectCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("object|encoding", this::encoding);
        t.bind("object|freq", this::freq);
        t.bind("object|idletime", this::idletime);
        t.bind("object|refcount", this::refcount);
        t.bind("object|help", (c, a) -> Help.reply(c, server.commands().lookup("object")));
    }

    private boolean lfu() {
        return server.config().eviction.policy.lfu();
    }

    /**
     * Redis stops sharing integer objects once maxmemory is set with an LRU or LFU policy, as each value then
     * needs its own access clock. Redis decides when a value is written; this reads the current settings.
     */
    private boolean sharesIntegers() {
        String policy = server.config().maxmemoryPolicy;
        return server.config().maxmemory == 0 || !(policy.endsWith("lru") || policy.endsWith("lfu"));
    }

    private void encoding(Client c, byte[][] a) {
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(ValueTypes.encoding(e.value()));
    }

    private void freq(Client c, byte[][] a) {
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (!lfu()) {
            throw new CommandError(
                    "ERR An LFU maxmemory policy is not selected, access frequency not tracked." + POLICY_NOTE);
        }
        c.reply().integer(server.keyspace().lfuFrequency(e));
    }

    private void idletime(Client c, byte[][] a) {
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (lfu()) {
            throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked." + POLICY_NOTE);
        }
        c.reply().integer(Math.max(0, server.keyspace().now() / 1000 - e.access()));
    }

    private void refcount(Client c, byte[][] a) {
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        long refs = 1;
        if (sharesIntegers()
                && e.value() instanceof byte[] s
                && ValueTypes.encoding(s).equals("int")) {
            long v = Args.parseLong(s, 0, s.length);
            if (v >= 0 && v < SHARED_INTEGERS) {
                refs = SHARED_REFCOUNT;
            }
        }
        c.reply().integer(refs);
    }
}
