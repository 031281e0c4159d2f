package dev.respite.server.commands;

import static dev.respite.server.command.CommandFlag.*;

import dev.respite.protocol.RespWriter;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.scripting.FunctionLibraries;
import dev.respite.server.scripting.FunctionLibraries.Function;
import dev.respite.server.scripting.FunctionLibraries.Library;
import dev.respite.server.scripting.ScriptEngine;
import dev.respite.server.scripting.Scripts;
import dev.respite.storage.Glob;
import dev.respite.storage.persistence.DumpPayload;
import dev.respite.storage.persistence.FunctionsPayload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** FUNCTION (LOAD, DELETE, FLUSH, LIST, DUMP, RESTORE, STATS, KILL, HELP), FCALL and FCALL_RO. */
public final class FunctionCommands {
    private final Scripts scripts;
    private final FunctionLibraries libraries;
    private final Runnable dirty;

    /** {@code dirty} counts a change of the libraries as a change for the save rules. */
    public FunctionCommands(Scripts scripts, Runnable dirty) {
        this.scripts = scripts;
        this.libraries = scripts.libraries();
        this.dirty = dirty;
    }

    public void register(CommandTable t) {
        t.bind("fcall", (c, a) -> fcall(c, a, false));
        t.bind("fcall_ro", (c, a) -> fcall(c, a, true));
        t.bind("function|load", this::load);
        t.bind("function|delete", this::delete);
        t.bind("function|flush", this::flush);
        t.bind("function|list", this::list);
        t.bind("function|dump", this::dump);
        t.bind("function|restore", this::restore);
        t.bind("function|stats", this::stats);
        t.bind("function|kill", (c, a) -> {
            scripts.kill(false);
            c.reply().ok();
        });
        t.bind("function|help", this::help);
    }

    private void fcall(Client c, byte[][] a, boolean readOnly) {
        scripts.feedMonitors(c, a);
        scripts.requireLua();
        Function f = libraries.function(new String(a[1], StandardCharsets.UTF_8));
        if (f == null) {
            throw new CommandError("ERR Function not found");
        }
        long numkeys = Args.toLong(a[2], "ERR Bad number of keys provided");
        if (numkeys > a.length - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        scripts.run(c, a, numkeys, f.scriptFlags(), readOnly, true, f.ref(), f.name());
    }

    private void load(Client c, byte[][] a) {
        scripts.requireLua();
        boolean replace = false;
        int pos = 2;
        while (pos < a.length - 1) {
            byte[] arg = a[pos++];
            if (Args.is(arg, "replace")) {
                replace = true;
                continue;
            }
            throw new CommandError("ERR Unknown option given: " + new String(arg, StandardCharsets.UTF_8));
        }
        if (pos >= a.length) {
            throw new CommandError("ERR Function code is missing");
        }
        String name;
        try {
            name = scripts.createLibrary(a[pos], replace).name();
        } catch (ScriptEngine.CompileError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        dirty.run();
        c.reply().bulk(name);
    }

    private void delete(Client c, byte[][] a) {
        Library lib = libraries.library(new String(a[2], StandardCharsets.UTF_8));
        if (lib == null) {
            throw new CommandError("ERR Library not found");
        }
        libraries.unlink(lib);
        scripts.releaseLibrary(lib);
        dirty.run();
        c.reply().ok();
    }

    private void flush(Client c, byte[][] a) {
        if (a.length > 3) {
            throw new CommandError(
                    "ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
        }
        if (a.length == 3 && !Args.is(a[2], "sync") && !Args.is(a[2], "async")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        scripts.flushFunctions();
        dirty.run();
        c.reply().ok();
    }

    private void list(Client c, byte[][] a) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < a.length; i++) {
            if (!withCode && Args.is(a[i], "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && Args.is(a[i], "libraryname")) {
                if (i >= a.length - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = new String(a[++i], StandardCharsets.UTF_8);
                continue;
            }
            throw new CommandError("ERR Unknown argument " + new String(a[i], StandardCharsets.UTF_8));
        }
        List<Library> shown = new ArrayList<>();
        for (Library lib : libraries.all()) {
            if (pattern == null || Glob.matches(pattern, lib.name(), true)) {
                shown.add(lib);
            }
        }
        RespWriter r = c.reply();
        r.array(shown.size());
        for (Library lib : shown) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name());
            r.bulk("engine");
            r.bulk("LUA");
            r.bulk("functions");
            r.array(lib.functions().size());
            for (Function f : lib.functions()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                r.bulk(f.description());
                r.bulk("flags");
                List<String> flags = new ArrayList<>();
                for (int i = 0; i < FunctionLibraries.FLAG_NAMES.size(); i++) {
                    if ((f.flags() & (1 << i)) != 0) {
                        flags.add(FunctionLibraries.FLAG_NAMES.get(i));
                    }
                }
                r.set(flags.size());
                for (String flag : flags) {
                    r.simple(flag);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code());
            }
        }
    }

    private void dump(Client c, byte[][] a) {
        List<byte[]> codes = new ArrayList<>();
        for (Library lib : libraries.all()) {
            codes.add(lib.code());
        }
        c.reply().bulk(FunctionsPayload.serialize(codes));
    }

    private void restore(Client c, byte[][] a) {
        scripts.requireLua();
        if (a.length > 4) {
            throw new CommandError(
                    "ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
        }
        String policy = "append";
        if (a.length == 4) {
            if (Args.is(a[3], "append") || Args.is(a[3], "replace") || Args.is(a[3], "flush")) {
                policy = new String(a[3], StandardCharsets.US_ASCII).toLowerCase();
            } else {
                throw new CommandError(
                        "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        if (!DumpPayload.isIntact(a[2])) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes;
        try {
            codes = FunctionsPayload.deserialize(a[2]);
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        List<Library> restored = new ArrayList<>();
        try {
            for (byte[] code : codes) {
                Library lib = scripts.buildLibrary(code);
                restored.add(lib);
                for (Library other : restored) {
                    if (other != lib && other.name().equals(lib.name())) {
                        throw new ScriptEngine.CompileError("Library '" + lib.name() + "' already exists");
                    }
                }
            }
            join(restored, policy);
        } catch (ScriptEngine.CompileError e) {
            for (Library lib : restored) {
                scripts.releaseLibrary(lib);
            }
            throw new CommandError("ERR " + e.getMessage());
        }
        dirty.run();
        c.reply().ok();
    }

    /** Links restored libraries under a policy; on a collision nothing changes. */
    private void join(List<Library> restored, String policy) throws ScriptEngine.CompileError {
        List<Library> previous = new ArrayList<>(libraries.all());
        if (policy.equals("flush")) {
            for (Library lib : previous) {
                libraries.unlink(lib);
            }
        } else {
            for (Library lib : restored) {
                Library old = libraries.library(lib.name());
                if (old != null) {
                    if (policy.equals("append")) {
                        throw new ScriptEngine.CompileError("Library " + lib.name() + " already exists");
                    }
                    libraries.unlink(old);
                }
            }
        }
        for (Library lib : restored) {
            String clash = libraries.collision(lib);
            if (clash != null) {
                libraries.clear();
                for (Library p : previous) {
                    libraries.link(p);
                }
                throw new ScriptEngine.CompileError("Function " + clash + " already exists");
            }
            libraries.link(lib);
        }
        for (Library p : previous) {
            if (libraries.library(p.name()) != p) {
                scripts.releaseLibrary(p);
            }
        }
    }

    private void stats(Client c, byte[][] a) {
        Scripts.RunningScript running = scripts.runningFunction();
        RespWriter r = c.reply();
        r.map(2);
        r.bulk("running_script");
        if (running == null) {
            r.nullBulk();
        } else {
            r.map(3);
            r.bulk("name");
            r.bulk(running.name());
            r.bulk("command");
            r.array(running.command().length);
            for (byte[] arg : running.command()) {
                r.bulk(arg);
            }
            r.bulk("duration_ms");
            r.integer(running.durationMillis());
        }
        r.bulk("engines");
        r.map(1);
        r.bulk("LUA");
        r.map(2);
        r.bulk("libraries_count");
        r.integer(libraries.libraryCount());
        r.bulk("functions_count");
        r.integer(libraries.functionCount());
    }

    private void help(Client c, byte[][] a) {
        String[] lines = {
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
            "HELP",
            "    Print this help.",
        };
        c.reply().array(lines.length);
        for (String l : lines) {
            c.reply().simple(l);
        }
    }
}
