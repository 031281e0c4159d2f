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
    private final long[] cycleSamples = new long[SAMPLES];
    private final long[] durationSamples = new long[SAMPLES];
    private int sampleIndex;
    private long lastSampleMillis;
    private long lastCycles;
    private long lastDurationNanos;

    public void cycle(long nanos) {
        cycles++;
        durationNanos += nanos;
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
        lastCycles = 0;
        lastDurationNanos = 0;
    }
}
