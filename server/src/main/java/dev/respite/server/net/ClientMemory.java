package dev.respite.server.net;

import dev.respite.server.ServerStats;
import dev.respite.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients' memory as Redis tracks it: each client's last figure (its tot-mem, {@link Client#memoryUsage}),
 * summed by class as it changes, for INFO's mem_clients_normal and mem_clients_slaves, used_memory, and client
 * eviction: while the normal and pub/sub clients together use maxmemory-clients or more, the largest of those
 * not exempted by CLIENT NO-EVICT are disconnected (Redis's evictClients).
 */
public final class ClientMemory {
    private static final Logger log = LoggerFactory.getLogger(ClientMemory.class);

    /** Normal and pub/sub clients that may be evicted. */
    static final int EVICTABLE = 0;
    /** Normal and pub/sub clients with CLIENT NO-EVICT on: they count toward the limit but stay. */
    static final int EXEMPT = 1;

    static final int REPLICA = 2;
    /** This server's link to its master. */
    static final int MASTER = 3;

    private final long[] totals = new long[4];
    private final Clients clients;
    private long lastLimit;
    private boolean overLimitReported;

    ClientMemory(Clients clients) {
        this.clients = clients;
    }

    /** A client's figure changed from {@code oldBytes} in class {@code oldKind} to {@code bytes} in {@code kind}. */
    void moved(int oldKind, long oldBytes, int kind, long bytes) {
        totals[oldKind] -= oldBytes;
        totals[kind] += bytes;
    }

    /** mem_clients_normal: normal, pub/sub and master clients, as Redis counts them. */
    public long normal() {
        return totals[EVICTABLE] + totals[EXEMPT] + totals[MASTER];
    }

    /** mem_clients_slaves: the replicas' connections, their pending stream first of all. */
    public long replicas() {
        return totals[REPLICA];
    }

    /** Takes every client's figure now: the cron and INFO. */
    public void refresh() {
        for (Client c : clients.all()) {
            c.refreshMemory();
        }
    }

    /**
     * Disconnects the largest evictable clients while normal and pub/sub clients use maxmemory-clients or more.
     * Run after each command, each read and by the cron, as Redis runs it before each command and before
     * sleeping; it costs a comparison unless clients must go.
     */
    public void enforce(ServerConfig config, ServerStats stats) {
        long limit = config.maxmemoryClients.bytes(config.maxmemory);
        if (limit != lastLimit) {
            // As Redis applies a new maxmemory-clients: the evictable clients' figures are taken anew.
            lastLimit = limit;
            for (Client c : clients.all()) {
                c.updateMemory();
            }
        }
        if (limit == 0 || totals[EVICTABLE] + totals[EXEMPT] < limit) {
            overLimitReported = false;
            return;
        }
        if (totals[EVICTABLE] > 0) {
            evictLargest(limit, stats);
        }
        if (totals[EVICTABLE] + totals[EXEMPT] >= limit && !overLimitReported) {
            overLimitReported = true;
            log.warn("Over client maxmemory after evicting all evictable clients");
        }
    }

    private void evictLargest(long limit, ServerStats stats) {
        List<Client> candidates = new ArrayList<>();
        for (Client c : clients.all()) {
            if (c.memoryKind() == EVICTABLE && c.lastMemory() > 0) {
                candidates.add(c);
            }
        }
        candidates.sort((a, b) -> Long.compare(b.lastMemory(), a.lastMemory()));
        for (int i = 0; i < candidates.size() && totals[EVICTABLE] + totals[EXEMPT] >= limit; i++) {
            Client c = candidates.get(i);
            log.info(
                    "Evicting client: id={} addr={} name={} tot-mem={}", c.id(), c.address(), c.name(), c.lastMemory());
            stats.evictedClients++;
            c.evict();
        }
    }
}
