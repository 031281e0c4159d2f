package dev.respite.server.net;

import dev.respite.server.config.ClientOutputBufferLimits.Limit;

/**
 * Redis's output-limit rule for one client: over the hard limit at any moment, or over the soft limit
 * continuously for longer than its seconds. Remembers when the soft limit was first passed.
 */
public final class OutputBufferWatch {
    private long softSinceMillis = -1;

    /** True if a client with {@code pendingBytes} of unsent output must be disconnected now. */
    public boolean exceeded(Limit limit, long pendingBytes, long nowMillis) {
        if (limit.hardBytes() > 0 && pendingBytes >= limit.hardBytes()) {
            return true;
        }
        if (limit.softBytes() == 0 || pendingBytes < limit.softBytes()) {
            softSinceMillis = -1;
            return false;
        }
        if (softSinceMillis < 0) {
            softSinceMillis = nowMillis;
            return false;
        }
        return nowMillis - softSinceMillis > limit.softSeconds() * 1000;
    }

    /** As {@link #exceeded(Limit, long, long)}, reading the clock only past the soft limit, where time counts. */
    public boolean exceeded(Limit limit, long pendingBytes) {
        boolean soft = limit.softBytes() > 0 && pendingBytes >= limit.softBytes();
        return exceeded(limit, pendingBytes, soft ? System.currentTimeMillis() : 0);
    }
}
