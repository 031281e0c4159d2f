package dev.respite.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The debugger's Lua half (debugger.lua, a table of functions kept in the registry) called from Java: what a
 * stopped script's stack shows (locals, backtrace, evaluated code) and how values are written. Text comes
 * back as ISO-8859-1 strings, one char per byte.
 */
final class DebuggerStack {
    private final LuaStack strings;
    private final int helpersRef;

    DebuggerStack(LuaStack strings, int helpersRef) {
        this.strings = strings;
        this.helpersRef = helpersRef;
    }

    /** Pushes the helper function {@code name}. */
    void push(Lua l, String name) {
        l.refGet(helpersRef);
        l.getField(-1, name);
        ((Lua51Natives) l.getLuaNatives()).lua_remove(l.getPointer(), -2);
    }

    /** redis.debug's arguments (the whole stack of the call) written and separated by commas. */
    String reprs(Lua l) {
        int n = l.getTop();
        push(l, "reprs");
        ((Lua51Natives) l.getLuaNatives()).lua_insert(l.getPointer(), 1);
        String text = call(l, n);
        return text == null ? "" : text;
    }

    /** The debugger's view of the script stopped in the hook that {@code l} runs. */
    LuaDebugger.LuaSide stoppedAt(Lua l) {
        return new Stopped(l);
    }

    /** Calls the function under its {@code n} arguments; its one result as text, or null if not a string. */
    private String call(Lua l, int n) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        int top = c.lua_gettop(p) - n - 1;
        String s = null;
        if (c.lua_pcall(p, n, 1, 0) == 0 && c.lua_isstring(p, -1) != 0) {
            s = new String(strings.bytes(l, -1), StandardCharsets.ISO_8859_1);
        }
        c.lua_settop(p, top);
        return s;
    }

    private final class Stopped implements LuaDebugger.LuaSide {
        private final Lua l;

        Stopped(Lua l) {
            this.l = l;
        }

        @Override
        public String print(String name) {
            push(l, "print");
            strings.push(l, name.getBytes(StandardCharsets.ISO_8859_1));
            return call(l, 1);
        }

        @Override
        public List<String> locals() {
            return list("locals");
        }

        @Override
        public List<Object> trace() {
            List<Object> out = new ArrayList<>();
            for (String s : list("trace")) {
                out.add(s.startsWith("In ") || s.startsWith("From ") ? s : (Object) Integer.parseInt(s));
            }
            return out;
        }

        private List<String> list(String helper) {
            Lua51Natives c = (Lua51Natives) l.getLuaNatives();
            long p = l.getPointer();
            int top = c.lua_gettop(p);
            push(l, helper);
            List<String> out = new ArrayList<>();
            if (c.lua_pcall(p, 0, 1, 0) == 0) {
                int n = (int) c.lua_objlen(p, -1);
                for (int i = 1; i <= n; i++) {
                    c.lua_rawgeti(p, -1, i);
                    out.add(new String(strings.bytes(l, -1), StandardCharsets.ISO_8859_1));
                    c.lua_settop(p, -2);
                }
            }
            c.lua_settop(p, top);
            return out;
        }

        @Override
        public String eval(String code) {
            push(l, "eval");
            strings.push(l, code.getBytes(StandardCharsets.ISO_8859_1));
            String s = call(l, 1);
            return s == null ? "<error> " : s;
        }

        @Override
        public void redis(byte[][] args) {
            Lua51Natives c = (Lua51Natives) l.getLuaNatives();
            long p = l.getPointer();
            int top = c.lua_gettop(p);
            c.lua_checkstack(p, args.length + 2);
            push(l, "redis");
            for (byte[] a : args) {
                strings.push(l, a);
            }
            c.lua_pcall(p, args.length, 0, 0);
            c.lua_settop(p, top);
        }
    }
}
