package dev.respite.server.commands;

import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** BGREWRITEAOF: the append-only file's command (SHUTDOWN, in ServerCommands, flushes it through RespiteServer.stop). */
public final class AofCommands {
    private final AdminContext server;

    public AofCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        String g = "server";
        t.add(of("bgrewriteaof", 1).flags(ADMIN, NOSCRIPT).group(g).categories("admin", "dangerous")
                .since("1.0.0").summary("Asynchronously rewrites the append-only file to disk.").handler(this::bgrewriteaof));
    }

    private void bgrewriteaof(Client c, byte[][] a) {
        try {
            c.reply().simple(server.persistence().requestRewrite());
        } catch (IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
    }
}
