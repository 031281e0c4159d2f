package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/** The HELP reply of a container command, built from its subcommands' summaries in the table. */
public final class Help {
    private Help() {}

    public static void reply(Client c, CommandSpec container) {
        reply(c, container, List.of());
    }

    /** The HELP reply with extra lines appended after the subcommands. */
    public static void reply(Client c, CommandSpec container, List<String> extra) {
        String name = container.name().toUpperCase();
        List<String> lines = new ArrayList<>();
        lines.add(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (CommandSpec sub : container.subcommands().values()) {
            if (sub.name().equals("help")) {
                continue;
            }
            lines.add(sub.name().toUpperCase());
            lines.add("    " + sub.summary());
        }
        lines.add("HELP");
        lines.add("    Print this help.");
        lines.addAll(extra);
        RespWriter r = c.reply();
        r.array(lines.size());
        for (String l : lines) {
            r.simple(l);
        }
    }
}
