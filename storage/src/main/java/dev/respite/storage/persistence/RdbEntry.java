package dev.respite.storage.persistence;

/**
 * One key read from an RDB file. The reader fills the same object for every key, so that a load leaves no
 * garbage between the keys and values it stores: a visitor that keeps a key past {@link RdbVisitor#entry}
 * keeps its fields, not this object.
 */
public final class RdbEntry {
    private int db;
    private byte[] key;
    private int type;
    private Object value;
    private long expireAt;
    private long idleSeconds;
    private int frequency;

    void set(int db, byte[] key, int type, Object value, long expireAt, long idleSeconds, int frequency) {
        this.db = db;
        this.key = key;
        this.type = type;
        this.value = value;
        this.expireAt = expireAt;
        this.idleSeconds = idleSeconds;
        this.frequency = frequency;
    }

    /** The database number from the last SELECTDB. */
    public int db() {
        return db;
    }

    public byte[] key() {
        return key;
    }

    /** The RDB type byte it was stored with (see {@link RdbFormat#typeName}). */
    public int type() {
        return type;
    }

    /** A {@code byte[]} or one of the value types of {@code dev.respite.storage.types}. */
    public Object value() {
        return value;
    }

    /** Absolute expiry in Unix milliseconds, or -1. */
    public long expireAt() {
        return expireAt;
    }

    /** The LRU idle time stored with it, or -1. */
    public long idleSeconds() {
        return idleSeconds;
    }

    /** The LFU counter stored with it, or -1. */
    public int frequency() {
        return frequency;
    }
}
