package dev.respite.server.scripting;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * A command's reply, as the script's client received it in RESP2 or RESP3, turned into the Lua value Redis
 * gives redis.call: integers as numbers, nulls as false (RESP2) or nil (RESP3), status and error replies as
 * {ok=...} and {err=...} tables, and RESP3's doubles, maps, sets, big numbers and verbatim strings as the
 * tables Redis documents.
 */
final class ReplyToLua {
    private static final int LUA_REGISTRYINDEX = -10000;
    /** "+OK\r\n" after its type byte, as one little-endian int. */
    private static final int OK_LINE = 'O' | 'K' << 8 | '\r' << 16 | '\n' << 24;

    private final LuaStack strings;
    /** Registry references to strings every reply table uses: pushing them costs no Java string conversion. */
    private final int okKey;

    private final int errKey;
    private final int ignoreStatsKey;
    private final int okValue;
    /** The debugging session to log error replies to while it steps; null outside SCRIPT DEBUG. */
    LuaDebugger debugger;

    ReplyToLua(LuaStack strings, Lua lua) {
        this.strings = strings;
        this.okKey = constant(lua, "ok");
        this.errKey = constant(lua, "err");
        this.ignoreStatsKey = constant(lua, "ignore_error_stats_update");
        this.okValue = constant(lua, "OK");
    }

    private static int constant(Lua lua, String s) {
        lua.push(s);
        return lua.ref();
    }

    /** Pushes the one reply in {@code in}; true when it is an error reply. */
    boolean push(Lua l, ByteBuf in) {
        boolean error = in.getByte(in.readerIndex()) == '-';
        // A Java function starts with LUA_MINSTACK (20) free slots: a reply's top level needs no check.
        value(l, in, true, false);
        return error;
    }

    private void value(Lua l, ByteBuf in, boolean wanted, boolean nested) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        if (nested) {
            c.lua_checkstack(p, 4);
        }
        byte type = in.readByte();
        switch (type) {
            case '+' -> {
                if (in.readableBytes() >= 4 && in.getIntLE(in.readerIndex()) == OK_LINE) {
                    in.skipBytes(4);
                    if (wanted) {
                        c.lua_createtable(p, 0, 1);
                        c.lua_rawgeti(p, LUA_REGISTRYINDEX, okKey);
                        c.lua_rawgeti(p, LUA_REGISTRYINDEX, okValue);
                        c.lua_rawset(p, -3);
                    }
                    return;
                }
                byte[] s = line(in);
                if (wanted) {
                    singleField(l, okKey, s);
                }
            }
            case '-' -> {
                byte[] s = line(in);
                if (wanted) {
                    errorTable(l, "-" + new String(s, StandardCharsets.UTF_8), true);
                }
            }
            case ':' -> {
                long v = number(in);
                if (wanted) {
                    c.lua_pushnumber(p, (double) v);
                }
            }
            case '$' -> {
                long n = number(in);
                if (n < 0) {
                    if (wanted) {
                        c.lua_pushboolean(p, 0);
                    }
                    return;
                }
                if (wanted) {
                    strings.push(l, in, (int) n);
                } else {
                    in.skipBytes((int) n);
                }
                in.skipBytes(2);
            }
            case '*', '>' -> {
                long n = number(in);
                if (n < 0) {
                    if (wanted) {
                        c.lua_pushboolean(p, 0);
                    }
                    return;
                }
                if (wanted) {
                    c.lua_createtable(p, (int) Math.min(n, 1 << 16), 0);
                }
                for (int i = 1; i <= n; i++) {
                    value(l, in, wanted, true);
                    if (wanted) {
                        setIndex(c, p, i);
                    }
                }
            }
            case '%' -> {
                long n = number(in);
                if (wanted) {
                    c.lua_newtable(p);
                    c.lua_pushstring(p, "map");
                    c.lua_newtable(p);
                }
                for (long i = 0; i < n; i++) {
                    value(l, in, wanted, true);
                    value(l, in, wanted, true);
                    if (wanted) {
                        c.lua_settable(p, -3);
                    }
                }
                if (wanted) {
                    c.lua_settable(p, -3);
                }
            }
            case '~' -> {
                long n = number(in);
                if (wanted) {
                    c.lua_newtable(p);
                    c.lua_pushstring(p, "set");
                    c.lua_newtable(p);
                }
                for (long i = 0; i < n; i++) {
                    value(l, in, wanted, true);
                    if (wanted) {
                        c.lua_pushboolean(p, 1);
                        c.lua_settable(p, -3);
                    }
                }
                if (wanted) {
                    c.lua_settable(p, -3);
                }
            }
            case '_' -> {
                in.skipBytes(2);
                if (wanted) {
                    c.lua_pushnil(p);
                }
            }
            case '#' -> {
                boolean v = in.readByte() == 't';
                in.skipBytes(2);
                if (wanted) {
                    c.lua_pushboolean(p, v ? 1 : 0);
                }
            }
            case ',' -> {
                String s = new String(line(in), StandardCharsets.US_ASCII);
                if (wanted) {
                    c.lua_newtable(p);
                    c.lua_pushstring(p, "double");
                    c.lua_pushnumber(p, parseDouble(s));
                    c.lua_settable(p, -3);
                }
            }
            case '(' -> {
                byte[] s = line(in);
                if (wanted) {
                    singleField(l, "big_number", s);
                }
            }
            case '=' -> {
                long n = number(in);
                byte[] b = new byte[(int) n];
                in.readBytes(b);
                in.skipBytes(2);
                if (wanted) {
                    c.lua_newtable(p);
                    c.lua_pushstring(p, "verbatim_string");
                    c.lua_newtable(p);
                    c.lua_pushstring(p, "string");
                    strings.push(l, java.util.Arrays.copyOfRange(b, 4, b.length));
                    c.lua_settable(p, -3);
                    c.lua_pushstring(p, "format");
                    strings.push(l, java.util.Arrays.copyOfRange(b, 0, 3));
                    c.lua_settable(p, -3);
                    c.lua_settable(p, -3);
                }
            }
            case '|' -> {
                // Attributes are not shown to scripts: skip them, then read the reply they annotate.
                long n = number(in);
                for (long i = 0; i < 2 * n; i++) {
                    value(l, in, false, true);
                }
                value(l, in, wanted, true);
            }
            default -> throw new IllegalStateException("unexpected reply type '" + (char) type + "'");
        }
    }

    private static void setIndex(Lua51Natives c, long p, int i) {
        if (c.lua_type(p, -1) == 0) {
            c.lua_pop(p, 1);
        } else {
            c.lua_rawseti(p, -2, i);
        }
    }

    private void singleField(Lua l, String field, byte[] value) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        c.lua_newtable(p);
        c.lua_pushstring(p, field);
        strings.push(l, value);
        c.lua_settable(p, -3);
    }

    private void singleField(Lua l, int fieldRef, byte[] value) {
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        c.lua_createtable(p, 0, 1);
        c.lua_rawgeti(p, LUA_REGISTRYINDEX, fieldRef);
        strings.push(l, value);
        c.lua_rawset(p, -3);
    }

    /**
     * Pushes the {err=...} table Redis makes from an error text: "-CODE message" keeps its code, other
     * texts get ERR; {@code counted} marks an error the server already counted in its statistics.
     */
    void errorTable(Lua l, String text, boolean counted) {
        if (debugger != null && debugger.logging()) {
            debugger.log("<error> " + text);
        }
        Lua51Natives c = (Lua51Natives) l.getLuaNatives();
        long p = l.getPointer();
        c.lua_newtable(p);
        c.lua_rawgeti(p, LUA_REGISTRYINDEX, errKey);
        strings.push(l, ScriptErrors.normalize(text).getBytes(StandardCharsets.UTF_8));
        c.lua_settable(p, -3);
        if (counted) {
            c.lua_rawgeti(p, LUA_REGISTRYINDEX, ignoreStatsKey);
            c.lua_pushboolean(p, 1);
            c.lua_settable(p, -3);
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static byte[] line(ByteBuf in) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        byte[] b = new byte[end - in.readerIndex()];
        in.readBytes(b);
        in.skipBytes(2);
        return b;
    }

    private static long number(ByteBuf in) {
        boolean negative = false;
        long v = 0;
        byte b = in.readByte();
        if (b == '-') {
            negative = true;
            b = in.readByte();
        }
        while (b != '\r') {
            v = v * 10 + (b - '0');
            b = in.readByte();
        }
        in.skipBytes(1);
        return negative ? -v : v;
    }
}
