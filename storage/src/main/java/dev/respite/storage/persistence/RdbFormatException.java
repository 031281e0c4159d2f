package dev.respite.storage.persistence;

import java.io.IOException;

/** An RDB file or DUMP payload that is damaged or uses something Respite does not load; names the byte offset. */
public final class RdbFormatException extends IOException {
    private final long offset;
    private final String reason;

    public RdbFormatException(String message, long offset) {
        super(message + " (at offset " + offset + ")");
        this.offset = offset;
        this.reason = message;
    }

    /** What is wrong, without the offset. */
    public String reason() {
        return reason;
    }

    /** Offset in the file or payload where reading stopped. */
    public long offset() {
        return offset;
    }
}
