package dev.respite.storage.types;

/**
 * Thresholds past which a compact encoding is converted to its general one. One instance is owned by
 * the keyspace and changed by configuration (the directives share these names); values read them at
 * each write, so a change applies to the next write of every value.
 */
public final class EncodingLimits {
    public static final long DEFAULT_LIST_PACKED_THRESHOLD = 1L << 30;

    /** hash-max-listpack-entries */
    public int hashMaxListpackEntries = 128;
    /** hash-max-listpack-value */
    public int hashMaxListpackValue = 64;
    /** list-max-listpack-size: positive is a count of entries per node, -1..-5 is 4, 8, 16, 32, 64 KB. */
    public int listMaxListpackSize = -2;
    /**
     * Elements of at least this many bytes get a quicklist node of their own, Redis's plain nodes (DEBUG
     * QUICKLIST-PACKED-THRESHOLD; 1 GB unless a test lowers it).
     */
    public long listPackedThreshold = DEFAULT_LIST_PACKED_THRESHOLD;
    /** set-max-intset-entries */
    public int setMaxIntsetEntries = 512;
    /** set-max-listpack-entries */
    public int setMaxListpackEntries = 128;
    /** set-max-listpack-value */
    public int setMaxListpackValue = 64;
    /** zset-max-listpack-entries */
    public int zsetMaxListpackEntries = 128;
    /** zset-max-listpack-value */
    public int zsetMaxListpackValue = 64;
    /** stream-node-max-bytes: payload bytes past which a stream starts a new node (0: no limit). */
    public long streamNodeMaxBytes = 4096;
    /** stream-node-max-entries: entries (live and deleted) per stream node (0: no limit). */
    public int streamNodeMaxEntries = 100;
    /** hll-sparse-max-bytes: a sparse HyperLogLog growing past this becomes dense. */
    public long hllSparseMaxBytes = 3000;
}
