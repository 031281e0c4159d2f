package dev.respite.server.cluster;

import dev.respite.storage.KeyIndex;
import java.util.Arrays;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Database 0's keys by hash slot, kept only in cluster mode: a count per slot and, per slot, a list of its
 * keys, newest first as Redis lists them (CLUSTER GETKEYSINSLOT, and the walk a slot migration needs). One
 * node per key, found through a hash map keyed by the key's bytes.
 */
public final class SlotKeyIndex implements KeyIndex {
    private static final class Node {
        final byte[] key;
        final int hash;
        final int slot;
        Node prev;
        Node next;

        Node(byte[] key, int slot) {
            this.key = key;
            this.hash = Arrays.hashCode(key);
            this.slot = slot;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && hash == n.hash && Arrays.equals(key, n.key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final HashMap<Node, Node> nodes = new HashMap<>();
    private final Node[] heads = new Node[KeySlot.SLOTS];
    private final int[] counts = new int[KeySlot.SLOTS];

    @Override
    public void added(byte[] key) {
        Node n = new Node(key, KeySlot.of(key));
        if (nodes.putIfAbsent(n, n) != null) {
            return;
        }
        Node head = heads[n.slot];
        n.next = head;
        if (head != null) {
            head.prev = n;
        }
        heads[n.slot] = n;
        counts[n.slot]++;
    }

    @Override
    public void removed(byte[] key) {
        Node n = nodes.remove(new Node(key, 0));
        if (n == null) {
            return;
        }
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            heads[n.slot] = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        }
        counts[n.slot]--;
    }

    @Override
    public void cleared() {
        nodes.clear();
        Arrays.fill(heads, null);
        Arrays.fill(counts, 0);
    }

    public int count(int slot) {
        return counts[slot];
    }

    /** Visits up to {@code max} of the slot's keys, newest first. */
    public void keys(int slot, long max, Consumer<byte[]> visitor) {
        long left = max;
        for (Node n = heads[slot]; n != null && left > 0; n = n.next, left--) {
            visitor.accept(n.key);
        }
    }
}
