package dev.respite.bench;

import dev.respite.storage.expiry.ExpiryCallback;
import dev.respite.storage.expiry.ExpiryWheel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One tick of active expiry in a steady state: {@code timers} keys with TTLs spread evenly over ten seconds,
 * each expired key coming back with a fresh ten-second TTL, so every tick has the same work: about
 * timers / 1000 keys due, and every registration of the visited slot examined once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExpiryWheelBenchmark {
    private static final long TICK_MILLIS = 10;
    private static final long TTL_MILLIS = 10_000;

    /** A key's expiry, as the wheel's callback sees it. */
    static final class Timer {
        long expireAt;
    }

    @Param({"100000", "1000000"})
    public int timers;

    private final ExpiryWheel<Timer> wheel = new ExpiryWheel<>(1024, TICK_MILLIS);
    private final List<Timer> due = new ArrayList<>();
    private final ExpiryCallback<Timer> callback = new ExpiryCallback<>() {
        @Override
        public long currentExpireAt(Timer t) {
            return t.expireAt;
        }

        @Override
        public void expire(Timer t) {
            due.add(t);
        }
    };
    private long now;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < timers; i++) {
            Timer t = new Timer();
            t.expireAt = rnd.nextLong(TTL_MILLIS) + 1;
            wheel.schedule(t, t.expireAt);
        }
        now = 0;
        wheel.advance(now, Integer.MAX_VALUE, callback);
    }

    @Benchmark
    public int tick() {
        now += TICK_MILLIS;
        int expired = wheel.advance(now, Integer.MAX_VALUE, callback);
        // The wheel is told about the new TTLs after the tick: its callback must not reschedule.
        for (int i = 0; i < due.size(); i++) {
            Timer t = due.get(i);
            t.expireAt += TTL_MILLIS;
            wheel.schedule(t, t.expireAt);
        }
        due.clear();
        return expired;
    }
}
