package dev.respite.server.info;

/**
 * The memory figures INFO memory, MEMORY STATS, MEMORY DOCTOR and /metrics report, taken at one moment.
 *
 * @param used          used_memory: the dataset estimate plus the clients' pending output; what maxmemory limits
 * @param dataset       used_memory_dataset: the keyspace's estimate of its keys and values
 * @param clientBuffers mem_clients_normal: replies written but not yet sent
 * @param peak          used_memory_peak: the highest {@code used} recorded since the start or CONFIG RESETSTAT
 * @param heapUsed      allocator_allocated: the JVM heap in use, uncollected garbage included
 * @param heapCommitted allocator_active: the JVM heap reserved from the system
 * @param rss           used_memory_rss: the resident set of the process
 */
public record MemoryUsage(
        long used, long dataset, long clientBuffers, long peak, long heapUsed, long heapCommitted, long rss) {}
