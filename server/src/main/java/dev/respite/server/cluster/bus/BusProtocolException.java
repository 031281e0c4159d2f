package dev.respite.server.cluster.bus;

/**
 * Bytes on the cluster bus that are not a valid message. {@link #closesLink()} tells the two cases Redis
 * tells apart: a bad signature or a length below the header's closes the connection, while a packet whose
 * content disagrees with its length or version is dropped and the link keeps reading.
 */
public final class BusProtocolException extends RuntimeException {
    private final boolean closesLink;

    public BusProtocolException(String message, boolean closesLink) {
        super(message, null, false, false);
        this.closesLink = closesLink;
    }

    /** A packet Redis would ignore, keeping the link. */
    public static BusProtocolException dropped(String message) {
        return new BusProtocolException(message, false);
    }

    /** Framing Redis cannot follow: the link must close. */
    public static BusProtocolException fatal(String message) {
        return new BusProtocolException(message, true);
    }

    public boolean closesLink() {
        return closesLink;
    }
}
