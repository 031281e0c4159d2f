package dev.respite.protocol;

/**
 * A client broke the wire format. The message is the text Redis sends before closing the connection,
 * without the leading "ERR ".
 */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
