package dev.respite.server.cluster.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Which nodes the cluster cron pings (Redis's clusterCron, ten times a second): once a second the node with
 * the oldest pong among five sampled at random, and at every run each node whose last pong is older than
 * the ping interval (cluster-node-timeout / 2 unless set) and that has no ping pending. It also says when a
 * silent link is worth reconnecting and how many gossip sections a ping carries.
 */
public final class PingSchedule {
    /** Nodes sampled for the once-a-second ping. */
    static final int SAMPLES = 5;
    /** Cron runs per random ping: one a second at ten runs a second. */
    public static final int RUNS_PER_RANDOM_PING = 10;

    /**
     * What the cron knows of a node.
     *
     * @param self this node itself
     * @param handshake still in handshake (or without an address): not pinged this way
     * @param linked it has an outbound link
     * @param pingSent when the pending ping went out, 0 for none
     * @param pongReceived when its last pong arrived
     */
    public record Peer(String name, boolean self, boolean handshake, boolean linked, long pingSent, long pongReceived) {
        boolean pingable() {
            return !self && !handshake && linked && pingSent == 0;
        }
    }

    private PingSchedule() {}

    /**
     * The once-a-second choice: five nodes drawn at random (with repeats, from all of them), and of those that
     * can be pinged the one whose pong is oldest; null when none can.
     */
    public static Peer randomTarget(List<Peer> nodes, RandomGenerator random) {
        Peer best = null;
        if (nodes.isEmpty()) {
            return null;
        }
        for (int i = 0; i < SAMPLES; i++) {
            Peer p = nodes.get(random.nextInt(nodes.size()));
            if (p.pingable() && (best == null || p.pongReceived() < best.pongReceived())) {
                best = p;
            }
        }
        return best;
    }

    /** The nodes to ping at this run because their last pong is older than the ping interval. */
    public static List<Peer> overdue(List<Peer> nodes, long now, long nodeTimeoutMillis, long pingIntervalMillis) {
        long interval = pingIntervalMillis != 0 ? pingIntervalMillis : nodeTimeoutMillis / 2;
        List<Peer> due = new ArrayList<>();
        for (Peer p : nodes) {
            if (p.pingable() && now - p.pongReceived() > interval) {
                due.add(p);
            }
        }
        return due;
    }

    /**
     * Whether to drop a node's link and reconnect: the link is older than the node timeout, a ping has waited
     * more than half of it, and nothing at all arrived from the node for as long.
     */
    public static boolean reconnect(long now, long linkCreated, long pingSent, long dataReceived, long nodeTimeout) {
        return now - linkCreated > nodeTimeout
                && pingSent != 0
                && now - pingSent > nodeTimeout / 2
                && now - dataReceived > nodeTimeout / 2;
    }

    /**
     * Gossip sections wanted in a ping among {@code knownNodes} (this node included): a tenth of them and at
     * least three, but no more than the nodes other than this one and the receiver.
     */
    public static int gossipWanted(int knownNodes) {
        return Math.max(0, Math.min(Math.max(3, knownNodes / 10), knownNodes - 2));
    }
}
