package dev.respite.server.replication;

import dev.respite.server.command.ClientPause;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FAILOVER's coordinated switch on a master, as Redis runs it: writes from clients are held, the master waits
 * until the chosen replica (or any replica) acknowledged its whole stream, then becomes a replica of it and
 * asks it with {@code PSYNC <replid> <offset> FAILOVER} to take over. The hold ends once that PSYNC is
 * accepted, or when the failover is aborted (by FAILOVER ABORT, its timeout, or a refused PSYNC), in which
 * case a master that had already turned replica becomes a master again. Runs on the keyspace thread.
 */
final class Failover {
    private static final Logger log = LoggerFactory.getLogger(Failover.class);
    /** Redis runs its replication cron ten times a second while a failover is on. */
    private static final long CHECK_MILLIS = 100;

    /** The states INFO replication prints as master_failover_state. */
    enum State {
        NONE("no-failover"),
        WAIT_FOR_SYNC("waiting-for-sync"),
        IN_PROGRESS("failover-in-progress");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private final Replication replication;
    private final ClientPause pause;
    private State state = State.NONE;
    private String targetHost;
    private int targetPort;
    private long endMillis;
    private boolean force;
    private ScheduledFuture<?> checks;

    Failover(Replication replication, ClientPause pause) {
        this.replication = replication;
        this.pause = pause;
    }

    State state() {
        return state;
    }

    boolean active() {
        return state != State.NONE;
    }

    /** Starts waiting for a replica to catch up; {@code host} null means the first replica that does. */
    void start(String host, int port, long timeoutMillis, boolean force, EventLoop loop) {
        targetHost = host;
        targetPort = port;
        endMillis = timeoutMillis > 0 ? System.currentTimeMillis() + timeoutMillis : 0;
        this.force = force;
        state = State.WAIT_FOR_SYNC;
        pause.holdForFailover(true);
        if (host != null) {
            log.info("FAILOVER requested to {}:{}.", host, port);
        } else {
            log.info("FAILOVER requested to any replica.");
        }
        checks = loop.scheduleAtFixedRate(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** While waiting: gives up or forces at the timeout, else switches once the target acknowledged everything. */
    private void check() {
        if (state != State.WAIT_FOR_SYNC) {
            return;
        }
        if (endMillis > 0 && System.currentTimeMillis() >= endMillis) {
            if (force) {
                log.info("FAILOVER to {}:{} time out exceeded, failing over.", targetHost, targetPort);
                switchTo();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        ReplicaLink caughtUp = null;
        if (targetHost != null) {
            ReplicaLink target = replication.findReplica(targetHost, targetPort);
            if (target != null && target.ackOffset == replication.offset()) {
                caughtUp = target;
            }
        } else {
            caughtUp = replication.replicaAt(replication.offset());
            if (caughtUp != null) {
                targetHost = caughtUp.ip();
                targetPort = caughtUp.listeningPort;
            }
        }
        if (caughtUp != null) {
            log.info("Failover target {}:{} is synced, failing over.", targetHost, targetPort);
            switchTo();
        }
    }

    private void switchTo() {
        state = State.IN_PROGRESS;
        replication.replicaOfForFailover(targetHost, targetPort);
    }

    /** The target accepted our PSYNC FAILOVER: it is the master now and we follow it. */
    void succeeded() {
        if (state == State.IN_PROGRESS) {
            clear();
        }
    }

    /** Ends the failover; one that had turned this master into a replica turns it back. */
    void abort(String why) {
        if (state == State.NONE) {
            return;
        }
        if (targetHost != null) {
            log.info("FAILOVER to {}:{} aborted: {}", targetHost, targetPort, why);
        } else {
            log.info("FAILOVER to any replica aborted: {}", why);
        }
        if (state == State.IN_PROGRESS) {
            replication.promote();
        }
        clear();
    }

    private void clear() {
        state = State.NONE;
        targetHost = null;
        targetPort = 0;
        endMillis = 0;
        force = false;
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
        pause.holdForFailover(false);
    }
}
