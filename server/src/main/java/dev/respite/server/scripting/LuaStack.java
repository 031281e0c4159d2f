package dev.respite.server.scripting;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * Binary-safe strings across the JNI boundary. luajava passes Java strings as modified UTF-8, which
 * changes NUL and bytes above 127; those strings travel instead as the one constant of a tiny precompiled
 * Lua function ({@link #push}), and strings are read back through a view of Lua's own bytes.
 */
final class LuaStack {
    /** Lua 5.1 opcodes and the instruction layout: op 6 bits, A 8, C 9, B 9; Bx is C and B together. */
    private static final int OP_LOADK = 1;

    private static final int OP_RETURN = 30;
    private static final int TYPE_STRING = 4;

    /** The 12-byte header of this platform's compiled chunks (word sizes, endianness). */
    private final byte[] header;

    private final int sizeT;
    private final ByteOrder order;
    private ByteBuffer scratch = ByteBuffer.allocateDirect(256);
    /** Reply strings are copied here on their way to Lua (up to its size; longer ones get their own array). */
    private final byte[] copy = new byte[4096];
    /** Whether strings are read from Lua's memory ({@link LuaStackMemory}) rather than through JNI. */
    private boolean direct;

    LuaStack(byte[] header) {
        this.header = header;
        this.sizeT = header[8];
        this.order = header[6] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Pushes {@code b} as a Lua string. */
    void push(Lua lua, byte[] b) {
        if (isPlainAscii(b, b.length)) {
            lua.push(new String(b, StandardCharsets.ISO_8859_1));
            return;
        }
        pushChunk(lua, b);
    }

    /**
     * Pushes the next {@code length} bytes of {@code in} as a Lua string, without a byte array of their own
     * when they are plain ASCII; the caller has made room on the stack.
     */
    void push(Lua lua, ByteBuf in, int length) {
        byte[] b = length <= copy.length ? copy : new byte[length];
        in.readBytes(b, 0, length);
        if (isPlainAscii(b, length)) {
            lua.getLuaNatives()
                    .luaJ_pushstring(lua.getPointer(), new String(b, 0, length, StandardCharsets.ISO_8859_1));
        } else {
            pushChunk(lua, b.length == length ? b : Arrays.copyOf(b, length));
        }
    }

    private void pushChunk(Lua lua, byte[] b) {
        ByteBuffer chunk = chunkReturning(b);
        try {
            lua.load(chunk, "=bytes");
        } catch (LuaException e) {
            throw new IllegalStateException("could not pass a string to Lua: " + e.getMessage(), e);
        }
        lua.getLuaNatives().lua_pcall(lua.getPointer(), 0, 1, 0);
    }

    /** Reads strings from Lua's memory from now on, when its layout is the one expected. */
    void useMemory(Lua lua) {
        direct = LuaStackMemory.verify(lua, this);
    }

    boolean direct() {
        return direct;
    }

    /** The string (or number, as Lua converts it) at {@code index}, or null for other types. */
    byte[] bytes(Lua lua, int index) {
        if (direct) {
            long p = lua.getPointer();
            if (LuaStackMemory.type(p, index) == LuaToReply.STRING) {
                return LuaStackMemory.string(p, index);
            }
        }
        ByteBuffer view = lua.toDirectBuffer(index);
        if (view == null) {
            return null;
        }
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }

    String string(Lua lua, int index) {
        byte[] b = bytes(lua, index);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static boolean isPlainAscii(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    /** A compiled main function: LOADK 0 K0; RETURN 0 2; RETURN 0 1, whose only constant is {@code b}. */
    private ByteBuffer chunkReturning(byte[] b) {
        int size = header.length + 64 + 2 * sizeT + b.length;
        if (scratch.capacity() < size) {
            scratch = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
        }
        ByteBuffer o = scratch.clear().order(order);
        o.put(header);
        putSize(o, 0); // source name: none
        o.putInt(0).putInt(0); // line defined, last line defined
        o.put((byte) 0).put((byte) 0).put((byte) 2).put((byte) 2); // upvalues, params, vararg, max stack
        o.putInt(3);
        o.putInt(OP_LOADK); // A=0, Bx=0
        o.putInt(OP_RETURN | (2 << 23)); // A=0, B=2: one result
        o.putInt(OP_RETURN | (1 << 23));
        o.putInt(1);
        o.put((byte) TYPE_STRING);
        putSize(o, b.length + 1L);
        o.put(b).put((byte) 0);
        o.putInt(0); // nested functions
        o.putInt(0).putInt(0).putInt(0); // line info, locals, upvalue names
        return o.flip();
    }

    private void putSize(ByteBuffer o, long v) {
        if (sizeT == 8) {
            o.putLong(v);
        } else {
            o.putInt((int) v);
        }
    }
}
