package dev.respite.server.commands;

import dev.respite.server.RespiteServer;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** DEBUG: tools for tests and diagnosis. Each subcommand is declared on its own; HELP lists them. */
public final class DebugCommands {
    private final RespiteServer server;

    public DebugCommands(RespiteServer server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "server";
        t.add(of("debug", -2).group(g).summary("A container for debugging commands.")
                .sub(of("populate", -3).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g)
                        .summary("Create <count> string keys named key:<num>. If <prefix> is specified then it is used instead of the 'key' prefix. These are not propagated to replicas. Cluster slots are not respected so keys not belonging to the current node can be created in cluster mode.")
                        .handler(this::populate))
                .sub(of("sleep", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g)
                        .summary("Stop the server for <seconds>. Decimals allowed.").handler(this::sleep))
                .sub(of("object", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g)
                        .summary("Show low level info about the <key> and associated value.").handler(this::object))
                .sub(of("set-active-expire", 3).flags(ADMIN, NOSCRIPT, LOADING, STALE).group(g)
                        .summary("Setting it to 0 disables expiring keys in background when they are not accessed (otherwise the Redis behavior). Setting it to 1 reenables back the default.")
                        .handler(this::setActiveExpire))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).summary("Returns helpful text about the different subcommands.")
                        .handler((c, a) -> Help.reply(c, server.commands().lookup("debug")))));
    }

    private void populate(Client c, byte[][] a) {
        if (a.length > 5) {
            throw CommandError.syntax();
        }
        long count = Args.toNonNegative(a[2]);
        long size = a.length == 5 ? Args.toNonNegative(a[4]) : 0;
        StringCommands.checkLength(server, size);
        byte[] prefix = a.length >= 4 ? a[3] : "key".getBytes(StandardCharsets.US_ASCII);
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] number = IntegerText.of(j);
            byte[] key = Arrays.copyOf(prefix, prefix.length + 1 + number.length);
            key[prefix.length] = ':';
            System.arraycopy(number, 0, key, prefix.length + 1, number.length);
            if (db.exists(key)) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = size == 0 ? text : Arrays.copyOf(text, (int) size);
            db.add(key, value);
        }
        c.reply().ok();
    }

    private void sleep(Client c, byte[][] a) {
        double seconds;
        try {
            seconds = Double.parseDouble(Args.str(a[2]));
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        c.reply().ok();
    }

    private void object(Client c, byte[][] a) {
        Entry e = c.db().peek(a[2]);
        if (e == null) {
            throw new CommandError(CommandError.NO_SUCH_KEY);
        }
        Object v = e.value();
        long serialized = v instanceof byte[] s ? s.length : 0;
        long idle = Math.max(0, server.keyspace().now() / 1000 - e.access());
        c.reply().simple("Value at:0x" + Integer.toHexString(System.identityHashCode(v)) + " refcount:1 encoding:" + ValueTypes.encoding(v)
                + " serializedlength:" + serialized + " lru:" + (e.access() & 0xffffff) + " lru_seconds_idle:" + idle);
    }

    private void setActiveExpire(Client c, byte[][] a) {
        // Redis reads the flag with atoi: anything that is not a non-zero number turns it off.
        long v = Args.parseLong(a[2], 0, a[2].length);
        server.activeExpiry().setEnabled(v != 0 && v != Long.MIN_VALUE);
        c.reply().ok();
    }
}
