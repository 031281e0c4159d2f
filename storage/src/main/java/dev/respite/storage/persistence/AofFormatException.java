package dev.respite.storage.persistence;

/**
 * An append-only file that does not parse. {@code truncated} means the file simply ends inside a command
 * (what a crash mid-write leaves); otherwise the bytes at {@code offset} are not valid RESP.
 */
public final class AofFormatException extends Exception {
    private final long offset;
    private final long lastGoodOffset;
    private final boolean truncated;

    public AofFormatException(String message, long offset, long lastGoodOffset, boolean truncated) {
        super(message);
        this.offset = offset;
        this.lastGoodOffset = lastGoodOffset;
        this.truncated = truncated;
    }

    /** Where the problem was found. */
    public long offset() {
        return offset;
    }

    /** The end of the last complete command before the problem: the length a fix truncates to. */
    public long lastGoodOffset() {
        return lastGoodOffset;
    }

    public boolean truncated() {
        return truncated;
    }
}
