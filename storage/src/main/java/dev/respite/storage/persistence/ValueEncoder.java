package dev.respite.storage.persistence;

import static dev.respite.storage.persistence.RdbFormat.*;

import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.StreamValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Writes values in the plain RDB encodings (string, list, set, zset-2, hash), and streams as
 * stream-listpacks-2. Every Redis from 2.8 to 7.x
 * loads them and re-encodes compactly by its own limits, so the file does not depend on Respite's encodings.
 */
final class ValueEncoder {
    private final RdbOutput out;

    ValueEncoder(RdbOutput out) {
        this.out = out;
    }

    static int typeOf(Object value) {
        if (value instanceof byte[]) {
            return TYPE_STRING;
        } else if (value instanceof ListValue) {
            return TYPE_LIST;
        } else if (value instanceof SetValue) {
            return TYPE_SET;
        } else if (value instanceof SortedSetValue) {
            return TYPE_ZSET_2;
        } else if (value instanceof HashValue) {
            return TYPE_HASH;
        } else if (value instanceof StreamValue) {
            return TYPE_STREAM_LISTPACKS_2;
        }
        throw new IllegalArgumentException(
                "No RDB encoding for " + value.getClass().getName());
    }

    void write(Object value) throws IOException {
        try {
            if (value instanceof byte[] s) {
                out.writeString(s);
            } else if (value instanceof ListValue list) {
                out.writeLength(list.size());
                for (Iterator<byte[]> it = list.iterator(); it.hasNext(); ) {
                    out.writeString(it.next());
                }
            } else if (value instanceof SetValue set) {
                out.writeLength(set.size());
                for (byte[] m : set) {
                    out.writeString(m);
                }
            } else if (value instanceof SortedSetValue zset) {
                out.writeLength(zset.size());
                zset.forEach((member, score) -> {
                    try {
                        out.writeString(member);
                        out.writeBinaryDouble(score);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } else if (value instanceof HashValue hash) {
                out.writeLength(hash.size());
                hash.forEach((f, fo, fl, v, vo, vl) -> {
                    try {
                        out.writeString(f, fo, fl);
                        out.writeString(v, vo, vl);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } else if (value instanceof StreamValue stream) {
                StreamCodec.write(out, stream);
            } else {
                throw new IllegalArgumentException(
                        "No RDB encoding for " + value.getClass().getName());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
