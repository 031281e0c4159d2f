package dev.respite.server.commands;

import dev.respite.protocol.RespWriter;
import dev.respite.storage.types.Doubles;
import dev.respite.storage.types.SortedSetValue;
import java.util.Arrays;

/**
 * (member, score) pairs collected from a sorted set so the reply's length is known before it is
 * written, and the writing of them in Redis's shapes: RESP2 flattens scores into bulk strings after
 * their members, RESP3 nests each [member, double] pair.
 */
final class ScoredEntries implements SortedSetValue.EntryConsumer {
    private byte[][] members = new byte[8][];
    private double[] scores = new double[8];
    private int size;

    @Override
    public void accept(byte[] member, double score) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
            scores = Arrays.copyOf(scores, size * 2);
        }
        members[size] = member;
        scores[size] = score;
        size++;
    }

    int size() {
        return size;
    }

    byte[] member(int i) {
        return members[i];
    }

    double score(int i) {
        return scores[i];
    }

    /** The whole reply of a range: members only, or members with scores. */
    void reply(RespWriter r, boolean withScores) {
        if (!withScores) {
            r.array(size);
            for (int i = 0; i < size; i++) {
                r.bulk(members[i]);
            }
            return;
        }
        boolean nested = r.protocol() == 3;
        r.array(nested ? size : size * 2L);
        writePairs(r, 0, size, nested);
    }

    /** Writes entries [from, to) as pairs, each nested in its own array or not. */
    void writePairs(RespWriter r, int from, int to, boolean nested) {
        for (int i = from; i < to; i++) {
            if (nested) {
                r.array(2);
            }
            r.bulk(members[i]);
            r.doubleValue(Doubles.format(scores[i]));
        }
    }
}
