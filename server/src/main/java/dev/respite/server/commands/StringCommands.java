package dev.respite.server.commands;

import dev.respite.server.RespiteServer;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.pubsub.KeyspaceEvents;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** The string family. Strings are stored as plain byte arrays. */
public final class StringCommands {
    private final RespiteServer server;

    public StringCommands(RespiteServer server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "string";
        t.add(of("get", 2).flags(READONLY, FAST).keys(1, 1, 1).group(g).summary("Returns the string value of a key.").handler(this::get));
        t.add(of("set", -3).flags(WRITE, DENYOOM).keys(1, 1, 1).group(g)
                .summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.").handler(this::set));
    }

    /** The string at {@code key}, null if absent; WRONGTYPE if the key holds another type. */
    static byte[] getString(Client c, byte[] key) {
        Object v = c.db().get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw CommandError.wrongType();
    }

    private void get(Client c, byte[][] a) {
        byte[] v = getString(c, a[1]);
        server.keyspace().countHit(v != null);
        c.reply().bulk(v);
    }

    private void set(Client c, byte[][] a) {
        if (a.length != 3) {
            throw CommandError.syntax();
        }
        c.db().set(a[1], a[2]);
        server.notifier().notify(KeyspaceEvents.STRING, "set", c.db(), a[1]);
        c.reply().ok();
    }
}
