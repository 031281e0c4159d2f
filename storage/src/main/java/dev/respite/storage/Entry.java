package dev.respite.storage;

/**
 * One key of a database: its bytes, its value (a {@code byte[]} for strings, a value type object
 * otherwise), its absolute expiry in Unix milliseconds or {@link #NO_EXPIRY}, and the access stamp the
 * eviction policies and OBJECT IDLETIME read. Chained in its table bucket. The key's hash is not kept (as in
 * Redis's dictEntry): it is recomputed when the table resizes, which keeps the object at 40 bytes.
 */
public final class Entry {
    public static final long NO_EXPIRY = -1;

    final byte[] key;
    Object value;
    long expireAt = NO_EXPIRY;
    /** Seconds clock of the last access, or (under an LFU policy) the LFU counter and decay time. */
    int access;
    /**
     * This key's last estimated size ({@code EntryFootprint}) in 8-byte units, so a change can adjust the
     * database total. An int (up to 16 GB) rather than a long keeps the object at 40 bytes.
     */
    int footprint;
    Entry next;

    Entry(byte[] key, Object value) {
        this.key = key;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public Object value() {
        return value;
    }

    public long expireAt() {
        return expireAt;
    }

    public boolean hasExpiry() {
        return expireAt != NO_EXPIRY;
    }

    public int access() {
        return access;
    }

    public void setAccess(int access) {
        this.access = access;
    }
}
