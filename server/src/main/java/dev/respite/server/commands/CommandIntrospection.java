package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandArgument;
import dev.respite.server.command.CommandDocs;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandFlag;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.KeyFinder;
import dev.respite.server.command.KeyFlags;
import dev.respite.server.command.KeyRefs;
import dev.respite.server.command.KeySpec;
import dev.respite.server.net.Client;
import dev.respite.storage.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** COMMAND and its subcommands: the command table described to clients in Redis 7's reply shapes. */
final class CommandIntrospection {
    private final AdminContext server;

    CommandIntrospection(AdminContext server) {
        this.server = server;
    }

    void register(CommandTable t) {
        t.bind("command", this::all);
        t.bind("command|count", this::count);
        t.bind("command|info", this::info);
        t.bind("command|docs", this::docs);
        t.bind("command|list", this::list);
        t.bind("command|getkeys", (c, a) -> getKeys(c, a, false));
        t.bind("command|getkeysandflags", (c, a) -> getKeys(c, a, true));
        t.bind("command|help", (c, a) -> Help.reply(c, server.commands().lookup("command")));
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
                r.nullBulk();
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

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob], subcommands included. */
    private void list(Client c, byte[][] a) {
        String filter = null;
        byte[] value = null;
        for (int i = 2; i < a.length; i++) {
            if (Args.is(a[i], "filterby") && a.length - 1 - i == 2) {
                if (Args.is(a[i + 1], "module") || Args.is(a[i + 1], "aclcat") || Args.is(a[i + 1], "pattern")) {
                    filter = Args.str(a[i + 1]).toLowerCase(Locale.ROOT);
                } else {
                    throw CommandError.syntax();
                }
                value = a[i + 2];
                i += 2;
            } else {
                throw CommandError.syntax();
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec s : server.commands().all()) {
            addListed(names, s, filter, value);
        }
        c.reply().array(names.size());
        for (String n : names) {
            c.reply().bulk(n);
        }
    }

    private static void addListed(List<String> names, CommandSpec s, String filter, byte[] value) {
        if (filter == null || listedBy(s, filter, value)) {
            names.add(s.fullName());
        }
        for (CommandSpec sub : s.subcommands().values()) {
            addListed(names, sub, filter, value);
        }
    }

    private static boolean listedBy(CommandSpec s, String filter, byte[] value) {
        return switch (filter) {
            case "aclcat" -> s.aclCategories().contains(Args.str(value).toLowerCase(Locale.ROOT));
            case "pattern" -> Glob.matches(value, Args.bytes(s.fullName()), true);
            default -> false; // no modules: nothing belongs to one
        };
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS command arg...: what the key finder makes of the arguments. */
    private void getKeys(Client c, byte[][] a, boolean withFlags) {
        byte[][] args = Arrays.copyOfRange(a, 2, a.length);
        CommandSpec s = server.commands().lookup(args[0]);
        if (s != null && s.hasSubcommands() && args.length > 1) {
            s = CommandTable.subcommand(s, args[1]);
        }
        if (s == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        if (!s.hasKeys()) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!s.arityAccepts(args.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        KeyRefs keys = new KeyRefs();
        if (KeyFinder.find(s, args, keys) == 0) {
            if (s.has(CommandFlag.NO_MANDATORY_KEYS)) {
                c.reply().array(0);
                return;
            }
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        RespWriter r = c.reply();
        r.array(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = args[keys.position(i)];
            if (!withFlags) {
                r.bulk(key);
                continue;
            }
            r.array(2);
            r.bulk(key);
            List<String> flags = KeyFlags.names(keys.flags(i));
            r.set(flags.size());
            for (String f : flags) {
                r.simple(f);
            }
        }
    }

    /** A command by name, or "parent|sub" for a subcommand. */
    private CommandSpec find(String name) {
        return find(server.commands(), name);
    }

    static CommandSpec find(CommandTable table, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return table.lookup(name);
        }
        CommandSpec parent = table.lookup(name.substring(0, bar));
        return parent == null
                ? null
                : parent.subcommands().get(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    static void writeInfo(RespWriter r, CommandSpec s) {
        r.array(10);
        r.bulk(s.fullName());
        r.integer(s.arity());
        int shown = 0;
        for (CommandFlag f : s.flagSet()) {
            shown += f.reported() ? 1 : 0;
        }
        r.set(shown);
        for (CommandFlag f : s.flagSet()) {
            if (f.reported()) {
                r.simple(f.wireName());
            }
        }
        r.integer(s.firstKey());
        r.integer(s.lastKey());
        r.integer(s.keyStep());
        r.set(s.aclCategories().size());
        for (String cat : s.aclCategories()) {
            r.simple("@" + cat);
        }
        r.set(s.tips().size());
        for (String tip : s.tips()) {
            r.bulk(tip);
        }
        r.set(s.keySpecs().length);
        for (KeySpec k : s.keySpecs()) {
            writeKeySpec(r, k);
        }
        if (s.hasSubcommands()) {
            r.array(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                writeInfo(r, sub);
            }
        } else {
            r.set(0);
        }
    }

    private static void writeKeySpec(RespWriter r, KeySpec k) {
        r.map(k.notes() == null ? 3 : 4);
        if (k.notes() != null) {
            r.bulk("notes");
            r.bulk(k.notes());
        }
        r.bulk("flags");
        List<String> flags = KeyFlags.names(k.flags());
        r.set(flags.size());
        for (String f : flags) {
            r.simple(f);
        }
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        if (k.begin() instanceof KeySpec.Index i) {
            r.bulk("index");
            r.bulk("spec");
            r.map(1);
            r.bulk("index");
            r.integer(i.index());
        } else if (k.begin() instanceof KeySpec.Keyword w) {
            r.bulk("keyword");
            r.bulk("spec");
            r.map(2);
            r.bulk("keyword");
            r.bulk(w.keyword());
            r.bulk("startfrom");
            r.integer(w.startFrom());
        } else {
            r.bulk("unknown");
            r.bulk("spec");
            r.map(0);
        }
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        if (k.find() instanceof KeySpec.Range g) {
            r.bulk("range");
            r.bulk("spec");
            r.map(3);
            r.bulk("lastkey");
            r.integer(g.lastKey());
            r.bulk("keystep");
            r.integer(g.keyStep());
            r.bulk("limit");
            r.integer(g.limit());
        } else if (k.find() instanceof KeySpec.KeyNum n) {
            r.bulk("keynum");
            r.bulk("spec");
            r.map(3);
            r.bulk("keynumidx");
            r.integer(n.keyNumIdx());
            r.bulk("firstkey");
            r.integer(n.firstKey());
            r.bulk("keystep");
            r.integer(n.keyStep());
        } else {
            r.bulk("unknown");
            r.bulk("spec");
            r.map(0);
        }
    }

    private static void writeDocs(RespWriter r, CommandSpec s) {
        CommandDocs d = s.docs();
        int fields = 1
                + count(d.summary())
                + count(d.since())
                + count(d.complexity())
                + count(d.docFlags())
                + count(d.deprecatedSince())
                + count(d.replacedBy())
                + count(d.history())
                + count(d.arguments())
                + (s.hasSubcommands() ? 1 : 0);
        r.map(fields);
        bulkField(r, "summary", d.summary());
        bulkField(r, "since", d.since());
        bulkField(r, "group", d.group());
        bulkField(r, "complexity", d.complexity());
        if (d.docFlags() != null) {
            r.bulk("doc_flags");
            r.set(d.docFlags().size());
            for (String f : d.docFlags()) {
                r.simple(f);
            }
        }
        bulkField(r, "deprecated_since", d.deprecatedSince());
        bulkField(r, "replaced_by", d.replacedBy());
        if (d.history() != null) {
            r.bulk("history");
            r.set(d.history().size());
            for (List<String> entry : d.history()) {
                r.array(entry.size());
                for (String part : entry) {
                    r.bulk(part);
                }
            }
        }
        if (d.arguments() != null) {
            r.bulk("arguments");
            writeArguments(r, d.arguments());
        }
        if (s.hasSubcommands()) {
            r.bulk("subcommands");
            r.map(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    private static void writeArguments(RespWriter r, List<CommandArgument> args) {
        r.array(args.size());
        for (CommandArgument a : args) {
            boolean group = a.isGroup();
            r.map(3
                    + (a.keySpecIndex() >= 0 ? 1 : 0)
                    + count(a.token())
                    + count(a.summary())
                    + count(a.since())
                    + count(a.deprecatedSince())
                    + count(a.flags()));
            bulkField(r, "name", a.name());
            bulkField(r, "type", a.type());
            if (!group) {
                bulkField(r, "display_text", a.shownText());
            }
            if (a.keySpecIndex() >= 0) {
                r.bulk("key_spec_index");
                r.integer(a.keySpecIndex());
            }
            bulkField(r, "token", a.token());
            bulkField(r, "summary", a.summary());
            bulkField(r, "since", a.since());
            bulkField(r, "deprecated_since", a.deprecatedSince());
            if (a.flags() != null) {
                r.bulk("flags");
                r.set(a.flags().size());
                for (String f : a.flags()) {
                    r.simple(f);
                }
            }
            if (group) {
                r.bulk("arguments");
                writeArguments(r, a.arguments() == null ? List.of() : a.arguments());
            }
        }
    }

    private static int count(Object field) {
        return field == null ? 0 : 1;
    }

    private static void bulkField(RespWriter r, String name, String value) {
        if (value != null) {
            r.bulk(name);
            r.bulk(value);
        }
    }
}
