package dev.respite.storage.expiry;

/**
 * How an {@link ExpiryWheel} sees the caller's entries. Both methods run on the thread calling
 * {@link ExpiryWheel#advance} and must not call {@code advance} themselves.
 */
public interface ExpiryCallback<E> {
    /**
     * The entry's current expiry in epoch milliseconds, or -1 if it no longer has one (deleted, replaced, or
     * persisted). Once {@link #expire} has been called for an entry this must return -1 for it.
     */
    long currentExpireAt(E entry);

    /** Expires the entry, which is due: {@code currentExpireAt(entry)} is at or before the time passed to advance. */
    void expire(E entry);
}
