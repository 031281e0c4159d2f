package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import java.util.List;

/**
 * MODULE, as a Redis server with no modules loaded answers it. Respite cannot load Redis modules (they are
 * native code written against Redis's C API), so LOAD and LOADEX fail as Redis does for a library it cannot
 * open, and UNLOAD finds no such module. Client libraries probe MODULE LIST in their handshakes and health
 * checks, and get Redis's empty list.
 */
public final class ModuleCommands {
    private static final List<String> HELP = List.of(
            "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LIST",
            "    Return a list of loaded modules.",
            "LOAD <path> [<arg> ...]",
            "    Load a module library from <path>, passing to it any optional arguments.",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library from <path>, while passing it module configurations and optional arguments.",
            "UNLOAD <name>",
            "    Unload a module.",
            "HELP",
            "    Print this help.");

    private final AdminContext server;

    public ModuleCommands(AdminContext server) {
        this.server = server;
    }

    public void register(CommandTable t) {
        t.bind("module|list", this::list);
        t.bind("module|load", this::load);
        t.bind("module|loadex", this::load);
        t.bind("module|unload", this::unload);
        t.bind("module|help", this::help);
    }

    private void list(Client c, byte[][] a) {
        c.reply().array(0);
    }

    private void load(Client c, byte[][] a) {
        checkAllowed(c);
        throw new CommandError("ERR Error loading the extension. Please check the server logs.");
    }

    private void unload(Client c, byte[][] a) {
        checkAllowed(c);
        throw new CommandError("ERR Error unloading module: no such module with that name");
    }

    private void help(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(HELP.size());
        for (String line : HELP) {
            r.simple(line);
        }
    }

    /** enable-module-command: LOAD, LOADEX and UNLOAD are protected, as in Redis, and off by default. */
    private void checkAllowed(Client c) {
        String setting = server.config().enableModuleCommand;
        if (setting.equals("yes") || (setting.equals("local") && c.isLocal())) {
            return;
        }
        throw new CommandError(
                "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", "
                        + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                        + "file, and then restart the server.");
    }
}
