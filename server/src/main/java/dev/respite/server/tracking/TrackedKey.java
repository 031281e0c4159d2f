package dev.respite.server.tracking;

import java.util.Arrays;

/** A key name as a hash-table key (the tracking table spans databases, as Redis's does). */
record TrackedKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof TrackedKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
