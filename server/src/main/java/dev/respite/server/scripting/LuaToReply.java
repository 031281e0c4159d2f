package dev.respite.server.scripting;

import dev.respite.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * A script's return value written as Redis writes it: strings as bulk strings, numbers truncated to
 * integers, true as 1 and false as null (RESP3 scripts: booleans), {err=...} and {ok=...} tables as error
 * and status replies, {double=...}, {big_number=...}, {verbatim_string=...}, {map=...}, {set=...}, and any
 * other table as an array up to its first nil.
 */
final class LuaToReply {
    static final int NIL = 0;
    static final int BOOLEAN = 1;
    static final int NUMBER = 3;
    static final int STRING = 4;
    static final int TABLE = 5;

    private final LuaStack strings;

    LuaToReply(LuaStack strings) {
        this.strings = strings;
    }

    /**
     * Writes the value at the top of the stack and pops it. {@code scriptResp} is the protocol the script
     * chose with redis.setresp; {@code countedError} hears the code of each error reply that must be counted.
     */
    void write(Lua l, RespWriter out, int scriptResp, Consumer<String> countedError) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        if (c.lua_checkstack(p, 4) == 0) {
            out.error("ERR reached lua stack limit");
            c.lua_pop(p, 1);
            return;
        }
        switch (c.lua_type(p, -1)) {
            case STRING -> out.bulk(strings.bytes(l, -1));
            case BOOLEAN -> {
                boolean v = c.lua_toboolean(p, -1) != 0;
                if (scriptResp == 2) {
                    if (v) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(v);
                }
            }
            case NUMBER -> out.integer(toLongLikeC(c.lua_tonumber(p, -1)));
            case TABLE -> {
                table(l, out, scriptResp, countedError);
                return;
            }
            default -> out.nullBulk();
        }
        c.lua_pop(p, 1);
    }

    /** Whether the value at the top of the stack is an error table ({@code {err=...}}), left in place. */
    boolean isErrorTable(Lua l) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        if (c.lua_type(p, -1) != TABLE) {
            return false;
        }
        boolean error = field(c, p, "err") == STRING;
        c.lua_pop(p, 1);
        return error;
    }

    private void table(Lua l, RespWriter out, int scriptResp, Consumer<String> countedError) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        if (field(c, p, "err") == STRING) {
            c.lua_pop(p, 1);
            ScriptFailure f = ScriptFailure.from(l, strings);
            out.error(f.message());
            if (!f.statsCounted()) {
                countedError.accept(f.code());
            }
            c.lua_pop(p, 1);
            return;
        }
        c.lua_pop(p, 1);
        if (field(c, p, "ok") == STRING) {
            out.simple(new String(strings.bytes(l, -1), StandardCharsets.UTF_8)
                    .replace('\r', ' ')
                    .replace('\n', ' '));
            c.lua_pop(p, 2);
            return;
        }
        c.lua_pop(p, 1);
        if (field(c, p, "double") == NUMBER) {
            out.doubleValue(ArgumentNumbers.text(c.lua_tonumber(p, -1)));
            c.lua_pop(p, 2);
            return;
        }
        c.lua_pop(p, 1);
        if (field(c, p, "big_number") == STRING) {
            out.bigNumber(new String(strings.bytes(l, -1), StandardCharsets.UTF_8)
                    .replace('\r', ' ')
                    .replace('\n', ' '));
            c.lua_pop(p, 2);
            return;
        }
        c.lua_pop(p, 1);
        if (field(c, p, "verbatim_string") == TABLE) {
            String format = field(c, p, "format") == STRING ? strings.string(l, -1) : null;
            c.lua_pop(p, 1);
            if (format != null && field(c, p, "string") == STRING && format.length() == 3) {
                out.verbatim(format, strings.string(l, -1));
                c.lua_pop(p, 3);
                return;
            }
            c.lua_pop(p, 1);
        }
        c.lua_pop(p, 1);
        if (field(c, p, "map") == TABLE) {
            out.map(countPairs(c, p));
            c.lua_pushnil(p);
            while (c.lua_next(p, -2) != 0) {
                c.lua_pushvalue(p, -2);
                write(l, out, scriptResp, countedError);
                write(l, out, scriptResp, countedError);
            }
            c.lua_pop(p, 2);
            return;
        }
        c.lua_pop(p, 1);
        if (field(c, p, "set") == TABLE) {
            out.set(countPairs(c, p));
            c.lua_pushnil(p);
            while (c.lua_next(p, -2) != 0) {
                c.lua_pop(p, 1);
                c.lua_pushvalue(p, -1);
                write(l, out, scriptResp, countedError);
            }
            c.lua_pop(p, 2);
            return;
        }
        c.lua_pop(p, 1);
        int n = 0;
        while (true) {
            c.lua_rawgeti(p, -1, n + 1);
            boolean nil = c.lua_type(p, -1) == NIL;
            c.lua_pop(p, 1);
            if (nil) {
                break;
            }
            n++;
        }
        out.array(n);
        for (int i = 1; i <= n; i++) {
            c.lua_rawgeti(p, -1, i);
            write(l, out, scriptResp, countedError);
        }
        c.lua_pop(p, 1);
    }

    /** Pushes t[name] without metamethods for the table at the top (it must be a table); returns its type. */
    private static int field(Lua51Natives c, long p, String name) {
        c.lua_pushstring(p, name);
        c.lua_rawget(p, -2);
        return c.lua_type(p, -1);
    }

    private static int countPairs(Lua51Natives c, long p) {
        int n = 0;
        c.lua_pushnil(p);
        while (c.lua_next(p, -2) != 0) {
            c.lua_pop(p, 1);
            n++;
        }
        return n;
    }

    /** C's (long long) cast as x86-64 does it: out of range and NaN give the smallest long. */
    static long toLongLikeC(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }
}
