package dev.respite.server.commands;

import dev.respite.server.acl.AclDenial;
import dev.respite.server.acl.AclLog;
import dev.respite.server.command.CommandDispatcher;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Keyspace;
import java.util.List;

/** MULTI, EXEC, DISCARD, WATCH and UNWATCH. Queueing itself happens in the dispatcher. */
public final class TransactionCommands {
    private static final String ACL_CHANGED = "NOPERM ACLs rules changed between the moment the transaction was "
            + "accumulated and the EXEC call. This command is no longer allowed for the following reason: ";

    private final AdminContext server;

    public TransactionCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("multi", this::multi);
        t.bind("exec", this::exec);
        t.bind("discard", this::discard);
        t.bind("watch", this::watch);
        t.bind("unwatch", this::unwatch);
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
        server.watches().breakIfExpired(c, server.keyspace());
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
        // As in Redis, every command of the transaction sees the instant EXEC started: a key expiring meanwhile
        // stays visible until EXEC ends.
        Keyspace keyspace = server.keyspace();
        boolean freezes = !keyspace.timeFrozen();
        if (freezes) {
            keyspace.freezeTime(keyspace.nowMicros());
        }
        try {
            for (byte[][] args : queued) {
                CommandSpec spec = d.resolve(c, args);
                if (spec == null) {
                    continue;
                }
                AclDenial denial = d.aclDenial(c, spec, args, AclLog.MULTI);
                if (denial != null) {
                    c.reply().error(ACL_CHANGED + denial.execReason());
                    server.stats().countError("NOPERM");
                } else {
                    d.call(c, spec, args);
                }
            }
        } finally {
            if (freezes) {
                keyspace.thawTime();
            }
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
