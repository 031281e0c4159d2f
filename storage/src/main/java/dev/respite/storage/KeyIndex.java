package dev.respite.storage;

/**
 * An index a database keeps up to date as keys enter and leave its table, whatever the path (commands,
 * expiry, eviction, loading, FLUSHDB). Cluster mode keeps one per hash slot; without one a database pays a
 * single null test per insertion or removal.
 */
public interface KeyIndex {
    void added(byte[] key);

    void removed(byte[] key);

    /** The database was emptied. */
    void cleared();
}
