package dev.respite.server.net;

/**
 * The size of one client's reply buffer as Redis reports it (CLIENT LIST's rbs), and the most it held since its
 * peak was last reset (rbp). Redis copies replies into this buffer until it is full and queues the rest; Respite's
 * replies go to Netty's buffers, so each flush counts as filling it with up to its size. The cron halves a buffer
 * whose peak stayed below half of it and doubles a full one, between 1 KiB and 16 KiB.
 */
final class ReplyBufferSize {
    /** The largest size, and a new client's. */
    private static final int LARGEST = 16 * 1024;
    /** The smallest size a buffer shrinks to. */
    private static final int SMALLEST = 1024;
    /** How often the peak is reset unless DEBUG REPLYBUFFER PEAK-RESET-TIME says otherwise. */
    static final long DEFAULT_PEAK_RESET_MILLIS = 5000;

    private long size = LibcMalloc.usable(LARGEST);
    /** A new client's peak is its whole buffer, until the cron first resets it. */
    private long peak = size;
    /**
     * When the peak was last reset. Redis starts it at a time in seconds, which read as milliseconds lies far in
     * the past: a new client's peak is reset at the cron's first visit.
     */
    private long peakResetMillis;

    long size() {
        return size;
    }

    long peak() {
        return peak;
    }

    /** Replies of {@code bytes} left for the socket: Redis's buffer held as much of them as fits. */
    void flushed(int bytes) {
        long held = Math.min(bytes, size);
        if (held > peak) {
            peak = held;
        }
    }

    /**
     * The cron's visit, with {@code pending} bytes of replies not yet sent. The new size is chosen from the peak
     * before the peak is reset (every {@code resetMillis}, never when negative) to what the buffer holds now.
     */
    void cron(long pending, long nowMillis, long resetMillis) {
        long resized = 0;
        if (size / 2 >= SMALLEST && peak < size / 2) {
            resized = LibcMalloc.usable(Math.max(SMALLEST, peak + 1));
        } else if (size * 2 < LARGEST * 2 && peak == size) {
            resized = LibcMalloc.usable(Math.min(LARGEST, size * 2));
        }
        if (resetMillis >= 0 && nowMillis - peakResetMillis >= resetMillis) {
            peak = Math.min(pending, size);
            peakResetMillis = nowMillis;
        }
        if (resized != 0) {
            size = resized;
        }
    }
}
