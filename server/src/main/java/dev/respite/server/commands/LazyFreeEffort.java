package dev.respite.server.commands;

import dev.respite.storage.types.HashValue;
import dev.respite.storage.types.ListValue;
import dev.respite.storage.types.SetValue;
import dev.respite.storage.types.SortedSetValue;
import dev.respite.storage.types.StreamGroup;
import dev.respite.storage.types.StreamValue;

/**
 * Redis's estimate of how many allocations freeing a value takes: above {@link #THRESHOLD}, UNLINK (and DEL
 * under lazyfree-lazy-user-del) hands the value to its background thread and counts it in INFO's
 * lazyfreed_objects. Respite leaves freeing to the garbage collector but keeps the same count.
 */
final class LazyFreeEffort {
    static final long THRESHOLD = 64;

    private LazyFreeEffort() {}

    /** Whether Redis would free {@code value} on its background thread. */
    static boolean freedLazily(Object value) {
        return of(value) > THRESHOLD;
    }

    /** Elements of the linked forms (quicklist nodes, hash table entries, skiplist nodes); 1 for a packed form. */
    static long of(Object value) {
        if (value instanceof ListValue list && list.encoding().equals("quicklist")) {
            return list.nodeCount();
        }
        if (value instanceof SetValue set && set.encoding().equals("hashtable")) {
            return set.size();
        }
        if (value instanceof SortedSetValue zset && zset.encoding().equals("skiplist")) {
            return zset.size();
        }
        if (value instanceof HashValue hash && hash.encoding().equals("hashtable")) {
            return hash.size();
        }
        if (value instanceof StreamValue stream) {
            return ofStream(stream);
        }
        return 1;
    }

    /** Each listpack node, then each group counted with the first group's pending entries, as Redis estimates. */
    private static long ofStream(StreamValue stream) {
        long effort = stream.nodeCount();
        if (!stream.groups().isEmpty()) {
            StreamGroup first = stream.groups().firstEntry().getValue();
            effort += (long) stream.groups().size() * (1 + first.pending().size());
        }
        return effort;
    }
}
