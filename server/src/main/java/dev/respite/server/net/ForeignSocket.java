package dev.respite.server.net;

/**
 * A client's channel that stands for a socket Netty does not own (a replica's link to its master, read by a
 * thread of its own): CLIENT LIST shows that socket's descriptor, as Redis shows its master client's.
 */
public interface ForeignSocket {
    /** The socket's file descriptor, or -1 if it cannot be known. */
    int fd();
}
