package dev.respite.server;

import java.util.Arrays;

/** A key together with its database number, for registries that span databases (WATCH, blocking). */
public record DbKey(int db, byte[] key) {
    @Override
    public boolean equals(Object o) {
        return o instanceof DbKey k && k.db == db && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return db * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return db + ":" + new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
