package dev.respite.storage.persistence;

/**
 * A manifest that cannot be used: the server must not start on it. The message is Redis's own wording
 * (tools and tests look for it); the line, when there is one, is the offending line as read.
 */
public final class AofManifestException extends IllegalArgumentException {
    private final int lineNumber;
    private final String line;

    AofManifestException(String message, int lineNumber, String line) {
        super(message);
        this.lineNumber = lineNumber;
        this.line = line;
    }

    /** 1-based; 0 when the problem is not tied to a line (an empty manifest). */
    public int lineNumber() {
        return lineNumber;
    }

    /** The offending line with its surrounding blanks trimmed, or null. */
    public String line() {
        return line;
    }
}
