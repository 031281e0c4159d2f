package dev.respite.server.commands;

import dev.respite.server.RespiteServer;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.Database;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** The generic keyspace family: commands that work on keys of any type. */
public final class KeyCommands {
    private final RespiteServer server;

    public KeyCommands(RespiteServer server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "generic";
        t.add(of("del", -2).flags(WRITE).keys(1, -1, 1).group(g).complexity("O(N)").summary("Deletes one or more keys.").handler(this::del));
        t.add(of("exists", -2).flags(READONLY, FAST).keys(1, -1, 1).group(g).since("1.0.0").complexity("O(N)")
                .summary("Determines whether one or more keys exist.").handler(this::exists));
    }

    private void del(Client c, byte[][] a) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < a.length; i++) {
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
}
