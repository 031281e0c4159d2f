package dev.respite.server.cluster;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which replica moves to an orphaned master, and when: masters A (two replicas, one of them this node) and B
 * (one replica, failed), each with half the slots.
 */
class ReplicaMigrationTest {
    private static final long T0 = 1_000_000;

    /** The table as this node, a replica of A with id {@code myId}, sees it; the other replica of A is "2...". */
    private static final class Table {
        final ClusterState st = new ClusterState();
        final ClusterNode a = master("a".repeat(40));
        final ClusterNode b = master("b".repeat(40));
        final ClusterNode b1;

        Table(String myId) {
            for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                st.assignSlot(slot, slot < KeySlot.SLOTS / 2 ? a : b);
            }
            st.setMyself(replica(myId, a));
            replica("2".repeat(40), a);
            b1 = replica("3".repeat(40), b);
            st.setFlags(b1, b1.flags() | NodeFlags.FAIL);
            st.updateState(T0, true, 1000);
        }

        private ClusterNode master(String id) {
            ClusterNode n = new ClusterNode(id, ClusterState.randomId(), NodeFlags.MASTER);
            st.addNode(n);
            return n;
        }

        private ClusterNode replica(String id, ClusterNode master) {
            ClusterNode n = new ClusterNode(id, master.shardId(), NodeFlags.SLAVE);
            st.addNode(n);
            st.setMaster(n, master);
            return n;
        }
    }

    private final Table t = new Table("1".repeat(40));
    private final ClusterState st = t.st;
    private final ClusterNode b = t.b;
    private final ClusterNode b1 = t.b1;

    @Test
    void theReplicaWithTheSmallestIdMovesOnceTheMasterHasBeenOrphanedForFiveSeconds() {
        assertTrue(st.isOk());
        assertTrue(b.has(NodeFlags.MIGRATE_TO), "a master that has had a replica is a migration target");
        assertNull(ReplicaMigration.target(st, 1, T0));
        assertNull(ReplicaMigration.target(st, 1, T0 + ReplicaMigration.DELAY_MILLIS));
        assertSame(b, ReplicaMigration.target(st, 1, T0 + ReplicaMigration.DELAY_MILLIS + 1));
    }

    @Test
    void theOtherReplicaStays() {
        Table other = new Table("4".repeat(40));
        assertNull(ReplicaMigration.target(other.st, 1, T0));
        assertNull(ReplicaMigration.target(other.st, 1, T0 + 60_000));
    }

    @Test
    void theBarrierKeepsEnoughReplicasWithTheirMaster() {
        assertNull(ReplicaMigration.target(st, 2, T0));
        assertNull(ReplicaMigration.target(st, 2, T0 + 60_000));
    }

    @Test
    void aMasterWithAWorkingReplicaIsNoTarget() {
        st.setFlags(b1, b1.flags() & ~NodeFlags.FAIL);
        assertNull(ReplicaMigration.target(st, 1, T0));
        assertNull(ReplicaMigration.target(st, 1, T0 + 60_000));
    }

    @Test
    void aMasterThatLostEveryReplicaIsNoLongerATargetOnceForgotten() {
        st.setMaster(b1, null);
        assertTrue(!b.has(NodeFlags.MIGRATE_TO));
        assertNull(ReplicaMigration.target(st, 1, T0));
        assertNull(ReplicaMigration.target(st, 1, T0 + 60_000));
    }

    @Test
    void nothingMovesWhileTheClusterIsDown() {
        st.clearSlot(0);
        st.updateState(T0, true, 1000);
        assertTrue(!st.isOk());
        assertNull(ReplicaMigration.target(st, 1, T0));
        assertNull(ReplicaMigration.target(st, 1, T0 + 60_000));
    }
}
