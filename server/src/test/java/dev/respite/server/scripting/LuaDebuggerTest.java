package dev.respite.server.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debugger's console logic with a scripted client and no Lua: parsing, breakpoints, listing, trimming. */
class LuaDebuggerTest {
    /** Hands out the queued input chunks one read at a time, then reports the client gone. */
    private static final class Console implements DebugConsole {
        final Deque<byte[]> input = new ArrayDeque<>();
        final List<String> replies = new ArrayList<>();

        @Override
        public int read(byte[] into) {
            byte[] next = input.poll();
            if (next == null) {
                return -1;
            }
            System.arraycopy(next, 0, into, 0, next.length);
            return next.length;
        }

        @Override
        public void write(byte[] data) {
            replies.add(new String(data, StandardCharsets.ISO_8859_1));
        }

        void command(String... args) {
            StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            input.add(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** A script with no locals and no frames worth showing. */
    private static final LuaDebugger.LuaSide NO_LUA = new LuaDebugger.LuaSide() {
        @Override
        public String print(String name) {
            return null;
        }

        @Override
        public List<String> locals() {
            return List.of();
        }

        @Override
        public List<Object> trace() {
            return List.of();
        }

        @Override
        public String eval(String code) {
            return "<retval> " + "x".repeat(300);
        }

        @Override
        public void redis(byte[][] args) {}
    };

    private static final byte[] SOURCE = "local a = 1\nlocal b = 2\nlocal c = 3\nreturn a\n\r\n".getBytes();

    @Test
    void stopsAtTheFirstLineAndSendsItsLog() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 0);
        console.command("c");
        assertNull(d.event(false, 1, NO_LUA));
        assertEquals(
                List.of("*2\r\n+* Stopped at 1, stop reason = step over\r\n+-> 1   local a = 1\r\n"), console.replies);
        assertNull(d.event(false, 2, NO_LUA), "continue does not stop again");
        assertEquals(1, console.replies.size());
    }

    @Test
    void aCommandSplitAcrossReadsIsAssembledAndWhatFollowsItDropped() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 0);
        console.input.add("*2\r\n$1\r\nl".getBytes());
        console.input.add("\r\n$1\r\n3\r\n*1\r\n$1\r\nw\r\n".getBytes());
        console.command("c");
        assertNull(d.event(false, 1, NO_LUA));
        assertEquals(
                "*4\r\n+-> 1   local a = 1\r\n+   2   local b = 2\r\n+   3   local c = 3\r\n+   4   return a\r\n",
                console.replies.get(1));
        assertEquals(2, console.replies.size(), "the pipelined whole command was dropped");
    }

    @Test
    void malformedInputEndsTheScriptWithAProtocolError() {
        for (String raw : List.of("s\r\n", "*0\r\n", "*1\r\n$0\r\n\r\n", "*1\r\n$2000\r\n", "*1\r\n$1\r\nsX\r\n")) {
            Console console = new Console();
            LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 0);
            console.input.add(raw.getBytes());
            assertEquals("protocol error", d.event(false, 1, NO_LUA), raw);
        }
    }

    @Test
    void breakpointsAreKeptAsRedisKeepsThem() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 0);
        console.command("b", "2", "3", "4");
        console.command("b", "-2");
        console.command("b");
        console.command("b", "0", "7", "x");
        console.command("c");
        d.event(false, 1, NO_LUA);
        assertEquals("*1\r\n+Breakpoint removed.\r\n", console.replies.get(2));
        // Redis moves the entries after the removed one by bytes, not entries: 3 moves up, 4 is lost.
        assertEquals(
                "*3\r\n+2 breakpoints set:\r\n+  #3   local c = 3\r\n+  #3   local c = 3\r\n", console.replies.get(3));
        assertEquals(
                "*3\r\n+All breakpoints removed.\r\n+Wrong line number.\r\n+Invalid argument:'x'\r\n",
                console.replies.get(4));
    }

    @Test
    void longValuesAreTrimmedWithAHintOnce() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 0);
        console.command("e", "x");
        console.command("e", "x");
        console.command("m", "0");
        console.command("e", "x");
        console.command("c");
        d.event(false, 1, NO_LUA);
        String trimmed = "+<retval> " + "x".repeat(247) + " ...\r\n";
        assertEquals(
                "*2\r\n" + trimmed + "+<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.\r\n",
                console.replies.get(1));
        assertEquals("*1\r\n" + trimmed, console.replies.get(2));
        assertEquals("*1\r\n+<value> replies are unlimited.\r\n", console.replies.get(3));
        assertEquals("*1\r\n+<retval> " + "x".repeat(300) + "\r\n", console.replies.get(4));
    }

    @Test
    void aClientThatLeftLetsTheScriptRunUnlessItLoopedForever() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, false, () -> 1);
        assertNull(d.event(false, 1, NO_LUA), "gone: the script goes on");
        assertNull(d.event(false, 2, NO_LUA), "and no longer stops");
        assertEquals(
                "timeout during Lua debugging with client closing connection",
                awaitTimeout(d),
                "a count event past the time limit stops it, and with nobody to answer ends it");
    }

    private static String awaitTimeout(LuaDebugger d) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String error = null;
        while (error == null && System.nanoTime() < deadline) {
            error = d.event(true, 3, NO_LUA);
        }
        return error;
    }

    @Test
    void theSessionEndsWithItsMark() {
        Console console = new Console();
        LuaDebugger d = new LuaDebugger(console, SOURCE, true, () -> 0);
        d.commandCalled(new byte[][] {"get".getBytes(), "k".getBytes()});
        d.end();
        assertEquals(List.of("*2\r\n+<redis> get k\r\n+<endsession>\r\n"), console.replies);
    }
}
