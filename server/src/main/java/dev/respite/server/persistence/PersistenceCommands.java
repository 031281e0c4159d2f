package dev.respite.server.persistence;

import dev.respite.server.RespiteServer;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** BGREWRITEAOF and SHUTDOWN: the commands that act on the server's files and its life. */
public final class PersistenceCommands {
    private static final Logger log = LoggerFactory.getLogger(PersistenceCommands.class);
    private final RespiteServer server;

    public PersistenceCommands(RespiteServer server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "server";
        t.add(of("bgrewriteaof", 1).flags(ADMIN, NOSCRIPT).group(g).categories("admin", "dangerous")
                .since("1.0.0").summary("Asynchronously rewrites the append-only file to disk.").handler(this::bgrewriteaof));
        t.add(of("shutdown", -1).flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY).group(g).categories("dangerous")
                .since("1.0.0").complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .summary("Synchronously saves the database(s) to disk and shuts down the Redis server.").handler(this::shutdown));
    }

    private void bgrewriteaof(Client c, byte[][] a) {
        try {
            c.reply().simple(server.persistence().requestRewrite());
        } catch (IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: the append-only file is written and fsynced, then the
     * process ends. Snapshot saving (SAVE/NOSAVE) is the RDB writer's concern; NOW and FORCE change
     * nothing here because nothing waits on replicas and no save can fail the shutdown.
     */
    private void shutdown(Client c, byte[][] a) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        for (int i = 1; i < a.length; i++) {
            if (Args.is(a[i], "save")) {
                save = true;
            } else if (Args.is(a[i], "nosave")) {
                nosave = true;
            } else if (Args.is(a[i], "abort")) {
                abort = true;
            } else if (!Args.is(a[i], "now") && !Args.is(a[i], "force")) {
                throw CommandError.syntax();
            }
        }
        if ((save && nosave) || (abort && a.length > 2)) {
            throw CommandError.syntax();
        }
        if (abort) {
            throw new CommandError("ERR No shutdown in progress.");
        }
        log.warn("User requested shutdown...");
        // stop() waits on this event loop, so it runs on a thread of its own.
        Thread t = new Thread(server::stop, "shutdown-command");
        t.start();
    }
}
