package dev.respite.server.command;

/** Per-command counters for INFO commandstats and latencystats; updated on the keyspace thread only. */
public final class CommandStats {
    public long calls;
    public long usec;
    public long rejectedCalls;
    public long failedCalls;
    /** Created by the command's first tracked call, as Redis does, so unused commands cost no histogram. */
    private LatencyHistogram latency;

    public void recordLatency(long nanos) {
        if (latency == null) {
            latency = new LatencyHistogram();
        }
        latency.record(nanos);
    }

    /** The latency histogram, or null while no call has been tracked since start or the last reset. */
    public LatencyHistogram latency() {
        return latency;
    }

    public void reset() {
        calls = 0;
        usec = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        latency = null;
    }
}
