package dev.respite.server.scripting;

import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * An error table a script produced ({err=..., source=..., line=..., ignore_error_stats_update=...}), read
 * from the top of the stack without popping it.
 */
record ScriptFailure(String message, String source, String line, boolean statsCounted) {
    static ScriptFailure from(Lua l, LuaStack strings) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        if (c.lua_isstring(p, -1) != 0) {
            return new ScriptFailure("ERR " + strings.string(l, -1), null, null, false);
        }
        String msg = stringField(l, strings, "err");
        String source = stringField(l, strings, "source");
        String line = stringField(l, strings, "line");
        c.lua_pushstring(p, "ignore_error_stats_update");
        c.lua_rawget(p, -2);
        boolean counted = c.lua_isboolean(p, -1) != 0 && c.lua_toboolean(p, -1) != 0;
        c.lua_pop(p, 1);
        return new ScriptFailure(msg == null ? "" : msg, source, line, counted);
    }

    private static String stringField(Lua l, LuaStack strings, String name) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        // Raw access: a metamethod raising an error here would have no protected call to return to.
        c.lua_pushstring(p, name);
        c.lua_rawget(p, -2);
        String v = c.lua_isstring(p, -1) != 0 ? strings.string(l, -1) : null;
        c.lua_pop(p, 1);
        return v;
    }

    /** The error code: the first word of the message. */
    String code() {
        int sp = message.indexOf(' ');
        return sp < 0 ? message : message.substring(0, sp);
    }
}
