package dev.respite.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One debugging session of an EVAL script (SCRIPT DEBUG YES|SYNC), as Redis's Lua debugger runs it: the
 * script stops at its first line, at breakpoints and after redis.breakpoint(); while stopped, commands read
 * from the client's connection inspect and steer it, each answered with an array of log lines. Lives for
 * one EVAL on the keyspace thread.
 */
public final class LuaDebugger {
    private static final int MAX_BREAKPOINTS = 64;
    private static final int DEFAULT_MAXLEN = 256;
    private static final int MAX_ARGS = 1024;
    private static final int MAX_INPUT = 1 << 20;
    private static final String UNKNOWN = "<error> Unknown Redis Lua debugger command or wrong number of arguments.";

    /** What the debugger needs from the Lua stack of the stopped script. */
    interface LuaSide {
        /** The "value" line for a variable, or null when none is visible by that name. */
        String print(String name);

        /** The "value" lines of the stopped function's locals. */
        List<String> locals();

        /** For each user script frame from the innermost: its "In/From name:" line and its current line. */
        List<Object> trace();

        /** The "retval" or "error" line of running {@code code}. */
        String eval(String code);

        /** Runs a command through redis.call (which logs it while stepping). */
        void redis(byte[][] args);
    }

    private final DebugConsole console;
    private final String[] source;
    private final boolean discardsWrites;
    private final LongSupplier timeLimitMillis;
    private final List<String> logs = new ArrayList<>();
    private final int[] breakpoints = new int[MAX_BREAKPOINTS];
    private int breakpointCount;
    private boolean step = true;
    private boolean luaBreakpoint;
    private int currentLine;
    private int maxlen = DEFAULT_MAXLEN;
    private boolean maxlenHintSent;
    private byte[] input = new byte[0];
    private long runningSince = System.nanoTime();

    /**
     * {@code body} is the script as sent; {@code timeLimitMillis} how long it may run without stopping
     * before the debugger stops it as a probable endless loop.
     */
    public LuaDebugger(DebugConsole console, byte[] body, boolean discardsWrites, LongSupplier timeLimitMillis) {
        this.console = console;
        this.discardsWrites = discardsWrites;
        this.timeLimitMillis = timeLimitMillis;
        int end = body.length;
        while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r')) {
            end--;
        }
        String text = new String(body, 0, end, StandardCharsets.ISO_8859_1);
        this.source = text.isEmpty() ? new String[0] : text.split("\n", -1);
    }

    /** SCRIPT DEBUG YES: the session's writes are undone when it ends (Redis runs it in a forked child). */
    public boolean discardsWrites() {
        return discardsWrites;
    }

    /** Whether the commands the script runs are being logged (stepping, or the debugger's redis command). */
    boolean logging() {
        return step;
    }

    /** A line for the next reply to the client. */
    void log(String line) {
        logs.add(line);
    }

    /** A line cut at maxlen bytes; the first cut adds a hint about the maxlen command. */
    void logTrimmed(String line) {
        if (maxlen != 0 && line.length() > maxlen) {
            logs.add(line.substring(0, maxlen) + " ...");
            if (!maxlenHintSent) {
                maxlenHintSent = true;
                logs.add("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
            }
        } else {
            logs.add(line);
        }
    }

    /** A command the script runs through redis.call, logged while stepping (ten arguments at most). */
    void commandCalled(byte[][] args) {
        if (!step) {
            return;
        }
        StringBuilder line = new StringBuilder("<redis>");
        for (int j = 0; j < args.length; j++) {
            if (j == 10) {
                // Redis counts one argument fewer than are left out.
                line.append(" ... (").append(args.length - j - 1).append(" more)");
                break;
            }
            line.append(' ').append(new String(args[j], StandardCharsets.ISO_8859_1));
        }
        logs.add(line.toString());
    }

    /** redis.breakpoint(): stop at the next line. */
    void breakpointCalled() {
        luaBreakpoint = true;
    }

    /** redis.debug(): its arguments as written by the debugger, on the current line. */
    void debugCalled(String values) {
        logs.add("<debug> line " + currentLine + ": " + values);
    }

    /** The session's last reply: the logs left, then the end mark. */
    public void end() {
        logs.add("<endsession>");
        send();
    }

    /**
     * A line (or every-100000-instructions) event of the user's script. Stops when stepping, at a
     * breakpoint, after redis.breakpoint(), or when the script ran too long without stopping; returns the
     * error that ends the script (abort, a protocol error), or null to go on.
     */
    String event(boolean count, int line, LuaSide lua) {
        currentLine = line;
        boolean atBreakpoint = isBreakpoint(line) || luaBreakpoint;
        boolean timeout = false;
        if (count && !step && !atBreakpoint) {
            long limit = timeLimitMillis.getAsLong();
            if ((System.nanoTime() - runningSince) / 1_000_000 < (limit > 0 ? limit : 5000)) {
                return null;
            }
            timeout = true;
            step = true;
        }
        if (!step && !atBreakpoint) {
            return null;
        }
        String reason = atBreakpoint
                ? (luaBreakpoint ? "redis.breakpoint() called" : "break point")
                : timeout ? "timeout reached, infinite loop?" : "step over";
        step = false;
        luaBreakpoint = false;
        logs.add("* Stopped at " + line + ", stop reason = " + reason);
        logSourceLine(line);
        send();
        Result r = repl(lua);
        if (r == Result.GONE && timeout) {
            return "timeout during Lua debugging with client closing connection";
        }
        runningSince = System.nanoTime();
        return r.error;
    }

    private enum Result {
        RESUME(null),
        GONE(null),
        ABORT("script aborted for user request"),
        PROTOCOL("protocol error"),
        OVERFLOW("max client buffer reached");

        final String error;

        Result(String error) {
            this.error = error;
        }
    }

    private Result repl(LuaSide lua) {
        byte[] chunk = new byte[1024];
        while (true) {
            String[] argv;
            while (true) {
                ParsedCommand parsed = parse();
                if (parsed.protocolError) {
                    return Result.PROTOCOL;
                }
                if (parsed.argv != null) {
                    argv = parsed.argv;
                    break;
                }
                int n = console.read(chunk);
                if (n <= 0) {
                    // The client is gone: the script runs on to its end without stopping.
                    step = false;
                    breakpointCount = 0;
                    return Result.GONE;
                }
                byte[] grown = Arrays.copyOf(input, input.length + n);
                System.arraycopy(chunk, 0, grown, input.length, n);
                input = grown;
                if (input.length > MAX_INPUT) {
                    input = new byte[0];
                    return Result.OVERFLOW;
                }
            }
            // What followed the command in the buffer is dropped, as Redis does.
            input = new byte[0];
            String cmd = argv[0];
            if (is(cmd, "h", "help")) {
                help();
            } else if (is(cmd, "s", "step") || is(cmd, "n", "next")) {
                step = true;
                return Result.RESUME;
            } else if (is(cmd, "c", "continue")) {
                return Result.RESUME;
            } else if (is(cmd, "t", "trace")) {
                trace(lua.trace());
            } else if (is(cmd, "m", "maxlen")) {
                maxlen(argv);
            } else if (is(cmd, "b", "break")) {
                breakCommand(argv);
            } else if (is(cmd, "e", "eval")) {
                logTrimmedValue(lua.eval(String.join(" ", Arrays.asList(argv).subList(1, argv.length))));
            } else if (is(cmd, "a", "abort")) {
                return Result.ABORT;
            } else if (argv.length > 1 && is(cmd, "r", "redis")) {
                redis(argv, lua);
            } else if (is(cmd, "p", "print")) {
                print(argv, lua);
            } else if (is(cmd, "l", "list")) {
                int around = currentLine;
                int context = 5;
                if (argv.length > 1) {
                    int num = DebuggerText.atoi(argv[1]);
                    if (num > 0) {
                        around = num;
                    }
                }
                if (argv.length > 2) {
                    context = DebuggerText.atoi(argv[2]);
                }
                list(around, context);
            } else if (is(cmd, "w", "whole")) {
                list(1, 1000000);
            } else {
                logs.add(UNKNOWN);
            }
            send();
        }
    }

    private static boolean is(String cmd, String shortName, String name) {
        return cmd.equalsIgnoreCase(shortName) || cmd.equalsIgnoreCase(name);
    }

    private void logTrimmedValue(String line) {
        if (line.startsWith("<error>")) {
            logs.add(line);
        } else {
            logTrimmed(line);
        }
    }

    private void redis(String[] argv, LuaSide lua) {
        byte[][] args = new byte[argv.length - 1][];
        for (int i = 1; i < argv.length; i++) {
            args[i - 1] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        step = true;
        try {
            lua.redis(args);
        } finally {
            step = false;
        }
    }

    private void print(String[] argv, LuaSide lua) {
        if (argv.length == 2) {
            String value = lua.print(argv[1]);
            if (value == null) {
                logs.add("No such variable.");
            } else {
                logTrimmed(value);
            }
            return;
        }
        List<String> locals = lua.locals();
        if (locals.isEmpty()) {
            logs.add("No local variables in the current context.");
        }
        for (String l : locals) {
            logTrimmed(l);
        }
    }

    private void trace(List<Object> frames) {
        for (int i = 0; i + 1 < frames.size(); i += 2) {
            logs.add((String) frames.get(i));
            logSourceLine(((Number) frames.get(i + 1)).intValue());
        }
        if (frames.isEmpty()) {
            logs.add("<error> Can't retrieve Lua stack.");
        }
    }

    private void maxlen(String[] argv) {
        if (argv.length == 2) {
            int len = DebuggerText.atoi(argv[1]);
            maxlenHintSent = true;
            maxlen = len != 0 && len <= 60 ? 60 : len;
        }
        logs.add(
                maxlen != 0
                        ? "<value> replies are truncated at " + maxlen + " bytes."
                        : "<value> replies are unlimited.");
    }

    private void help() {
        String[] text = {
            "Redis Lua debugger help:",
            "[h]elp               Show this help.",
            "[s]tep               Run current line and stop again.",
            "[n]ext               Alias for step.",
            "[c]ontinue           Run till next breakpoint.",
            "[l]ist               List source code around current line.",
            "[l]ist [line]        List source code around [line].",
            "                     line = 0 means: current position.",
            "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
            "                     to show before/after [line].",
            "[w]hole              List all source code. Alias for 'list 1 1000000'.",
            "[p]rint              Show all the local variables.",
            "[p]rint <var>        Show the value of the specified variable.",
            "                     Can also show global vars KEYS and ARGV.",
            "[b]reak              Show all breakpoints.",
            "[b]reak <line>       Add a breakpoint to the specified line.",
            "[b]reak -<line>      Remove breakpoint from the specified line.",
            "[b]reak 0            Remove all breakpoints.",
            "[t]race              Show a backtrace.",
            "[e]val <code>        Execute some Lua code (in a different callframe).",
            "[r]edis <cmd>        Execute a Redis command.",
            "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
            "                     Specifying zero as <len> means unlimited.",
            "[a]bort              Stop the execution of the script. In sync",
            "                     mode dataset changes will be retained.",
            "",
            "Debugger functions you can call from Lua scripts:",
            "redis.debug()        Produce logs in the debugger console.",
            "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
            "                     next line of code.",
        };
        logs.addAll(Arrays.asList(text));
    }

    private void breakCommand(String[] argv) {
        if (argv.length == 1) {
            if (breakpointCount == 0) {
                logs.add("No breakpoints set. Use 'b <line>' to add one.");
                return;
            }
            logs.add(breakpointCount + " breakpoints set:");
            for (int i = 0; i < breakpointCount; i++) {
                logSourceLine(breakpoints[i]);
            }
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            Long line = DebuggerText.strictLong(argv[i]);
            if (line == null) {
                logs.add("Invalid argument:'" + argv[i] + "'");
            } else if (line == 0) {
                breakpointCount = 0;
                logs.add("All breakpoints removed.");
            } else if (line > 0) {
                if (breakpointCount == MAX_BREAKPOINTS) {
                    logs.add("Too many breakpoints set.");
                } else if (addBreakpoint(line)) {
                    list((int) (long) line, 1);
                } else {
                    logs.add("Wrong line number.");
                }
            } else {
                logs.add(removeBreakpoint(-line) ? "Breakpoint removed." : "No breakpoint in the specified line.");
            }
        }
    }

    private boolean isBreakpoint(long line) {
        for (int i = 0; i < breakpointCount; i++) {
            if (breakpoints[i] == line) {
                return true;
            }
        }
        return false;
    }

    private boolean addBreakpoint(long line) {
        if (line <= 0 || line > source.length || isBreakpoint(line) || breakpointCount == MAX_BREAKPOINTS) {
            return false;
        }
        breakpoints[breakpointCount++] = (int) line;
        return true;
    }

    /**
     * Redis 7.2 shifts the breakpoints after the removed one by as many bytes (not entries) as follow it;
     * done the same way so that the breakpoints left are the ones Redis keeps.
     */
    private boolean removeBreakpoint(long line) {
        for (int j = 0; j < breakpointCount; j++) {
            if (breakpoints[j] == line) {
                breakpointCount--;
                int bytes = breakpointCount - j;
                byte[] raw = new byte[MAX_BREAKPOINTS * 4];
                for (int k = 0; k < MAX_BREAKPOINTS; k++) {
                    for (int b = 0; b < 4; b++) {
                        raw[k * 4 + b] = (byte) (breakpoints[k] >>> (8 * b));
                    }
                }
                System.arraycopy(raw, (j + 1) * 4, raw, j * 4, bytes);
                for (int k = 0; k < MAX_BREAKPOINTS; k++) {
                    int v = 0;
                    for (int b = 0; b < 4; b++) {
                        v |= (raw[k * 4 + b] & 0xff) << (8 * b);
                    }
                    breakpoints[k] = v;
                }
                return true;
            }
        }
        return false;
    }

    private void list(int around, int context) {
        for (int j = 1; j <= source.length; j++) {
            if (around != 0 && Math.abs((long) around - j) > context) {
                continue;
            }
            logSourceLine(j);
        }
    }

    private void logSourceLine(int line) {
        String text = line >= 1 && line <= source.length ? source[line - 1] : "<out of range source code line>";
        boolean current = line == currentLine;
        boolean bp = isBreakpoint(line);
        String prefix = current && bp ? "->#" : current ? "-> " : bp ? "  #" : "   ";
        logs.add(prefix + String.format("%-3d", line) + " " + text);
    }

    private void send() {
        StringBuilder out = new StringBuilder();
        out.append('*').append(logs.size()).append("\r\n");
        for (String l : logs) {
            out.append('+').append(l.replace('\r', ' ').replace('\n', ' ')).append("\r\n");
        }
        logs.clear();
        console.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** What {@link #parse} found: a command, nothing yet (read more), or a protocol error. */
    private record ParsedCommand(String[] argv, boolean protocolError) {
        static final ParsedCommand MORE = new ParsedCommand(null, false);
        static final ParsedCommand ERROR = new ParsedCommand(null, true);
    }

    /**
     * Reads one command in RESP's multi-bulk form from the input as Redis's debugger does: anything before
     * the '*' is skipped, the header is searched as C strings are (a zero byte ends them), and empty or
     * longer than 1024 byte arguments, or more than 1024 of them, are protocol errors.
     */
    private ParsedCommand parse() {
        byte[] b = input;
        if (b.length == 0) {
            return ParsedCommand.MORE;
        }
        int p = find(b, 0, (byte) '*');
        if (p < 0) {
            return ParsedCommand.ERROR;
        }
        int eol = findCrlf(b, p);
        if (eol < 0) {
            return ParsedCommand.MORE;
        }
        int argc = DebuggerText.atoi(ascii(b, p + 1, eol));
        if (argc <= 0 || argc > MAX_ARGS) {
            return ParsedCommand.ERROR;
        }
        p = eol + 2;
        String[] argv = new String[argc];
        for (int i = 0; i < argc; i++) {
            if (p >= b.length || b[p] == 0) {
                return ParsedCommand.MORE;
            }
            if (b[p] != '$') {
                return ParsedCommand.ERROR;
            }
            eol = findCrlf(b, p);
            if (eol < 0) {
                return ParsedCommand.MORE;
            }
            int len = DebuggerText.atoi(ascii(b, p + 1, eol));
            if (len <= 0 || len > MAX_ARGS) {
                return ParsedCommand.ERROR;
            }
            p = eol + 2;
            if ((long) p + len + 2 > b.length) {
                return ParsedCommand.MORE;
            }
            argv[i] = new String(b, p, len, StandardCharsets.ISO_8859_1);
            p += len;
            if (b[p] != '\r' || b[p + 1] != '\n') {
                return ParsedCommand.ERROR;
            }
            p += 2;
        }
        return new ParsedCommand(argv, false);
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** strchr: the first {@code c} from {@code from}, stopping at a zero byte. */
    private static int find(byte[] b, int from, byte c) {
        for (int i = from; i < b.length && b[i] != 0; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** strstr(p, "\r\n"), stopping at a zero byte. */
    private static int findCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length && b[i] != 0; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
