package dev.respite.server.info;

import dev.respite.server.ServerStats;
import dev.respite.server.net.Client;
import dev.respite.server.net.ClientMemory;
import dev.respite.server.net.Clients;
import dev.respite.storage.Keyspace;
import java.util.function.LongSupplier;

/**
 * The one place used_memory is defined: the keyspace's dataset estimate plus every client's memory (tot-mem:
 * query buffers, arguments, pending output, transactions, subscriptions), as {@link ClientMemory} sums it.
 * Not the JVM heap in use, which swings with uncollected garbage. Clients' figures move as they read, run
 * commands and get output, and the cron takes all of them each tick; INFO, MEMORY and /metrics all take their
 * figures from {@link #observe()} or {@link #peek()}.
 */
public final class MemoryAccounting {
    private final Keyspace keyspace;
    private final Clients clients;
    private final ServerStats stats;
    /** The replicas' share of the shared replication buffer beyond the backlog: their pending stream. */
    private LongSupplier replicaStream = () -> 0;

    public MemoryAccounting(Keyspace keyspace, Clients clients, ServerStats stats) {
        this.keyspace = keyspace;
        this.clients = clients;
        this.stats = stats;
    }

    /** The replication buffer's excess over the backlog counts as the replicas' memory, as in Redis. */
    public void countReplicaStream(LongSupplier replicaStream) {
        this.replicaStream = replicaStream;
    }

    /** used_memory as of the clients' last figures. */
    public long usedMemory() {
        ClientMemory m = clients.memory();
        return keyspace.datasetBytes() + m.normal() + replicas(m.replicas());
    }

    private long replicas(long connections) {
        return connections + replicaStream.getAsLong();
    }

    /**
     * What maxmemory is compared with: used_memory without mem_not_counted_for_evict, the replicas' buffers.
     * As in Redis, counting them would evict keys to make room for the DELs of evicted keys sent to replicas.
     */
    public long memoryForEviction() {
        return usedMemory() - notCountedForEviction();
    }

    private long notCountedForEviction() {
        return replicas(clients.memory().replicas());
    }

    /** Takes every client's figure now and records used_memory's peak: the cron, each tick. */
    public void sample() {
        clients.memory().refresh();
        stats.observeMemory(usedMemory());
    }

    /** Samples as {@link #sample()} does, then reports: INFO and MEMORY, as Redis's INFO records the peak. */
    public MemoryUsage observe() {
        sample();
        ClientMemory m = clients.memory();
        return figures(usedMemory(), m.normal(), replicas(m.replicas()), stats.peakMemory());
    }

    /**
     * The same figures as {@link #observe()} but changes nothing: a /metrics scrape neither moves the peak
     * nor the figures eviction reads, so INFO answers the same with or without scrapes.
     */
    public MemoryUsage peek() {
        long normal = 0;
        long replicas = 0;
        for (Client c : clients.all()) {
            if (c.isReplica() && !c.isMaster()) {
                replicas += c.memoryUsage();
            } else {
                normal += c.memoryUsage();
            }
        }
        replicas = replicas(replicas);
        long used = keyspace.datasetBytes() + normal + replicas;
        return figures(used, normal, replicas, Math.max(stats.peakMemory(), used));
    }

    private MemoryUsage figures(long used, long normal, long replicas, long peak) {
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        return new MemoryUsage(
                used,
                keyspace.datasetBytes(),
                normal,
                replicas,
                replicas,
                peak,
                committed - rt.freeMemory(),
                committed,
                MemoryFigures.residentBytes());
    }
}
