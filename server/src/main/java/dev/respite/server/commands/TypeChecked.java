package dev.respite.server.commands;

import dev.respite.server.command.CommandError;
import dev.respite.storage.Database;
import dev.respite.storage.Entry;

/**
 * Redis's type-checked lookup, shared by every data family: the value at a key when it has the expected
 * class, null when the key is absent (or expired), and {@code WRONGTYPE} when it holds another type. A
 * lookup counts as an access, as {@link Database#lookup} does.
 */
public final class TypeChecked {
    private TypeChecked() {}

    /** The value at {@code key} if it is a {@code type} ({@code byte[].class} for strings), else null or WRONGTYPE. */
    public static <T> T get(Database db, byte[] key, Class<T> type) {
        Object v = db.get(key);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        throw CommandError.wrongType();
    }

    /** The live entry at {@code key} if its value is a {@code type}, null if absent; WRONGTYPE otherwise. */
    public static Entry entry(Database db, byte[] key, Class<?> type) {
        Entry e = db.lookup(key);
        if (e != null && !type.isInstance(e.value())) {
            throw CommandError.wrongType();
        }
        return e;
    }
}
