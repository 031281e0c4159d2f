package dev.respite.server.net;

/**
 * The size of one client's query buffer as Redis reports it (CLIENT LIST's qbuf-free is this size less qbuf).
 * Respite reads into Netty's buffers, so the figure is kept as Redis would size its own: grown by each read and
 * by the header of a big argument, and trimmed by the cron when the client is idle or its recent peak is far
 * below the size. A few comparisons per read; the trimming happens in {@link #cron}.
 */
final class QueryBufferSize {
    /** Redis reads this much at a time, and gives a small buffer exactly this room to read into. */
    private static final int READ_LENGTH = 16 * 1024;
    /** An argument this long gets room for all of it when its header arrives. */
    private static final int BIG_ARGUMENT = 32 * 1024;
    /** Only buffers above this size are trimmed to their recent peak. */
    private static final int RESIZE_THRESHOLD = 32 * 1024;
    /** The cron leaves a buffer alone that wastes no more than this. */
    private static final int WASTE_ALLOWED = 4 * 1024;
    /** Growing for a read doubles the length wanted up to this much, then adds this much. */
    private static final int MAX_PREALLOC = 1024 * 1024;
    /** A client silent for more than this many whole seconds has its buffer trimmed to what it holds. */
    private static final long IDLE_SECONDS = 2;

    /** A new client's buffer is an empty string's. */
    private long size = LibcMalloc.stringCapacity(0);
    /** The most the buffer held (or was sized for) since the cron last looked. */
    private long peak;
    /** The announced length of the argument being read, -1 between arguments. */
    private long bulk = -1;

    long size() {
        return size;
    }

    /** A read of {@code bytes} arrived after {@code held} bytes not yet consumed. */
    void read(long held, long bytes) {
        if (bulk >= BIG_ARGUMENT) {
            // Room for the whole argument was made when its header arrived: the read is for the rest of it.
            reserveExactly(bulk + 2);
        } else if (size < READ_LENGTH) {
            reserveExactly(held + READ_LENGTH);
        } else if (size - held < READ_LENGTH) {
            grow(held + READ_LENGTH);
        }
        // Redis reads at most the room it made; a longer read of Netty's counts as filling it.
        peak = Math.max(peak, Math.min(held + bytes, size));
    }

    /**
     * The read's whole commands were taken: {@code length} bytes remain, inside an argument announced as
     * {@code bulkLength} bytes long (-1 when between arguments).
     */
    void decoded(long length, long bulkLength) {
        if (bulkLength >= BIG_ARGUMENT && bulkLength != bulk) {
            reserveExactly(bulkLength + 2);
        }
        bulk = bulkLength;
        if (length > size) {
            grow(length);
        }
        peak = Math.max(peak, length);
    }

    /**
     * The cron's visit, with {@code length} bytes held: a buffer wasting more than a few kilobytes is trimmed to
     * what it holds when the client was silent for a while, or, when it is big and more than twice its recent
     * peak, to that peak (never below what it holds or the argument being read). The peak then starts anew.
     */
    void cron(long length, long nowMillis, long lastInteractionMillis) {
        if (size - length > WASTE_ALLOWED) {
            if (nowMillis / 1000 - lastInteractionMillis / 1000 > IDLE_SECONDS) {
                size = length;
            } else if (size > RESIZE_THRESHOLD && size / 2 > peak) {
                size = Math.max(Math.max(length, peak), bulk == -1 ? 0 : bulk + 2);
            }
        }
        peak = bulk == -1 ? length : Math.max(length, bulk + 2);
    }

    /** Room for {@code wanted} bytes in all, made without slack. */
    private void reserveExactly(long wanted) {
        if (size < wanted) {
            size = LibcMalloc.stringCapacity(wanted);
        }
        peak = Math.max(peak, wanted);
    }

    /** Room for {@code wanted} bytes in all, with slack for further reads. */
    private void grow(long wanted) {
        size = LibcMalloc.stringCapacity(wanted < MAX_PREALLOC ? wanted * 2 : wanted + MAX_PREALLOC);
    }
}
