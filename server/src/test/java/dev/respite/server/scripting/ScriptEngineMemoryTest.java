package dev.respite.server.scripting;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScriptEngineMemoryTest {
    /**
     * The Lua library luajava ships has the layout the fast path reads (checked against JNI with a binary
     * string and a number); if an upgrade changed it, scripts would still work, only slower, so this says so.
     */
    @Test
    void argumentsAreReadFromLuaMemory() {
        ScriptEngine engine = new ScriptEngine("7.2.5", 0x070205);
        assertNull(engine.unavailableReason());
        assertTrue(engine.readsLuaMemory());
        engine.reset();
        assertTrue(engine.readsLuaMemory());
    }
}
