package dev.respite.server.cluster.bus;

/**
 * What the cluster's node logic hears from the bus. Every call runs on the keyspace thread's event loop,
 * between two commands, so the handler may read and change the node table without locks.
 */
public interface ClusterBusHandler {

    /** The link can carry messages: an outbound connection completed, or a node connected to our bus port. */
    default void connected(ClusterLink link) {}

    /** A valid message arrived on the link. */
    void received(ClusterLink link, ClusterMessage message);

    /** A packet Redis would ignore (wrong version, lengths that disagree): dropped, and the link kept. */
    default void dropped(ClusterLink link, BusProtocolException reason) {}

    /** The link is gone: closed by either side, failed to connect, or broke the framing. */
    void closed(ClusterLink link);
}
