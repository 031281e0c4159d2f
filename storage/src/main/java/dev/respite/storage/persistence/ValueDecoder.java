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
 */
final class ValueDecoder {
    private final RdbInput in;
    private final EncodingLimits limits;

    ValueDecoder(RdbInput in, EncodingLimits limits) {
        this.in = in;
        this.limits = limits;
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
                    set.add(in.readString());
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
                    addScored(zset, member, score, at);
                }
                return zset.isEmpty() ? null : zset;
            }
            case TYPE_HASH: {
                HashValue hash = new HashValue(limits);
                for (int n = in.readCount(); n > 0; n--) {
                    byte[] field = in.readString();
                    hash.put(field, in.readString());
                }
                return hash.isEmpty() ? null : hash;
            }
            case TYPE_HASH_ZIPMAP:
                return hash(blob(ZipmapReader::fieldsAndValues));
            case TYPE_HASH_ZIPLIST:
                return hash(blob(ZiplistReader::entries));
            case TYPE_HASH_LISTPACK:
                return hash(blob(ListpackReader::entries));
            case TYPE_LIST_ZIPLIST: {
                ListValue list = new ListValue(limits);
                pushAll(list, blob(ZiplistReader::entries));
                return list.isEmpty() ? null : list;
            }
            case TYPE_LIST_QUICKLIST:
            case TYPE_LIST_QUICKLIST_2:
                return quicklist(type == TYPE_LIST_QUICKLIST_2);
            case TYPE_SET_INTSET:
                return set(blob(IntsetReader::members));
            case TYPE_SET_LISTPACK:
                return set(blob(ListpackReader::entries));
            case TYPE_ZSET_ZIPLIST:
                return scoredPairs(blob(ZiplistReader::entries));
            case TYPE_ZSET_LISTPACK:
                return scoredPairs(blob(ListpackReader::entries));
            case TYPE_STREAM_LISTPACKS:
            case TYPE_STREAM_LISTPACKS_2:
            case TYPE_STREAM_LISTPACKS_3:
                // An empty stream is a value of its own (it keeps its last ID and groups), never skipped.
                return StreamCodec.read(in, type, limits);
            default:
                throw new IllegalStateException("type " + type + " is not supported");
        }
    }

    private interface BlobDecoder {
        List<byte[]> decode(byte[] blob);
    }

    /** Reads a string holding a compact encoding and decodes it, blaming the string's offset if it is damaged. */
    private List<byte[]> blob(BlobDecoder decoder) throws IOException {
        long at = in.offset();
        byte[] b = in.readString();
        try {
            return decoder.decode(b);
        } catch (IllegalArgumentException e) {
            throw new RdbFormatException("Corrupt compact encoding: " + e.getMessage(), at);
        }
    }

    private Object quicklist(boolean version2) throws IOException {
        ListValue list = new ListValue(limits);
        for (int n = in.readCount(); n > 0; n--) {
            if (!version2) {
                pushAll(list, blob(ZiplistReader::entries));
                continue;
            }
            long at = in.offset();
            long container = in.readLength();
            if (container == QUICKLIST_NODE_PLAIN) {
                list.pushTail(in.readString());
            } else if (container == QUICKLIST_NODE_PACKED) {
                pushAll(list, blob(ListpackReader::entries));
            } else {
                throw new RdbFormatException("Unknown quicklist node container " + container, at);
            }
        }
        return list.isEmpty() ? null : list;
    }

    private static void pushAll(ListValue list, List<byte[]> elements) {
        for (byte[] e : elements) {
            list.pushTail(e);
        }
    }

    private Object hash(List<byte[]> pairs) throws IOException {
        if (pairs.size() % 2 != 0) {
            throw in.error("Hash encoding holds an odd number of entries");
        }
        HashValue hash = new HashValue(limits);
        for (int i = 0; i < pairs.size(); i += 2) {
            hash.put(pairs.get(i), pairs.get(i + 1));
        }
        return hash.isEmpty() ? null : hash;
    }

    private Object set(List<byte[]> members) {
        SetValue set = new SetValue(limits);
        for (byte[] m : members) {
            set.add(m);
        }
        return set.isEmpty() ? null : set;
    }

    private Object scoredPairs(List<byte[]> pairs) throws IOException {
        if (pairs.size() % 2 != 0) {
            throw in.error("Sorted set encoding holds an odd number of entries");
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
            addScored(zset, pairs.get(i), score, at);
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

    private static void addScored(SortedSetValue zset, byte[] member, double score, long at) throws RdbFormatException {
        if (Double.isNaN(score)) {
            throw new RdbFormatException("Sorted set score is NaN", at);
        }
        zset.add(member, score, 0);
    }
}
