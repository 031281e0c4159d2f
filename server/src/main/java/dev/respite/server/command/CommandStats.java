package dev.respite.server.command;

/** Per-command counters for INFO commandstats; updated on the keyspace thread only. */
public final class CommandStats {
    public long calls;
    public long usec;
    public long rejectedCalls;
    public long failedCalls;

    public void reset() {
        calls = 0;
        usec = 0;
        rejectedCalls = 0;
        failedCalls = 0;
    }
}
