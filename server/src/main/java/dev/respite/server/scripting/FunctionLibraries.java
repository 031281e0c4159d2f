package dev.respite.server.scripting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loaded function libraries and, across them, the functions by name (names are unique server-wide). */
public final class FunctionLibraries {
    /** Script flags as register_function's flags name them, in Redis's order; the bit is the position. */
    public static final List<String> FLAG_NAMES =
            List.of("no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys");

    public record Function(String name, Library library, int ref, String description, int flags) {
        public ScriptFlags scriptFlags() {
            return new ScriptFlags(
                    false,
                    (flags & 1) != 0,
                    (flags & 2) != 0,
                    (flags & 4) != 0,
                    (flags & 8) != 0,
                    (flags & 16) != 0,
                    0);
        }
    }

    /** A library: its name, its whole code (shebang included) and its functions in registration order. */
    public static final class Library {
        private final String name;
        private final byte[] code;
        private final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }

        public String name() {
            return name;
        }

        public byte[] code() {
            return code;
        }

        public Collection<Function> functions() {
            return functions.values();
        }
    }

    /** What a library's first line declares: {@code #!<engine> name=<name>}; {@code bodyOffset} is where code starts. */
    public record Metadata(String engine, String name, int bodyOffset) {}

    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();

    public Library library(String name) {
        return libraries.get(name);
    }

    public Function function(String name) {
        return functions.get(globalKey(name));
    }

    public Collection<Library> all() {
        return libraries.values();
    }

    public int libraryCount() {
        return libraries.size();
    }

    public int functionCount() {
        return functions.size();
    }

    /** Refs of every function, for releasing them from their Lua state. */
    public List<Integer> refs() {
        List<Integer> refs = new ArrayList<>();
        for (Function f : functions.values()) {
            refs.add(f.ref());
        }
        return refs;
    }

    public void clear() {
        libraries.clear();
        functions.clear();
    }

    /** A new library from registered functions (not yet linked). */
    public static Library create(String name, byte[] code, List<ScriptEngine.RegisteredFunction> registered) {
        Library lib = new Library(name, code);
        for (ScriptEngine.RegisteredFunction r : registered) {
            lib.functions.put(r.name(), new Function(r.name(), lib, r.ref(), r.description(), r.flags()));
        }
        return lib;
    }

    /** The first function of {@code lib} whose name another library already uses, or null. */
    public String collision(Library lib) {
        for (String f : lib.functions.keySet()) {
            Function existing = functions.get(globalKey(f));
            if (existing != null && existing.library() != lib) {
                return f;
            }
        }
        return null;
    }

    public void link(Library lib) {
        libraries.put(lib.name, lib);
        for (Function f : lib.functions.values()) {
            functions.put(globalKey(f.name()), f);
        }
    }

    public void unlink(Library lib) {
        libraries.remove(lib.name);
        for (String f : lib.functions.keySet()) {
            functions.remove(globalKey(f));
        }
    }

    /**
     * FCALL finds a function whatever the case of its name, and two libraries may not register names that
     * differ only in case; within one library names are case-sensitive, as in Redis.
     */
    private static String globalKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Letters, digits and underscores, at least one. */
    public static boolean validName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Reads the shebang line of a library's code; throws with Redis's texts. */
    public static Metadata metadata(byte[] code) throws ScriptEngine.CompileError {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new ScriptEngine.CompileError("Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        if (end == code.length) {
            throw new ScriptEngine.CompileError("Invalid library metadata");
        }
        List<String> parts = ScriptFlags.shebangWords(code, end);
        if (parts.isEmpty()) {
            throw new ScriptEngine.CompileError("Invalid library metadata");
        }
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new ScriptEngine.CompileError(
                            "Invalid metadata value, name argument was given multiple times");
                }
                name = parts.get(i).substring(5);
                continue;
            }
            throw new ScriptEngine.CompileError("Invalid metadata value given: " + parts.get(i));
        }
        if (name == null) {
            throw new ScriptEngine.CompileError("Library name was not given");
        }
        return new Metadata(parts.get(0).substring(2), name, end);
    }
}
