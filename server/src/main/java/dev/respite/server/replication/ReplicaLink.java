package dev.respite.server.replication;

import dev.respite.server.net.Client;
import dev.respite.server.net.OutputBufferWatch;

/**
 * A replica as its master sees it: the connection it synchronises over, where it is in the
 * synchronisation, what it announced in REPLCONF and what it acknowledged.
 */
final class ReplicaLink {
    /** Redis's replica states, with the names INFO prints. */
    enum State {
        WAIT_BGSAVE("wait_bgsave"),
        SEND_BULK("send_bulk"),
        ONLINE("online");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    final Client client;
    /** Null while the replica only announced itself (REPLCONF), before SYNC or PSYNC. */
    State state;

    long waitingSinceMillis;
    int listeningPort;
    /** REPLCONF ip-address: what INFO and ROLE print instead of the peer's address. */
    String announcedIp;

    boolean capaEof;
    boolean capaPsync2;
    /** REPLCONF rdb-only 1: the replica wants the payload and no stream (redis-cli --rdb). */
    boolean rdbOnly;
    /** Asked with the old SYNC: the payload comes without a +FULLRESYNC line. */
    boolean legacySync;
    /** After a diskless payload, the stream starts only once the replica acknowledged (it reads up to the mark). */
    boolean streamOnAck;
    /**
     * Where the replica stands in the shared replication buffer, from its full resynchronisation's offset (or the
     * offset it continued from) on; null before that and for rdb-only replicas.
     */
    ReplicationBuffer.Cursor cursor;
    /** Whether its socket takes the stream now: not before its payload is through. */
    boolean streaming;

    final OutputBufferWatch outputWatch = new OutputBufferWatch();

    long ackOffset;
    /** REPLCONF ACK ... FACK: the offset up to which the replica's append-only file is fsynced. */
    long aofAckOffset;

    long ackMillis = System.currentTimeMillis();

    ReplicaLink(Client client) {
        this.client = client;
    }

    /** The address INFO and ROLE print: the announced one, else the peer's. */
    String ip() {
        if (announcedIp != null) {
            return announcedIp;
        }
        String addr = client.address();
        int colon = addr.lastIndexOf(':');
        return colon < 0 ? addr : addr.substring(0, colon);
    }
}
