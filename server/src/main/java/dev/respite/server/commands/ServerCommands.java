package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.config.ConfigParam;
import dev.respite.server.config.ConfigRewriter;
import dev.respite.server.config.ConfigValueException;
import dev.respite.server.config.ParameterValues;
import dev.respite.server.info.InfoReport;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.Persistence;
import dev.respite.storage.Glob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server family: INFO, CONFIG, TIME, DBSIZE, FLUSHDB, FLUSHALL. COMMAND lives in CommandIntrospection. */
public final class ServerCommands {
    private static final Logger log = LoggerFactory.getLogger(ServerCommands.class);
    /** Parameters CONFIG SET refuses with -LOADING while the data files load, as Redis does. */
    private static final Set<String> DENIED_WHILE_LOADING = Set.of("appendonly", "dir", "repl-diskless-load");

    private final AdminContext server;
    private final InfoReport info;

    public ServerCommands(AdminContext server) {
        this.server = server;
        this.info = server.info();
    }

    public void register(CommandTable t) {
        t.bind("info", this::info);
        t.bind("time", this::time);
        t.bind("dbsize", this::dbsize);
        t.bind("flushdb", this::flushdb);
        t.bind("flushall", this::flushall);
        t.bind("shutdown", this::shutdown);
        t.bind("config|get", this::configGet);
        t.bind("config|set", this::configSet);
        t.bind("config|rewrite", this::configRewrite);
        t.bind("config|resetstat", this::configResetStat);
        t.bind("config|help", this::configHelp);
        new CommandIntrospection(server).register(t);
    }

    private void info(Client c, byte[][] a) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            sections.add(Args.str(a[i]));
        }
        c.reply().verbatim("txt", info.render(sections));
    }

    private void time(Client c, byte[][] a) {
        long micros = server.keyspace().nowMicros();
        c.reply().array(2);
        c.reply().bulk(Long.toString(micros / 1_000_000));
        c.reply().bulk(Long.toString(micros % 1_000_000));
    }

    private void dbsize(Client c, byte[][] a) {
        c.reply().integer(c.db().size());
    }

    /** Whether the flush is ASYNC, explicitly or by lazyfree-lazy-user-flush; a syntax error for another mode. */
    private boolean asyncFlush(byte[][] a) {
        if (a.length > 2 || (a.length == 2 && !Args.is(a[1], "async") && !Args.is(a[1], "sync"))) {
            throw CommandError.syntax();
        }
        return a.length == 2 ? Args.is(a[1], "async") : server.config().lazyfreeLazyUserFlush;
    }

    private void flushdb(Client c, byte[][] a) {
        if (asyncFlush(a)) {
            // Redis frees every key of an asynchronously emptied database on its background thread.
            server.keyspace().countLazyFreed(c.db().size());
        }
        server.watches().touchedDatabase(c.db());
        server.blocking().signalDatabaseChanged(c.db());
        server.keyspace().addDirty(c.db().clear());
        server.tracking().flushed();
        server.persistence().propagation().force();
        c.reply().ok();
    }

    private void flushall(Client c, byte[][] a) {
        if (asyncFlush(a)) {
            server.keyspace().countLazyFreed(server.keyspace().totalKeys());
        }
        for (int i = 0; i < server.keyspace().count(); i++) {
            server.watches().touchedDatabase(server.keyspace().db(i));
            server.blocking().signalDatabaseChanged(server.keyspace().db(i));
        }
        // Redis kills a running RDB child here: a save of the data just dropped is no snapshot worth having.
        server.snapshots().abortBackgroundSave();
        server.keyspace().flushAll();
        server.tracking().flushed();
        server.persistence().propagation().force();
        c.reply().ok();
    }

    private void shutdown(Client c, byte[][] a) {
        boolean save = false;
        boolean noSave = false;
        boolean now = false;
        boolean force = false;
        boolean abort = false;
        for (int i = 1; i < a.length; i++) {
            if (Args.is(a[i], "save")) {
                save = true;
            } else if (Args.is(a[i], "nosave")) {
                noSave = true;
            } else if (Args.is(a[i], "now")) {
                now = true;
            } else if (Args.is(a[i], "force")) {
                force = true;
            } else if (Args.is(a[i], "abort")) {
                abort = true;
            } else {
                throw CommandError.syntax();
            }
        }
        if ((save && noSave) || (abort && (save || noSave || now || force))) {
            throw CommandError.syntax();
        }
        if (abort) {
            if (!server.abortShutdown()) {
                throw new CommandError("ERR No shutdown in progress.");
            }
            c.reply().ok();
            return;
        }
        server.shutdown(c, new ShutdownOptions(save, noSave, now, force));
    }

    private void configGet(Client c, byte[][] a) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 2; i < a.length; i++) {
            byte[] pattern = a[i];
            if (Glob.isLiteral(pattern)) {
                ConfigParam p = server.config().param(Args.str(pattern));
                if (p != null) {
                    out.put(Args.str(pattern).toLowerCase(), p.get());
                }
                continue;
            }
            for (ConfigParam p : server.config().params()) {
                if (server.config().hidden(p)) {
                    continue;
                }
                if (Glob.matches(pattern, Args.bytes(p.name()), true)) {
                    out.putIfAbsent(p.name(), p.get());
                }
                for (String alias : p.aliases()) {
                    if (Glob.matches(pattern, Args.bytes(alias), true)) {
                        out.putIfAbsent(alias, p.get());
                    }
                }
            }
        }
        RespWriter r = c.reply();
        r.map(out.size());
        for (Map.Entry<String, String> e : out.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(e.getValue());
        }
    }

    private void configSet(Client c, byte[][] a) {
        if ((a.length - 2) % 2 != 0) {
            throw CommandError.wrongArity("config|set");
        }
        if (server.persistence().isLoading()) {
            for (int i = 2; i < a.length; i += 2) {
                ConfigParam p = server.config().param(Args.str(a[i]));
                if (p != null && DENIED_WHILE_LOADING.contains(p.name())) {
                    // Redis gives this error precedence over the others: clients may wait and retry on it.
                    throw new CommandError(Persistence.LOADING_ERROR);
                }
            }
        }
        Map<ConfigParam, String> changes = new LinkedHashMap<>();
        Set<ConfigParam> seen = new LinkedHashSet<>();
        for (int i = 2; i < a.length; i += 2) {
            String name = Args.str(a[i]);
            ConfigParam p = server.config().param(name);
            if (p == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (!p.mutable()) {
                throw new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name
                        + "') - can't set immutable config");
            }
            if (!seen.add(p)) {
                throw new CommandError(
                        "ERR CONFIG SET failed (possibly related to argument '" + name + "') - duplicate parameter");
            }
            changes.put(p, Args.str(a[i + 1]));
        }
        Map<ConfigParam, String> previous = new LinkedHashMap<>();
        for (Map.Entry<ConfigParam, String> e : changes.entrySet()) {
            ConfigParam p = e.getKey();
            previous.put(p, p.get());
            try {
                p.set(ParameterValues.split(p.name(), e.getValue()));
            } catch (ConfigValueException ex) {
                restore(previous);
                throw configSetFailed(p.name(), ex.getMessage());
            }
        }
        server.configChanged();
        // Rebuilding TLS and moving the listeners can fail once the values are accepted; then every value goes back.
        // TLS first: a new tls-port must have its context before it accepts.
        String tls = firstChanged(changes, name -> name.startsWith("tls-"));
        if (tls != null && !server.reloadTls()) {
            restore(previous);
            server.configChanged();
            throw configSetFailed(tls, "Unable to update TLS configuration. Check server logs.");
        }
        String listener =
                firstChanged(changes, name -> name.equals("port") || name.equals("tls-port") || name.equals("bind"));
        if (listener != null && !server.moveListeners()) {
            restore(previous);
            server.configChanged();
            server.moveListeners();
            throw configSetFailed(
                    listener,
                    listener.equals("bind")
                            ? "Failed to bind to specified addresses."
                            : "Unable to listen on this port. Check server logs.");
        }
        c.reply().ok();
    }

    /** The first parameter of a CONFIG SET call whose name matches, or null. */
    private static String firstChanged(Map<ConfigParam, String> changes, java.util.function.Predicate<String> which) {
        for (ConfigParam p : changes.keySet()) {
            if (which.test(p.name())) {
                return p.name();
            }
        }
        return null;
    }

    /** All or nothing: puts back what a CONFIG SET call already changed. */
    private static void restore(Map<ConfigParam, String> previous) {
        for (Map.Entry<ConfigParam, String> back : previous.entrySet()) {
            try {
                back.getKey().set(ParameterValues.split(back.getKey().name(), back.getValue()));
            } catch (ConfigValueException ignored) {
                // The previous value was accepted before, so it is accepted again.
            }
        }
    }

    private static CommandError configSetFailed(String name, String why) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
    }

    private void configRewrite(Client c, byte[][] a) {
        if (server.configFile().isEmpty()) {
            throw new CommandError("ERR The server is running without a config file");
        }
        try {
            new ConfigRewriter(server.config()).rewrite(Path.of(server.configFile()));
        } catch (IOException e) {
            log.warn("CONFIG REWRITE failed: {}", e.getMessage());
            throw new CommandError("ERR Rewriting config file: " + reason(e));
        }
        log.info("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void configHelp(Client c, byte[][] a) {
        List<String> inert = new ArrayList<>();
        for (ConfigParam p : server.config().params()) {
            if (p.inert()) {
                inert.add(p.name());
            }
        }
        Help.reply(
                c,
                server.commands().lookup("config"),
                List.of(
                        "Parameters accepted for compatibility with Redis that have no effect in Respite:",
                        "    " + String.join(", ", inert)));
    }

    private void configResetStat(Client c, byte[][] a) {
        server.stats().reset();
        server.keyspace().resetStats();
        server.eviction().resetStats();
        for (var spec : server.commands().all()) {
            spec.stats().reset();
            spec.subcommands().values().forEach(s -> s.stats().reset());
        }
        c.reply().ok();
    }
}
