package dev.respite.server.persistence;

/**
 * A consumer of the propagated command stream (the append-only file, the replication stream), fed on the
 * keyspace thread in execution order.
 */
public interface PropagationSink {
    /** A sink that takes nothing. */
    PropagationSink NONE = new PropagationSink() {
        @Override
        public boolean accepting() {
            return false;
        }

        @Override
        public void feed(int db, byte[][] cmd) {
            throw new IllegalStateException("nothing accepts propagated commands");
        }
    };

    /** Whether commands are wanted now; when no sink accepts, nothing is encoded at all. */
    boolean accepting();

    /** One command executed in database {@code db} (-1: not tied to one, as MULTI and EXEC). */
    void feed(int db, byte[][] cmd);

    /**
     * A command meant for replicas went only to the append-only file, no stream taking it: as Redis's, a master's
     * offset still moves on (by one), so that WAITAOF tells the writes apart.
     */
    default void unreplicated() {}

    /** How far the stream went so far (the replication offset). */
    default long offset() {
        return 0;
    }
}
