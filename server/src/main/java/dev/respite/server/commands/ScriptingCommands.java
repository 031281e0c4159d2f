package dev.respite.server.commands;

import static dev.respite.server.command.CommandFlag.*;

import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandTable;
import dev.respite.server.net.Client;
import dev.respite.server.scripting.ScriptCache;
import dev.respite.server.scripting.ScriptEngine;
import dev.respite.server.scripting.ScriptFlags;
import dev.respite.server.scripting.Scripts;
import java.nio.charset.StandardCharsets;

/**
 * EVAL, EVALSHA, their read-only forms and SCRIPT. A script's redis.call runs through the dispatcher as a
 * command of the server's script client, whose replies are captured and handed to Lua; the caller's user,
 * database and read-only state apply.
 */
public final class ScriptingCommands {
    public static final String NO_MATCHING_SCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private final Scripts scripts;

    public ScriptingCommands(Scripts scripts) {
        this.scripts = scripts;
    }

    public void register(CommandTable t) {
        t.bind("eval", (c, a) -> eval(c, a, false, false));
        t.bind("evalsha", (c, a) -> eval(c, a, true, false));
        t.bind("eval_ro", (c, a) -> eval(c, a, false, true));
        t.bind("evalsha_ro", (c, a) -> eval(c, a, true, true));
        t.bind("script|load", this::scriptLoad);
        t.bind("script|exists", this::scriptExists);
        t.bind("script|flush", this::scriptFlush);
        t.bind("script|kill", (c, a) -> {
            scripts.kill(true);
            c.reply().ok();
        });
        t.bind("script|help", this::scriptHelp);
        t.bind("script|debug", this::scriptDebug);
    }

    private void eval(Client c, byte[][] a, boolean bySha, boolean readOnlyCommand) {
        scripts.feedMonitors(c, a);
        if (bySha && a[1].length != 40) {
            throw new CommandError(NO_MATCHING_SCRIPT);
        }
        if (c.luaDebug() != 0) {
            if (bySha) {
                throw new CommandError("ERR Please use EVAL instead of EVALSHA for debugging");
            }
            scripts.debug(c, a[1], () -> run(c, a, false, readOnlyCommand));
            return;
        }
        run(c, a, bySha, readOnlyCommand);
    }

    private void run(Client c, byte[][] a, boolean bySha, boolean readOnlyCommand) {
        scripts.requireLua();
        long numkeys = Args.toLong(a[2]);
        if (numkeys > a.length - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        ScriptCache.Script script;
        if (bySha) {
            script = scripts.cache().get(a[1]);
            if (script == null) {
                throw new CommandError(NO_MATCHING_SCRIPT);
            }
        } else {
            script = load(a[1]);
        }
        scripts.run(c, a, numkeys, script.flags(), readOnlyCommand, false, script.ref(), script.sha());
    }

    /** The cached script for {@code body}, compiled and cached first if new. */
    private ScriptCache.Script load(byte[] body) {
        String sha = ScriptEngine.sha1hex(body);
        ScriptCache.Script s = scripts.cache().get(sha);
        if (s != null) {
            return s;
        }
        ScriptFlags flags;
        try {
            flags = ScriptFlags.parse(body);
        } catch (ScriptEngine.CompileError e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        int ref;
        try {
            ref = scripts.evalEngine().compile(body, flags.bodyOffset(), "@user_script");
        } catch (ScriptEngine.CompileError e) {
            throw new CommandError("ERR Error compiling script (new function): " + e.getMessage());
        }
        s = new ScriptCache.Script(sha, body, flags, ref);
        scripts.cache().add(s);
        return s;
    }

    private void scriptLoad(Client c, byte[][] a) {
        scripts.requireLua();
        c.reply().bulk(load(a[2]).sha());
    }

    private void scriptExists(Client c, byte[][] a) {
        c.reply().array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            c.reply().integer(scripts.cache().get(new String(a[i], StandardCharsets.ISO_8859_1)) != null ? 1 : 0);
        }
    }

    private void scriptFlush(Client c, byte[][] a) {
        if (a.length > 3 || (a.length == 3 && !Args.is(a[2], "sync") && !Args.is(a[2], "async"))) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        scripts.flushScripts();
        c.reply().ok();
    }

    /** SCRIPT DEBUG YES|SYNC|NO: how this client's next EVAL is debugged. */
    private void scriptDebug(Client c, byte[][] a) {
        if (c.pendingOutputBytes() > 0) {
            throw new CommandError("ERR SCRIPT DEBUG must be called outside a pipeline");
        }
        if (Args.is(a[2], "no")) {
            c.setLuaDebug(0);
        } else if (Args.is(a[2], "yes")) {
            c.setLuaDebug(Scripts.DEBUG_ROLLBACK);
        } else if (Args.is(a[2], "sync")) {
            c.setLuaDebug(Scripts.DEBUG_SYNC);
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
        c.reply().ok();
    }

    private void scriptHelp(Client c, byte[][] a) {
        String[] lines = {
            "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
            "HELP",
            "    Print this help.",
        };
        c.reply().array(lines.length);
        for (String l : lines) {
            c.reply().simple(l);
        }
    }

    /** REDIS_VERSION_NUM: 0x00MMmmpp. */
    private static int versionNumber(String version) {
        String[] p = version.split("\\.");
        return (Integer.parseInt(p[0]) << 16) | (Integer.parseInt(p[1]) << 8) | Integer.parseInt(p[2]);
    }
}
