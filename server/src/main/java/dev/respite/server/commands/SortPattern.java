package dev.respite.server.commands;

import dev.respite.storage.Database;
import dev.respite.storage.Entry;
import dev.respite.storage.types.HashValue;
import java.util.Arrays;

/**
 * A SORT BY or GET pattern: {@code #} names the element itself; otherwise the first {@code *} is replaced by
 * the element to name a string key, or, with {@code ->field} after the {@code *}, a field of a hash key. A
 * pattern without {@code *} names nothing. Lookups of missing or wrong-typed keys yield null, never an error.
 */
final class SortPattern {
    private final boolean self;
    private final byte[] prefix;
    private final byte[] suffix;
    private final byte[] field;

    SortPattern(byte[] pattern) {
        self = pattern.length == 1 && pattern[0] == '#';
        int star = indexOf(pattern, (byte) '*', 0);
        if (self || star < 0) {
            prefix = suffix = field = null;
            return;
        }
        int arrow = indexOfArrow(pattern, star + 1);
        // Redis takes "->" as a field reference only when a field name follows it.
        boolean hasField = arrow >= 0 && arrow + 2 < pattern.length;
        prefix = Arrays.copyOfRange(pattern, 0, star);
        suffix = Arrays.copyOfRange(pattern, star + 1, hasField ? arrow : pattern.length);
        field = hasField ? Arrays.copyOfRange(pattern, arrow + 2, pattern.length) : null;
    }

    /** Whether the pattern contains {@code *}: BY without one means "do not sort". */
    static boolean substitutes(byte[] pattern) {
        return indexOf(pattern, (byte) '*', 0) >= 0;
    }

    /** The value this pattern names for one element, or null. */
    byte[] lookup(Database db, byte[] element) {
        if (self) {
            return element;
        }
        if (prefix == null) {
            return null;
        }
        byte[] key = new byte[prefix.length + element.length + suffix.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(element, 0, key, prefix.length, element.length);
        System.arraycopy(suffix, 0, key, prefix.length + element.length, suffix.length);
        Entry e = db.lookup(key);
        if (e == null) {
            return null;
        }
        if (field == null) {
            return e.value() instanceof byte[] s ? s : null;
        }
        return e.value() instanceof HashValue h ? h.get(field) : null;
    }

    private static int indexOf(byte[] s, byte b, int from) {
        for (int i = from; i < s.length; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfArrow(byte[] s, int from) {
        for (int i = from; i + 1 < s.length; i++) {
            if (s[i] == '-' && s[i + 1] == '>') {
                return i;
            }
        }
        return -1;
    }
}
