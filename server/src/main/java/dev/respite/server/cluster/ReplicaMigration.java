package dev.respite.server.cluster;

/**
 * Redis 7.2's replica migration: a replica of a master with the most working replicas (at least two) moves to a
 * master left without any, so that one more failure does not leave slots unserved. Only one replica moves: the
 * one with the smallest id among those masters' replicas, once the target has been orphaned for five seconds (time
 * for its own replicas to announce themselves after a failover), the cluster is ok, and its master keeps more than
 * {@code cluster-migration-barrier} working replicas.
 */
final class ReplicaMigration {
    static final long DELAY_MILLIS = 5000;

    private ReplicaMigration() {}

    /** The orphaned master myself (a replica) should move to now; null when none. */
    static ClusterNode target(ClusterState st, int barrier, long now) {
        ClusterNode me = st.myself();
        ClusterNode myMaster = me.master();
        if (!me.isReplica() || myMaster == null) {
            return null;
        }
        int orphaned = 0;
        int maxReplicas = 0;
        int mine = 0;
        for (ClusterNode n : st.nodes()) {
            if (n.has(NodeFlags.MYSELF | NodeFlags.NOADDR | NodeFlags.HANDSHAKE) || !n.isMaster() || n.failed()) {
                continue;
            }
            int ok = workingReplicas(n);
            if (ok == 0 && n.slotCount() > 0 && n.has(NodeFlags.MIGRATE_TO)) {
                orphaned++;
            }
            maxReplicas = Math.max(maxReplicas, ok);
            if (n == myMaster) {
                mine = ok;
            }
        }
        if (orphaned == 0 || maxReplicas < 2 || mine != maxReplicas || !st.isOk()) {
            return null;
        }
        int reachable = 0;
        for (ClusterNode r : myMaster.replicas()) {
            if (!r.has(NodeFlags.FAIL | NodeFlags.PFAIL)) {
                reachable++;
            }
        }
        if (reachable <= barrier) {
            return null;
        }
        ClusterNode target = null;
        ClusterNode candidate = me;
        for (ClusterNode n : st.nodes()) {
            int ok = n.isMaster() ? workingReplicas(n) : 0;
            boolean isOrphaned = !n.isReplica() && !n.failed() && n.has(NodeFlags.MIGRATE_TO) && ok == 0;
            if (isOrphaned) {
                if (target == null && n.slotCount() > 0) {
                    target = n;
                }
                if (n.orphanedSince == 0) {
                    n.orphanedSince = now;
                }
            } else {
                n.orphanedSince = 0;
            }
            if (ok == maxReplicas) {
                for (ClusterNode r : n.replicas()) {
                    if (r.id().compareTo(candidate.id()) < 0) {
                        candidate = r;
                    }
                }
            }
        }
        if (target != null && candidate == me && now - target.orphanedSince > DELAY_MILLIS) {
            return target;
        }
        return null;
    }

    /** Replicas of {@code master} not flagged FAIL. */
    private static int workingReplicas(ClusterNode master) {
        int ok = 0;
        for (ClusterNode r : master.replicas()) {
            if (!r.failed()) {
                ok++;
            }
        }
        return ok;
    }
}
