package dev.respite.server.info;

/**
 * The memory figures INFO memory, MEMORY STATS, MEMORY DOCTOR and /metrics report, taken at one moment.
 *
 * @param used           used_memory: the dataset estimate plus the clients' memory; maxmemory limits it less
 *                       {@code notCounted}
 * @param dataset        used_memory_dataset: the keyspace's estimate of its keys and values
 * @param clientsNormal  mem_clients_normal: the memory of normal, pub/sub and master clients (CLIENT LIST tot-mem)
 * @param clientsReplicas mem_clients_slaves: the memory of replicas' connections, their pending stream above all
 * @param notCounted     mem_not_counted_for_evict: the part of {@code used} eviction leaves out (replica buffers)
 * @param peak           used_memory_peak: the highest {@code used} recorded since the start or CONFIG RESETSTAT
 * @param heapUsed       allocator_allocated: the JVM heap in use, uncollected garbage included
 * @param heapCommitted  allocator_active: the JVM heap reserved from the system
 * @param rss            used_memory_rss: the resident set of the process
 */
public record MemoryUsage(
        long used,
        long dataset,
        long clientsNormal,
        long clientsReplicas,
        long notCounted,
        long peak,
        long heapUsed,
        long heapCommitted,
        long rss) {}
