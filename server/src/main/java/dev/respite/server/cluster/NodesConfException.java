package dev.respite.server.cluster;

/** nodes.conf cannot be used: unreadable, locked by another server, or a line that does not parse. */
public final class NodesConfException extends Exception {
    public NodesConfException(String message) {
        super(message);
    }

    public NodesConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
