package dev.respite.server.info;

import dev.respite.server.ServerStats;
import dev.respite.server.net.Client;
import dev.respite.server.net.Clients;
import dev.respite.storage.Keyspace;

/**
 * The one place used_memory is defined: the keyspace's dataset estimate plus the clients' pending output.
 * Not the JVM heap in use, which swings with uncollected garbage. Eviction checks {@link #usedMemory()}
 * before every write, so it reads the client buffers as last sampled (by the cron each tick, or by a
 * report); INFO, MEMORY and /metrics all take their figures from {@link #observe()} or {@link #peek()}.
 */
public final class MemoryAccounting {
    private final Keyspace keyspace;
    private final Clients clients;
    private final ServerStats stats;
    private long clientBufferBytes;

    public MemoryAccounting(Keyspace keyspace, Clients clients, ServerStats stats) {
        this.keyspace = keyspace;
        this.clients = clients;
        this.stats = stats;
    }

    /** used_memory as of the last sample of the client buffers. */
    public long usedMemory() {
        return keyspace.datasetBytes() + clientBufferBytes;
    }

    /** Sums every client's pending output now and records used_memory's peak: the cron, each tick. */
    public void sample() {
        clientBufferBytes = pendingOutput();
        stats.observeMemory(usedMemory());
    }

    /** Samples as {@link #sample()} does, then reports: INFO and MEMORY, as Redis's INFO records the peak. */
    public MemoryUsage observe() {
        sample();
        return figures(usedMemory(), clientBufferBytes, stats.peakMemory());
    }

    /**
     * The same figures as {@link #observe()} but changes nothing: a /metrics scrape neither moves the peak
     * nor the sample eviction reads, so INFO answers the same with or without scrapes.
     */
    public MemoryUsage peek() {
        long buffers = pendingOutput();
        long used = keyspace.datasetBytes() + buffers;
        return figures(used, buffers, Math.max(stats.peakMemory(), used));
    }

    private MemoryUsage figures(long used, long buffers, long peak) {
        Runtime rt = Runtime.getRuntime();
        long committed = rt.totalMemory();
        return new MemoryUsage(
                used,
                keyspace.datasetBytes(),
                buffers,
                peak,
                committed - rt.freeMemory(),
                committed,
                MemoryFigures.residentBytes());
    }

    private long pendingOutput() {
        long buffers = 0;
        for (Client c : clients.all()) {
            buffers += c.pendingOutputBytes();
        }
        return buffers;
    }
}
