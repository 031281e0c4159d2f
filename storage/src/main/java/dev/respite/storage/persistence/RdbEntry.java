package dev.respite.storage.persistence;

/**
 * One key read from an RDB file.
 *
 * @param db           database number from the last SELECTDB
 * @param key          the key's bytes
 * @param type         the RDB type byte it was stored with (see {@link RdbFormat#typeName})
 * @param value        a {@code byte[]} or one of the value types of {@code dev.respite.storage.types}
 * @param expireAt     absolute expiry in Unix milliseconds, or -1
 * @param idleSeconds  the LRU idle time stored with it, or -1
 * @param frequency    the LFU counter stored with it, or -1
 */
public record RdbEntry(int db, byte[] key, int type, Object value, long expireAt, long idleSeconds, int frequency) {}
