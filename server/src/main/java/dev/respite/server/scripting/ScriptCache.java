package dev.respite.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Scripts loaded by EVAL and SCRIPT LOAD, by SHA1: body, flags and the compiled function. */
public final class ScriptCache {
    /** One cached script; {@code ref} is its compiled function in the Lua registry. */
    public record Script(String sha, byte[] body, ScriptFlags flags, int ref) {}

    private final Map<String, Script> scripts = new HashMap<>();
    private long bodyBytes;
    /** The script EVALSHA found last, and the digest bytes it was asked by. */
    private Script last;

    private byte[] lastSha;

    public Script get(String sha) {
        return scripts.get(sha);
    }

    /** The script a client names by its SHA1, in either case (EVALSHA). */
    public Script get(byte[] sha) {
        // Clients repeat one EVALSHA: the digest they sent last is compared before building a String key.
        if (last != null && Arrays.equals(sha, lastSha)) {
            return last;
        }
        Script s = scripts.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        if (s != null) {
            last = s;
            lastSha = sha;
        }
        return s;
    }

    public void add(Script s) {
        scripts.put(s.sha(), s);
        bodyBytes += s.body().length + 40;
    }

    public void clear() {
        scripts.clear();
        bodyBytes = 0;
        last = null;
        lastSha = null;
    }

    public int size() {
        return scripts.size();
    }

    /** used_memory_scripts_eval: the bodies and digests plus a per-entry overhead as Redis estimates it. */
    public long memoryBytes() {
        return bodyBytes + scripts.size() * 64L;
    }
}
