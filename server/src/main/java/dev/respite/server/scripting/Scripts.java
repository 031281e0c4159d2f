package dev.respite.server.scripting;

import static dev.respite.server.command.CommandFlag.MAY_REPLICATE;
import static dev.respite.server.command.CommandFlag.NOSCRIPT;

import dev.respite.protocol.RespDecoder;
import dev.respite.server.RespiteServer;
import dev.respite.server.acl.AclCheck;
import dev.respite.server.acl.AclDenial;
import dev.respite.server.acl.AclLog;
import dev.respite.server.acl.AclUser;
import dev.respite.server.cluster.ClusterRouter;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandTable;
import dev.respite.server.command.RepliedWithError;
import dev.respite.server.commands.ClientDescription;
import dev.respite.server.net.BusyResponder;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.Propagation;
import dev.respite.server.replication.Replication;
import dev.respite.server.scripting.FunctionLibraries.Function;
import dev.respite.server.scripting.FunctionLibraries.Library;
import dev.respite.storage.Keyspace;
import dev.respite.storage.eviction.Evictor;
import dev.respite.storage.persistence.FunctionLibrarySource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scripting's state shared by EVAL and FCALL: the two Lua states (EVAL's scripts, function libraries), the
 * script cache, the libraries, and the client scripts' commands run as. Runs a script for a caller with
 * Redis's checks before the run and on every command the script calls.
 */
public final class Scripts implements FunctionLibrarySource {
    public static final String SLOW_EVAL =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String SLOW_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    private static final String KILLED = "Script killed by user with SCRIPT KILL...";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Scripts.class);
    private static final byte[] NULL_REPLY = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The script client keeps its reply buffer between redis.call replies up to this size. */
    private static final int KEPT_REPLY_BUFFER = 64 * 1024;
    /** SCRIPT DEBUG YES: Redis debugs in a forked child, so the session's changes are rolled back. */
    public static final int DEBUG_ROLLBACK = 1;
    /** SCRIPT DEBUG SYNC: the server waits for the session, which keeps its changes. */
    public static final int DEBUG_SYNC = 2;

    private final RespiteServer server;
    private final ScriptEngine evalEngine;
    private final ScriptEngine functionEngine;
    private final ScriptCache cache = new ScriptCache();
    private final FunctionLibraries libraries = new FunctionLibraries();
    private static final String NOT_ENOUGH_REPLICAS = "NOREPLICAS Not enough good replicas to write.";

    private Client scriptClient;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: lets scripts call commands flagged noscript (a test hook). */
    private boolean denyScriptsDisabled;

    private final BusyResponder busy;
    /** The script running now (only while one runs: SCRIPT KILL and FUNCTION STATS look at it). */
    private CallerRun running;
    /** The rollback of the SCRIPT DEBUG YES session running now; null otherwise. */
    private WriteUndo undo;

    public Scripts(RespiteServer server) {
        this.server = server;
        this.busy = new BusyResponder(server);
        int versionNum = versionNumber(dev.respite.server.ServerVersion.REDIS_VERSION);
        this.evalEngine = new ScriptEngine(dev.respite.server.ServerVersion.REDIS_VERSION, versionNum);
        this.functionEngine = evalEngine.unavailableReason() == null
                ? new ScriptEngine(dev.respite.server.ServerVersion.REDIS_VERSION, versionNum)
                : evalEngine;
    }

    public ScriptEngine evalEngine() {
        return evalEngine;
    }

    public ScriptEngine functionEngine() {
        return functionEngine;
    }

    public ScriptCache cache() {
        return cache;
    }

    public FunctionLibraries libraries() {
        return libraries;
    }

    /** used_memory_vm_eval: the EVAL Lua state's heap. */
    public long evalVmBytes() {
        return evalEngine.memoryBytes();
    }

    /** used_memory_vm_functions: the function libraries' Lua state's heap. */
    public long functionVmBytes() {
        return functionEngine == evalEngine ? 0 : functionEngine.memoryBytes();
    }

    /** used_memory_functions: the libraries' code and per-function bookkeeping. */
    public long functionsBytes() {
        long n = 0;
        for (FunctionLibraries.Library lib : libraries.all()) {
            n += lib.code().length + 64L + 64L * lib.functions().size();
        }
        return n;
    }

    /** Throws Redis-style when Lua could not be loaded on this platform. */
    /**
     * For EVAL, EVALSHA, FCALL and their read-only forms naming a script that declares flags: whether it may
     * write. Null for any other command, an unknown script, or one in compatibility mode (no shebang).
     */
    public Boolean declaredWrites(CommandSpec spec, byte[][] args) {
        ScriptFlags flags = switch (spec.fullName()) {
            case "eval", "eval_ro" -> evalFlags(args[1]);
            case "evalsha", "evalsha_ro" -> {
                ScriptCache.Script s = cache.get(args[1]);
                yield s == null ? null : s.flags();
            }
            case "fcall", "fcall_ro" -> {
                Function f = libraries.function(new String(args[1], StandardCharsets.UTF_8));
                yield f == null ? null : f.scriptFlags();
            }
            default -> null;
        };
        return flags == null || flags.compat() ? null : !flags.noWrites();
    }

    private static ScriptFlags evalFlags(byte[] body) {
        try {
            return ScriptFlags.parse(body);
        } catch (ScriptEngine.CompileError e) {
            return null;
        }
    }

    /** EVAL and FCALL show in MONITOR before the commands their script runs, as in Redis. */
    public void feedMonitors(Client caller, byte[][] args) {
        if (!server.monitors().isEmpty()) {
            server.monitors().feed(caller, args);
        }
    }

    public void setDenyScriptsDisabled(boolean disabled) {
        denyScriptsDisabled = disabled;
    }

    public void requireLua() {
        if (evalEngine.unavailableReason() != null) {
            throw new CommandError(
                    "ERR Lua scripting is not available on this server: " + evalEngine.unavailableReason());
        }
    }

    /**
     * Runs {@code ref} (an EVAL script or a function) for {@code caller} with {@code args}' KEYS and ARGV:
     * numkeys at index 2. {@code readOnlyCommand} marks EVAL_RO/EVALSHA_RO/FCALL_RO. A script whose reply is
     * an error ends with {@link RepliedWithError}, so that the call counts as failed.
     */
    public void run(
            Client caller,
            byte[][] args,
            long numkeys,
            ScriptFlags flags,
            boolean readOnlyCommand,
            boolean function,
            int ref,
            String name) {
        boolean preOom = server.config().maxmemory > 0 && server.eviction().evictIfNeeded() == Evictor.Result.FAIL;
        Replication replication = server.replication();
        if (!flags.compat()) {
            if (flags.noCluster() && server.config().cluster.enabled) {
                throw new CommandError("ERR Can not run script on cluster, 'no-cluster' flag is set.");
            }
            if (replication.runningStale() && !flags.allowStale()) {
                throw new CommandError("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' "
                        + "and 'allow-stale' flag is not set on the script.");
            }
            if (!flags.noWrites()) {
                if (replication.readOnlyReplica() && !caller.isMaster()) {
                    throw new CommandError("READONLY Can not run script with write flag on readonly replica");
                }
                if (readOnlyCommand) {
                    throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
                }
                if (!replication.enoughGoodReplicas()) {
                    throw new CommandError(NOT_ENOUGH_REPLICAS);
                }
            }
            if (preOom && !flags.allowOom() && !flags.noWrites()) {
                throw new CommandError(
                        "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
            }
        } else if (replication.runningStale()) {
            throw new CommandError("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
        }
        int k = (int) numkeys;
        byte[][] keys = Arrays.copyOfRange(args, 3, 3 + k);
        byte[][] argv = Arrays.copyOfRange(args, 3 + k, args.length);
        boolean readOnly = readOnlyCommand || (!flags.compat() && flags.noWrites());
        boolean allowOom = !flags.compat() && flags.allowOom();
        Client sc = scriptClient();
        sc.select(caller.db().index());
        CallerRun run = new CallerRun(caller, sc, readOnly, allowOom, preOom, !function, name, args);
        run.allowCrossSlot = flags.compat() || flags.allowCrossSlot();
        running = run;
        Keyspace keyspace = server.keyspace();
        boolean freezes = !keyspace.timeFrozen();
        if (freezes) {
            keyspace.freezeTime(keyspace.nowMicros());
        }
        boolean failed;
        try {
            failed = function
                    ? functionEngine.runFunction(ref, keys, argv, run, name, caller.reply(), server.stats()::countError)
                    : evalEngine.runEval(ref, keys, argv, run, name, caller.reply(), server.stats()::countError);
        } finally {
            if (freezes) {
                keyspace.thawTime();
            }
            running = null;
            if (run.timedOut) {
                log.info("Slow script finished: {} ran {} ms", name, (System.nanoTime() - run.startNanos) / 1_000_000);
            }
        }
        if (failed) {
            throw RepliedWithError.INSTANCE;
        }
    }

    /**
     * EVAL for a client in SCRIPT DEBUG mode: {@code eval} runs the script (or fails before it starts) in a
     * debugging session on the client's connection; the session ends with "<endsession>", the EVAL reply
     * follows and the connection is closed, as in Redis.
     */
    public void debug(Client caller, byte[] body, Runnable eval) {
        boolean sync = caller.luaDebug() == DEBUG_SYNC;
        SocketConsole console = SocketConsole.of(caller.channel(), server::isStopping);
        if (console == null) {
            caller.setLuaDebug(0);
            throw new CommandError("ERR can't run EVAL in debugging mode: the debugger needs a plain socket "
                    + "of the epoll transport (not TLS, io_uring or NIO)");
        }
        LuaDebugger session = new LuaDebugger(console, body, !sync, () -> server.config().busyReplyThreshold);
        log.info(
                sync
                        ? "Redis synchronous debugging eval session started"
                        : "Lua debugging session started (rolled back at its end)");
        boolean attached = evalEngine.unavailableReason() == null;
        if (attached) {
            evalEngine.attach(session);
        }
        undo = sync ? null : new WriteUndo(server.keyspace());
        try {
            eval.run();
        } finally {
            if (attached) {
                evalEngine.detach();
            }
            if (undo != null) {
                undo.rollback();
                undo = null;
            }
            session.end();
            console.release();
            caller.closeAfterReply();
            log.info(
                    sync
                            ? "Redis synchronous debugging eval session ended"
                            : "Lua debugging session ended, its changes rolled back");
        }
    }

    /** Loads a library and links it in place of a same-named one when {@code replace}. */
    public Library createLibrary(byte[] code, boolean replace) throws ScriptEngine.CompileError {
        Library built = buildLibrary(code);
        Library old = libraries.library(built.name());
        if (old != null && !replace) {
            releaseLibrary(built);
            throw new ScriptEngine.CompileError("Library '" + built.name() + "' already exists");
        }
        if (old != null) {
            libraries.unlink(old);
        }
        String clash = libraries.collision(built);
        if (clash != null) {
            releaseLibrary(built);
            if (old != null) {
                libraries.link(old);
            }
            throw new ScriptEngine.CompileError("Function " + clash + " already exists");
        }
        libraries.link(built);
        if (old != null) {
            releaseLibrary(old);
        }
        return built;
    }

    /** Runs a library's code in the function engine; not linked yet. */
    public Library buildLibrary(byte[] code) throws ScriptEngine.CompileError {
        FunctionLibraries.Metadata md = FunctionLibraries.metadata(code);
        if (!FunctionLibraries.validName(md.name())) {
            throw new ScriptEngine.CompileError(
                    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (!md.engine().equalsIgnoreCase("lua")) {
            throw new ScriptEngine.CompileError("Engine '" + md.engine() + "' not found");
        }
        List<ScriptEngine.RegisteredFunction> registered = functionEngine.loadLibrary(code, md.bodyOffset());
        if (registered.isEmpty()) {
            throw new ScriptEngine.CompileError("No functions registered");
        }
        return FunctionLibraries.create(md.name(), code, registered);
    }

    public void releaseLibrary(Library lib) {
        for (Function f : lib.functions()) {
            functionEngine.release(f.ref());
        }
    }

    @Override
    public List<byte[]> libraryCodes() {
        List<byte[]> codes = new ArrayList<>();
        for (Library lib : libraries.all()) {
            codes.add(lib.code());
        }
        return codes;
    }

    @Override
    public void restore(byte[] code, boolean replace) throws IOException {
        if (evalEngine.unavailableReason() != null) {
            throw new IOException("Lua is not available: " + evalEngine.unavailableReason());
        }
        try {
            createLibrary(code, replace);
        } catch (ScriptEngine.CompileError e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** SCRIPT KILL ({@code eval}) and FUNCTION KILL: stops the running script unless it wrote. */
    public void kill(boolean eval) {
        CallerRun r = running;
        if (r == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (r.wrote) {
            throw new CommandError(
                    "UNKILLABLE Sorry the script already executed write commands against the dataset. "
                            + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        }
        if (eval && !r.eval) {
            throw new CommandError(SLOW_FUNCTION);
        }
        if (!eval && r.eval) {
            throw new CommandError(SLOW_EVAL);
        }
        r.killed = true;
    }

    /**
     * The BUSY error other clients hear while a script runs past busy-reply-threshold (Redis's
     * isInsideYieldingLongCommand), for EVAL or for a function; null otherwise.
     */
    public String busyError() {
        CallerRun r = running;
        if (r == null || !r.timedOut) {
            return null;
        }
        return r.eval ? SLOW_EVAL : SLOW_FUNCTION;
    }

    /** FUNCTION STATS' running_script: null when none runs; an EVAL script running answers BUSY. */
    public RunningScript runningFunction() {
        CallerRun r = running;
        if (r == null) {
            return null;
        }
        if (r.eval) {
            throw new CommandError(SLOW_EVAL);
        }
        return new RunningScript(r.name, r.args, (System.nanoTime() - r.startNanos) / 1_000_000);
    }

    /** What FUNCTION STATS shows of a running function. */
    public record RunningScript(String name, byte[][] command, long durationMillis) {}

    /** SCRIPT FLUSH: every cached script goes, with the Lua state they lived in. */
    public void flushScripts() {
        cache.clear();
        if (evalEngine.unavailableReason() == null) {
            evalEngine.reset();
        }
    }

    /** FUNCTION FLUSH: every library goes, with the Lua state they lived in. */
    @Override
    public void clear() {
        flushFunctions();
    }

    public void flushFunctions() {
        libraries.clear();
        if (functionEngine.unavailableReason() == null && functionEngine != evalEngine) {
            functionEngine.reset();
        }
    }

    /** The client scripts' commands run as: not connected, never blocking, its replies captured. */
    private Client scriptClient() {
        if (scriptClient == null) {
            scriptClient = new Client(0, server, new EmbeddedChannel(), new RespDecoder());
            scriptClient.setExecutingTransaction(true);
            scriptClient.markScriptClient();
        }
        return scriptClient;
    }

    /** A script run on behalf of a connected client: Redis's checks on each command the script calls. */
    private final class CallerRun extends ScriptRun {
        private final Client caller;
        private final Client sc;
        private final boolean readOnly;
        private final boolean allowOom;
        private final boolean preOom;
        private final boolean eval;
        private final String name;
        private final byte[][] args;
        private final long startNanos = System.nanoTime();
        private boolean wrote;
        /** Whether the script may reach keys of several slots (allow-cross-slot-keys, or no shebang). */
        private boolean allowCrossSlot;

        private boolean timedOut;
        private volatile boolean killed;

        CallerRun(
                Client caller,
                Client sc,
                boolean readOnly,
                boolean allowOom,
                boolean preOom,
                boolean eval,
                String name,
                byte[][] args) {
            this.eval = eval;
            this.name = name;
            this.args = args;
            this.caller = caller;
            this.sc = sc;
            this.readOnly = readOnly;
            this.allowOom = allowOom;
            this.preOom = preOom;
        }

        @Override
        protected ByteBuf call(byte[][] args) throws Refused {
            CommandSpec spec = lookup(args);
            if (spec == null) {
                throw new Refused("Unknown Redis command called from script");
            }
            if (!spec.arityAccepts(args.length)) {
                throw refused(spec, "Wrong number of args calling Redis command from script");
            }
            if (spec.has(NOSCRIPT) && !denyScriptsDisabled) {
                throw refused(spec, "This Redis command is not allowed from script");
            }
            AclUser user = caller.aclUser();
            if (!user.unrestricted()) {
                AclDenial d = server.acl()
                        .check(
                                user,
                                spec,
                                args,
                                AclLog.LUA,
                                () -> ClientDescription.describe(server.monitors(), caller));
                if (d != null) {
                    throw refused(spec, "ACL failure in script: " + aclMessage(user, spec, d));
                }
            }
            if (readOnly && (spec.isWrite() || spec.has(MAY_REPLICATE))) {
                throw refused(spec, "Write commands are not allowed from read-only scripts.");
            }
            if (!allowOom && preOom && !wrote && spec.isDenyOom()) {
                throw refused(spec, "-OOM command not allowed when used memory > 'maxmemory'.");
            }
            ClusterRouter router = server.dispatcher().clusterRouter();
            if (router != null && !caller.isMaster() && !caller.isReplaying()) {
                String refusal = router.scriptRefusal(caller, sc, spec, args, allowCrossSlot);
                if (refusal != null) {
                    throw refused(spec, refusal);
                }
            }
            if (spec.isWrite() && !wrote && !caller.isReplaying()) {
                // Once the script has written, a refusal would leave its work half done: Redis checks only before.
                // A script replayed from the append-only file wrote when it ran: it is not refused now.
                if (server.replication().readOnlyReplica() && !caller.isMaster()) {
                    throw refused(spec, "-READONLY You can't write against a read only replica.");
                }
                if (!server.replication().enoughGoodReplicas()) {
                    throw refused(spec, "-" + NOT_ENOUGH_REPLICAS);
                }
                wrote = true;
            }
            if (undo != null && spec.isWrite()) {
                String refusal = undo.beforeWrite(sc.db(), spec, args);
                if (refusal != null) {
                    throw refused(spec, refusal);
                }
            }
            sc.setUser(user);
            sc.setProtocol(resp);
            sc.reply().reuse(KEPT_REPLY_BUFFER);
            Propagation propagation = server.persistence().propagation();
            propagation.setTargets(undo != null ? 0 : replFlags());
            try {
                server.dispatcher().call(sc, spec, args);
            } finally {
                propagation.setTargets(Propagation.TO_ALL);
            }
            ByteBuf out = sc.reply().pending();
            return out == null ? Unpooled.wrappedBuffer(NULL_REPLY) : out;
        }

        private Refused refused(CommandSpec spec, String text) {
            spec.stats().rejectedCalls++;
            int sp = text.indexOf(' ');
            server.stats().countError(text.startsWith("-") ? text.substring(1, sp) : "ERR");
            return new Refused(text);
        }

        @Override
        protected Boolean aclAllows(byte[][] args) {
            CommandSpec spec = lookup(args);
            if (spec == null) {
                return null;
            }
            AclUser user = caller.aclUser();
            return user.unrestricted() || AclCheck.check(user, spec, args) == null;
        }

        /**
         * Past busy-reply-threshold the other clients are served (BUSY, or the commands allowed then) each
         * time the hook asks; SCRIPT KILL and SHUTDOWN NOSAVE end the script at the next ask.
         */
        @Override
        protected String interrupt() {
            if (killed || server.isStopping()) {
                return KILLED;
            }
            int threshold = server.config().busyReplyThreshold;
            if (threshold > 0 && (System.nanoTime() - startNanos) / 1_000_000 >= threshold) {
                if (!timedOut) {
                    timedOut = true;
                    log.warn(
                            "Slow script detected: still in execution after {} milliseconds. You can try killing the script "
                                    + "using the {} command. Script name is: {}.",
                            threshold,
                            eval ? "SCRIPT KILL" : "FUNCTION KILL",
                            name);
                }
                busy.serve(caller);
                if (killed || server.isStopping()) {
                    return KILLED;
                }
            }
            return null;
        }

        private CommandSpec lookup(byte[][] args) {
            CommandSpec spec = server.commands().lookup(args[0]);
            if (spec != null && spec.hasSubcommands()) {
                if (args.length < 2) {
                    return spec;
                }
                spec = CommandTable.subcommand(spec, args[1]);
            }
            return spec;
        }
    }

    private static String aclMessage(AclUser user, CommandSpec spec, AclDenial d) {
        return switch (d.reason()) {
            case "command" ->
                "User " + user.name() + " has no permissions to run the '" + spec.fullName() + "' command";
            case "key" -> "No permissions to access a key";
            default -> "No permissions to access a channel";
        };
    }

    /** REDIS_VERSION_NUM: 0x00MMmmpp. */
    private static int versionNumber(String version) {
        String[] p = version.split("\\.");
        return (Integer.parseInt(p[0]) << 16) | (Integer.parseInt(p[1]) << 8) | Integer.parseInt(p[2]);
    }
}
