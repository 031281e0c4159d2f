package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.storage.Glob;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static dev.respite.server.command.CommandFlag.*;
import static dev.respite.server.command.CommandSpec.of;

/** COMMAND and its subcommands: the command table described to clients in Redis 7's reply shapes. */
final class CommandIntrospection {
    private final AdminContext server;

    CommandIntrospection(AdminContext server) {
        this.server = server;
    }

    void register(CommandTable t) {
        String g = "server";
        t.add(of("command", -1).flags(LOADING, STALE).group(g).since("2.8.13").complexity("O(N) where N is the total number of Redis commands")
                .summary("Returns detailed information about all commands.").handler(this::all)
                .sub(of("count", 2).flags(LOADING, STALE).group(g).since("2.8.13").summary("Returns a count of commands.").handler(this::count))
                .sub(of("info", -2).flags(LOADING, STALE).group(g).since("2.8.13").summary("Returns information about one, multiple or all commands.").handler(this::info))
                .sub(of("docs", -2).flags(LOADING, STALE).group(g).since("7.0.0").summary("Returns documentary information about one, multiple or all commands.").handler(this::docs))
                .sub(of("list", -2).flags(LOADING, STALE).group(g).since("7.0.0").summary("Returns a list of command names.").handler(this::list))
                .sub(of("getkeys", -4).flags(LOADING, STALE).group(g).since("2.8.13").summary("Extracts the key names from an arbitrary command.").handler(this::getKeys))
                .sub(of("help", 2).flags(LOADING, STALE).group(g).since("5.0.0").summary("Returns helpful text about the different subcommands.")
                        .handler((c, a) -> Help.reply(c, server.commands().lookup("command")))));
    }

    private void all(Client c, byte[][] a) {
        if (a.length != 1) {
            throw new CommandError("ERR unknown subcommand '" + Args.quoteForError(a[1]) + "'. Try COMMAND HELP.");
        }
        Collection<CommandSpec> specs = server.commands().all();
        c.reply().array(specs.size());
        for (CommandSpec s : specs) {
            writeInfo(c.reply(), s);
        }
    }

    private void count(Client c, byte[][] a) {
        c.reply().integer(server.commands().size());
    }

    private void info(Client c, byte[][] a) {
        if (a.length == 2) {
            all(c, new byte[][] {a[0]});
            return;
        }
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            CommandSpec s = find(Args.str(a[i]));
            if (s == null) {
                r.nullArray();
            } else {
                writeInfo(r, s);
            }
        }
    }

    private void docs(Client c, byte[][] a) {
        List<CommandSpec> specs = new ArrayList<>();
        if (a.length == 2) {
            specs.addAll(server.commands().all());
        } else {
            for (int i = 2; i < a.length; i++) {
                CommandSpec s = find(Args.str(a[i]));
                if (s != null) {
                    specs.add(s);
                }
            }
        }
        RespWriter r = c.reply();
        r.map(specs.size());
        for (CommandSpec s : specs) {
            r.bulk(s.fullName());
            writeDocs(r, s);
        }
    }

    private void list(Client c, byte[][] a) {
        List<String> names = new ArrayList<>();
        if (a.length == 2) {
            names.addAll(server.commands().names());
        } else if (a.length == 5 && Args.is(a[2], "filterby")) {
            String value = Args.str(a[4]);
            for (CommandSpec s : server.commands().all()) {
                boolean keep;
                if (Args.is(a[3], "module")) {
                    keep = false;
                } else if (Args.is(a[3], "aclcat")) {
                    keep = s.aclCategories().contains(value.toLowerCase());
                } else if (Args.is(a[3], "pattern")) {
                    keep = Glob.matches(a[4], Args.bytes(s.name()), true);
                } else {
                    throw CommandError.syntax();
                }
                if (keep) {
                    names.add(s.name());
                }
            }
        } else {
            throw CommandError.syntax();
        }
        c.reply().array(names.size());
        for (String n : names) {
            c.reply().bulk(n);
        }
    }

    private void getKeys(Client c, byte[][] a) {
        CommandSpec s = server.commands().lookup(a[2]);
        if (s == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        int argc = a.length - 2;
        if (s.hasSubcommands() && argc >= 2) {
            CommandSpec sub = CommandTable.subcommand(s, a[3]);
            if (sub == null) {
                throw new CommandError("ERR Invalid command specified");
            }
            s = sub;
        }
        if (!s.arityAccepts(argc)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        List<Integer> positions = s.keyPositions(argc);
        if (positions.isEmpty()) {
            throw new CommandError("ERR The command has no key arguments");
        }
        c.reply().array(positions.size());
        for (int p : positions) {
            c.reply().bulk(a[p + 2]);
        }
    }

    /** A command by name, or "parent|sub" for a subcommand. */
    private CommandSpec find(String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return server.commands().lookup(name);
        }
        CommandSpec parent = server.commands().lookup(name.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(name.substring(bar + 1).toLowerCase());
    }

    static void writeInfo(RespWriter r, CommandSpec s) {
        r.array(10);
        r.bulk(s.fullName());
        r.integer(s.arity());
        Set<CommandFlag> flags = s.flagSet();
        r.set(flags.size());
        for (CommandFlag f : flags) {
            r.simple(f.wireName());
        }
        r.integer(s.firstKey());
        r.integer(s.lastKey());
        r.integer(s.keyStep());
        Set<String> cats = s.aclCategories();
        r.set(cats.size());
        for (String cat : cats) {
            r.simple("@" + cat);
        }
        r.array(s.tips().size());
        for (String tip : s.tips()) {
            r.bulk(tip);
        }
        writeKeySpecs(r, s);
        r.array(s.subcommands().size());
        for (CommandSpec sub : s.subcommands().values()) {
            writeInfo(r, sub);
        }
    }

    private static void writeKeySpecs(RespWriter r, CommandSpec s) {
        if (s.firstKey() <= 0) {
            r.array(0);
            return;
        }
        r.array(1);
        r.map(3);
        r.bulk("flags");
        r.array(1);
        r.simple(s.isWrite() ? "RW" : "RO");
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        r.bulk("index");
        r.bulk("spec");
        r.map(1);
        r.bulk("index");
        r.integer(s.firstKey());
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        r.bulk("range");
        r.bulk("spec");
        r.map(3);
        r.bulk("lastkey");
        r.integer(s.lastKey() < 0 ? s.lastKey() : s.lastKey() - s.firstKey());
        r.bulk("keystep");
        r.integer(s.keyStep());
        r.bulk("limit");
        r.integer(0);
    }

    private static void writeDocs(RespWriter r, CommandSpec s) {
        boolean subs = s.hasSubcommands();
        r.map(subs ? 5 : 4);
        r.bulk("summary");
        r.bulk(s.summary());
        r.bulk("since");
        r.bulk(s.since());
        r.bulk("group");
        r.bulk(s.group());
        r.bulk("complexity");
        r.bulk(s.complexity());
        if (subs) {
            r.bulk("subcommands");
            r.map(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }
}
