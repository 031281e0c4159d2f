package dev.respite.server;

/**
 * What INFO's eventloop_* fields report. Netty does not expose its loop iterations, so a cycle is one unit
 * of work the keyspace loop does for Respite: one read batch of a connection, or one cron run. Its duration
 * is the time that work took.
 */
public final class EventLoopCycles {
    private static final int SAMPLES = 16;

    private long cycles;
    private long durationNanos;
    private long maxDurationNanos;
    private long cronNanos;
    private long aofNanos;
    private long maxCommandsPerCycle;
    private final long[] cycleSamples = new long[SAMPLES];
    private final long[] durationSamples = new long[SAMPLES];
    private int sampleIndex;
    private long lastSampleMillis;
    private long lastCycles;
    private long lastDurationNanos;

    public void cycle(long nanos) {
        cycles++;
        durationNanos += nanos;
        maxDurationNanos = Math.max(maxDurationNanos, nanos);
    }

    /** A read batch that ran {@code commands} commands. */
    public void cycle(long nanos, long commands) {
        cycle(nanos);
        maxCommandsPerCycle = Math.max(maxCommandsPerCycle, commands);
    }

    /** A cron run, which is a cycle of its own. */
    public void cron(long nanos) {
        cycle(nanos);
        cronNanos += nanos;
    }

    /** Time the keyspace thread spent handing the append-only file's bytes to its writer. */
    public void aof(long nanos) {
        aofNanos += nanos;
    }

    /** INFO debug's eventloop_duration_cron_sum, in microseconds. */
    public long cronMicros() {
        return cronNanos / 1000;
    }

    /** INFO debug's eventloop_duration_aof_sum, in microseconds. */
    public long aofMicros() {
        return aofNanos / 1000;
    }

    /** INFO debug's eventloop_duration_max: the longest cycle, in microseconds. */
    public long maxDurationMicros() {
        return maxDurationNanos / 1000;
    }

    /** INFO debug's eventloop_cmd_per_cycle_max. */
    public long maxCommandsPerCycle() {
        return maxCommandsPerCycle;
    }

    public long cycles() {
        return cycles;
    }

    public long durationMicros() {
        return durationNanos / 1000;
    }

    /** Cycles per second, averaged over the last samples as Redis does for its instantaneous figures. */
    public long instantaneousCyclesPerSec() {
        long sum = 0;
        for (long v : cycleSamples) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    /** The average duration of one cycle over the last samples, in microseconds. */
    public long instantaneousDurationMicros() {
        long sum = 0;
        for (long v : durationSamples) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    void sample(long nowMillis) {
        if (lastSampleMillis != 0 && nowMillis > lastSampleMillis) {
            long n = cycles - lastCycles;
            cycleSamples[sampleIndex] = n * 1000 / (nowMillis - lastSampleMillis);
            durationSamples[sampleIndex] = n == 0 ? 0 : (durationNanos - lastDurationNanos) / 1000 / n;
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        lastSampleMillis = nowMillis;
        lastCycles = cycles;
        lastDurationNanos = durationNanos;
    }

    void reset() {
        cycles = 0;
        durationNanos = 0;
        maxDurationNanos = 0;
        cronNanos = 0;
        aofNanos = 0;
        maxCommandsPerCycle = 0;
        lastCycles = 0;
        lastDurationNanos = 0;
    }
}
