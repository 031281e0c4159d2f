package dev.respite.server.replication;

import dev.respite.server.net.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients blocked in WAIT until enough replicas acknowledged their writes, or in WAITAOF until the local
 * append-only file and enough replicas' files hold them, or until their timeout passes.
 */
final class WaitingClients {
    /**
     * {@code aof}: a WAITAOF, which also wants {@code wantedLocal} local fsyncs up to {@code localMark} and
     * counts replicas by their fsynced offset (FACK) instead of their applied one.
     */
    private record Waiter(
            Client client,
            long target,
            int wanted,
            long deadlineMillis,
            boolean aof,
            long localMark,
            int wantedLocal) {}

    private final List<Waiter> waiters = new ArrayList<>();

    /** Blocks {@code c} in WAIT until {@code wanted} replicas acknowledged {@code target} (deadline 0: none). */
    void add(Client c, long target, int wanted, long deadlineMillis) {
        block(new Waiter(c, target, wanted, deadlineMillis, false, 0, 0));
    }

    /** Blocks {@code c} in WAITAOF. */
    void addAof(Client c, long target, int wanted, long deadlineMillis, long localMark, int wantedLocal) {
        block(new Waiter(c, target, wanted, deadlineMillis, true, localMark, wantedLocal));
    }

    private void block(Waiter w) {
        waiters.add(w);
        w.client.setBlockedOn(w);
    }

    /** A replica acknowledged, or the local file was fsynced: releases the waiters now satisfied. */
    void acknowledged(Replication replication) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            int n = replicas(replication, w);
            int local = local(replication, w);
            if (n >= w.wanted && local >= w.wantedLocal) {
                waiters.remove(i--);
                release(w, n, local);
            }
        }
    }

    void expire(Replication replication, long now) {
        for (int i = 0; i < waiters.size(); i++) {
            Waiter w = waiters.get(i);
            if (w.aof && w.wantedLocal > 0 && !replication.appendOnly()) {
                // appendonly was turned off under a WAITAOF that wants the local file: it can never be satisfied.
                waiters.remove(i--);
                w.client.setBlockedOn(null);
                w.client.reply().error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
                w.client.runDeferred();
            } else if (w.deadlineMillis > 0 && now >= w.deadlineMillis) {
                waiters.remove(i--);
                release(w, replicas(replication, w), local(replication, w));
            }
        }
    }

    int count() {
        return waiters.size();
    }

    /** Ends {@code c}'s WAIT or WAITAOF with {@code error}; false if it was not waiting. */
    boolean abort(Client c, String error) {
        for (int i = 0; i < waiters.size(); i++) {
            if (waiters.get(i).client == c) {
                waiters.remove(i);
                c.setBlockedOn(null);
                c.reply().error(error);
                c.scheduleFlush();
                return true;
            }
        }
        return false;
    }

    void disconnected(Client c) {
        waiters.removeIf(w -> w.client == c);
    }

    private static int replicas(Replication replication, Waiter w) {
        return w.aof ? replication.aofAcknowledgedAtLeast(w.target) : replication.acknowledgedAtLeast(w.target);
    }

    private static int local(Replication replication, Waiter w) {
        return w.aof && replication.locallyFsynced(w.localMark) ? 1 : 0;
    }

    private static void release(Waiter w, int acknowledged, int local) {
        w.client.setBlockedOn(null);
        if (w.aof) {
            w.client.reply().array(2);
            w.client.reply().integer(local);
        }
        w.client.reply().integer(acknowledged);
        w.client.runDeferred();
    }
}
