package dev.respite.server.cluster.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The failure-report, election and ping-scheduling rules the gossip logic follows. */
class GossipRulesTest {
    private static final String X = "x".repeat(40);

    @Test
    void failureReportsExpireAfterTwiceTheNodeTimeout() {
        long[] timeout = {1000};
        FailureReports f = new FailureReports(() -> timeout[0]);
        assertTrue(f.add(X, "r1", 0));
        assertFalse(f.add(X, "r1", 500), "a second report from the same node refreshes the first");
        assertTrue(f.add(X, "r2", 100));
        assertEquals(2, f.count(X, 2100));
        assertEquals(1, f.count(X, 2101), "r2's report is 2001 ms old: past 2 x 1000");
        assertEquals(1, f.count(X, 2500));
        assertEquals(0, f.count(X, 2501));
        f.add(X, "r3", 10_000);
        timeout[0] = 100;
        assertEquals(0, f.count(X, 10_201), "the validity follows a changed node timeout");
    }

    @Test
    void quorumIsAMajorityOfMastersCountingMyselfWhenMaster() {
        FailureReports f = new FailureReports(() -> 15_000);
        f.add(X, "m1", 0);
        assertFalse(f.quorumReached(X, 5, false, 0), "1 of 5");
        assertFalse(f.quorumReached(X, 5, true, 0), "2 of 5");
        f.add(X, "m2", 0);
        assertTrue(f.quorumReached(X, 5, true, 0), "3 of 5 with this master's own view");
        assertFalse(f.quorumReached(X, 5, false, 0), "a replica does not count itself");
        assertTrue(f.quorumReached(X, 1, true, 0), "a lone master is its own majority");
        assertTrue(f.quorumReached(X, 4, true, 0), "4 masters need 3: two reports and this master");
        assertFalse(f.quorumReached(X, 6, true, 0), "6 masters need 4");
    }

    @Test
    void removedAndForgottenReports() {
        FailureReports f = new FailureReports(() -> 1000);
        f.add(X, "r1", 0);
        f.add(X, "r2", 0);
        f.add("y".repeat(40), "r1", 0);
        assertTrue(f.remove(X, "r1", 0));
        assertFalse(f.remove(X, "r1", 0));
        assertEquals(1, f.count(X, 0));
        f.forget("r2");
        assertEquals(0, f.count(X, 0), "a forgotten node's reports go");
        f.forget("y".repeat(40));
        assertEquals(0, f.count("y".repeat(40), 0));
    }

    @Test
    void replicaRankCountsBetterReplicatedSiblingsThatMayFailOver() {
        List<ReplicaElection.Replica> siblings = List.of(
                new ReplicaElection.Replica("me", 100, false),
                new ReplicaElection.Replica("ahead", 150, false),
                new ReplicaElection.Replica("ahead-but-nofailover", 500, true),
                new ReplicaElection.Replica("equal", 100, false),
                new ReplicaElection.Replica("behind", 50, false));
        assertEquals(1, ReplicaElection.rank("me", 100, siblings));
        assertEquals(0, ReplicaElection.rank("ahead", 150, siblings));
        assertEquals(3, ReplicaElection.rank("behind", 50, siblings));
    }

    @Test
    void electionDelayIsHalfASecondPlusRandomHalfSecondPlusOneSecondPerRank() {
        Random r = new Random(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 5000; i++) {
            long t = ReplicaElection.electionTime(10_000, 2, false, r) - 10_000;
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        assertEquals(2500, min);
        assertEquals(2999, max);
        assertEquals(10_000, ReplicaElection.electionTime(10_000, 3, true, r), "manual failover: no delay");
        assertEquals(2000, ReplicaElection.addedDelay(1, 3));
        assertEquals(0, ReplicaElection.addedDelay(3, 1));
    }

    private static PingSchedule.Peer peer(String name, boolean linked, long pingSent, long pong) {
        return new PingSchedule.Peer(name, false, false, linked, pingSent, pong);
    }

    @Test
    void overdueNodesAreThoseWithoutAPongForHalfTheNodeTimeout() {
        List<PingSchedule.Peer> nodes = List.of(
                new PingSchedule.Peer("self", true, false, false, 0, 0),
                new PingSchedule.Peer("shaking", false, true, true, 0, 0),
                peer("old", true, 0, 1000),
                peer("fresh", true, 0, 8000),
                peer("pending", true, 9000, 0),
                peer("unlinked", false, 0, 0));
        List<String> due = PingSchedule.overdue(nodes, 10_000, 15_000, 0).stream()
                .map(PingSchedule.Peer::name)
                .toList();
        assertEquals(List.of("old"), due);
        assertEquals(
                List.of("old", "fresh"),
                PingSchedule.overdue(nodes, 10_000, 15_000, 1000).stream()
                        .map(PingSchedule.Peer::name)
                        .toList(),
                "cluster-ping-interval replaces node-timeout/2");
    }

    @Test
    void theRandomPingGoesToTheOldestPongAmongFiveSamples() {
        List<PingSchedule.Peer> nodes = List.of(
                peer("a", true, 0, 300), peer("b", true, 0, 100), peer("c", true, 0, 200), peer("d", true, 5, 0));
        int[] draws = {0, 2, 3, 0, 2};
        RandomGenerator scripted = new RandomGenerator() {
            int i;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                return draws[i++];
            }
        };
        assertEquals("c", PingSchedule.randomTarget(nodes, scripted).name(), "b was never drawn; d has a ping pending");
        Map<String, Integer> picks = new HashMap<>();
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            picks.merge(PingSchedule.randomTarget(nodes, r).name(), 1, Integer::sum);
        }
        assertTrue(picks.get("b") > picks.get("c") && picks.get("c") > picks.get("a"), picks.toString());
        assertFalse(picks.containsKey("d"));
        assertNull(PingSchedule.randomTarget(List.of(peer("x", false, 0, 0)), r));
        assertNull(PingSchedule.randomTarget(List.of(), r));
    }

    @Test
    void reconnectAndGossipCount() {
        assertTrue(PingSchedule.reconnect(20_000, 0, 10_000, 10_000, 15_000));
        assertFalse(PingSchedule.reconnect(20_000, 6_000, 10_000, 10_000, 15_000), "a young link is left alone");
        assertFalse(PingSchedule.reconnect(20_000, 0, 0, 10_000, 15_000), "no ping pending");
        assertFalse(PingSchedule.reconnect(20_000, 0, 10_000, 13_000, 15_000), "data arrived recently");
        assertEquals(0, PingSchedule.gossipWanted(2));
        assertEquals(1, PingSchedule.gossipWanted(3));
        assertEquals(3, PingSchedule.gossipWanted(10));
        assertEquals(10, PingSchedule.gossipWanted(100));
    }
}
