package dev.respite.server.cluster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as this node sees it: the known nodes (myself among them), the owner of each of the 16384
 * slots, the slots being migrated away or imported, the epochs, and whether the cluster is up. Every
 * change goes through a method here, which records what must follow it ({@link #pending}): saving
 * nodes.conf and recomputing the state, done once per event loop batch by {@link Cluster}.
 */
public final class ClusterState {
    public static final int PENDING_SAVE_CONFIG = 1;
    public static final int PENDING_UPDATE_STATE = 2;
    public static final int PENDING_FSYNC_CONFIG = 4;

    private static final long WRITABLE_DELAY_MILLIS = 2000;
    private static final long MIN_REJOIN_DELAY_MILLIS = 500;
    private static final long MAX_REJOIN_DELAY_MILLIS = 5000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterNode myself;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private final ClusterNode[] owners = new ClusterNode[KeySlot.SLOTS];
    private final ClusterNode[] migratingTo = new ClusterNode[KeySlot.SLOTS];
    private final ClusterNode[] importingFrom = new ClusterNode[KeySlot.SLOTS];
    private long currentEpoch;
    private long lastVoteEpoch;
    private boolean ok;
    private int size;
    private long firstUpdateMillis;
    private long amongMinorityMillis;
    private int pending;
    /** Told of every node removed (the bus closes its links and forgets its failure reports). */
    private java.util.function.Consumer<ClusterNode> removalListener = n -> {};
    /** Told of every slot that loses its owner (its shard channels' subscribers are let go). */
    private java.util.function.IntConsumer slotClearedListener = slot -> {};

    /** A new random node id or shard id: 40 lowercase hex characters. */
    public static String randomId() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(40);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    /** Redis's node id check: 40 characters, each a lowercase letter or digit. */
    public static boolean validId(String id) {
        if (id.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    public ClusterNode myself() {
        return myself;
    }

    /** Makes {@code node} (already added) this node. */
    public void setMyself(ClusterNode node) {
        myself = node;
        node.flags |= NodeFlags.MYSELF;
    }

    public ClusterNode node(String id) {
        return nodes.get(id);
    }

    public Collection<ClusterNode> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    public int nodeCount() {
        return nodes.size();
    }

    public void addNode(ClusterNode node) {
        nodes.put(node.id(), node);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    /** The node with {@code id}, created (no flags, a random shard id) when it is not known yet. */
    public ClusterNode nodeOrCreate(String id) {
        ClusterNode n = nodes.get(id);
        if (n == null) {
            n = new ClusterNode(id, randomId(), 0);
            addNode(n);
        }
        return n;
    }

    public void onRemoval(java.util.function.Consumer<ClusterNode> listener) {
        removalListener = listener;
    }

    public void onSlotCleared(java.util.function.IntConsumer listener) {
        slotClearedListener = listener;
    }

    /** A handshake node takes the name its peer announced. */
    public void rename(ClusterNode node, String id) {
        nodes.remove(node.id());
        node.rename(id);
        nodes.put(id, node);
        note(PENDING_SAVE_CONFIG);
    }

    /** Forgets a node: its slots become unassigned, open slots naming it close, its replicas lose their master. */
    public void removeNode(ClusterNode node) {
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (importingFrom[slot] == node) {
                importingFrom[slot] = null;
            }
            if (migratingTo[slot] == node) {
                migratingTo[slot] = null;
            }
            if (owners[slot] == node) {
                clearSlot(slot);
            }
        }
        if (node.master != null) {
            node.master.replicas.remove(node);
        }
        for (ClusterNode r : node.replicas) {
            r.master = null;
        }
        node.replicas.clear();
        nodes.remove(node.id());
        removalListener.accept(node);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    public ClusterNode owner(int slot) {
        return owners[slot];
    }

    /** Assigns {@code slot} to {@code node}; false when the slot already has an owner. */
    public boolean assignSlot(int slot, ClusterNode node) {
        if (owners[slot] != null) {
            return false;
        }
        owners[slot] = node;
        if (node.slots.isEmpty() && mastersHaveReplicas()) {
            // A master's first slot makes it a migration target when the cluster is not replica-less.
            node.flags |= NodeFlags.MIGRATE_TO;
        }
        node.slots.set(slot);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
        return true;
    }

    private boolean mastersHaveReplicas() {
        for (ClusterNode n : nodes.values()) {
            if (!n.isReplica() && !n.replicas.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Unassigns {@code slot}; false when it had no owner. */
    public boolean clearSlot(int slot) {
        ClusterNode n = owners[slot];
        if (n == null) {
            return false;
        }
        slotClearedListener.accept(slot);
        n.slots.clear(slot);
        owners[slot] = null;
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
        return true;
    }

    public ClusterNode migratingTo(int slot) {
        return migratingTo[slot];
    }

    public ClusterNode importingFrom(int slot) {
        return importingFrom[slot];
    }

    public void setMigrating(int slot, ClusterNode target) {
        migratingTo[slot] = target;
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    public void setImporting(int slot, ClusterNode source) {
        importingFrom[slot] = source;
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    /** Ends every migration and import. */
    public void closeAllSlots() {
        java.util.Arrays.fill(migratingTo, null);
        java.util.Arrays.fill(importingFrom, null);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    /** Replaces a node's flags (MYSELF stays with myself). */
    public void setFlags(ClusterNode node, int flags) {
        node.flags = node == myself ? flags | NodeFlags.MYSELF : flags & ~NodeFlags.MYSELF;
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    /** Makes {@code replica} follow {@code master} (null: no known master), keeping both sides' lists right. */
    public void setMaster(ClusterNode replica, ClusterNode master) {
        if (replica.master != null) {
            replica.master.replicas.remove(replica);
            if (replica.master.replicas.isEmpty()) {
                replica.master.flags &= ~NodeFlags.MIGRATE_TO;
            }
        }
        replica.master = master;
        if (master != null && !master.replicas.contains(replica)) {
            master.replicas.add(replica);
            // A master that has had a replica is a target for replica migration once it has none left.
            master.flags |= NodeFlags.MIGRATE_TO;
        }
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    public void setConfigEpoch(ClusterNode node, long epoch) {
        node.setConfigEpoch(epoch);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE);
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public void setCurrentEpoch(long epoch) {
        currentEpoch = epoch;
        note(PENDING_SAVE_CONFIG);
    }

    public long lastVoteEpoch() {
        return lastVoteEpoch;
    }

    public void setLastVoteEpoch(long epoch) {
        lastVoteEpoch = epoch;
        note(PENDING_SAVE_CONFIG);
    }

    /** The highest config epoch of any node, and the current epoch. */
    public long maxEpoch() {
        long max = currentEpoch;
        for (ClusterNode n : nodes.values()) {
            max = Math.max(max, n.configEpoch());
        }
        return max;
    }

    /**
     * Redis's bump without consensus: myself takes a new epoch unless it already holds the highest one
     * uniquely. Returns whether the epoch changed.
     */
    public boolean bumpConfigEpoch() {
        long max = maxEpoch();
        if (myself.configEpoch() == 0 || myself.configEpoch() != max) {
            currentEpoch++;
            myself.setConfigEpoch(currentEpoch);
            note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE | PENDING_FSYNC_CONFIG);
            return true;
        }
        return false;
    }

    /** Gives myself a new node id (CLUSTER RESET HARD). */
    public void renameMyself(String id, String shardId) {
        nodes.remove(myself.id());
        myself.rename(id);
        myself.setShardId(shardId);
        nodes.put(id, myself);
        note(PENDING_SAVE_CONFIG | PENDING_UPDATE_STATE | PENDING_FSYNC_CONFIG);
    }

    /** The nodes of each shard: a master first, in the order the nodes are known. */
    public Map<String, List<ClusterNode>> shards() {
        Map<String, List<ClusterNode>> shards = new LinkedHashMap<>();
        for (ClusterNode n : nodes.values()) {
            shards.computeIfAbsent(n.shardId(), k -> new ArrayList<>()).add(n);
        }
        return shards;
    }

    public boolean isOk() {
        return ok;
    }

    /** Masters serving at least one slot. */
    public int size() {
        return size;
    }

    /** Records work to do before the next batch of replies goes out. */
    public void note(int work) {
        pending |= work;
    }

    /** The recorded work, cleared. */
    int takePending() {
        int p = pending;
        pending = 0;
        return p;
    }

    /**
     * Redis's clusterUpdateState: the cluster is up when every slot has a non-failed owner (with
     * cluster-require-full-coverage) and a majority of the slot-serving masters is reachable. A master waits
     * two seconds after its first evaluation, and after leaving a minority partition a rejoin delay
     * (the node timeout, between half a second and five seconds), before turning the state to ok.
     */
    public void updateState(long now, boolean requireFullCoverage, long nodeTimeout) {
        if (firstUpdateMillis == 0) {
            firstUpdateMillis = now;
        }
        if (myself.isMaster() && !ok && now - firstUpdateMillis < WRITABLE_DELAY_MILLIS) {
            return;
        }
        boolean newOk = true;
        if (requireFullCoverage) {
            for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                if (owners[slot] == null || owners[slot].failed()) {
                    newOk = false;
                    break;
                }
            }
        }
        int reachable = 0;
        size = 0;
        for (ClusterNode n : nodes.values()) {
            if (n.isMaster() && !n.slots.isEmpty()) {
                size++;
                if (!n.has(NodeFlags.FAIL | NodeFlags.PFAIL)) {
                    reachable++;
                }
            }
        }
        if (reachable < size / 2 + 1) {
            newOk = false;
            amongMinorityMillis = now;
        }
        if (newOk != ok) {
            long rejoinDelay = Math.max(MIN_REJOIN_DELAY_MILLIS, Math.min(MAX_REJOIN_DELAY_MILLIS, nodeTimeout));
            if (newOk && myself.isMaster() && now - amongMinorityMillis < rejoinDelay) {
                return;
            }
            ok = newOk;
        }
    }
}
