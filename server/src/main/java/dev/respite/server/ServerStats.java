package dev.respite.server;

import java.util.Map;
import java.util.TreeMap;

/** Server-wide counters for INFO stats and errorstats; keyspace thread only. */
public final class ServerStats {
    private static final int SAMPLES = 16;

    public long totalCommandsProcessed;
    public long netInputBytes;
    public long netOutputBytes;
    /** The replication stream written to replicas (total_net_repl_output_bytes), apart from replies. */
    public long netReplOutputBytes;

    public long totalErrorReplies;
    public long unexpectedErrorReplies;
    public long outputLimitDisconnections;
    public long queryLimitDisconnections;
    /** Clients disconnected by maxmemory-clients (INFO evicted_clients). */
    public long evictedClients;
    /** Time spent inside command handlers, for eventloop_duration_cmd_sum. */
    public long commandNanos;
    /** Socket reads and writes (one write per flush of a client's batched replies). */
    public long readsProcessed;

    public long writesProcessed;
    /** ACL denials since start: CONFIG RESETSTAT leaves them, as Redis 7.2 does. */
    public long aclAccessDeniedAuth;

    public long aclAccessDeniedCmd;
    public long aclAccessDeniedKey;
    public long aclAccessDeniedChannel;
    private final EventLoopCycles cycles = new EventLoopCycles();
    private long peakMemory;
    private final Map<String, long[]> errorCounts = new TreeMap<>();
    private final java.util.List<Runnable> alsoReset = new java.util.ArrayList<>();

    private final long[] opsSamples = new long[SAMPLES];
    private final long[] inSamples = new long[SAMPLES];
    private final long[] outSamples = new long[SAMPLES];
    private int sampleIndex;
    private long lastSampleMillis;
    private long lastOps;
    private long lastIn;
    private long lastOut;

    public void countError(String code) {
        totalErrorReplies++;
        errorCounts.computeIfAbsent(code, k -> new long[1])[0]++;
    }

    public EventLoopCycles cycles() {
        return cycles;
    }

    /** The highest used_memory seen, sampled by the cron and by every INFO. */
    public long observeMemory(long used) {
        peakMemory = Math.max(peakMemory, used);
        return peakMemory;
    }

    public long peakMemory() {
        return peakMemory;
    }

    public Map<String, long[]> errorCounts() {
        return errorCounts;
    }

    /** Called by the server cron, as Redis samples every 100 ms. */
    public void sample(long nowMillis) {
        if (lastSampleMillis != 0 && nowMillis > lastSampleMillis) {
            long dt = nowMillis - lastSampleMillis;
            opsSamples[sampleIndex] = (totalCommandsProcessed - lastOps) * 1000 / dt;
            inSamples[sampleIndex] = (netInputBytes - lastIn) * 1000 / dt;
            outSamples[sampleIndex] = (netOutputBytes - lastOut) * 1000 / dt;
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        cycles.sample(nowMillis);
        lastSampleMillis = nowMillis;
        lastOps = totalCommandsProcessed;
        lastIn = netInputBytes;
        lastOut = netOutputBytes;
    }

    public long instantaneousOps() {
        return average(opsSamples);
    }

    public double instantaneousInputKbps() {
        return average(inSamples) / 1024.0;
    }

    public double instantaneousOutputKbps() {
        return average(outSamples) / 1024.0;
    }

    private static long average(long[] s) {
        long sum = 0;
        for (long v : s) {
            sum += v;
        }
        return sum / s.length;
    }

    public void reset() {
        totalCommandsProcessed = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        netReplOutputBytes = 0;
        totalErrorReplies = 0;
        outputLimitDisconnections = 0;
        queryLimitDisconnections = 0;
        evictedClients = 0;
        commandNanos = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        cycles.reset();
        peakMemory = 0;
        errorCounts.clear();
        for (Runnable r : alsoReset) {
            r.run();
        }
    }

    /** Counters kept elsewhere (replication's sync_full...) that CONFIG RESETSTAT resets too. */
    public void alsoReset(Runnable reset) {
        alsoReset.add(reset);
    }
}
