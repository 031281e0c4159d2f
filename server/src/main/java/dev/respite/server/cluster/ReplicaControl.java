package dev.respite.server.cluster;

/** What the node logic asks of replication: whom to follow, becoming a master, how far the data is. */
public interface ReplicaControl {
    /** Replicate from the master at {@code host:port} (nothing changes when already doing so). */
    void follow(String host, int port);

    /** Stop replicating: this node is a master now. */
    void becomeMaster();

    /** The replication offset: produced on a master, applied on a replica. */
    long offset();

    /** Milliseconds since the master was last heard from (0 on a master). */
    long masterSilenceMillis(long now);
}
