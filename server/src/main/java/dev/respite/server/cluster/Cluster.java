package dev.respite.server.cluster;

import dev.respite.server.cluster.bus.BusStatistics;
import dev.respite.server.cluster.bus.ClusterBus;
import dev.respite.server.config.ClusterSettings;
import dev.respite.server.config.ServerConfig;
import dev.respite.server.net.ServerTls;
import dev.respite.server.net.Transport;
import dev.respite.storage.Database;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode on this node: the {@link ClusterState}, its nodes.conf, database 0's keys by slot and the
 * configuration they follow. Changes recorded on the state are acted on once per batch of commands
 * ({@link #beforeSleep}): the state recomputed, nodes.conf saved. All on the keyspace thread.
 */
public final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final ServerConfig config;
    private final ClusterSettings settings;
    private final SlotKeyIndex keyIndex = new SlotKeyIndex();
    /** The bus's message counts; a bus that starts passes its own (see {@link #useBusStatistics}). */
    private BusStatistics busStatistics = new BusStatistics();

    private ClusterState state;
    private NodesConfFile file;
    private ClusterGossip gossip;
    private Database db0;
    private ClusterBus bus;
    private BiConsumer<Database, byte[]> slotKeyDeleted = (db, key) -> {};
    private final ServerTls tls;
    /**
     * tls-cluster as the server started: the bus listens and connects over TLS, and the TLS port is the one nodes
     * announce first (and MEET names). CONFIG SET changes the parameter, not the running bus.
     */
    private final boolean tlsBus;

    public Cluster(ServerConfig config, ServerTls tls) {
        this.config = config;
        this.settings = config.cluster;
        this.tls = tls;
        this.tlsBus = config.tls.cluster;
    }

    public boolean enabled() {
        return settings.enabled;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** Whether the bus runs over TLS (tls-cluster at start): the primary client port is then the TLS one. */
    public boolean tlsBus() {
        return tlsBus;
    }

    /** Redis's defaultClientPort: the port the bus port derives from, and MEET's port is taken as. */
    private int defaultClientPort() {
        return tlsBus ? config.tls.port : config.port;
    }

    /** Whether replicas follow their master's TLS port (tls-replication, read at each change of master). */
    boolean tlsReplication() {
        return config.tls.replication;
    }

    public ClusterState state() {
        return state;
    }

    public BusStatistics busStatistics() {
        return busStatistics;
    }

    /** CLUSTER INFO reports the counts of the bus that runs. */
    public void useBusStatistics(BusStatistics statistics) {
        this.busStatistics = statistics;
    }

    public SlotKeyIndex keyIndex() {
        return keyIndex;
    }

    /** Keeps database 0's keys by slot from now on (before any data is loaded). */
    public void indexKeys(Database db0) {
        this.db0 = db0;
        db0.setKeyIndex(keyIndex);
    }

    /**
     * Told of each key deleted because its slot went to another node, after the deletion: the DEL must reach the
     * replicas and the append-only file, as Redis's delKeysInSlot propagates it.
     */
    public void onSlotKeyDeleted(BiConsumer<Database, byte[]> listener) {
        this.slotKeyDeleted = listener;
    }

    /** Empties database 0 without propagating anything, as a replica reset to a master does (Redis's emptyData). */
    void dropAllKeys() {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            keyIndex.keys(slot, Long.MAX_VALUE, keys::add);
        }
        keys.forEach(db0::delete);
    }

    /**
     * Redis's clusterRedirectBlockedClientIfNeeded: the error ending the wait of a client blocked on {@code key}
     * (its first key; all share one slot), or null while this node still serves the slot (or imports it, or is
     * a replica serving a READONLY client's read of its master's slot). A failed cluster ends every wait, since
     * the write that would serve it cannot come.
     */
    public String blockedClientError(dev.respite.server.net.Client c, byte[] key) {
        if (!state.isOk()) {
            return "CLUSTERDOWN The cluster is down";
        }
        int slot = KeySlot.of(key);
        ClusterNode owner = state.owner(slot);
        ClusterNode me = state.myself();
        if (c.clusterReadOnly()
                && c.lastCommand() != null
                && !c.lastCommand().isWrite()
                && me.isReplica()
                && me.master() == owner) {
            return null;
        }
        if (owner == me || state.importingFrom(slot) != null) {
            return null;
        }
        if (owner == null) {
            return "CLUSTERDOWN Hash slot not served";
        }
        return "MOVED " + slot + " " + endpoint(owner) + ":" + owner.clientPort(c.isTls());
    }

    /**
     * DEBUG CLUSTERLINK KILL: closes the bus link to ({@code to}), from ({@code from}) or both ({@code all}) the
     * node named {@code nodeId}; they reopen as usual. Returns Redis's error, or null when done.
     */
    public String killLinks(String direction, String nodeId) {
        if (!enabled()) {
            return "ERR Debug option only available for cluster mode enabled setup!";
        }
        ClusterNode n = state.node(nodeId);
        if (n == null) {
            return "ERR Unknown node " + nodeId;
        }
        boolean to = direction.equalsIgnoreCase("to") || direction.equalsIgnoreCase("all");
        boolean from = direction.equalsIgnoreCase("from") || direction.equalsIgnoreCase("all");
        if (!to && !from) {
            return "ERR Unknown direction " + direction;
        }
        if (gossip != null) {
            gossip.killLinks(n, to, from);
        }
        return null;
    }

    /** INFO's mem_cluster_links: the bytes waiting in the bus links' send buffers. */
    public long linkMemory() {
        return bus == null ? 0 : bus.sendBufferBytes();
    }

    /** DEBUG DROP-CLUSTER-PACKET-FILTER: bus messages of {@code type} are dropped on arrival (-1: none). */
    public void dropPacketsOfType(long type) {
        if (gossip != null) {
            gossip.dropPacketsOfType(type);
        }
    }

    /** Deletes the keys of a slot this node no longer serves. */
    private void deleteKeysInSlot(int slot) {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        keyIndex.keys(slot, Long.MAX_VALUE, keys::add);
        for (byte[] key : keys) {
            if (db0.delete(key)) {
                slotKeyDeleted.accept(db0, key);
            }
        }
    }

    /**
     * Locks and loads nodes.conf, or starts a new node (a master with a random id) and writes it; then takes
     * this node's addresses from the configuration, which wins over the file.
     */
    public void start() throws NodesConfException {
        if (settings.busPort(defaultClientPort()) > 65535) {
            throw new NodesConfException("Redis port number too high. Cluster communication port is 10,000 port"
                    + " numbers higher than your Redis port. Your Redis port number must be 55535 or less.");
        }
        file = new NodesConfFile(Path.of(config.dir).resolve(settings.configFile));
        file.lock();
        String text = file.read();
        boolean save = false;
        if (text != null) {
            state = NodesConfParser.parse(text, System.currentTimeMillis(), tlsBus);
            log.info("Node configuration loaded, I'm {}", state.myself().id());
        } else {
            state = new ClusterState();
            ClusterNode me = new ClusterNode(ClusterState.randomId(), ClusterState.randomId(), NodeFlags.MASTER);
            state.addNode(me);
            state.setMyself(me);
            log.info("No cluster configuration found, I'm {}", me.id());
            save = true;
        }
        announcedPorts();
        ClusterNode me = state.myself();
        if (!settings.announceIp.isEmpty()) {
            me.setIp(settings.announceIp);
        }
        me.setHostname(settings.announceHostname);
        me.setHumanNodename(settings.announceHumanNodename);
        noFailoverFlag();
        if (save) {
            try {
                file.write(configText(), true);
            } catch (IOException e) {
                throw new NodesConfException("Fatal: can't update cluster config file: " + e.getMessage(), e);
            }
        }
        state.takePending();
        state.note(ClusterState.PENDING_UPDATE_STATE);
        watchConfiguration();
    }

    /**
     * Opens the cluster bus on the bus port of each bind address and lets the node logic drive it (call after
     * {@link #start}, from outside the loop). {@code holdWrites} pauses client writes during a manual failover;
     * what clients publish travels to the other nodes' subscribers of {@code pubsub} and back.
     */
    public void startBus(
            EventLoop loop,
            Transport transport,
            ReplicaControl replication,
            Consumer<Boolean> holdWrites,
            dev.respite.server.pubsub.PubSubHub pubsub)
            throws InterruptedException {
        gossip = new ClusterGossip(this, replication, holdWrites, this::deleteKeysInSlot, pubsub);
        bus = new ClusterBus(loop, transport, gossip, 2 * config.protoMaxBulkLen + 65536, System::currentTimeMillis);
        if (tlsBus) {
            if (!tls.loaded()) {
                throw new IllegalStateException("tls-cluster needs tls-cert-file and tls-key-file");
            }
            bus.useTls(tls::bus, tls::outbound);
        }
        gossip.useBus(bus);
        useBusStatistics(bus.statistics());
        int port = settings.busPort(defaultClientPort());
        boolean everyAddress = false;
        for (String addr : config.bind) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            if (host.equals("::*") && everyAddress) {
                // As for the client port: "*" took both address families already.
                continue;
            }
            try {
                bus.listen(
                        switch (host) {
                            case "*" -> "0.0.0.0";
                            case "::*" -> "::";
                            default -> host;
                        },
                        port);
                everyAddress |= host.equals("*");
            } catch (Exception e) {
                if (!optional) {
                    throw new IllegalStateException(
                            "Could not bind cluster bus " + host + ":" + port + ": " + e.getMessage(), e);
                }
                log.warn("Could not bind optional cluster bus address {}:{}: {}", host, port, e.getMessage());
            }
        }
    }

    /** The node logic on the bus; null until {@link #startBus}. */
    public ClusterGossip gossip() {
        return gossip;
    }

    long replicaPingPeriodMillis() {
        return config.replication.pingReplicaPeriod * 1000L;
    }

    /** Myself's ports from port, tls-port and the cluster-announce-* parameters. */
    private void announcedPorts() {
        ClusterNode me = state.myself();
        me.setTcpPort(settings.announcePort != 0 ? settings.announcePort : config.port);
        me.setTlsPort(settings.announceTlsPort != 0 ? settings.announceTlsPort : config.tls.port);
        me.setBusPort(settings.announceBusPort != 0 ? settings.announceBusPort : settings.busPort(defaultClientPort()));
    }

    private void noFailoverFlag() {
        ClusterNode me = state.myself();
        int flags = settings.replicaNoFailover ? me.flags() | NodeFlags.NOFAILOVER : me.flags() & ~NodeFlags.NOFAILOVER;
        if (flags != me.flags()) {
            state.setFlags(me, flags);
        }
    }

    /** CONFIG SET of the announced addresses and names reaches myself at once, as in Redis. */
    private void watchConfiguration() {
        for (String p :
                new String[] {"cluster-announce-port", "cluster-announce-bus-port", "cluster-announce-tls-port"}) {
            config.param(p).onChange(this::announcedPorts);
        }
        config.param("cluster-announce-ip").onChange(() -> {
            if (!settings.announceIp.equals(state.myself().ip()) && !settings.announceIp.isEmpty()) {
                state.myself().setIp(settings.announceIp);
            } else if (settings.announceIp.isEmpty()) {
                state.myself().setIp("");
            }
        });
        config.param("cluster-announce-hostname").onChange(() -> {
            if (!settings.announceHostname.equals(state.myself().hostname())) {
                state.myself().setHostname(settings.announceHostname);
                state.note(ClusterState.PENDING_SAVE_CONFIG);
            }
        });
        config.param("cluster-announce-human-nodename").onChange(() -> {
            if (!settings.announceHumanNodename.equals(state.myself().humanNodename())) {
                state.myself().setHumanNodename(settings.announceHumanNodename);
                state.note(ClusterState.PENDING_SAVE_CONFIG);
            }
        });
        config.param("cluster-replica-no-failover").onChange(this::noFailoverFlag);
    }

    /** nodes.conf's content: the node lines with their aux fields, then the epochs. */
    public String configText() {
        return NodesDescription.of(state, true) + "vars currentEpoch " + Long.toUnsignedString(state.currentEpoch())
                + " lastVoteEpoch " + Long.toUnsignedString(state.lastVoteEpoch()) + "\n";
    }

    /** Writes nodes.conf now (CLUSTER SAVECONFIG). */
    public void save(boolean fsync) throws IOException {
        file.write(configText(), fsync);
    }

    /** Work recorded since the last batch: the state recomputed, nodes.conf saved (a failed save is fatal). */
    public void beforeSleep() {
        if (state == null) {
            return;
        }
        int pending = state.takePending();
        if ((pending & ClusterState.PENDING_UPDATE_STATE) != 0) {
            updateState();
        }
        if ((pending & ClusterState.PENDING_SAVE_CONFIG) != 0) {
            try {
                save((pending & ClusterState.PENDING_FSYNC_CONFIG) != 0);
            } catch (IOException e) {
                log.error("Fatal: can't update cluster config file: {}", e.getMessage());
                Runtime.getRuntime().halt(1);
            }
        }
    }

    /** The periodic part (10 times a second): a cluster that is down is re-evaluated until it is up. */
    public void cron() {
        if (gossip != null) {
            gossip.cron();
        }
        if (state != null && !state.isOk()) {
            updateState();
        }
        beforeSleep();
    }

    private void updateState() {
        boolean wasOk = state.isOk();
        state.updateState(System.currentTimeMillis(), settings.requireFullCoverage, settings.nodeTimeout);
        if (wasOk != state.isOk()) {
            log.info("Cluster state changed: {}", state.isOk() ? "ok" : "fail");
        }
    }

    /**
     * Redis's CLUSTER RESET: other nodes forgotten, every slot released and closed; HARD also gives this node
     * a new id and shard id and sets the epochs to zero.
     */
    public void reset(boolean hard) {
        ClusterNode me = state.myself();
        if (gossip != null) {
            gossip.resetRole();
        } else if (me.isReplica()) {
            state.setMaster(me, null);
            state.setFlags(me, (me.flags() & ~NodeFlags.SLAVE) | NodeFlags.MASTER);
        }
        state.closeAllSlots();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            state.clearSlot(slot);
        }
        for (ClusterNode n : state.nodes().toArray(new ClusterNode[0])) {
            if (n != me) {
                state.removeNode(n);
            }
        }
        if (hard) {
            state.setCurrentEpoch(0);
            state.setLastVoteEpoch(0);
            state.setConfigEpoch(me, 0);
            state.renameMyself(ClusterState.randomId(), ClusterState.randomId());
            log.info("Node hard reset, now I'm {}", me.id());
        }
        state.note(ClusterState.PENDING_SAVE_CONFIG
                | ClusterState.PENDING_UPDATE_STATE
                | ClusterState.PENDING_FSYNC_CONFIG);
    }

    /** How a node is named to clients under cluster-preferred-endpoint-type, as MOVED and ASK name it. */
    public String endpoint(ClusterNode n) {
        return switch (settings.preferredEndpointType) {
            case IP -> n.ip();
            case HOSTNAME -> n.hostname().isEmpty() ? "?" : n.hostname();
            case UNKNOWN_ENDPOINT -> "";
        };
    }

    /** At shutdown: nodes.conf saved as it stands, and its lock released. */
    public void shutdown() {
        if (bus != null) {
            bus.close();
        }
        if (file == null) {
            return;
        }
        try {
            save(true);
        } catch (IOException e) {
            log.warn("Could not save the cluster config file at shutdown: {}", e.getMessage());
        }
        file.close();
    }
}
