package dev.respite.server.commands;

import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;

import java.util.List;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** MULTI, EXEC, DISCARD, WATCH and UNWATCH. Queueing itself happens in the dispatcher. */
public final class TransactionCommands {
    private final AdminContext server;

    public TransactionCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "transactions";
        t.add(of("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group(g).since("1.2.0").summary("Starts a transaction.").handler(this::multi));
        t.add(of("exec", 1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).group(g).since("1.2.0").complexity("Depends on commands in the transaction")
                .summary("Executes all commands in a transaction.").handler(this::exec));
        t.add(of("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group(g).since("2.0.0").complexity("O(N), when N is the number of queued commands")
                .summary("Discards a transaction.").handler(this::discard));
        t.add(of("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).keys(1, -1, 1).group(g).since("2.2.0")
                .summary("Monitors changes to keys to determine the execution of a transaction.").handler(this::watch));
        t.add(of("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).group(g).since("2.2.0")
                .summary("Forgets about watched keys of a transaction.").handler(this::unwatch));
    }

    private void multi(Client c, byte[][] a) {
        if (c.inTransaction()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.beginTransaction();
        c.reply().ok();
    }

    private void exec(Client c, byte[][] a) {
        if (!c.inTransaction()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        List<byte[][]> queued = c.transaction();
        server.watches().expireWatched(c, server.keyspace());
        boolean failed = c.transactionFailed();
        boolean broken = c.watchBroken();
        c.endTransaction();
        unwatch(c);
        if (failed) {
            throw new CommandError("EXECABORT Transaction discarded because of previous errors.");
        }
        if (broken) {
            c.reply().nullArray();
            return;
        }
        CommandDispatcher d = server.dispatcher();
        c.reply().array(queued.size());
        c.setExecutingTransaction(true);
        try {
            for (byte[][] args : queued) {
                CommandSpec spec = d.resolve(c, args);
                if (spec != null) {
                    d.call(c, spec, args);
                }
            }
        } finally {
            c.setExecutingTransaction(false);
        }
    }

    private void discard(Client c, byte[][] a) {
        if (!c.inTransaction()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.endTransaction();
        unwatch(c);
        c.reply().ok();
    }

    private void watch(Client c, byte[][] a) {
        if (c.inTransaction()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        for (int i = 1; i < a.length; i++) {
            server.watches().watch(c, c.db(), a[i]);
        }
        c.reply().ok();
    }

    private void unwatch(Client c, byte[][] a) {
        unwatch(c);
        c.reply().ok();
    }

    private void unwatch(Client c) {
        server.watches().unwatchAll(c);
        c.setWatchBroken(false);
    }
}
