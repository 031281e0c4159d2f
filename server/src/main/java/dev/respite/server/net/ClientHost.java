package dev.respite.server.net;

import dev.respite.server.ServerStats;
import dev.respite.server.acl.AccessControl;
import dev.respite.server.config.ServerConfig;
import dev.respite.storage.Keyspace;

/** What a connection uses of the server it belongs to; a test hosts clients without starting one. */
public interface ClientHost {
    /** The databases SELECT chooses from. */
    Keyspace keyspace();

    /** The default user a connection starts as. */
    AccessControl acl();

    ServerConfig config();

    /** Where the client's replies are batched and flushed. */
    Clients clients();

    ServerStats stats();

    /** Runs a command the client sent while it was blocked or paused, as the dispatcher runs any other. */
    void dispatch(Client c, byte[][] args);

    /** Replaces what the running command writes to the append-only file (see {@link Client#propagate}). */
    void propagate(byte[][]... commands);

    /** Whether anything (the append-only file, a replica) takes what commands propagate now. */
    default boolean propagates() {
        return true;
    }
}
