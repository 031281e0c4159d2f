package dev.respite.server.cluster.bus;

import java.util.Collection;
import java.util.random.RandomGenerator;

/**
 * When a replica of a failed master asks for votes (Redis's clusterHandleSlaveFailover): after a fixed 500 ms
 * for the FAIL to spread, a random 0..499 ms so replicas do not ask together, and one second per rank, the
 * rank being how many other replicas of the same master that may fail over have a larger replication offset.
 * The best-replicated replica asks first. A manual failover asks at once.
 */
public final class ReplicaElection {
    static final long FIXED_DELAY_MILLIS = 500;
    static final int RANDOM_DELAY_MILLIS = 500;
    static final long RANK_DELAY_MILLIS = 1000;

    /** A sibling replica as this node last heard of it. */
    public record Replica(String name, long replicationOffset, boolean noFailover) {}

    private ReplicaElection() {}

    /** This replica's rank among {@code replicasOfMyMaster} (which may include itself, by name). */
    public static int rank(String myName, long myOffset, Collection<Replica> replicasOfMyMaster) {
        int rank = 0;
        for (Replica r : replicasOfMyMaster) {
            if (!r.name().equals(myName) && !r.noFailover() && r.replicationOffset() > myOffset) {
                rank++;
            }
        }
        return rank;
    }

    /** The time to start the election: now for a manual failover, else now + 500 + random 0..499 + rank s. */
    public static long electionTime(long now, int rank, boolean manual, RandomGenerator random) {
        if (manual) {
            return now;
        }
        return now + FIXED_DELAY_MILLIS + random.nextInt(RANDOM_DELAY_MILLIS) + rank * RANK_DELAY_MILLIS;
    }

    /**
     * Delay to add when offsets heard since the election was scheduled worsen the rank (never sooner: a better
     * rank keeps the time).
     */
    public static long addedDelay(int scheduledRank, int newRank) {
        return newRank > scheduledRank ? (newRank - scheduledRank) * RANK_DELAY_MILLIS : 0;
    }
}
