package dev.respite.server.commands;

import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;

/** BGREWRITEAOF: the append-only file's command (SHUTDOWN, in ServerCommands, flushes it through RespiteServer.stop). */
public final class AofCommands {
    private final AdminContext server;

    public AofCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("bgrewriteaof", this::bgrewriteaof);
    }

    private void bgrewriteaof(Client c, byte[][] a) {
        try {
            c.reply().simple(server.persistence().requestRewrite());
        } catch (IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
    }
}
