package dev.respite.server;

import dev.respite.server.config.ServerConfig;
import dev.respite.server.info.MemoryAccounting;
import dev.respite.server.net.Client;
import dev.respite.server.net.Clients;
import dev.respite.server.persistence.Persistence;
import dev.respite.server.persistence.Snapshots;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work on the keyspace thread, hz times per second: statistics, memory sampling and eviction, active
 * expiry, idle-client timeouts, output soft limits, the append-only file and the save rules.
 */
final class ServerCron {
    private static final Logger log = LoggerFactory.getLogger(ServerCron.class);
    private static final int CLIENTS_PER_CRON_TICK = 200;
    private static final int MAX_HZ = 500;

    private final ServerConfig config;
    private final ServerStats stats;
    private final Clients clients;
    private final MemoryAccounting memory;
    private final Eviction eviction;
    private final ActiveExpiry activeExpiry;
    private final dev.respite.server.replication.Replication replication;
    private final Persistence persistence;
    private final Snapshots snapshots;
    private final ShutdownSequence shutdown;
    private EventLoop loop;
    private boolean paused;

    ServerCron(
            ServerConfig config,
            ServerStats stats,
            Clients clients,
            MemoryAccounting memory,
            Eviction eviction,
            ActiveExpiry activeExpiry,
            Persistence persistence,
            Snapshots snapshots,
            dev.respite.server.replication.Replication replication,
            ShutdownSequence shutdown) {
        this.replication = replication;
        this.shutdown = shutdown;
        this.config = config;
        this.stats = stats;
        this.clients = clients;
        this.memory = memory;
        this.eviction = eviction;
        this.activeExpiry = activeExpiry;
        this.persistence = persistence;
        this.snapshots = snapshots;
    }

    /** Starts ticking on {@code loop} until it shuts down. */
    void start(EventLoop loop) {
        this.loop = loop;
        schedule();
    }

    /**
     * Runs the cron once, then again after 1/hz seconds, reading hz each time so CONFIG SET hz takes effect at the
     * next tick. With dynamic-hz, the frequency doubles for every 200 clients per tick, up to 500, as in Redis.
     */
    private void schedule() {
        loop.schedule(
                () -> {
                    try {
                        tick();
                    } finally {
                        if (!loop.isShuttingDown()) {
                            schedule();
                        }
                    }
                },
                1000 / effectiveHz(),
                TimeUnit.MILLISECONDS);
    }

    /** The cron frequency in force: hz, raised under dynamic-hz while many clients are connected. */
    int effectiveHz() {
        int hz = config.hz;
        if (config.dynamicHz) {
            while (clients.count() / hz > CLIENTS_PER_CRON_TICK && hz < MAX_HZ) {
                hz = Math.min(MAX_HZ, hz * 2);
            }
        }
        return hz;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    private void tick() {
        if (paused) {
            return;
        }
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        stats.sample(now);
        for (Client c : clients.all()) {
            c.enforceOutputLimit();
        }
        clients.resizeBuffers(now, effectiveHz());
        memory.sample();
        // Clients first, as in Redis: the keys stay when the memory to free is the clients'.
        clients.memory().enforce(config, stats);
        eviction.cron();
        // On a replica it only expires what the replica's own clients wrote with a TTL (replica-read-only no):
        // the master's keys leave when its DELs arrive.
        activeExpiry.cron(Math.max(1, 1000 / config.hz));
        if (config.timeout > 0) {
            long limit = config.timeout * 1000L;
            for (Client c : new ArrayList<>(clients.all())) {
                // As in Redis, replicas, the master and subscribers (Sentinel's hello link among them) are never idle.
                boolean exempt = c.isBlocked() || c.isMaster() || c.isReplica() || c.inPubSubContext();
                if (!exempt && now - c.lastInteractionMillis() > limit) {
                    log.info("Closing idle client {} ({})", c.id(), c.address());
                    c.channel().close();
                }
            }
        }
        persistence.cron();
        replication.cron();
        shutdown.cron();
        snapshots.applySaveRules(loop);
        clients.flushAll();
        stats.cycles().cron(System.nanoTime() - start);
    }
}
