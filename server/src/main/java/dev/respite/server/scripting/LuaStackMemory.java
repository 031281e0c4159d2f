package dev.respite.server.scripting;

import io.netty.util.internal.PlatformDependent;
import java.util.Arrays;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * Reads the values a Java function was called with from Lua straight out of the Lua state's memory. Through
 * JNI each string costs a DirectByteBuffer object built by the VM (luaJ_todirectbuffer), which made reading
 * redis.call's arguments dearer than running the command. The offsets are those of the Lua 5.1 build that
 * luajava ships (64-bit pointers, doubles for numbers); {@link #verify} compares them with the JNI answers
 * once per state, and callers keep the JNI path for when they do not match.
 */
final class LuaStackMemory {
    /** lua_State: next, tt, marked, status, then top (first free slot) and base (the function's first argument). */
    private static final int STATE_TOP = 16;

    private static final int STATE_BASE = 24;
    /** TValue: the value (8 bytes), then its type tag (int), padded to 16. */
    private static final int VALUE_SIZE = 16;

    private static final int VALUE_TYPE = 8;
    /** TString: next, tt, marked, reserved, hash, then len (size_t); the bytes follow the 24-byte header. */
    private static final int STRING_LENGTH = 16;

    private static final int STRING_DATA = 24;

    private LuaStackMemory() {}

    /** lua_gettop of the running function. */
    static int count(long state) {
        return (int) ((PlatformDependent.getLong(state + STATE_TOP) - PlatformDependent.getLong(state + STATE_BASE))
                / VALUE_SIZE);
    }

    /** lua_type at {@code index}: 1-based from the running function's first argument, or negative from the top. */
    static int type(long state, int index) {
        return PlatformDependent.getInt(slot(state, index) + VALUE_TYPE);
    }

    /** The number at {@code index}, which must be of type number. */
    static double number(long state, int index) {
        return Double.longBitsToDouble(PlatformDependent.getLong(slot(state, index)));
    }

    /** The bytes of the string at {@code index}, which must be of type string. */
    static byte[] string(long state, int index) {
        long s = PlatformDependent.getLong(slot(state, index));
        int length = (int) PlatformDependent.getLong(s + STRING_LENGTH);
        byte[] out = new byte[length];
        PlatformDependent.copyMemory(s + STRING_DATA, out, 0, length);
        return out;
    }

    private static long slot(long state, int index) {
        return index > 0
                ? PlatformDependent.getLong(state + STATE_BASE) + (long) (index - 1) * VALUE_SIZE
                : PlatformDependent.getLong(state + STATE_TOP) + (long) index * VALUE_SIZE;
    }

    /**
     * Whether this layout is the one of {@code lua}'s library: pushes a binary string and a number on the
     * main thread's stack and reads them back both ways.
     */
    static boolean verify(Lua lua, LuaStack strings) {
        if (!PlatformDependent.hasUnsafe()) {
            return false;
        }
        Lua51Natives c = (Lua51Natives) lua.getLuaNatives();
        long p = lua.getPointer();
        int base = c.lua_gettop(p);
        byte[] probe = {'p', 0, (byte) 0xff, '\r', 'e'};
        strings.push(lua, probe);
        c.lua_pushnumber(p, -2.5);
        try {
            int n = base + 2;
            return count(p) == n
                    && type(p, n - 1) == LuaToReply.STRING
                    && type(p, n) == LuaToReply.NUMBER
                    && type(p, -2) == LuaToReply.STRING
                    && Arrays.equals(string(p, n - 1), probe)
                    && Arrays.equals(string(p, -2), probe)
                    && Arrays.equals(strings.bytes(lua, n - 1), probe)
                    && number(p, n) == -2.5;
        } finally {
            c.lua_settop(p, base);
        }
    }
}
