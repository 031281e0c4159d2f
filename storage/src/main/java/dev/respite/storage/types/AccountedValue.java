package dev.respite.storage.types;

/**
 * A value that changes in place (hash, list, set, sorted set, stream). It carries the size its database last
 * counted for it: a write changes the value first and reports the change after, when only the value itself
 * can say what it was counted at. Strings need no such field, their size is their array's.
 */
public abstract class AccountedValue {
    private long accounted;

    /** The estimated bytes its database counted for it at its last change. */
    public final long accounted() {
        return accounted;
    }

    public final void accounted(long bytes) {
        accounted = bytes;
    }
}
