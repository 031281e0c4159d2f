package dev.respite.server.cluster;

import dev.respite.server.cluster.bus.ClusterBus;
import dev.respite.server.cluster.bus.ClusterBusHandler;
import dev.respite.server.cluster.bus.ClusterLink;
import dev.respite.server.cluster.bus.ClusterMessage;
import dev.respite.server.cluster.bus.FailureReports;
import dev.respite.server.cluster.bus.GossipEntry;
import dev.respite.server.cluster.bus.MessageBody;
import dev.respite.server.cluster.bus.MessageHeader;
import dev.respite.server.cluster.bus.MessageType;
import dev.respite.server.cluster.bus.PingExtension;
import dev.respite.server.cluster.bus.PingSchedule;
import dev.respite.server.cluster.bus.SlotBitmap;
import dev.respite.server.config.ClusterSettings;
import dev.respite.server.pubsub.PubSubHub;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node logic on the cluster bus, as Redis 7.2's cluster.c: the handshake that MEET starts, PING/PONG
 * with gossip about other nodes, what the headers teach (epochs, roles, slot ownership, addresses), failure
 * detection (PFAIL by timeout, FAIL by a majority of masters), UPDATE for stale slot claims, FORGET with its
 * ban, and the cron that keeps links up and pings. Elections and manual failovers are {@link ClusterFailover}'s.
 * Everything runs on the keyspace thread.
 */
public final class ClusterGossip implements ClusterBusHandler {
    private static final Logger log = LoggerFactory.getLogger(ClusterGossip.class);

    private final Cluster cluster;
    private final ClusterSettings settings;
    private final ReplicaControl replication;
    private final IntConsumer deleteKeysInSlot;
    private final PubSubHub pubsub;
    private final FailureReports reports;
    private final ForgottenNodes forgotten = new ForgottenNodes();
    private final ClusterFailover failover;
    /** Outbound links to the node each was opened for; inbound links to the node that spoke on them. */
    private final Map<ClusterLink, ClusterNode> outbound = new IdentityHashMap<>();

    private final Map<ClusterLink, ClusterNode> inbound = new IdentityHashMap<>();
    private ClusterBus bus;
    private long iteration;
    private int pfailNodes;
    /** DEBUG DROP-CLUSTER-PACKET-FILTER: messages of this type are ignored on arrival; -1 for none. */
    private long dropPacketFilter = -1;

    ClusterGossip(
            Cluster cluster,
            ReplicaControl replication,
            Consumer<Boolean> holdWrites,
            IntConsumer deleteKeysInSlot,
            PubSubHub pubsub) {
        this.pubsub = pubsub;
        pubsub.useClusterRelay(this::propagatePublish);
        this.cluster = cluster;
        this.settings = cluster.settings();
        this.replication = replication;
        this.deleteKeysInSlot = deleteKeysInSlot;
        this.reports = new FailureReports(() -> settings.nodeTimeout);
        this.failover = new ClusterFailover(this, cluster, replication, holdWrites);
        state().onRemoval(this::removed);
        state().onSlotCleared(pubsub::dropShardChannelsInSlot);
    }

    void useBus(ClusterBus bus) {
        this.bus = bus;
    }

    ClusterBus bus() {
        return bus;
    }

    ClusterFailover failover() {
        return failover;
    }

    private ClusterState state() {
        return cluster.state();
    }

    private ClusterNode myself() {
        return cluster.state().myself();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** Redis's getNodeDefaultReplicationPort: a replica follows its master's TLS port under tls-replication. */
    private int replicationPort(ClusterNode master) {
        return master.clientPort(cluster.tlsReplication());
    }

    // ---- commands

    /**
     * CLUSTER MEET: a handshake node for the address; false when the address is not an IP address or a port is
     * out of range. A handshake already under way with the same address is not repeated.
     */
    public boolean meet(String ip, long port, long busPort) {
        byte[] addr = NetUtil.createByteArrayFromIpAddressString(ip);
        if (addr == null || port <= 0 || port > 65535 || busPort <= 0 || busPort > 65535) {
            return false;
        }
        String normalized;
        try {
            normalized = NetUtil.toAddressString(InetAddress.getByAddress(addr));
        } catch (UnknownHostException e) {
            return false;
        }
        for (ClusterNode n : state().nodes()) {
            if (n.has(NodeFlags.HANDSHAKE)
                    && n.ip().equalsIgnoreCase(normalized)
                    && n.clientPort(cluster.tlsBus()) == port
                    && n.busPort() == busPort) {
                return true;
            }
        }
        ClusterNode n =
                new ClusterNode(ClusterState.randomId(), ClusterState.randomId(), NodeFlags.HANDSHAKE | NodeFlags.MEET);
        n.setIp(normalized);
        n.setClientPorts(cluster.tlsBus(), (int) port, 0);
        n.setBusPort((int) busPort);
        state().addNode(n);
        return true;
    }

    /** CLUSTER FORGET of a known node other than myself and my master: removed, and banned for a minute. */
    public void forget(ClusterNode n) {
        forgotten.add(n.id(), now() / 1000);
        state().removeNode(n);
    }

    /** Whether CLUSTER FORGET removed {@code id} less than a minute ago. */
    public boolean recentlyForgotten(String id) {
        return forgotten.contains(id, now() / 1000);
    }

    /** The outbound and inbound links of each node, for CLUSTER LINKS. */
    public List<Map.Entry<ClusterNode, ClusterLink>> links() {
        List<Map.Entry<ClusterNode, ClusterLink>> out = new ArrayList<>();
        for (ClusterNode n : state().nodes()) {
            if (n.link != null) {
                out.add(Map.entry(n, n.link));
            }
            if (n.inboundLink != null) {
                out.add(Map.entry(n, n.inboundLink));
            }
        }
        return out;
    }

    /** Valid failure reports about {@code n}. */
    public int failureReports(ClusterNode n) {
        return reports.count(n.id(), now());
    }

    /** Redis's clusterSetMaster: myself becomes a replica of {@code master} and replicates from it. */
    void replicate(ClusterNode master) {
        ClusterNode me = myself();
        if (me.isMaster()) {
            state().setFlags(me, (me.flags() & ~(NodeFlags.MASTER | NodeFlags.MIGRATE_TO)) | NodeFlags.SLAVE);
            state().closeAllSlots();
        }
        state().setMaster(me, master);
        me.setShardId(master.shardId());
        if (!master.ip().isEmpty()) {
            replication.follow(master.ip(), replicationPort(master));
        }
        failover.resetManual();
        state().note(ClusterState.PENDING_SAVE_CONFIG | ClusterState.PENDING_UPDATE_STATE);
    }

    /** CLUSTER RESET of a replica: a master again, replicating from nobody, with its data emptied. */
    void resetRole() {
        ClusterNode me = myself();
        if (me.isReplica()) {
            setNodeAsMaster(me);
            replication.becomeMaster();
            cluster.dropAllKeys();
        }
        failover.resetManual();
    }

    /** A node left the table: its links close and the failure reports about it and by it go. */
    private void removed(ClusterNode n) {
        reports.forget(n.id());
        killLinks(n, true, true);
    }

    /** Closes the link this node opened to {@code n} ({@code to}) and the one {@code n} opened ({@code from}). */
    void killLinks(ClusterNode n, boolean to, boolean from) {
        if (to && n.link != null) {
            ClusterLink l = n.link;
            dropOutbound(n);
            l.close();
        }
        if (from && n.inboundLink != null) {
            ClusterLink l = n.inboundLink;
            inbound.remove(l);
            n.inboundLink = null;
            l.close();
        }
    }

    void dropPacketsOfType(long type) {
        dropPacketFilter = type;
    }

    private void dropOutbound(ClusterNode n) {
        if (n.link != null) {
            outbound.remove(n.link);
            n.link = null;
            n.setLinked(false);
        }
    }

    // ---- the bus's events

    @Override
    public void connected(ClusterLink link) {
        ClusterNode n = outbound.get(link);
        if (n == null) {
            return;
        }
        long oldPingSent = n.pingSent();
        sendPing(link, n.has(NodeFlags.MEET) ? MessageType.MEET : MessageType.PING);
        if (oldPingSent != 0) {
            n.setPingSent(oldPingSent);
        }
        n.flags &= ~NodeFlags.MEET;
    }

    @Override
    public void closed(ClusterLink link) {
        ClusterNode n = outbound.remove(link);
        if (n != null && n.link == link) {
            n.link = null;
            n.setLinked(false);
        }
        ClusterNode in = inbound.remove(link);
        if (in != null && in.inboundLink == link) {
            in.inboundLink = null;
        }
    }

    @Override
    public void received(ClusterLink link, ClusterMessage m) {
        MessageType type = m.kind();
        if (m.type() == dropPacketFilter) {
            log.warn("Dropping packet that matches debug drop filter");
            return;
        }
        if (type == null || link.isClosed()) {
            return;
        }
        long now = now();
        MessageHeader h = m.header();
        boolean isOutbound = link.direction() == ClusterLink.Direction.TO;
        ClusterNode linkNode = isOutbound ? outbound.get(link) : inbound.get(link);
        if (isOutbound && linkNode == null) {
            return;
        }
        ClusterNode sender;
        if (linkNode != null && !linkNode.has(NodeFlags.HANDSHAKE)) {
            sender = linkNode;
        } else {
            sender = state().node(h.sender());
            if (sender != null && !isOutbound && linkNode == null) {
                associateInbound(sender, link);
            }
        }
        if (sender != null) {
            sender.dataReceived = now;
        }
        if (sender != null && !sender.has(NodeFlags.HANDSHAKE)) {
            if (Long.compareUnsigned(h.currentEpoch(), state().currentEpoch()) > 0) {
                state().setCurrentEpoch(h.currentEpoch());
            }
            if (Long.compareUnsigned(h.configEpoch(), sender.configEpoch()) > 0) {
                state().setConfigEpoch(sender, h.configEpoch());
                state().note(ClusterState.PENDING_FSYNC_CONFIG);
            }
            sender.setReplOffset(h.offset());
            failover.heardFrom(sender, h);
        }
        switch (type) {
            case PING, PONG, MEET -> {
                if (!ping(link, type, h, (MessageBody.Ping) m.body(), sender, linkNode, now)) {
                    return;
                }
            }
            case FAIL -> failMessage(sender, ((MessageBody.Fail) m.body()).nodename(), now);
            case FAILOVER_AUTH_REQUEST -> {
                if (sender != null) {
                    failover.voteIfNeeded(sender, h, now);
                }
            }
            case FAILOVER_AUTH_ACK -> {
                if (sender != null) {
                    failover.ackReceived(sender, h);
                }
            }
            case MFSTART -> {
                if (sender != null && sender.master() == myself()) {
                    failover.manualStartRequested(sender, now);
                }
            }
            case PUBLISH, PUBLISHSHARD -> {
                if (sender != null) {
                    MessageBody.Publish p = (MessageBody.Publish) m.body();
                    if (type == MessageType.PUBLISH) {
                        pubsub.publish(p.channel(), p.message());
                    } else {
                        pubsub.publishShard(p.channel(), p.message());
                    }
                }
            }
            case UPDATE -> {
                if (sender != null) {
                    update((MessageBody.Update) m.body());
                }
            }
            default -> {}
        }
    }

    private void associateInbound(ClusterNode sender, ClusterLink link) {
        if (sender.inboundLink != null && sender.inboundLink != link) {
            // A node has one inbound link: a newer connection replaces the old one.
            ClusterLink old = sender.inboundLink;
            inbound.remove(old);
            old.close();
        }
        sender.inboundLink = link;
        inbound.put(link, sender);
        link.nodeName(sender.id());
    }

    /** PING, PONG and MEET; false when the link or the node behind it went away. */
    private boolean ping(
            ClusterLink link,
            MessageType type,
            MessageHeader h,
            MessageBody.Ping body,
            ClusterNode sender,
            ClusterNode linkNode,
            long now) {
        ClusterNode me = myself();
        boolean isOutbound = link.direction() == ClusterLink.Direction.TO;
        if (type == MessageType.PING || type == MessageType.MEET) {
            // Other nodes reach us at our official address: a MEET (or any ping while we know none) tells it.
            if ((type == MessageType.MEET || me.ip().isEmpty()) && settings.announceIp.isEmpty()) {
                String ip = address(link.localAddress());
                if (ip != null && !ip.equals(me.ip())) {
                    me.setIp(ip);
                    log.info("IP address for this node updated to {}", ip);
                    state().note(ClusterState.PENDING_SAVE_CONFIG);
                }
            }
            if (sender == null && type == MessageType.MEET) {
                ClusterNode n = new ClusterNode(ClusterState.randomId(), ClusterState.randomId(), NodeFlags.HANDSHAKE);
                n.setIp(peerIp(link, h));
                n.setClientPorts(cluster.tlsBus(), h.port(), h.pport());
                n.setBusPort(h.cport());
                state().addNode(n);
                gossip(h, body, null, now);
            }
            sendPing(link, MessageType.PONG);
        }
        if (isOutbound) {
            if (linkNode.has(NodeFlags.HANDSHAKE)) {
                if (sender != null) {
                    // We know this node already: the handshake node was a second name for it.
                    updateAddressIfNeeded(sender, link, h);
                    state().removeNode(linkNode);
                    return false;
                }
                if (state().node(h.sender()) == null && ClusterState.validId(h.sender())) {
                    state().rename(linkNode, h.sender());
                    link.nodeName(h.sender());
                    int flags = (linkNode.flags() & ~NodeFlags.HANDSHAKE)
                            | (h.flags() & (NodeFlags.MASTER | NodeFlags.SLAVE));
                    state().setFlags(linkNode, flags);
                    log.info("Handshake with node {} completed.", linkNode.id());
                }
            } else if (!linkNode.id().equals(h.sender())) {
                // Another node answers at this address now: the one we knew has no address until gossip tells.
                linkNode.flags |= NodeFlags.NOADDR;
                linkNode.setIp("");
                linkNode.setTcpPort(0);
                linkNode.setTlsPort(0);
                linkNode.setBusPort(0);
                dropOutbound(linkNode);
                link.close();
                state().note(ClusterState.PENDING_SAVE_CONFIG);
                return false;
            }
        }
        if (sender != null) {
            int nofailover = h.flags() & NodeFlags.NOFAILOVER;
            sender.flags = (sender.flags & ~NodeFlags.NOFAILOVER) | nofailover;
        }
        if (sender != null && type == MessageType.PING && !sender.has(NodeFlags.HANDSHAKE)) {
            updateAddressIfNeeded(sender, link, h);
        }
        if (isOutbound && type == MessageType.PONG) {
            linkNode.setPongReceived(now);
            linkNode.setPingSent(0);
            if (linkNode.timedOut()) {
                state().setFlags(linkNode, linkNode.flags() & ~NodeFlags.PFAIL);
            } else if (linkNode.failed()) {
                clearFailureIfNeeded(linkNode, now);
            }
        }
        if (sender == null) {
            return true;
        }
        roleOf(sender, h);
        ClusterNode senderMaster = sender.isMaster() ? sender : sender.master();
        boolean dirtySlots = senderMaster != null && !sameSlots(senderMaster, h.myslots());
        if (sender.isMaster() && dirtySlots) {
            updateSlotsWith(sender, h.configEpoch(), h.myslots());
        }
        if (dirtySlots) {
            staleClaims(sender, h);
        }
        if (me.isMaster() && sender.isMaster() && h.configEpoch() == me.configEpoch()) {
            epochCollision(sender);
        }
        gossip(h, body, sender, now);
        extensions(sender, body.extensions(), now);
        return true;
    }

    /** Redis's role switch from a header: master, or replica of the named master. */
    private void roleOf(ClusterNode sender, MessageHeader h) {
        if (h.slaveof() == null) {
            setNodeAsMaster(sender);
            return;
        }
        ClusterNode master = state().node(h.slaveof());
        if (sender.isMaster()) {
            for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
                if (state().owner(slot) == sender) {
                    state().clearSlot(slot);
                }
            }
            state().setFlags(sender, (sender.flags() & ~(NodeFlags.MASTER | NodeFlags.MIGRATE_TO)) | NodeFlags.SLAVE);
        }
        if (master != null && sender.master() != master) {
            state().setMaster(sender, master);
            sender.setShardId(master.shardId());
        }
    }

    /** The sender claims slots that a master with a newer config epoch serves: tell it with an UPDATE. */
    private void staleClaims(ClusterNode sender, MessageHeader h) {
        SlotBitmap claimed = h.myslots();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (!claimed.get(slot)) {
                continue;
            }
            ClusterNode owner = state().owner(slot);
            if (owner == null || owner == sender) {
                continue;
            }
            if (Long.compareUnsigned(owner.configEpoch(), h.configEpoch()) > 0) {
                if (sender.link != null) {
                    sender.link.send(new ClusterMessage(
                            MessageType.UPDATE,
                            header(),
                            new MessageBody.Update(owner.configEpoch(), owner.id(), slotsOf(owner))));
                }
                return;
            }
        }
    }

    /**
     * Two masters with one config epoch: the one with the smaller name takes a new epoch (Redis's
     * clusterHandleConfigEpochCollision), so that every slot conflict has a winner.
     */
    private void epochCollision(ClusterNode sender) {
        ClusterNode me = myself();
        if (sender.id().compareTo(me.id()) <= 0) {
            return;
        }
        state().setCurrentEpoch(state().currentEpoch() + 1);
        state().setConfigEpoch(me, state().currentEpoch());
        state().note(ClusterState.PENDING_FSYNC_CONFIG);
        log.info("WARNING: configEpoch collision with node {}. configEpoch set to {}", sender.id(), me.configEpoch());
    }

    private void update(MessageBody.Update u) {
        ClusterNode n = state().node(u.nodename());
        if (n == null || Long.compareUnsigned(n.configEpoch(), u.configEpoch()) >= 0) {
            return;
        }
        if (n.isReplica()) {
            setNodeAsMaster(n);
        }
        state().setConfigEpoch(n, u.configEpoch());
        updateSlotsWith(n, u.configEpoch(), u.slots());
    }

    private void failMessage(ClusterNode sender, String name, long now) {
        if (sender == null) {
            log.info("Ignoring FAIL message from unknown node about {}", name);
            return;
        }
        ClusterNode failing = state().node(name);
        if (failing != null && !failing.has(NodeFlags.FAIL | NodeFlags.MYSELF)) {
            log.info("FAIL message received from {} about {}", sender.id(), name);
            failing.failTime = now;
            state().setFlags(failing, (failing.flags() | NodeFlags.FAIL) & ~NodeFlags.PFAIL);
        }
    }

    /** Redis's clusterProcessGossipSection. */
    private void gossip(MessageHeader h, MessageBody.Ping body, ClusterNode sender, long now) {
        ClusterNode me = myself();
        for (GossipEntry g : body.gossip()) {
            int flags = g.flags();
            boolean reportedDown = (flags & (NodeFlags.FAIL | NodeFlags.PFAIL)) != 0;
            ClusterNode node = state().node(g.nodename());
            if (node != null) {
                if (sender != null && sender.isMaster() && node != me) {
                    if (reportedDown) {
                        if (reports.add(node.id(), sender.id(), now)) {
                            log.debug(
                                    "Node {} ({}) reported node {} ({}) as not reachable.",
                                    sender.id(),
                                    sender.humanNodename(),
                                    node.id(),
                                    node.humanNodename());
                        }
                        markFailingIfNeeded(node, now);
                    } else if (reports.remove(node.id(), sender.id(), now)) {
                        log.debug(
                                "Node {} ({}) reported node {} ({}) is back online.",
                                sender.id(),
                                sender.humanNodename(),
                                node.id(),
                                node.humanNodename());
                    }
                }
                if (!reportedDown && node.pingSent() == 0 && reports.count(node.id(), now) == 0) {
                    long pongTime = g.pongReceived() * 1000;
                    if (pongTime <= now + 500 && pongTime > node.pongReceived()) {
                        node.setPongReceived(pongTime);
                    }
                }
                if (node.has(NodeFlags.FAIL | NodeFlags.PFAIL)
                        && (flags & NodeFlags.NOADDR) == 0
                        && !reportedDown
                        && (!node.ip().equalsIgnoreCase(g.ip())
                                || node.clientPort(cluster.tlsBus()) != g.port()
                                || node.clientPort(!cluster.tlsBus()) != g.pport()
                                || node.busPort() != g.cport())) {
                    if (node.link != null) {
                        ClusterLink l = node.link;
                        dropOutbound(node);
                        l.close();
                    }
                    node.setIp(g.ip());
                    node.setClientPorts(cluster.tlsBus(), g.port(), g.pport());
                    node.setBusPort(g.cport());
                    node.flags &= ~NodeFlags.NOADDR;
                }
            } else if (sender != null
                    && (flags & NodeFlags.NOADDR) == 0
                    && ClusterState.validId(g.nodename())
                    && !forgotten.contains(g.nodename(), now / 1000)) {
                ClusterNode n = new ClusterNode(
                        g.nodename(), ClusterState.randomId(), flags & ~(NodeFlags.MYSELF | NodeFlags.HANDSHAKE));
                n.setIp(g.ip());
                n.setClientPorts(cluster.tlsBus(), g.port(), g.pport());
                n.setBusPort(g.cport());
                state().addNode(n);
            }
        }
    }

    /** Redis's clusterProcessPingExtensions: names, shard id, and nodes forgotten elsewhere. */
    private void extensions(ClusterNode sender, List<PingExtension> extensions, long now) {
        String hostname = "";
        String humanNodename = "";
        String shardId = null;
        ClusterNode me = myself();
        for (PingExtension e : extensions) {
            if (e instanceof PingExtension.Hostname x) {
                hostname = x.hostname();
            } else if (e instanceof PingExtension.HumanNodename x) {
                humanNodename = x.nodename();
            } else if (e instanceof PingExtension.ShardId x) {
                shardId = x.shardId();
            } else if (e instanceof PingExtension.ForgottenNode x) {
                ClusterNode n = state().node(x.name());
                if (n != null && n != me && !(me.isReplica() && me.master() == n)) {
                    forgotten.addUntil(x.name(), now / 1000 + x.ttlSeconds());
                    state().removeNode(n);
                }
            }
        }
        if (!hostname.equals(sender.hostname())) {
            sender.setHostname(hostname);
            state().note(ClusterState.PENDING_SAVE_CONFIG);
        }
        if (!humanNodename.equals(sender.humanNodename())) {
            sender.setHumanNodename(humanNodename);
            state().note(ClusterState.PENDING_SAVE_CONFIG);
        }
        if (shardId == null) {
            shardId = sender.master() != null ? sender.master().shardId() : sender.shardId();
        }
        updateShardId(sender, shardId);
    }

    /** A shard id learned: a master's replicas share it (myself among them). */
    private void updateShardId(ClusterNode n, String shardId) {
        if (!shardId.equals(n.shardId())) {
            n.setShardId(shardId);
            state().note(ClusterState.PENDING_SAVE_CONFIG);
        }
        ClusterNode me = myself();
        if (n.isMaster()) {
            for (ClusterNode r : n.replicas()) {
                if (!shardId.equals(r.shardId())) {
                    r.setShardId(shardId);
                    state().note(ClusterState.PENDING_SAVE_CONFIG);
                }
            }
        } else if (me.isReplica() && me.master() == n.master() && !shardId.equals(me.shardId())) {
            me.setShardId(shardId);
            state().note(ClusterState.PENDING_SAVE_CONFIG);
        }
    }

    /** Redis's nodeUpdateAddressIfNeeded, for a message on a link other than the one we opened to the node. */
    private void updateAddressIfNeeded(ClusterNode n, ClusterLink link, MessageHeader h) {
        if (n == myself() || link == n.link) {
            return;
        }
        String ip = peerIp(link, h);
        if (ip == null
                || (ip.equals(n.ip())
                        && n.clientPort(cluster.tlsBus()) == h.port()
                        && n.clientPort(!cluster.tlsBus()) == h.pport()
                        && n.busPort() == h.cport())) {
            return;
        }
        n.setIp(ip);
        n.setClientPorts(cluster.tlsBus(), h.port(), h.pport());
        n.setBusPort(h.cport());
        n.flags &= ~NodeFlags.NOADDR;
        if (n.link != null) {
            ClusterLink l = n.link;
            dropOutbound(n);
            l.close();
        }
        log.info("Address updated for node {}, now {}:{}", n.id(), ip, h.port());
        if (myself().isReplica() && myself().master() == n) {
            replication.follow(ip, replicationPort(n));
        }
        state().note(ClusterState.PENDING_SAVE_CONFIG | ClusterState.PENDING_UPDATE_STATE);
    }

    /** The address a node announced, or the one its connection comes from. */
    private static String peerIp(ClusterLink link, MessageHeader h) {
        if (!h.myip().isEmpty()) {
            return h.myip();
        }
        return address(link.remoteAddress());
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return NetUtil.toAddressString(i.getAddress());
        }
        return null;
    }

    /** Redis's clusterSetNodeAsMaster. */
    void setNodeAsMaster(ClusterNode n) {
        if (n.isMaster()) {
            return;
        }
        if (n.master() != null) {
            state().setMaster(n, null);
        }
        int flags = (n.flags() & ~NodeFlags.SLAVE) | NodeFlags.MASTER;
        if (n != myself()) {
            flags |= NodeFlags.MIGRATE_TO;
        }
        state().setFlags(n, flags);
    }

    private static boolean sameSlots(ClusterNode n, SlotBitmap claimed) {
        return Arrays.equals(bitmapBytes(n), claimed.toBytes());
    }

    private static byte[] bitmapBytes(ClusterNode n) {
        return Arrays.copyOf(n.slots.toByteArray(), SlotBitmap.BYTES);
    }

    static SlotBitmap slotsOf(ClusterNode n) {
        return SlotBitmap.fromBytes(bitmapBytes(n));
    }

    /**
     * Redis's clusterUpdateSlotsConfigWith: the slots {@code sender} claims at {@code epoch} are its own where
     * their owner's epoch is older (slots being imported excepted). A master left without slots becomes a
     * replica of the node that took them; slots lost with keys in them are emptied.
     */
    void updateSlotsWith(ClusterNode sender, long epoch, SlotBitmap claimed) {
        ClusterNode me = myself();
        if (sender == me) {
            return;
        }
        ClusterNode current = me.isReplica() ? me.master() : me;
        ClusterNode newMaster = null;
        int senderSlots = 0;
        int migratedOurs = 0;
        List<Integer> dirty = new ArrayList<>();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (!claimed.get(slot)) {
                continue;
            }
            senderSlots++;
            ClusterNode owner = state().owner(slot);
            if (owner == sender || state().importingFrom(slot) != null) {
                continue;
            }
            if (owner == null || Long.compareUnsigned(owner.configEpoch(), epoch) < 0) {
                if (owner == me && cluster.keyIndex().count(slot) > 0) {
                    dirty.add(slot);
                }
                if (owner != null && owner == current) {
                    newMaster = sender;
                    migratedOurs++;
                }
                state().clearSlot(slot);
                state().assignSlot(slot, sender);
                state().note(ClusterState.PENDING_FSYNC_CONFIG);
            }
        }
        if (newMaster != null
                && current.slotCount() == 0
                && (settings.allowReplicaMigration || senderSlots == migratedOurs)) {
            log.info("Configuration change detected. Reconfiguring myself as a replica of {}", sender.id());
            replicate(sender);
            state().note(ClusterState.PENDING_FSYNC_CONFIG);
        } else if (me.master() != null
                && me.master().master() != null
                && me.master().master() != me) {
            log.info(
                    "I'm a sub-replica! Reconfiguring myself as a replica of grandmaster {}",
                    me.master().master().id());
            replicate(me.master().master());
        } else if (!dirty.isEmpty()) {
            for (int slot : dirty) {
                deleteKeysInSlot.accept(slot);
            }
        }
    }

    /** Redis's markNodeAsFailingIfNeeded: PFAIL becomes FAIL with a majority of masters, and FAIL is broadcast. */
    private void markFailingIfNeeded(ClusterNode n, long now) {
        if (!n.timedOut() || n.failed()) {
            return;
        }
        if (!reports.quorumReached(n.id(), state().size(), myself().isMaster(), now)) {
            return;
        }
        log.info("Marking node {} as failing (quorum reached).", n.id());
        n.failTime = now;
        state().setFlags(n, (n.flags() | NodeFlags.FAIL) & ~NodeFlags.PFAIL);
        broadcast(new ClusterMessage(MessageType.FAIL, header(), new MessageBody.Fail(n.id())));
    }

    /** A FAIL is undone for a replica or a master without slots, or a master nobody took over from in time. */
    private void clearFailureIfNeeded(ClusterNode n, long now) {
        if (n.isReplica() || n.slotCount() == 0) {
            log.info(
                    "Clear FAIL state for node {}: {} is reachable again.",
                    n.id(),
                    n.isReplica() ? "replica" : "master without slots");
            state().setFlags(n, n.flags() & ~NodeFlags.FAIL);
        } else if (now - n.failTime > settings.nodeTimeout * 2) {
            log.info(
                    "Clear FAIL state for node {}: is reachable again and nobody is serving its slots after some time.",
                    n.id());
            state().setFlags(n, n.flags() & ~NodeFlags.FAIL);
        }
    }

    // ---- sending

    /** The header of every message this node sends: its (or its master's) slots and epoch, its offset. */
    MessageHeader header() {
        ClusterNode me = myself();
        ClusterNode master = me.isReplica() && me.master() != null ? me.master() : me;
        return MessageHeader.builder(me.id())
                .port(me.clientPort(cluster.tlsBus()))
                .pport(me.clientPort(!cluster.tlsBus()))
                .cport(me.busPort())
                .currentEpoch(state().currentEpoch())
                .configEpoch(master.configEpoch())
                .offset(replication.offset())
                .myslots(slotsOf(master))
                .slaveof(me.isReplica() && me.master() != null ? me.master().id() : null)
                .myip(settings.announceIp)
                .flags(me.flags() & 0xffff)
                .state(state().isOk() ? 0 : 1)
                .mflags(failover.pausedForManualFailover() ? MessageHeader.PAUSED : 0)
                .build();
    }

    /** Redis's clusterSendPing: a PING, PONG or MEET with gossip about a few random nodes and every PFAIL one. */
    void sendPing(ClusterLink link, MessageType type) {
        long now = now();
        ClusterNode me = myself();
        List<ClusterNode> all = new ArrayList<>(state().nodes());
        int fresh = all.size() - 2;
        int wanted = PingSchedule.gossipWanted(all.size());
        ClusterNode target = outbound.get(link);
        if (target != null && type == MessageType.PING) {
            target.setPingSent(now);
        }
        Set<ClusterNode> chosen = new LinkedHashSet<>();
        int iterations = wanted * 3;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (fresh > 0 && chosen.size() < wanted && iterations-- > 0) {
            ClusterNode n = all.get(random.nextInt(all.size()));
            if (n == me || n.timedOut()) {
                continue;
            }
            if (n.has(NodeFlags.HANDSHAKE | NodeFlags.NOADDR) || (n.link == null && n.slotCount() == 0)) {
                fresh--;
                continue;
            }
            if (chosen.add(n)) {
                fresh--;
            }
        }
        int pfailWanted = pfailNodes;
        for (ClusterNode n : all) {
            if (pfailWanted <= 0) {
                break;
            }
            if (n != me && n.timedOut() && !n.has(NodeFlags.HANDSHAKE | NodeFlags.NOADDR)) {
                chosen.add(n);
                pfailWanted--;
            }
        }
        List<GossipEntry> gossip = new ArrayList<>(chosen.size());
        for (ClusterNode n : chosen) {
            gossip.add(new GossipEntry(
                    n.id(),
                    (n.pingSent() / 1000) & 0xffffffffL,
                    (n.pongReceived() / 1000) & 0xffffffffL,
                    n.ip(),
                    n.clientPort(cluster.tlsBus()),
                    n.busPort(),
                    n.flags() & 0xffff,
                    n.clientPort(!cluster.tlsBus())));
        }
        List<PingExtension> ext = new ArrayList<>();
        if (!me.hostname().isEmpty()) {
            ext.add(new PingExtension.Hostname(me.hostname()));
        }
        if (!me.humanNodename().isEmpty()) {
            ext.add(new PingExtension.HumanNodename(me.humanNodename()));
        }
        forgotten.remaining(now / 1000).forEach((name, ttl) -> ext.add(new PingExtension.ForgottenNode(name, ttl)));
        ext.add(new PingExtension.ShardId(me.shardId()));
        link.send(ClusterMessage.ping(type, header(), gossip, ext));
    }

    /** PUBLISH goes to every node, SPUBLISH to the nodes of this node's shard (Redis's clusterPropagatePublish). */
    private void propagatePublish(byte[] channel, byte[] message, boolean shard) {
        ClusterMessage m = new ClusterMessage(
                shard ? MessageType.PUBLISHSHARD : MessageType.PUBLISH,
                header(),
                new MessageBody.Publish(channel, message));
        if (!shard) {
            broadcast(m);
            return;
        }
        ClusterNode me = myself();
        ClusterNode master = me.isReplica() && me.master() != null ? me.master() : me;
        List<ClusterNode> shardNodes = new ArrayList<>(master.replicas());
        shardNodes.add(master);
        for (ClusterNode n : shardNodes) {
            if (n != me && n.link != null) {
                n.link.send(m);
            }
        }
    }

    /** To every node we have a link to (Redis's clusterBroadcastMessage). */
    void broadcast(ClusterMessage m) {
        for (ClusterNode n : state().nodes()) {
            if (n.link != null && !n.isMyself() && !n.has(NodeFlags.HANDSHAKE)) {
                n.link.send(m);
            }
        }
    }

    /** A PONG to every node, or to the other replicas of my master only. */
    void broadcastPong(boolean localReplicasOnly) {
        ClusterNode me = myself();
        for (ClusterNode n : new ArrayList<>(state().nodes())) {
            if (n.link == null || n == me || n.has(NodeFlags.HANDSHAKE)) {
                continue;
            }
            if (localReplicasOnly && !(n.isReplica() && n.master() != null && n.master() == me.master())) {
                continue;
            }
            sendPing(n.link, MessageType.PONG);
        }
    }

    // ---- cron

    /** Redis's clusterCron, ten times a second. */
    void cron() {
        if (bus == null) {
            return;
        }
        iteration++;
        long now = now();
        long timeout = settings.nodeTimeout;
        long handshakeTimeout = Math.max(timeout, 1000);
        ClusterNode me = myself();
        pfailNodes = 0;
        for (ClusterNode n : new ArrayList<>(state().nodes())) {
            if (n == me || n.has(NodeFlags.NOADDR)) {
                continue;
            }
            if (n.timedOut()) {
                pfailNodes++;
            }
            if (n.has(NodeFlags.HANDSHAKE) && now - n.createdMillis() > handshakeTimeout) {
                state().removeNode(n);
                continue;
            }
            if (n.link == null && !n.ip().isEmpty() && n.busPort() != 0) {
                ClusterLink l = bus.connect(n.ip(), n.busPort(), (int) Math.min(Integer.MAX_VALUE, handshakeTimeout));
                n.link = l;
                outbound.put(l, n);
                n.setLinked(true);
                if (n.id() != null && ClusterState.validId(n.id())) {
                    l.nodeName(n.id());
                }
            }
        }
        if (iteration % PingSchedule.RUNS_PER_RANDOM_PING == 0) {
            List<PingSchedule.Peer> peers = new ArrayList<>();
            List<ClusterNode> byPeer = new ArrayList<>();
            for (ClusterNode n : state().nodes()) {
                peers.add(new PingSchedule.Peer(
                        n.id(),
                        n == me,
                        n.has(NodeFlags.HANDSHAKE | NodeFlags.NOADDR),
                        n.link != null,
                        n.pingSent(),
                        n.pongReceived()));
                byPeer.add(n);
            }
            PingSchedule.Peer p = PingSchedule.randomTarget(peers, ThreadLocalRandom.current());
            if (p != null) {
                ClusterNode n = byPeer.get(peers.indexOf(p));
                sendPing(n.link, MessageType.PING);
            }
        }
        boolean update = false;
        for (ClusterNode n : new ArrayList<>(state().nodes())) {
            if (n == me || n.has(NodeFlags.NOADDR | NodeFlags.HANDSHAKE)) {
                continue;
            }
            long pingDelay = now - n.pingSent();
            long dataDelay = now - n.dataReceived;
            if (n.link != null
                    && PingSchedule.reconnect(now, n.link.createTime(), n.pingSent(), n.dataReceived, timeout)) {
                ClusterLink l = n.link;
                dropOutbound(n);
                l.close();
            }
            long pingInterval = settings.pingInterval != 0 ? settings.pingInterval : timeout / 2;
            if (n.link != null && n.pingSent() == 0 && now - n.pongReceived() > pingInterval) {
                sendPing(n.link, MessageType.PING);
                continue;
            }
            if (n.link != null && failover.pingsManualFailoverReplica(n)) {
                sendPing(n.link, MessageType.PING);
                continue;
            }
            if (n.pingSent() == 0) {
                continue;
            }
            long nodeDelay = Math.min(pingDelay, dataDelay);
            if (nodeDelay > timeout && !n.has(NodeFlags.PFAIL | NodeFlags.FAIL)) {
                n.flags |= NodeFlags.PFAIL;
                update = true;
                if (me.isMaster() && state().size() == 1) {
                    // The only master with slots: its own view is the majority.
                    markFailingIfNeeded(n, now);
                } else {
                    log.debug("*** NODE {} possibly failing", n.id());
                }
            }
        }
        for (ClusterNode n : state().nodes()) {
            n.setFailureReports(reports.count(n.id(), now));
        }
        ClusterNode master = me.master();
        if (me.isReplica() && master != null && !master.ip().isEmpty() && replicationPort(master) != 0) {
            replication.follow(master.ip(), replicationPort(master));
        }
        failover.cron(now);
        if (me.isReplica() && settings.allowReplicaMigration) {
            ClusterNode orphan = ReplicaMigration.target(state(), settings.migrationBarrier, now);
            if (orphan != null) {
                log.info("Migrating to orphaned master {}", orphan.id());
                replicate(orphan);
            }
        }
        bus.enforceSendBufferLimit(settings.linkSendbufLimit);
        if (update) {
            state().note(ClusterState.PENDING_UPDATE_STATE);
        }
    }
}
