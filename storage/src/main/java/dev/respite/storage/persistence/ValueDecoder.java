package dev.respite.storage.persistence;

import static dev.respite.storage.persistence.RdbFormat.*;

import dev.respite.storage.types.EncodingLimits;
import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads one value of a given RDB type into Respite's value objects, whatever encoding Redis 2.6 to 7.2 chose
 * for it. The values re-encode themselves under Respite's own limits as they are filled.
 *
 * <p>Every encoding is walked in full and bounds-checked, so a damaged one is refused whatever the setting.
 * The deep check that sanitize-dump-payload asks for adds what Redis's deep check adds: listpack entry counts
 * and back-lengths, intset order, repeated members or fields in listpack-encoded sets, hashes and sorted sets,
 * and the per-entry element counts of stream nodes. Without it such repeats collapse into one member, and the
 * value is still consistent. Errors name the check that failed as Redis's log does.
 */
final class ValueDecoder {
    private final RdbInput in;
    private final EncodingLimits limits;
    private boolean deep;

    ValueDecoder(RdbInput in, EncodingLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Whether the values read from now on get the deep check. */
    void deepCheck(boolean deep) {
        this.deep = deep;
    }

    static boolean isSupported(int type) {
        return switch (type) {
            case TYPE_STRING,
                    TYPE_LIST,
                    TYPE_SET,
                    TYPE_ZSET,
                    TYPE_HASH,
                    TYPE_ZSET_2,
                    TYPE_HASH_ZIPMAP,
                    TYPE_LIST_ZIPLIST,
                    TYPE_SET_INTSET,
                    TYPE_ZSET_ZIPLIST,
                    TYPE_HASH_ZIPLIST,
                    TYPE_LIST_QUICKLIST,
                    TYPE_HASH_LISTPACK,
                    TYPE_ZSET_LISTPACK,
                    TYPE_LIST_QUICKLIST_2,
                    TYPE_SET_LISTPACK,
                    TYPE_STREAM_LISTPACKS,
                    TYPE_STREAM_LISTPACKS_2,
                    TYPE_STREAM_LISTPACKS_3 -> true;
            default -> false;
        };
    }

    /**
     * The value, or null when it is an empty collection (Redis skips those when loading and RESTORE refuses
     * them). The caller has checked {@link #isSupported}.
     */
    Object read(int type) throws IOException {
        switch (type) {
            case TYPE_STRING:
                return in.readString();
            case TYPE_LIST: {
                ListValue list = new ListValue(limits);
                for (int n = in.readCount(); n > 0; n--) {
                    list.pushTail(in.readString());
                }
                return list.isEmpty() ? null : list;
            }
            case TYPE_SET: {
                SetValue set = new SetValue(limits);
                for (int n = in.readCount(); n > 0; n--) {
                    if (!set.add(in.readString())) {
                        throw in.error("Duplicate set members detected");
                    }
                }
                return set.isEmpty() ? null : set;
            }
            case TYPE_ZSET:
            case TYPE_ZSET_2: {
                SortedSetValue zset = new SortedSetValue(limits);
                for (int n = in.readCount(); n > 0; n--) {
                    byte[] member = in.readString();
                    long at = in.offset();
                    double score = type == TYPE_ZSET ? in.readTextDouble() : in.readBinaryDouble();
                    if (addScored(zset, member, score, at) != SortedSetValue.AddResult.ADDED) {
                        throw new RdbFormatException("Duplicate zset fields detected", at);
                    }
                }
                return zset.isEmpty() ? null : zset;
            }
            case TYPE_HASH: {
                HashValue hash = new HashValue(limits);
                int count = in.readCount();
                // Redis finds a repeated field of a small hash only in a deep check, of a large one always.
                boolean unique = deep || count > limits.hashMaxListpackEntries;
                for (int n = count; n > 0; n--) {
                    byte[] field = in.readString();
                    if (!hash.put(field, in.readString()) && unique) {
                        throw in.error("Duplicate hash fields detected");
                    }
                }
                return hash.isEmpty() ? null : hash;
            }
            case TYPE_HASH_ZIPMAP:
                return hash(blob("Zipmap", ZipmapReader::fieldsAndValues), true, "Hash zipmap with dup elements");
            case TYPE_HASH_ZIPLIST:
                return hash(blob("Hash ziplist", ZiplistReader::entries), true, "Hash ziplist integrity check failed");
            case TYPE_HASH_LISTPACK:
                return hash(blob("Hash listpack", this::listpack), deep, "Hash listpack integrity check failed");
            case TYPE_LIST_ZIPLIST: {
                ListValue list = new ListValue(limits);
                pushAll(list, blob("List ziplist", ZiplistReader::entries));
                return list.isEmpty() ? null : list;
            }
            case TYPE_LIST_QUICKLIST:
            case TYPE_LIST_QUICKLIST_2:
                return quicklist(type == TYPE_LIST_QUICKLIST_2);
            case TYPE_SET_INTSET:
                return set(blob("Intset", b -> IntsetReader.members(b, deep)), false);
            case TYPE_SET_LISTPACK:
                return set(blob("Set listpack", this::listpack), deep);
            case TYPE_ZSET_ZIPLIST:
                return scoredPairs(blob("Zset ziplist", ZiplistReader::entries), true, "Zset ziplist");
            case TYPE_ZSET_LISTPACK:
                return scoredPairs(blob("Zset listpack", this::listpack), deep, "Zset listpack");
            case TYPE_STREAM_LISTPACKS:
            case TYPE_STREAM_LISTPACKS_2:
            case TYPE_STREAM_LISTPACKS_3:
                // An empty stream is a value of its own (it keeps its last ID and groups), never skipped.
                return StreamCodec.read(in, type, limits, deep);
            default:
                throw new IllegalStateException("type " + type + " is not supported");
        }
    }

    private interface BlobDecoder {
        List<byte[]> decode(byte[] blob);
    }

    private List<byte[]> listpack(byte[] b) {
        return ListpackReader.entries(b, deep);
    }

    /**
     * Reads a string holding a compact encoding and decodes it; a damaged one fails "{@code what} integrity
     * check", blaming the string's offset.
     */
    private List<byte[]> blob(String what, BlobDecoder decoder) throws IOException {
        long at = in.offset();
        byte[] b = in.readString();
        if (b.length == 0) {
            throw new RdbFormatException(what + " integrity check failed: the encoding is empty", at);
        }
        try {
            return decoder.decode(b);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new RdbFormatException(what + " integrity check failed: " + e.getMessage(), at);
        }
    }

    private Object quicklist(boolean version2) throws IOException {
        ListValue list = new ListValue(limits);
        for (int n = in.readCount(); n > 0; n--) {
            if (!version2) {
                pushAll(list, blob("Ziplist", ZiplistReader::entries));
                continue;
            }
            long at = in.offset();
            long container = in.readLength();
            if (container == QUICKLIST_NODE_PLAIN) {
                byte[] element = in.readString();
                if (element.length == 0) {
                    throw new RdbFormatException("Quicklist integrity check failed: empty plain node", at);
                }
                list.pushTail(element);
            } else if (container == QUICKLIST_NODE_PACKED) {
                pushAll(list, blob("Listpack", this::listpack));
            } else {
                throw new RdbFormatException("Quicklist integrity check failed: node container " + container, at);
            }
        }
        return list.isEmpty() ? null : list;
    }

    private static void pushAll(ListValue list, List<byte[]> elements) {
        for (byte[] e : elements) {
            list.pushTail(e);
        }
    }

    /** A hash from fields and values alternating; {@code unique} refuses a repeated field. */
    private Object hash(List<byte[]> pairs, boolean unique, String repeated) throws IOException {
        if (pairs.size() % 2 != 0) {
            throw in.error(repeated + ": an odd number of entries");
        }
        HashValue hash = new HashValue(limits);
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!hash.put(pairs.get(i), pairs.get(i + 1)) && unique) {
                throw in.error(repeated + ": a repeated field");
            }
        }
        return hash.isEmpty() ? null : hash;
    }

    private Object set(List<byte[]> members, boolean unique) throws IOException {
        SetValue set = new SetValue(limits);
        for (byte[] m : members) {
            if (!set.add(m) && unique) {
                throw in.error("Set listpack integrity check failed: a repeated member");
            }
        }
        return set.isEmpty() ? null : set;
    }

    private Object scoredPairs(List<byte[]> pairs, boolean unique, String what) throws IOException {
        if (pairs.size() % 2 != 0) {
            throw in.error(what + " integrity check failed: an odd number of entries");
        }
        SortedSetValue zset = new SortedSetValue(limits);
        long at = in.offset();
        for (int i = 0; i < pairs.size(); i += 2) {
            byte[] text = pairs.get(i + 1);
            double score;
            try {
                score = parseScore(new String(text, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RdbFormatException("Bad score '" + new String(text, StandardCharsets.ISO_8859_1) + "'", at);
            }
            if (addScored(zset, pairs.get(i), score, at) != SortedSetValue.AddResult.ADDED && unique) {
                throw new RdbFormatException(what + " integrity check failed: a repeated member", at);
            }
        }
        return zset.isEmpty() ? null : zset;
    }

    private static double parseScore(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static SortedSetValue.AddResult addScored(SortedSetValue zset, byte[] member, double score, long at)
            throws RdbFormatException {
        if (Double.isNaN(score)) {
            throw new RdbFormatException("Zset with NAN score detected", at);
        }
        return zset.add(member, score, 0);
    }
}
