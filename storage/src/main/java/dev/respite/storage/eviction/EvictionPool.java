package dev.respite.storage.eviction;

import dev.respite.storage.Entry;

/**
 * The best eviction candidates seen so far, as Redis keeps them: a small array sorted by score (higher is
 * a better candidate), filled from a few sampled keys per database and kept between evictions, so each
 * eviction benefits from the samples of the ones before it. Holds key bytes and database numbers, never
 * entries: a candidate is looked up again before it is evicted.
 */
final class EvictionPool {
    static final int CAPACITY = 16;

    private final byte[][] keys = new byte[CAPACITY][];
    private final int[] dbs = new int[CAPACITY];
    private final long[] scores = new long[CAPACITY];
    private int size;

    /** Offers a sampled entry; keeps it if the pool has room or it beats the worst candidate. */
    void offer(int db, Entry e, long score) {
        byte[] key = e.key();
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return;
            }
        }
        int k = 0;
        while (k < size && scores[k] < score) {
            k++;
        }
        if (size == CAPACITY) {
            if (k == 0) {
                return;
            }
            // Full: the worst candidate (index 0) makes room on the left.
            k--;
            System.arraycopy(keys, 1, keys, 0, k);
            System.arraycopy(dbs, 1, dbs, 0, k);
            System.arraycopy(scores, 1, scores, 0, k);
        } else {
            System.arraycopy(keys, k, keys, k + 1, size - k);
            System.arraycopy(dbs, k, dbs, k + 1, size - k);
            System.arraycopy(scores, k, scores, k + 1, size - k);
            size++;
        }
        keys[k] = key;
        dbs[k] = db;
        scores[k] = score;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Database of the best candidate; call {@link #popKey} next. */
    int bestDb() {
        return dbs[size - 1];
    }

    /** Removes the best candidate and returns its key. */
    byte[] popKey() {
        byte[] key = keys[--size];
        keys[size] = null;
        return key;
    }

    void clear() {
        java.util.Arrays.fill(keys, 0, size, null);
        size = 0;
    }
}
