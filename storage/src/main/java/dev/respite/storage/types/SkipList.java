package dev.respite.storage.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Redis's zskiplist: nodes ordered by (score, member bytes unsigned), each forward link carrying the
 * number of nodes it skips so ranks are found in O(log n). Ranks here are 1-based as in Redis.
 * Nodes are also the entries of the sorted set's member table.
 */
final class SkipList {
    static final int MAX_LEVEL = 32;

    static final class Node extends ByteKeyTable.Entry {
        double score;
        Node backward;
        /** forward[0] again, in the node itself: a range scan then touches one object per step, not two. */
        Node next;

        final Node[] forward;
        final int[] span;

        Node(byte[] member, double score, int level) {
            super(member);
            this.score = score;
            this.forward = new Node[level];
            this.span = new int[level];
        }
    }

    private final Node header = new Node(null, 0, MAX_LEVEL);
    private int length;
    private int level = 1;
    // Scratch for the search path; the structure is single-threaded, so one set per list avoids allocation.
    private final Node[] update = new Node[MAX_LEVEL];
    private final int[] rank = new int[MAX_LEVEL];

    int length() {
        return length;
    }

    Node first() {
        return header.next;
    }

    /** Level with probability 1/4 of each further level, as ZSKIPLIST_P. */
    static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (random.nextInt() & 0xFFFF) < 0xFFFF / 4) {
            lvl++;
        }
        return lvl;
    }

    private static boolean precedes(Node node, double score, byte[] member) {
        return node.score < score || (node.score == score && Arrays.compareUnsigned(node.key, member) < 0);
    }

    Node insert(byte[] member, double score) {
        Node node = new Node(member, score, randomLevel());
        insertNode(node);
        return node;
    }

    /** Links a node that is not in the list, at the position its score and member give. */
    private void insertNode(Node node) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && precedes(x.forward[i], node.score, node.key)) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = node.forward.length;
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span[i] = length;
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            node.forward[i] = update[i].forward[i];
            update[i].forward[i] = node;
            node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = rank[0] - rank[i] + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        node.next = node.forward[0];
        update[0].next = node;
        node.backward = update[0] == header ? null : update[0];
        if (node.next != null) {
            node.next.backward = node;
        }
        length++;
        Arrays.fill(update, 0, level, null);
    }

    /** Fills {@link #update} with the last node before the node's position at each level. */
    private void findPath(double score, byte[] member) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && precedes(x.forward[i], score, member)) {
                x = x.forward[i];
            }
            update[i] = x;
        }
    }

    private void unlink(Node x) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        update[0].next = x.next;
        if (x.next != null) {
            x.next.backward = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /** Unlinks the node, which must be in the list. */
    void delete(Node node) {
        findPath(node.score, node.key);
        unlink(node);
        Arrays.fill(update, null);
    }

    /** Moves a listed node to a new score, in place when its neighbours still bracket it (zslUpdateScore). */
    void updateScore(Node node, double newScore) {
        boolean staysPut = (node.backward == null || node.backward.score < newScore)
                && (node.next == null || node.next.score > newScore);
        if (staysPut) {
            node.score = newScore;
            return;
        }
        delete(node);
        node.score = newScore;
        insertNode(node);
    }

    /** 1-based rank of the node, which must be in the list. */
    int rankOf(Node node) {
        int r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (x.forward[i] == node || precedes(x.forward[i], node.score, node.key))) {
                r += x.span[i];
                x = x.forward[i];
            }
            if (x == node) {
                return r;
            }
        }
        return r;
    }

    /** Node at the 1-based rank, or null when out of range. */
    Node byRank(int target) {
        if (target < 1 || target > length) {
            return null;
        }
        int traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= target) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == target) {
                return x;
            }
        }
        return null;
    }

    /** The first node whose score is at least {@code min}, or null. */
    Node firstScoreAtLeast(double min) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && x.forward[i].score < min) {
                x = x.forward[i];
            }
        }
        return x.next;
    }

    /** Number of nodes whose score is below {@code bound}, or at most {@code bound} when inclusive. */
    int countScoreBelow(double bound, boolean inclusive) {
        int r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && (inclusive ? x.forward[i].score <= bound : x.forward[i].score < bound)) {
                r += x.span[i];
                x = x.forward[i];
            }
        }
        return r;
    }

    /** Number of nodes whose member sorts before {@code bound}, or not after it when inclusive. */
    int countMemberBelow(byte[] bound, boolean inclusive) {
        int r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null) {
                int c = Arrays.compareUnsigned(x.forward[i].key, bound);
                if (c > 0 || (c == 0 && !inclusive)) {
                    break;
                }
                r += x.span[i];
                x = x.forward[i];
            }
        }
        return r;
    }

    /** Removes the nodes at 1-based ranks {@code [from, to]}, handing each to {@code removed} once unlinked. */
    void deleteRankRange(int from, int to, Consumer<Node> removed) {
        int traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] < from) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        traversed++;
        x = x.next;
        while (x != null && traversed <= to) {
            Node next = x.next;
            unlink(x);
            removed.accept(x);
            traversed++;
            x = next;
        }
        Arrays.fill(update, null);
    }
}
