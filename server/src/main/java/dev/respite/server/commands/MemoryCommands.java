package dev.respite.server.commands;

import dev.respite.server.RespiteServer;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Entry;
import dev.respite.storage.types.Footprint;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/**
 * MEMORY: per-key footprint estimates (redis-cli --memkeys calls MEMORY USAGE on every key it scans)
 * and PURGE, which has nothing to release on the JVM and so only acknowledges.
 */
public final class MemoryCommands {
    /** The keyspace entry object: key, value and next references, hash, access stamp and expiry. */
    private static final long ENTRY = Footprint.object(3 * Footprint.REFERENCE + 2 * Integer.BYTES + Long.BYTES);

    private final RespiteServer server;

    public MemoryCommands(RespiteServer server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "server";
        t.add(of("memory", -2).group(g).since("4.0.0").summary("A container for memory diagnostics commands.")
                .sub(of("usage", -3).flags(READONLY).keys(2, 2, 1).group(g).since("4.0.0").complexity("O(N) where N is the number of samples.")
                        .summary("Estimates the memory usage of a key.").handler(this::usage))
                .sub(of("purge", 2).group(g).since("4.0.0")
                        .summary("Asks the allocator to release memory.").handler((c, a) -> c.reply().ok()))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).since("4.0.0").summary("Returns helpful text about the different subcommands.")
                        .handler((c, a) -> Help.reply(c, server.commands().lookup("memory")))));
    }

    private void usage(Client c, byte[][] a) {
        if (a.length != 3 && a.length != 5) {
            throw new CommandError("ERR syntax error");
        }
        if (a.length == 5) {
            if (!Args.is(a[3], "samples")) {
                throw new CommandError("ERR syntax error");
            }
            if (Args.toLong(a[4]) < 0) {
                throw new CommandError("ERR syntax error");
            }
        }
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(ENTRY + Footprint.bytes(e.key().length) + valueBytes(e.value()));
    }

    /** The value types keep their own estimates up to date, so no sampling is needed whatever SAMPLES says. */
    private static long valueBytes(Object v) {
        if (v instanceof byte[] s) {
            return Footprint.bytes(s.length);
        }
        if (v instanceof HashValue h) {
            return h.memoryUsage();
        }
        if (v instanceof ListValue l) {
            return l.memoryUsage();
        }
        if (v instanceof SetValue s) {
            return s.memoryUsage();
        }
        if (v instanceof SortedSetValue z) {
            return z.memoryUsage();
        }
        throw new IllegalStateException("unknown value class " + v.getClass());
    }
}
