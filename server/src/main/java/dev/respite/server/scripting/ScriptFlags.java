package dev.respite.server.scripting;

import dev.respite.protocol.InlineSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags a script declares in its {@code #!lua flags=...} first line. A script without that line runs in
 * EVAL compatibility mode, where flags are not checked.
 */
public record ScriptFlags(
        boolean compat,
        boolean noWrites,
        boolean allowOom,
        boolean allowStale,
        boolean noCluster,
        boolean allowCrossSlot,
        int bodyOffset) {
    public static final ScriptFlags COMPAT = new ScriptFlags(true, false, false, false, false, false, 0);

    /** Reads the shebang of {@code body}; throws with Redis's text when it is malformed. */
    public static ScriptFlags parse(byte[] body) throws ScriptEngine.CompileError {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return COMPAT;
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        if (end == body.length) {
            throw new ScriptEngine.CompileError("Invalid script shebang");
        }
        List<String> parts = shebangWords(body, end);
        if (parts.isEmpty()) {
            throw new ScriptEngine.CompileError("Invalid engine in script shebang");
        }
        if (!parts.get(0).equals("#!lua")) {
            throw new ScriptEngine.CompileError("Unexpected engine in script shebang: " + parts.get(0));
        }
        boolean noWrites = false;
        boolean allowOom = false;
        boolean allowStale = false;
        boolean noCluster = false;
        boolean crossSlot = false;
        for (String part : parts.subList(1, parts.size())) {
            if (!part.startsWith("flags=")) {
                throw new ScriptEngine.CompileError("Unknown lua shebang option: " + part);
            }
            for (String flag : part.substring(6).split(",", -1)) {
                switch (flag) {
                    case "no-writes" -> noWrites = true;
                    case "allow-oom" -> allowOom = true;
                    case "allow-stale" -> allowStale = true;
                    case "no-cluster" -> noCluster = true;
                    case "allow-cross-slot-keys" -> crossSlot = true;
                    default -> {
                        if (!flag.isEmpty()) {
                            throw new ScriptEngine.CompileError("Unexpected flag in script shebang: " + flag);
                        }
                    }
                }
            }
        }
        return new ScriptFlags(false, noWrites, allowOom, allowStale, noCluster, crossSlot, end);
    }

    /** The words of a shebang line, split with Redis's argument quoting rules; empty when they do not parse. */
    static List<String> shebangWords(byte[] code, int end) {
        byte[][] words = InlineSplitter.split(code, end);
        List<String> out = new ArrayList<>();
        if (words != null) {
            for (byte[] w : words) {
                out.add(new String(w, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
