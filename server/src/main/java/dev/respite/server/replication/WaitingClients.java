package dev.respite.server.replication;

import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/** Clients blocked in WAIT until enough replicas acknowledge their writes, or their timeout passes. */
final class WaitingClients {
    private record Waiter(Client client, long target, int wanted, long deadlineMillis) {}

    private final List<Waiter> waiters = new ArrayList<>();

    /** Blocks {@code c} until {@code wanted} replicas acknowledged {@code target} (deadline 0: no timeout). */
    void add(Client c, long target, int wanted, long deadlineMillis) {
        Waiter w = new Waiter(c, target, wanted, deadlineMillis);
        waiters.add(w);
        c.setBlockedOn(w);
    }

    void acknowledged(Replication replication) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            int n = replication.acknowledgedAtLeast(w.target);
            if (n >= w.wanted) {
                waiters.remove(i--);
                release(w, n);
            }
        }
    }

    void expire(Replication replication, long now) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            if (w.deadlineMillis > 0 && now >= w.deadlineMillis) {
                waiters.remove(i--);
                release(w, replication.acknowledgedAtLeast(w.target));
            }
        }
    }

    void disconnected(Client c) {
        waiters.removeIf(w -> w.client == c);
    }

    private static void release(Waiter w, int acknowledged) {
        w.client.setBlockedOn(null);
        w.client.reply().integer(acknowledged);
        w.client.runDeferred();
    }
}
