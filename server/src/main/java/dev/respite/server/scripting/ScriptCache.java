package dev.respite.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Scripts loaded by EVAL and SCRIPT LOAD, by SHA1: body, flags and the compiled function. */
public final class ScriptCache {
    /** One cached script; {@code ref} is its compiled function in the Lua registry. */
    public record Script(String sha, byte[] body, ScriptFlags flags, int ref) {}

    private final Map<String, Script> scripts = new HashMap<>();
    private long bodyBytes;

    public Script get(String sha) {
        return scripts.get(sha);
    }

    /** The script a client names by its SHA1, in either case (EVALSHA). */
    public Script get(byte[] sha) {
        return scripts.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    public void add(Script s) {
        scripts.put(s.sha(), s);
        bodyBytes += s.body().length + 40;
    }

    public void clear() {
        scripts.clear();
        bodyBytes = 0;
    }

    public int size() {
        return scripts.size();
    }

    /** used_memory_scripts_eval: the bodies and digests plus a per-entry overhead as Redis estimates it. */
    public long memoryBytes() {
        return bodyBytes + scripts.size() * 64L;
    }
}
