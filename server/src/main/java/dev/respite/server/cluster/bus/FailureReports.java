package dev.respite.server.cluster.bus;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Who reported which node as failing (PFAIL or FAIL in their gossip), and when. A report is valid for twice
 * the node timeout; a PFAIL node becomes FAIL once valid reports, plus this node's own view when it is a
 * master, reach a majority of the masters serving slots (Redis's fail_reports and markNodeAsFailingIfNeeded).
 */
public final class FailureReports {
    /** Reports are valid for this many node timeouts (CLUSTER_FAIL_REPORT_VALIDITY_MULT). */
    static final int VALIDITY_MULT = 2;

    private final LongSupplier nodeTimeoutMillis;
    /** Failing node, then reporter to the time of its latest report, oldest first. */
    private final Map<String, LinkedHashMap<String, Long>> reports = new HashMap<>();

    /** @param nodeTimeoutMillis cluster-node-timeout, read at each use since CONFIG SET may change it */
    public FailureReports(LongSupplier nodeTimeoutMillis) {
        this.nodeTimeoutMillis = nodeTimeoutMillis;
    }

    /** Records {@code reporter}'s report about {@code failing}; true if it is new, false if it refreshed one. */
    public boolean add(String failing, String reporter, long now) {
        return reports.computeIfAbsent(failing, k -> new LinkedHashMap<>()).put(reporter, now) == null;
    }

    /** The reporter now sees the node as healthy: its report goes. True if there was one. */
    public boolean remove(String failing, String reporter, long now) {
        Map<String, Long> r = reports.get(failing);
        if (r == null || r.remove(reporter) == null) {
            return false;
        }
        expire(failing, now);
        return true;
    }

    /** Valid reports about {@code failing}, dropping the expired ones. */
    public int count(String failing, long now) {
        expire(failing, now);
        Map<String, Long> r = reports.get(failing);
        return r == null ? 0 : r.size();
    }

    /**
     * Whether a majority of the {@code mastersWithSlots} masters (the cluster's size) agree {@code failing} is
     * down: its valid reports, plus one when this node is a master.
     */
    public boolean quorumReached(String failing, int mastersWithSlots, boolean myselfIsMaster, long now) {
        int failures = count(failing, now) + (myselfIsMaster ? 1 : 0);
        return failures >= mastersWithSlots / 2 + 1;
    }

    /** A node left the table: the reports about it and the reports it made go with it. */
    public void forget(String node) {
        reports.remove(node);
        reports.values().forEach(r -> r.remove(node));
        reports.values().removeIf(Map::isEmpty);
    }

    private void expire(String failing, long now) {
        Map<String, Long> r = reports.get(failing);
        if (r == null) {
            return;
        }
        long validity = nodeTimeoutMillis.getAsLong() * VALIDITY_MULT;
        for (Iterator<Long> it = r.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > validity) {
                it.remove();
            }
        }
        if (r.isEmpty()) {
            reports.remove(failing);
        }
    }
}
