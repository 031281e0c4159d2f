package dev.respite.storage;

/**
 * One key of a database: its bytes, its value (a {@code byte[]} for strings, a value type object
 * otherwise), its absolute expiry in Unix milliseconds or {@link #NO_EXPIRY}, and the access stamp the
 * eviction policies and OBJECT IDLETIME read. Chained in its table bucket.
 */
public final class Entry {
    public static final long NO_EXPIRY = -1;

    final byte[] key;
    final int hash;
    Object value;
    long expireAt = NO_EXPIRY;
    /** Seconds clock of the last access, or (under an LFU policy) the LFU counter and decay time. */
    int access;

    Entry next;

    Entry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
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
