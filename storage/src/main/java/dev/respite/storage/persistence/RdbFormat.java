package dev.respite.storage.persistence;

/** Numbers of the RDB format: versions, opcodes, value types and string encodings, as Redis 7 defines them. */
public final class RdbFormat {
    /** Written by Respite: Redis 7.0 refuses files and DUMP payloads newer than its own version 10. */
    public static final int WRITE_VERSION = 10;
    /** Read by Respite: Redis 7.2's version. */
    public static final int MAX_READ_VERSION = 11;

    public static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
    public static final int OPCODE_FUNCTION2 = 0xF5;
    public static final int OPCODE_MODULE_AUX = 0xF7;
    public static final int OPCODE_IDLE = 0xF8;
    public static final int OPCODE_FREQ = 0xF9;
    public static final int OPCODE_AUX = 0xFA;
    public static final int OPCODE_RESIZEDB = 0xFB;
    public static final int OPCODE_EXPIRETIME_MS = 0xFC;
    public static final int OPCODE_EXPIRETIME = 0xFD;
    public static final int OPCODE_SELECTDB = 0xFE;
    public static final int OPCODE_EOF = 0xFF;

    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    /** Quicklist 2 node containers. */
    public static final int QUICKLIST_NODE_PLAIN = 1;

    public static final int QUICKLIST_NODE_PACKED = 2;

    /** Length prefixes with the top two bits 11 announce a special string encoding instead of a length. */
    public static final int ENC_INT8 = 0;

    public static final int ENC_INT16 = 1;
    public static final int ENC_INT32 = 2;
    public static final int ENC_LZF = 3;

    private RdbFormat() {}

    /** A readable name for a value type byte, for error messages and --check-rdb. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_STRING -> "string";
            case TYPE_LIST -> "list";
            case TYPE_SET -> "set";
            case TYPE_ZSET -> "zset";
            case TYPE_HASH -> "hash";
            case TYPE_ZSET_2 -> "zset-2";
            case 6 -> "module-pre-ga";
            case 7 -> "module-2";
            case TYPE_HASH_ZIPMAP -> "hash-zipmap";
            case TYPE_LIST_ZIPLIST -> "list-ziplist";
            case TYPE_SET_INTSET -> "set-intset";
            case TYPE_ZSET_ZIPLIST -> "zset-ziplist";
            case TYPE_HASH_ZIPLIST -> "hash-ziplist";
            case TYPE_LIST_QUICKLIST -> "list-quicklist";
            case TYPE_STREAM_LISTPACKS -> "stream-listpacks";
            case TYPE_HASH_LISTPACK -> "hash-listpack";
            case TYPE_ZSET_LISTPACK -> "zset-listpack";
            case TYPE_LIST_QUICKLIST_2 -> "list-quicklist-2";
            case TYPE_STREAM_LISTPACKS_2 -> "stream-listpacks-2";
            case TYPE_SET_LISTPACK -> "set-listpack";
            case TYPE_STREAM_LISTPACKS_3 -> "stream-listpacks-3";
            case 22 -> "hash-metadata-pre-ga";
            case 23 -> "hash-listpack-ex-pre-ga";
            case 24 -> "hash-metadata (hash with field TTLs)";
            case 25 -> "hash-listpack-ex (hash with field TTLs)";
            default -> "unknown";
        };
    }
}
