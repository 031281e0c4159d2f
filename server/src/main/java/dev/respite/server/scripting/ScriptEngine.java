package dev.respite.server.scripting;

import dev.respite.protocol.RespWriter;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The one Lua 5.1 state scripts run in (created once, reset by SCRIPT FLUSH): Redis's libraries, the
 * redis table bridged to Java, the sandbox, compiling script bodies and running them. Used only on the
 * keyspace thread.
 */
public final class ScriptEngine {
    private static final Logger log = LoggerFactory.getLogger(ScriptEngine.class);
    private static final Logger scriptLog = LoggerFactory.getLogger("dev.respite.script");
    private static final int LUA_REGISTRYINDEX = -10000;
    private static final int LUA_GLOBALSINDEX = -10002;
    private static final int LUA_GCCOLLECT = 2;
    private static final int LUA_GCCOUNT = 3;
    private static final int LUA_GCSTEP = 5;
    private static final int GC_PERIOD = 50;
    private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;
    /** The Lua-written libraries, compiled into a state when a script first names one. */
    private static final Map<String, String> LIBRARIES = librarySources("cjson", "struct", "cmsgpack", "bit");

    private final String version;
    private final int versionNum;
    private Lua lua;
    private String unavailable;
    private LuaStack strings;
    private ReplyToLua toLua;
    private LuaToReply toReply;
    private int errorHandlerRef;
    /** Function libraries' environment, and the switch between its load-time and run-time views. */
    private int libraryEnvRef;
    /** The read-only view of the globals EVAL scripts run in. */
    private int scriptEnvRef;

    private int setLoadingRef;
    /** The names KEYS and ARGV as Lua strings, so that setting them per run converts no Java string. */
    private int keysNameRef;

    private int argvNameRef;
    /** Functions registered by the library being loaded; null outside FUNCTION LOAD. */
    private java.util.List<RegisteredFunction> registering;
    /** A library's code only registers functions: past this point its load fails, as in Redis (500 ms). */
    private long loadDeadlineNanos;

    private ScriptRun current;
    /** The debugging session the running script is in; null outside SCRIPT DEBUG. */
    private LuaDebugger debugger;
    /** The debug library (scripts do not see it) and the debugger's Lua half, compiled on first use. */
    private int debugLibraryRef;

    private DebuggerStack debuggerStack;
    private final Lrand48 random = new Lrand48();
    private int runsSinceGc;

    public ScriptEngine(String version, int versionNum) {
        this.version = version;
        this.versionNum = versionNum;
        reset();
    }

    /** Why Lua cannot run here (the native library did not load), or null when it can. */
    public String unavailableReason() {
        return unavailable;
    }

    /** Whether redis.call's arguments are read from Lua's memory rather than one JNI call per string. */
    boolean readsLuaMemory() {
        return strings != null && strings.direct();
    }

    /** Drops every compiled script and global change: a fresh state, as SCRIPT FLUSH asks. */
    public void reset() {
        if (lua != null) {
            lua.close();
            lua = null;
        }
        try {
            lua = new Lua51();
        } catch (Throwable e) {
            unavailable = "the Lua 5.1 native library could not be loaded (" + rootMessage(e) + ")";
            log.warn("Scripting is disabled: {}", unavailable);
            return;
        }
        try {
            setUp();
        } catch (LuaException | IOException e) {
            throw new IllegalStateException("could not set up the Lua state: " + e.getMessage(), e);
        }
    }

    private void setUp() throws LuaException, IOException {
        for (String lib : new String[] {"string", "table", "math", "debug"}) {
            lua.openLibrary(lib);
        }
        lua.run("return string.dump(function() end)");
        ByteBuffer dumped = lua.toDirectBuffer(-1);
        byte[] header = new byte[12];
        dumped.get(header);
        lua.pop(1);
        strings = new LuaStack(header);
        strings.useMemory(lua);
        if (!strings.direct()) {
            log.warn("Scripts read Lua strings through JNI: the Lua library's memory layout is not the one expected");
        }
        toLua = new ReplyToLua(strings, lua);
        toReply = new LuaToReply(strings);
        lua.getGlobal("debug");
        debugLibraryRef = lua.ref();
        debuggerStack = null;
        loadChunk(resource("sandbox.lua"), "=redis_api");
        pushBridge();
        lua.pCall(1, 1);
        lua.getField(-1, "handler");
        errorHandlerRef = lua.ref();
        lua.getField(-1, "fenv");
        libraryEnvRef = lua.ref();
        lua.getField(-1, "env");
        scriptEnvRef = lua.ref();
        lua.getField(-1, "set_loading");
        setLoadingRef = lua.ref();
        lua.pop(1);
        lua.push("KEYS");
        keysNameRef = lua.ref();
        lua.push("ARGV");
        argvNameRef = lua.ref();
        ((Lua51Natives) lua.getLuaNatives()).lua_gc(lua.getPointer(), LUA_GCCOLLECT, 0);
    }

    private static Map<String, String> librarySources(String... names) {
        Map<String, String> sources = new HashMap<>();
        for (String name : names) {
            try {
                sources.put(name, resource(name + ".lua"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** Compiles and runs one library's chunk, leaving the table it returns on the stack. */
    private int loadLibrary(Lua l) {
        String name = l.toString(1);
        try {
            loadChunk(LIBRARIES.get(name), "=" + name);
            lua.pCall(0, 1);
        } catch (LuaException e) {
            throw new IllegalStateException("could not load the " + name + " library: " + e.getMessage(), e);
        }
        return 1;
    }

    private void loadChunk(String source, String name) throws LuaException {
        byte[] b = source.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length).put(b).flip();
        lua.load(buf, name);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ScriptEngine.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The table of Java entry points the sandbox script builds the redis table from. */
    private void pushBridge() {
        lua.newTable();
        bridge("call", l -> command(l, true));
        bridge("pcall", l -> command(l, false));
        bridge("acl_check_cmd", this::aclCheck);
        bridge("setresp", this::setResp);
        bridge("set_repl", this::setRepl);
        bridge("sha1hex", this::sha1hexOf);
        bridge("log", this::log);
        bridge("rand48", l -> {
            l.push(random.next());
            return 1;
        });
        bridge("srand48", l -> {
            random.seed((int) (long) l.toNumber(1));
            return 0;
        });
        bridge("interrupt", l -> {
            String stop = registering != null
                    ? (System.nanoTime() > loadDeadlineNanos ? "FUNCTION LOAD timeout" : null)
                    : current == null ? null : current.interrupt();
            if (stop == null) {
                return 0;
            }
            l.push(stop);
            return 1;
        });
        bridge("register", this::register);
        bridge("breakpoint", l -> {
            if (debugger != null) {
                debugger.breakpointCalled();
            }
            l.push(debugger != null);
            return 1;
        });
        bridge("debug", this::debugCalled);
        bridge("ldb_error", l -> {
            if (debugger != null && debugger.logging()) {
                String text = strings.string(l, 1);
                debugger.log("<error> " + (text.startsWith("-") ? text : "-" + text));
            }
            return 0;
        });
        bridge("load_library", this::loadLibrary);
        lua.push(version);
        lua.setField(-2, "version");
        lua.push(versionNum);
        lua.setField(-2, "version_num");
    }

    private void bridge(String name, JFunction f) {
        lua.push((JFunction) l -> {
            try {
                return f.__call(l);
            } catch (RuntimeException | Error e) {
                log.error("Script call {} failed unexpectedly", name, e);
                l.setTop(0);
                toLua.errorTable(l, "internal error in redis." + name + ": " + e, false);
                return -1;
            }
        });
        lua.setField(-2, name);
    }

    /** The redis.* functions that validate their arguments raise Redis's error tables from here (C frames, as in Redis). */
    private int raise(Lua l, String text) {
        l.setTop(0);
        toLua.errorTable(l, text, false);
        return -1;
    }

    private int setResp(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "redis.setresp() requires one argument.");
        }
        int resp = (int) l.toNumber(1);
        if (resp != 2 && resp != 3) {
            return raise(l, "RESP version must be 2 or 3.");
        }
        current().resp = resp;
        return 0;
    }

    private int setRepl(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "redis.set_repl() requires one argument.");
        }
        int flags = (int) l.toNumber(1);
        if ((flags & ~3) != 0) {
            return raise(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        current().replFlags = flags;
        return 0;
    }

    private int sha1hexOf(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "wrong number of arguments");
        }
        byte[] data = strings.bytes(l, 1);
        l.push(sha1hex(data == null ? new byte[0] : data));
        return 1;
    }

    private int log(Lua l) {
        int n = l.getTop();
        if (n < 2) {
            return raise(l, "redis.log() requires two arguments or more.");
        }
        if (!l.isNumber(1)) {
            return raise(l, "First argument must be a number (log level).");
        }
        int level = (int) l.toNumber(1);
        if (level < 0 || level > 3) {
            return raise(l, "Invalid debug level.");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i <= n; i++) {
            String part = strings.string(l, i);
            if (part != null) {
                if (i != 2) {
                    sb.append(' ');
                }
                sb.append(part);
            }
        }
        logFromScript(level, sb.toString());
        return 0;
    }

    private ScriptRun current() {
        if (current == null) {
            throw new IllegalStateException("no script is running");
        }
        return current;
    }

    /** redis.call (raise) and redis.pcall. */
    private int command(Lua l, boolean raise) {
        byte[][] args = arguments(l);
        if (args == null) {
            return raise ? -1 : 1;
        }
        if (debugger != null) {
            debugger.commandCalled(args);
        }
        ByteBuf reply;
        try {
            reply = current().call(args);
        } catch (ScriptRun.Refused e) {
            toLua.errorTable(l, e.getMessage(), true);
            return raise ? -1 : 1;
        }
        int start = reply.readerIndex();
        boolean error = toLua.push(l, reply);
        if (debugger != null && debugger.logging()) {
            debugger.logTrimmed("<reply> " + DebuggerText.reply(reply, start));
        }
        return error && raise ? -1 : 1;
    }

    private int aclCheck(Lua l) {
        byte[][] args = arguments(l);
        if (args == null) {
            return -1;
        }
        Boolean allowed = current().aclAllows(args);
        if (allowed == null) {
            toLua.errorTable(l, "Invalid command passed to redis.acl_check_cmd()", false);
            return -1;
        }
        l.push(allowed);
        return 1;
    }

    /**
     * The call's arguments as Redis converts them (numbers that are integers print as integers, others
     * in the shortest exact form); null after pushing Redis's error when there are none or one is neither
     * string nor number.
     */
    private byte[][] arguments(Lua l) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        boolean direct = strings.direct();
        int n = direct ? LuaStackMemory.count(p) : c.lua_gettop(p);
        if (n == 0) {
            toLua.errorTable(l, "Please specify at least one argument for this redis lib call", false);
            return null;
        }
        byte[][] args = new byte[n][];
        for (int i = 0; i < n; i++) {
            int type = direct ? LuaStackMemory.type(p, i + 1) : c.lua_type(p, i + 1);
            if (type == LuaToReply.NUMBER) {
                args[i] = ArgumentNumbers.format(direct ? LuaStackMemory.number(p, i + 1) : c.lua_tonumber(p, i + 1));
            } else if (type == LuaToReply.STRING) {
                args[i] = strings.bytes(l, i + 1);
            } else {
                c.lua_settop(p, 0);
                toLua.errorTable(l, "Lua redis lib command arguments must be strings or integers", false);
                return null;
            }
        }
        // The arguments stay on the stack: the reply pushed above them is what the function returns.
        return args;
    }

    private static void logFromScript(int level, String message) {
        switch (level) {
            case 0 -> scriptLog.debug("{}", message);
            case 1 -> scriptLog.info("{}", message);
            case 2 -> scriptLog.info("{}", message);
            default -> scriptLog.warn("{}", message);
        }
    }

    /**
     * Compiles a script body into a function kept in the registry; returns its reference. A syntax error
     * comes back as {@link CompileError} with Lua's message.
     */
    public int compile(byte[] body, int offset, String chunkName) throws CompileError {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, body.length - offset))
                .put(body, offset, body.length - offset)
                .flip();
        int top = lua.getTop();
        try {
            lua.load(buf, chunkName);
        } catch (LuaException e) {
            lua.setTop(top);
            throw new CompileError(e.getMessage());
        }
        lua.refGet(scriptEnvRef);
        ((Lua51Natives) lua.getLuaNatives()).lua_setfenv(lua.getPointer(), -2);
        return lua.ref();
    }

    /** Forgets a compiled function. */
    public void release(int ref) {
        lua.unref(ref);
    }

    /**
     * Runs the compiled script {@code ref} for {@code run} with KEYS and ARGV set as globals, and writes its
     * reply (or Redis's error text, naming {@code name}) to {@code out}. {@code countedError} hears the code
     * of an error reply the server must count.
     */
    public boolean runEval(
            int ref,
            byte[][] keys,
            byte[][] argv,
            ScriptRun run,
            String name,
            RespWriter out,
            Consumer<String> countedError) {
        return run(ref, keys, argv, true, run, name, out, countedError);
    }

    /** Runs a registered function, which receives KEYS and ARGV as its two arguments. */
    public boolean runFunction(
            int ref,
            byte[][] keys,
            byte[][] argv,
            ScriptRun run,
            String name,
            RespWriter out,
            Consumer<String> countedError) {
        return run(ref, keys, argv, false, run, name, out, countedError);
    }

    private boolean run(
            int ref,
            byte[][] keys,
            byte[][] argv,
            boolean asGlobals,
            ScriptRun run,
            String name,
            RespWriter out,
            Consumer<String> countedError) {
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        int base = c.lua_gettop(p);
        c.lua_checkstack(p, 4);
        c.lua_rawgeti(p, LUA_REGISTRYINDEX, errorHandlerRef);
        c.lua_rawgeti(p, LUA_REGISTRYINDEX, ref);
        if (asGlobals) {
            setGlobalArray(keysNameRef, keys);
            setGlobalArray(argvNameRef, argv);
        } else {
            pushArray(keys);
            pushArray(argv);
        }
        current = run;
        int status;
        try {
            status = c.lua_pcall(p, asGlobals ? 0 : 2, 1, base + 1);
        } finally {
            current = null;
        }
        boolean failed = status != 0;
        if (failed) {
            failure(name, out, countedError);
        } else {
            failed = toReply.isErrorTable(lua);
            try {
                toReply.write(lua, out, run.resp, countedError);
            } catch (StackOverflowError e) {
                // A table that contains itself: Redis stops where Lua's stack ends, with this error.
                out.error("ERR reached lua stack limit");
            }
        }
        c.lua_settop(p, base);
        if (++runsSinceGc == GC_PERIOD) {
            c.lua_gc(p, LUA_GCSTEP, GC_PERIOD);
            runsSinceGc = 0;
        }
        return failed;
    }

    /** A function a library registered while loading. */
    public record RegisteredFunction(String name, int ref, String description, int flags) {}

    /**
     * Runs a library's code (its shebang line already cut off) so that it registers its functions;
     * returns them, or throws with Redis's text for a compile error or a failure while registering.
     */
    public java.util.List<RegisteredFunction> loadLibrary(byte[] code, int offset) throws CompileError {
        int chunk;
        try {
            chunk = compile(code, offset, "@user_function");
        } catch (CompileError e) {
            throw new CompileError("Error compiling function: " + e.getMessage());
        }
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        int base = c.lua_gettop(p);
        lua.refGet(chunk);
        lua.unref(chunk);
        lua.refGet(libraryEnvRef);
        c.lua_setfenv(p, -2);
        setLoading(true);
        loadDeadlineNanos = System.nanoTime() + LOAD_TIMEOUT_NANOS;
        registering = new java.util.ArrayList<>();
        java.util.List<RegisteredFunction> registered = registering;
        int status;
        try {
            status = c.lua_pcall(p, 0, 0, 0);
        } finally {
            registering = null;
            setLoading(false);
        }
        if (status != 0) {
            ScriptFailure f = ScriptFailure.from(lua, strings);
            c.lua_settop(p, base);
            for (RegisteredFunction r : registered) {
                lua.unref(r.ref());
            }
            throw new CompileError("Error registering functions: " + f.message());
        }
        c.lua_settop(p, base);
        return registered;
    }

    private void setLoading(boolean loading) {
        lua.refGet(setLoadingRef);
        lua.push(loading);
        ((Lua51Natives) lua.getLuaNatives()).lua_pcall(lua.getPointer(), 1, 0, 0);
    }

    /** J.register(name, callback, description, flags): nil, or the error text. */
    private int register(Lua l) {
        String name = strings.string(l, 1);
        if (registering == null) {
            l.push("redis.register_function can only be called on FUNCTION LOAD command");
            return 1;
        }
        if (!FunctionLibraries.validName(name)) {
            l.push(
                    "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
            return 1;
        }
        for (RegisteredFunction r : registering) {
            if (r.name().equals(name)) {
                l.push("Function already exists in the library");
                return 1;
            }
        }
        String description = l.isNil(3) ? null : strings.string(l, 3);
        int flags = (int) l.toNumber(4);
        l.pushValue(2);
        registering.add(new RegisteredFunction(name, l.ref(), description, flags));
        return 0;
    }

    private void pushArray(byte[][] values) {
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        c.lua_createtable(p, values.length, 0);
        for (int i = 0; i < values.length; i++) {
            strings.push(lua, values[i]);
            c.lua_rawseti(p, -2, i + 1);
        }
    }

    private void failure(String name, RespWriter out, Consumer<String> countedError) {
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        if (c.lua_type(p, -1) != LuaToReply.TABLE) {
            String msg = c.lua_isstring(p, -1) != 0 ? strings.string(lua, -1) : "execution failure";
            String text =
                    "ERR Error running script " + name + ", " + (msg.length() > 100 ? msg.substring(0, 100) : msg);
            out.error(text);
            countedError.accept("ERR");
            return;
        }
        ScriptFailure f = ScriptFailure.from(lua, strings);
        String text = f.message();
        if (f.line() != null && f.source() != null) {
            text += " script: " + name + ", on " + f.source() + ":" + f.line() + ".";
        }
        out.error(text);
        if (!f.statsCounted()) {
            countedError.accept(f.code());
        }
    }

    private void setGlobalArray(int nameRef, byte[][] values) {
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        c.lua_rawgeti(p, LUA_REGISTRYINDEX, nameRef);
        c.lua_createtable(p, values.length, 0);
        for (int i = 0; i < values.length; i++) {
            strings.push(lua, values[i]);
            c.lua_rawseti(p, -2, i + 1);
        }
        c.lua_rawset(p, LUA_GLOBALSINDEX);
    }

    /**
     * Starts debugging the next script run by this engine in {@code session}: the debugger's line hook
     * replaces the time-limit hook until {@link #detach}.
     */
    public void attach(LuaDebugger session) {
        if (debuggerStack == null) {
            try {
                loadChunk(resource("debugger.lua"), "=ldb");
            } catch (LuaException | IOException e) {
                throw new IllegalStateException("could not load the script debugger: " + e.getMessage(), e);
            }
            lua.newTable();
            bridge("event", this::debugEvent);
            lua.refGet(debugLibraryRef);
            lua.pushValue(LUA_GLOBALSINDEX);
            lua.refGet(scriptEnvRef);
            callOrFail(4, 1);
            debuggerStack = new DebuggerStack(strings, lua.ref());
        }
        debugger = session;
        toLua.debugger = session;
        debuggerStack.push(lua, "attach");
        callOrFail(0, 0);
    }

    /** Ends the debugging session: the time-limit hook is back. */
    public void detach() {
        debugger = null;
        toLua.debugger = null;
        debuggerStack.push(lua, "detach");
        callOrFail(0, 0);
    }

    private void callOrFail(int args, int results) {
        try {
            lua.pCall(args, results);
        } catch (LuaException e) {
            throw new IllegalStateException("script debugger failure: " + e.getMessage(), e);
        }
    }

    /** D.event(is_count, line): the line hook's call, with the script stopped while the debugger runs. */
    private int debugEvent(Lua l) {
        if (debugger == null) {
            return 0;
        }
        String error = debugger.event(l.toBoolean(1), (int) l.toNumber(2), debuggerStack.stoppedAt(l));
        return error == null ? 0 : raise(l, error);
    }

    /** redis.debug(...): its arguments written by the debugger, logged with the current line. */
    private int debugCalled(Lua l) {
        if (debugger != null) {
            debugger.debugCalled(debuggerStack.reprs(l));
        }
        return 0;
    }

    /** Bytes the Lua state holds (used_memory_lua). */
    public long memoryBytes() {
        if (lua == null) {
            return 0;
        }
        return ((Lua51Natives) lua.getLuaNatives()).lua_gc(lua.getPointer(), LUA_GCCOUNT, 0) * 1024L;
    }

    public static String sha1hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }

    /** A script body Lua could not compile. */
    public static final class CompileError extends Exception {
        public CompileError(String message) {
            super(message, null, false, false);
        }
    }
}
