package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.info.MemoryFigures;
import dev.respite.server.info.MemoryUsage;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.Keyspace;
import dev.respite.storage.eviction.EntryFootprint;
import dev.respite.storage.types.Doubles;

/**
 * MEMORY: the size estimates behind used_memory, per key (USAGE) and in total (STATS), and the JVM's side
 * of the picture (DOCTOR, MALLOC-STATS, PURGE).
 */
public final class MemoryCommands {
    private final AdminContext server;

    public MemoryCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("memory|usage", this::usage);
        t.bind("memory|stats", this::stats);
        t.bind("memory|doctor", this::doctor);
        t.bind("memory|malloc-stats", this::mallocStats);
        t.bind("memory|purge", this::purge);
        t.bind("memory|help", (c, a) -> Help.reply(c, server.commands().lookup("memory")));
    }

    /** Redis's syntax: SAMPLES n (0: all); our estimate only samples long lists, so 0 asks for the exact walk. */
    private void usage(Client c, byte[][] a) {
        long samples = 5;
        for (int j = 3; j < a.length; j++) {
            if (Args.is(a[j], "samples") && j + 1 < a.length) {
                samples = Args.toLong(a[++j]);
                if (samples < 0) {
                    throw CommandError.syntax();
                }
            } else {
                throw CommandError.syntax();
            }
        }
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(samples == 0 ? EntryFootprint.exact(e) : EntryFootprint.of(e));
    }

    private void stats(Client c, byte[][] a) {
        Keyspace ks = server.keyspace();
        MemoryUsage m = server.memory().observe();
        long used = m.used();
        long peak = m.peak();
        long dataset = m.dataset();
        long buffers = m.clientsNormal();
        long keys = ks.totalKeys();
        long heap = m.heapUsed();
        long committed = m.heapCommitted();
        long rss = m.rss();
        int dbs = 0;
        for (int i = 0; i < ks.count(); i++) {
            if (ks.db(i).size() > 0) {
                dbs++;
            }
        }
        RespWriter r = c.reply();
        r.map(27 + dbs);
        field(r, "peak.allocated", peak);
        field(r, "total.allocated", used);
        field(r, "startup.allocated", 0);
        field(r, "replication.backlog", 0);
        field(r, "clients.slaves", m.clientsReplicas());
        field(r, "clients.normal", buffers);
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", 0);
        field(r, "functions.caches", 0);
        for (int i = 0; i < ks.count(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                r.bulk("db." + i);
                r.map(2);
                // The key table's bucket array; expiry registrations are counted with their keys.
                field(r, "overhead.hashtable.main", db.bytes() - db.entryBytes());
                field(r, "overhead.hashtable.expires", 0);
            }
        }
        field(r, "overhead.total", used - dataset);
        field(r, "keys.count", keys);
        field(r, "keys.bytes-per-key", keys == 0 ? 0 : used / keys);
        field(r, "dataset.bytes", dataset);
        ratio(r, "dataset.percentage", used == 0 ? 0 : 100.0 * dataset / used);
        ratio(r, "peak.percentage", peak == 0 ? 0 : 100.0 * used / peak);
        field(r, "allocator.allocated", heap);
        field(r, "allocator.active", committed);
        field(r, "allocator.resident", rss);
        ratio(r, "allocator-fragmentation.ratio", heap == 0 ? 0 : (double) committed / heap);
        field(r, "allocator-fragmentation.bytes", committed - heap);
        ratio(r, "allocator.rss-ratio", committed == 0 ? 0 : (double) rss / committed);
        field(r, "allocator.rss-bytes", rss - committed);
        ratio(r, "rss-overhead.ratio", 1.0);
        field(r, "rss-overhead.bytes", 0);
        ratio(r, "fragmentation", used == 0 ? 0 : (double) rss / used);
        field(r, "fragmentation.bytes", rss - used);
    }

    private void doctor(Client c, byte[][] a) {
        MemoryUsage m = server.memory().observe();
        long used = m.used();
        long max = server.config().maxmemory;
        long rss = m.rss();
        StringBuilder sb = new StringBuilder();
        sb.append("Respite memory report.\n\n");
        sb.append("The dataset is estimated at ")
                .append(MemoryFigures.human(m.dataset()))
                .append(" and the clients' memory (buffers, arguments, transactions) at ")
                .append(MemoryFigures.human(m.clientsNormal()))
                .append(" (used_memory ")
                .append(MemoryFigures.human(used))
                .append(").\n");
        sb.append("The process holds ")
                .append(MemoryFigures.human(rss))
                .append(
                        " resident: the JVM heap, collected lazily, plus its code cache, metaspace and thread stacks.\n");
        if (max > 0 && used > max) {
            sb.append("* used_memory is above maxmemory (")
                    .append(MemoryFigures.human(max))
                    .append(") under policy ")
                    .append(server.config().maxmemoryPolicy)
                    .append(": writes that may grow memory are being refused or keys evicted.\n");
        } else if (max > 0 && used > max * 9 / 10) {
            sb.append("* used_memory is within 10% of maxmemory (")
                    .append(MemoryFigures.human(max))
                    .append(").\n");
        }
        if (m.clientsNormal() > used / 2 && m.clientsNormal() > 1 << 20) {
            sb.append(
                    "* Clients hold more memory than the dataset: some send big requests or read their replies slowly.\n");
        }
        if (max == 0) {
            sb.append("* No maxmemory is set: the dataset may grow until the JVM heap (-Xmx) runs out.\n");
        }
        c.reply().verbatim("txt", sb.toString());
    }

    /** What Redis answers when built without jemalloc; the JVM's collector figures are in MEMORY STATS. */
    private void mallocStats(Client c, byte[][] a) {
        c.reply().verbatim("txt", "Stats not supported for the current allocator");
    }

    /** The JVM's way of giving memory back: a full collection, after which the heap may shrink. */
    private void purge(Client c, byte[][] a) {
        System.gc();
        c.reply().ok();
    }

    private static void field(RespWriter r, String name, long value) {
        r.bulk(name);
        r.integer(value);
    }

    private static void ratio(RespWriter r, String name, double value) {
        r.bulk(name);
        r.doubleValue(Doubles.format(value));
    }
}
