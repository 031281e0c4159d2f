package dev.respite.storage.expiry;

import java.util.Arrays;

/**
 * A hashed timing wheel for active expiry, owned by the keyspace thread (not thread-safe).
 *
 * <p>Time is cut into ticks of {@code tickMillis}; tick {@code t} maps to slot {@code t mod slots}, so a slot holds
 * the registrations of every rotation at once. {@link #schedule} appends the entry to the slot of its expiry time
 * in O(1). {@link #advance} visits the slots whose ticks have started since the previous call (the current tick's
 * slot included, so nothing due by {@code now} waits for the next tick) and asks the {@link ExpiryCallback} about
 * each registration:
 * <ul>
 *   <li>no expiry any more: dropped;</li>
 *   <li>expiry at or before {@code now}: dropped and expired;</li>
 *   <li>expiry later but in another slot: dropped as stale, the entry having been rescheduled there;</li>
 *   <li>expiry later in this slot: kept for a later rotation.</li>
 * </ul>
 * Stale registrations are therefore harmless and need no removal call; they cost one callback when their slot
 * comes round. Re-scheduling an entry at an unchanged time adds a duplicate that lives until it is due, so callers
 * should schedule only when the expiry actually changes.
 *
 * <p>Each slot is a plain growable {@code Object[]} (no node per registration, no stored times: the entry knows
 * its expiry). Slots found empty after a visit drop their array; mostly empty ones shrink.
 */
public final class ExpiryWheel<E> {
    private static final int INITIAL_SLOT_CAPACITY = 4;
    /** Below this capacity a slot is never shrunk; the saving would not pay for the copy. */
    private static final int SHRINK_THRESHOLD = 64;

    private final long tickMillis;
    private final int slotMask;
    private final Object[][] slotEntries;
    private final int[] slotSizes;
    private long registrations;
    /** The tick being visited; every earlier tick has been visited. Starts far in the past: nothing visited yet. */
    private long cursorTick = Long.MIN_VALUE;
    /** How far into the cursor slot the visit has got, when a budget ran out in the middle of it. */
    private int cursorPosition;
    /** The time the registrations before {@code cursorPosition} were checked against. */
    private long cursorCheckedAt;

    /**
     * @param slots number of slots, a power of two; with {@code tickMillis} it sets the rotation period, and should
     *              exceed the typical number of ticks between {@link #advance} calls
     * @param tickMillis width of a tick in milliseconds, typically the period of the caller's advance calls
     */
    public ExpiryWheel(int slots, long tickMillis) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a positive power of two: " + slots);
        }
        if (tickMillis <= 0) {
            throw new IllegalArgumentException("tickMillis must be positive: " + tickMillis);
        }
        this.tickMillis = tickMillis;
        this.slotMask = slots - 1;
        this.slotEntries = new Object[slots][];
        this.slotSizes = new int[slots];
    }

    /**
     * Registers {@code entry} to be checked at {@code expireAtMillis}. Call whenever an entry gets or changes its
     * expiry; earlier registrations of the entry become stale and are dropped when their slot is visited. A time
     * already visited is registered in the slot visited next, so it is expired by the next {@link #advance}.
     */
    public void schedule(E entry, long expireAtMillis) {
        int slot = (int) (Math.max(tickOf(expireAtMillis), cursorTick) & slotMask);
        Object[] entries = slotEntries[slot];
        int size = slotSizes[slot];
        if (entries == null) {
            entries = slotEntries[slot] = new Object[INITIAL_SLOT_CAPACITY];
        } else if (size == entries.length) {
            entries = slotEntries[slot] = Arrays.copyOf(entries, size + (size >> 1));
        }
        entries[size] = entry;
        slotSizes[slot] = size + 1;
        registrations++;
    }

    /**
     * Visits the slots of every tick up to the one holding {@code nowMillis}, expiring what is due and dropping
     * stale registrations, until {@code budget} registrations have been examined; the next call resumes where this
     * one stopped. After a long pause (more ticks than slots) each slot is visited once rather than once per
     * missed tick. With an unlimited budget, every registered entry whose expiry is at or before
     * {@code nowMillis} has been expired on return.
     *
     * @return the number of entries expired
     */
    public int advance(long nowMillis, int budget, ExpiryCallback<E> callback) {
        long nowTick = tickOf(nowMillis);
        long earliestNeeded = nowTick - slotMask;
        if (cursorTick < earliestNeeded) {
            cursorTick = earliestNeeded;
            cursorPosition = 0;
        } else if (cursorTick == tickOf(cursorCheckedAt) && nowMillis > cursorCheckedAt) {
            // The visit stopped inside the tick it was checking: registrations already passed over may be due now.
            cursorPosition = 0;
        }
        int examined = 0;
        int expired = 0;
        while (true) {
            int slot = (int) (cursorTick & slotMask);
            while (cursorPosition < slotSizes[slot]) {
                if (examined == budget) {
                    cursorCheckedAt = nowMillis;
                    return expired;
                }
                examined++;
                @SuppressWarnings("unchecked")
                E entry = (E) slotEntries[slot][cursorPosition];
                long expireAt = callback.currentExpireAt(entry);
                if (expireAt < 0) {
                    removeAt(slot, cursorPosition);
                } else if (expireAt <= nowMillis) {
                    removeAt(slot, cursorPosition);
                    callback.expire(entry);
                    expired++;
                } else if ((tickOf(expireAt) & slotMask) != slot) {
                    removeAt(slot, cursorPosition);
                } else {
                    cursorPosition++;
                }
            }
            cursorPosition = 0;
            releaseSpare(slot);
            // The current tick stays the cursor: entries due later within it are caught by the next call.
            if (cursorTick >= nowTick) {
                return expired;
            }
            cursorTick++;
        }
    }

    /** Registrations held, stale ones included. */
    public long size() {
        return registrations;
    }

    /** Drops every registration and the slot arrays holding them. */
    public void clear() {
        Arrays.fill(slotEntries, null);
        Arrays.fill(slotSizes, 0);
        registrations = 0;
        cursorPosition = 0;
    }

    private long tickOf(long millis) {
        return Math.floorDiv(millis, tickMillis);
    }

    /** Order within a slot does not matter, so the last registration fills the hole; it is visited next. */
    private void removeAt(int slot, int position) {
        Object[] entries = slotEntries[slot];
        int last = slotSizes[slot] - 1;
        entries[position] = entries[last];
        entries[last] = null;
        slotSizes[slot] = last;
        registrations--;
    }

    private void releaseSpare(int slot) {
        Object[] entries = slotEntries[slot];
        if (entries == null) {
            return;
        }
        int size = slotSizes[slot];
        if (size == 0) {
            slotEntries[slot] = null;
        } else if (entries.length >= SHRINK_THRESHOLD && size < entries.length >> 2) {
            slotEntries[slot] = Arrays.copyOf(entries, Math.max(size << 1, INITIAL_SLOT_CAPACITY));
        }
    }
}
