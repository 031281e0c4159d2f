package dev.respite.server.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every command's description, read once at start from the resource files {@code commands/<group>.json}
 * (one per documentation group, generated from Redis 7.2.5 by {@code bin/generate-command-data}) and
 * {@code commands/respite.json} (commands Redis lacks, when there are any). A command is described here
 * whether or not Respite implements it; the table registers only those a family binds a handler to.
 */
final class CommandCatalog {
    private static final List<String> FILES = List.of(
            "bitmap",
            "cluster",
            "connection",
            "generic",
            "geo",
            "hash",
            "hyperloglog",
            "list",
            "pubsub",
            "scripting",
            "server",
            "set",
            "sorted-set",
            "stream",
            "string",
            "transactions",
            "respite");

    private CommandCatalog() {}

    /** The commands by name, each with its subcommands declared. */
    static Map<String, CommandSpec> load() {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        for (String file : FILES) {
            String text = resource("commands/" + file + ".json");
            if (text == null) {
                continue;
            }
            Map<String, Object> commands = map(JsonReader.parse(text));
            for (Map.Entry<String, Object> e : commands.entrySet()) {
                CommandSpec spec = spec(e.getKey(), map(e.getValue()), null, file);
                if (out.putIfAbsent(spec.name(), spec) != null) {
                    throw new IllegalStateException("command described twice: " + spec.name());
                }
            }
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = CommandCatalog.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static CommandSpec spec(String fullName, Map<String, Object> m, CommandSpec parent, String group) {
        EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        for (String f : strings(m.get("flags"))) {
            flags.add(CommandFlag.parse(f));
        }
        for (String f : strings(m.get("hidden_flags"))) {
            flags.add(CommandFlag.parse(f));
        }
        List<Object> specList = list(m.get("key_specs"));
        KeySpec[] keySpecs = new KeySpec[specList.size()];
        for (int i = 0; i < keySpecs.length; i++) {
            keySpecs[i] = keySpec(map(specList.get(i)));
        }
        String ownGroup = m.containsKey("group") ? (String) m.get("group") : group;
        List<List<String>> history = null;
        if (m.containsKey("history")) {
            history = new ArrayList<>();
            for (Object h : list(m.get("history"))) {
                history.add(strings(h));
            }
        }
        CommandDocs docs = new CommandDocs(
                (String) m.get("summary"),
                (String) m.get("since"),
                ownGroup,
                (String) m.get("complexity"),
                m.containsKey("doc_flags") ? strings(m.get("doc_flags")) : null,
                (String) m.get("deprecated_since"),
                (String) m.get("replaced_by"),
                history,
                m.containsKey("arguments") ? arguments(m.get("arguments")) : null);
        CommandSpec spec = new CommandSpec(
                fullName,
                parent,
                integer(m.get("arity")),
                flags,
                strings(m.get("acl_categories")),
                strings(m.get("tips")),
                keySpecs,
                docs);
        if (m.containsKey("subcommands")) {
            for (Map.Entry<String, Object> e : map(m.get("subcommands")).entrySet()) {
                spec.declareSubcommand(spec(e.getKey(), map(e.getValue()), spec, ownGroup));
            }
        }
        return spec;
    }

    private static KeySpec keySpec(Map<String, Object> m) {
        int flags = 0;
        for (String f : strings(m.get("flags"))) {
            flags |= KeyFlags.parse(f);
        }
        Map<String, Object> bs = map(m.get("begin_search"));
        KeySpec.BeginSearch begin;
        if (bs.containsKey("index")) {
            begin = new KeySpec.Index(integer(bs.get("index")));
        } else if (bs.containsKey("keyword")) {
            begin = KeySpec.Keyword.of((String) bs.get("keyword"), integer(bs.get("startfrom")));
        } else {
            begin = new KeySpec.UnknownBegin();
        }
        Map<String, Object> fk = map(m.get("find_keys"));
        KeySpec.FindKeys find;
        if (fk.containsKey("lastkey")) {
            find = new KeySpec.Range(integer(fk.get("lastkey")), integer(fk.get("keystep")), integer(fk.get("limit")));
        } else if (fk.containsKey("keynumidx")) {
            find = new KeySpec.KeyNum(
                    integer(fk.get("keynumidx")), integer(fk.get("firstkey")), integer(fk.get("keystep")));
        } else {
            find = new KeySpec.UnknownFind();
        }
        return new KeySpec((String) m.get("notes"), flags, begin, find);
    }

    private static List<CommandArgument> arguments(Object value) {
        List<CommandArgument> out = new ArrayList<>();
        for (Object o : list(value)) {
            Map<String, Object> a = map(o);
            out.add(new CommandArgument(
                    (String) a.get("name"),
                    (String) a.get("type"),
                    (String) a.get("display_text"),
                    a.containsKey("key_spec_index") ? integer(a.get("key_spec_index")) : -1,
                    (String) a.get("token"),
                    (String) a.get("summary"),
                    (String) a.get("since"),
                    (String) a.get("deprecated_since"),
                    a.containsKey("flags") ? strings(a.get("flags")) : null,
                    a.containsKey("arguments") ? arguments(a.get("arguments")) : null));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object s : list(o)) {
            out.add((String) s);
        }
        return List.copyOf(out);
    }

    private static int integer(Object o) {
        return Math.toIntExact((Long) o);
    }
}
