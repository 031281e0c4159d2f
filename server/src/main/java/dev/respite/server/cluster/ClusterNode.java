package dev.respite.server.cluster;

import dev.respite.server.cluster.bus.ClusterLink;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * One node of the cluster as this node knows it: identity, addresses, flags, role, epochs, the slots it
 * serves and the state of the bus link to it. Owned by {@link ClusterState}, which keeps the slot table and
 * the master/replica relations consistent; the setters here are for what concerns this node alone.
 */
public final class ClusterNode {
    private String id;
    private String shardId;
    private String ip = "";
    private int tcpPort;
    private int tlsPort;
    private int busPort;
    private String hostname = "";
    private String humanNodename = "";
    int flags;
    ClusterNode master;
    final List<ClusterNode> replicas = new ArrayList<>();
    final BitSet slots = new BitSet(KeySlot.SLOTS);
    private long pingSent;
    private long pongReceived;
    private long configEpoch;
    private boolean linked;
    private int failureReports;
    private long replOffset;
    private final long createdMillis = System.currentTimeMillis();
    /** The bus link this node opened to the node, and the one the node opened to us; null when none. */
    ClusterLink link;

    ClusterLink inboundLink;
    /** When anything last arrived from the node, when it was flagged FAIL, when this node last voted for a replica of it. */
    long dataReceived;

    long failTime;
    long votedTime;
    /** Since when this master has had no working replica while a migration target; 0 when it has one. */
    long orphanedSince;

    public ClusterNode(String id, String shardId, int flags) {
        this.id = id;
        this.shardId = shardId;
        this.flags = flags;
    }

    public String id() {
        return id;
    }

    void rename(String newId) {
        this.id = newId;
    }

    public String shardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    public String ip() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public void setTcpPort(int port) {
        this.tcpPort = port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public void setTlsPort(int port) {
        this.tlsPort = port;
    }

    public int busPort() {
        return busPort;
    }

    public void setBusPort(int port) {
        this.busPort = port;
    }

    public String hostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public String humanNodename() {
        return humanNodename;
    }

    public void setHumanNodename(String name) {
        this.humanNodename = name;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isMyself() {
        return has(NodeFlags.MYSELF);
    }

    public boolean isMaster() {
        return has(NodeFlags.MASTER);
    }

    public boolean isReplica() {
        return has(NodeFlags.SLAVE);
    }

    public boolean failed() {
        return has(NodeFlags.FAIL);
    }

    public boolean timedOut() {
        return has(NodeFlags.PFAIL);
    }

    /** The master this replica follows; null for a master (or a replica whose master is unknown). */
    public ClusterNode master() {
        return master;
    }

    public List<ClusterNode> replicas() {
        return Collections.unmodifiableList(replicas);
    }

    public boolean ownsSlot(int slot) {
        return slots.get(slot);
    }

    public int slotCount() {
        return slots.cardinality();
    }

    public long pingSent() {
        return pingSent;
    }

    public void setPingSent(long millis) {
        this.pingSent = millis;
    }

    public long pongReceived() {
        return pongReceived;
    }

    public void setPongReceived(long millis) {
        this.pongReceived = millis;
    }

    public long configEpoch() {
        return configEpoch;
    }

    public void setConfigEpoch(long epoch) {
        this.configEpoch = epoch;
    }

    /** Whether the bus has an outgoing link to this node ("connected" in CLUSTER NODES). */
    public boolean linked() {
        return linked;
    }

    public void setLinked(boolean linked) {
        this.linked = linked;
    }

    public int failureReports() {
        return failureReports;
    }

    public void setFailureReports(int count) {
        this.failureReports = count;
    }

    /** The replication offset the bus last reported for this node. */
    public long replOffset() {
        return replOffset;
    }

    public void setReplOffset(long offset) {
        this.replOffset = offset;
    }

    public long createdMillis() {
        return createdMillis;
    }

    /** The port clients use: the TLS one when asked for TLS. */
    public int clientPort(boolean tls) {
        return tls ? tlsPort : tcpPort;
    }

    /**
     * The ports a bus header or gossip entry carries as port and pport: the first is the TLS port when the bus
     * runs over TLS ({@code tlsFirst}), the TCP port otherwise, and the second the other one.
     */
    public void setClientPorts(boolean tlsFirst, int port, int pport) {
        this.tlsPort = tlsFirst ? port : pport;
        this.tcpPort = tlsFirst ? pport : port;
    }

    /** The epoch CLUSTER NODES shows: a replica shows its master's. */
    public long shownEpoch() {
        return isReplica() && master != null ? master.configEpoch : configEpoch;
    }
}
