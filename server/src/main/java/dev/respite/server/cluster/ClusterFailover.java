package dev.respite.server.cluster;

import dev.respite.server.cluster.bus.ClusterMessage;
import dev.respite.server.cluster.bus.MessageBody;
import dev.respite.server.cluster.bus.MessageHeader;
import dev.respite.server.cluster.bus.MessageType;
import dev.respite.server.cluster.bus.ReplicaElection;
import dev.respite.server.cluster.bus.SlotBitmap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica elections and manual failovers, as Redis 7.2's clusterHandleSlaveFailover, clusterSendFailoverAuthIfNeeded
 * and the manual failover state: a replica of a failed master waits its turn ({@link ReplicaElection}), asks the
 * masters for their vote in a new epoch, and with a majority takes the slots under that epoch and tells everyone; a
 * master votes once per epoch (saved and fsynced before the vote goes out) and once per two node timeouts per failed
 * master. CLUSTER FAILOVER makes the master pause writes until the replica has caught up with its offset.
 */
final class ClusterFailover {
    private static final Logger log = LoggerFactory.getLogger(ClusterFailover.class);
    /** CLUSTER_MF_TIMEOUT. */
    static final long MANUAL_TIMEOUT_MILLIS = 5000;

    private final ClusterGossip gossip;
    private final Cluster cluster;
    private final ReplicaControl replication;
    private final Consumer<Boolean> holdWrites;

    private long authTime;
    private int authCount;
    private boolean authSent;
    private int authRank;
    private long authEpoch;

    /** When the manual failover under way ends; 0 when none. */
    private long manualEnd;
    /** On the master: the replica taking over. */
    private ClusterNode manualReplica;
    /** On the replica: the offset of the paused master (-1 until it says), and whether it was reached. */
    private long manualMasterOffset = -1;

    private boolean manualCanStart;

    ClusterFailover(ClusterGossip gossip, Cluster cluster, ReplicaControl replication, Consumer<Boolean> holdWrites) {
        this.gossip = gossip;
        this.cluster = cluster;
        this.replication = replication;
        this.holdWrites = holdWrites;
    }

    private ClusterState state() {
        return cluster.state();
    }

    /** CLUSTER FAILOVER on a replica, after its checks. */
    void manualFailover(boolean force, boolean takeover) {
        resetManual();
        manualEnd = System.currentTimeMillis() + MANUAL_TIMEOUT_MILLIS;
        if (takeover) {
            log.info("Taking over the master (user request).");
            state().bumpConfigEpoch();
            replaceMaster();
        } else if (force) {
            log.info("Forced failover user request accepted.");
            manualCanStart = true;
        } else {
            log.info("Manual failover user request accepted.");
            ClusterNode master = state().myself().master();
            if (master.link != null) {
                master.link.send(new ClusterMessage(MessageType.MFSTART, gossip.header(), new MessageBody.Empty()));
            }
        }
    }

    /** On the master: a replica asked for a manual failover; writes stop so that it can catch up. */
    void manualStartRequested(ClusterNode replica, long now) {
        resetManual();
        manualEnd = now + MANUAL_TIMEOUT_MILLIS;
        manualReplica = replica;
        holdWrites.accept(true);
        log.info("Manual failover requested by replica {}.", replica.id());
        if (replica.link != null) {
            gossip.sendPing(replica.link, MessageType.PING);
        }
    }

    boolean pausedForManualFailover() {
        return manualEnd != 0 && manualReplica != null && state().myself().isMaster();
    }

    /** The master pings the replica of a manual failover at every cron run, so it learns the offset at once. */
    boolean pingsManualFailoverReplica(ClusterNode n) {
        return manualEnd != 0 && state().myself().isMaster() && manualReplica == n;
    }

    /** A message from {@code sender}: the paused master's offset, when we wait for it. */
    void heardFrom(ClusterNode sender, MessageHeader h) {
        ClusterNode me = state().myself();
        if (manualEnd != 0
                && me.isReplica()
                && me.master() == sender
                && (h.mflags() & MessageHeader.PAUSED) != 0
                && manualMasterOffset == -1) {
            manualMasterOffset = h.offset();
            log.info("Received replication offset for paused master manual failover: {}", manualMasterOffset);
            handleManual();
            handleElection(System.currentTimeMillis());
        }
    }

    void resetManual() {
        if (manualReplica != null) {
            holdWrites.accept(false);
        }
        manualEnd = 0;
        manualCanStart = false;
        manualReplica = null;
        manualMasterOffset = -1;
    }

    private void handleManual() {
        if (manualEnd == 0 || manualCanStart || manualMasterOffset == -1) {
            return;
        }
        if (manualMasterOffset == replication.offset()) {
            manualCanStart = true;
            log.info("All master replication stream processed, manual failover can start.");
        }
    }

    void cron(long now) {
        if (manualEnd != 0 && manualEnd < now) {
            log.info("Manual failover timed out.");
            resetManual();
        }
        if (state().myself().isReplica()) {
            handleManual();
            handleElection(now);
        }
    }

    /** Redis's clusterHandleSlaveFailover. */
    void handleElection(long now) {
        ClusterState st = state();
        ClusterNode me = st.myself();
        ClusterNode master = me.master();
        long timeout = cluster.settings().nodeTimeout;
        boolean manual = manualEnd != 0 && manualCanStart;
        long authTimeout = Math.max(timeout * 2, 2000);
        long retryTime = authTimeout * 2;
        if (me.isMaster()
                || master == null
                || (!master.failed() && !manual)
                || (cluster.settings().replicaNoFailover && !manual)
                || master.slotCount() == 0) {
            return;
        }
        long dataAge = replication.masterSilenceMillis(now);
        if (dataAge > timeout) {
            dataAge -= timeout;
        }
        int factor = cluster.settings().replicaValidityFactor;
        if (factor != 0 && dataAge > cluster.replicaPingPeriodMillis() + timeout * factor && !manual) {
            return;
        }
        long authAge = now - authTime;
        if (authAge > retryTime) {
            authRank = rank();
            authTime = ReplicaElection.electionTime(now, authRank, false, ThreadLocalRandom.current());
            authCount = 0;
            authSent = false;
            if (manualEnd != 0) {
                authTime = now;
                authRank = 0;
            }
            log.info(
                    "Start of election delayed for {} milliseconds (rank #{}, offset {}).",
                    authTime - now,
                    authRank,
                    replication.offset());
            gossip.broadcastPong(true);
            if (manualEnd == 0) {
                return;
            }
            authAge = now - authTime;
        }
        if (!authSent && manualEnd == 0) {
            int newRank = rank();
            authTime += ReplicaElection.addedDelay(authRank, newRank);
            authRank = Math.max(authRank, newRank);
        }
        if (now < authTime || authAge > authTimeout) {
            return;
        }
        if (!authSent) {
            st.setCurrentEpoch(st.currentEpoch() + 1);
            authEpoch = st.currentEpoch();
            log.info("Starting a failover election for epoch {}.", authEpoch);
            MessageHeader h = gossip.header();
            if (manualEnd != 0) {
                h = h.toBuilder().mflags(h.mflags() | MessageHeader.FORCE_ACK).build();
            }
            gossip.broadcast(new ClusterMessage(MessageType.FAILOVER_AUTH_REQUEST, h, new MessageBody.Empty()));
            authSent = true;
            st.note(ClusterState.PENDING_SAVE_CONFIG
                    | ClusterState.PENDING_UPDATE_STATE
                    | ClusterState.PENDING_FSYNC_CONFIG);
            return;
        }
        if (authCount >= st.size() / 2 + 1) {
            log.info("Failover election won: I'm the new master.");
            if (Long.compareUnsigned(me.configEpoch(), authEpoch) < 0) {
                st.setConfigEpoch(me, authEpoch);
                log.info("configEpoch set to {} after successful failover", authEpoch);
            }
            replaceMaster();
        }
    }

    private int rank() {
        ClusterNode me = state().myself();
        List<ReplicaElection.Replica> siblings = new ArrayList<>();
        for (ClusterNode r : me.master().replicas()) {
            siblings.add(new ReplicaElection.Replica(r.id(), r.replOffset(), r.has(NodeFlags.NOFAILOVER)));
        }
        return ReplicaElection.rank(me.id(), replication.offset(), siblings);
    }

    /** Redis's clusterFailoverReplaceYourMaster: a master now, with the old master's slots, announced to all. */
    private void replaceMaster() {
        ClusterState st = state();
        ClusterNode me = st.myself();
        ClusterNode old = me.master();
        if (me.isMaster() || old == null) {
            return;
        }
        gossip.setNodeAsMaster(me);
        replication.becomeMaster();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (st.owner(slot) == old) {
                st.clearSlot(slot);
                st.assignSlot(slot, me);
            }
        }
        st.updateState(
                System.currentTimeMillis(), cluster.settings().requireFullCoverage, cluster.settings().nodeTimeout);
        st.note(ClusterState.PENDING_SAVE_CONFIG | ClusterState.PENDING_FSYNC_CONFIG);
        gossip.broadcastPong(false);
        resetManual();
    }

    /** A master's vote for {@code node}, a replica asking to replace its failed master (clusterSendFailoverAuthIfNeeded). */
    void voteIfNeeded(ClusterNode node, MessageHeader request, long now) {
        ClusterState st = state();
        ClusterNode me = st.myself();
        ClusterNode master = node.master();
        boolean forceAck = (request.mflags() & MessageHeader.FORCE_ACK) != 0;
        if (me.isReplica() || me.slotCount() == 0) {
            return;
        }
        if (Long.compareUnsigned(request.currentEpoch(), st.currentEpoch()) < 0) {
            return;
        }
        if (st.lastVoteEpoch() == st.currentEpoch()) {
            return;
        }
        if (node.isMaster() || master == null || (!master.failed() && !forceAck)) {
            return;
        }
        long timeout = cluster.settings().nodeTimeout;
        if (now - master.votedTime < timeout * 2) {
            return;
        }
        SlotBitmap claimed = request.myslots();
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (!claimed.get(slot)) {
                continue;
            }
            ClusterNode owner = st.owner(slot);
            if (owner != null && Long.compareUnsigned(owner.configEpoch(), request.configEpoch()) > 0) {
                return;
            }
        }
        st.setLastVoteEpoch(st.currentEpoch());
        master.votedTime = now;
        try {
            cluster.save(true);
        } catch (IOException e) {
            log.error("Fatal: can't update cluster config file: {}", e.getMessage());
            Runtime.getRuntime().halt(1);
        }
        log.info("Failover auth granted to {} for epoch {}", node.id(), st.currentEpoch());
        if (node.link != null) {
            node.link.send(new ClusterMessage(MessageType.FAILOVER_AUTH_ACK, gossip.header(), new MessageBody.Empty()));
        }
    }

    void ackReceived(ClusterNode sender, MessageHeader h) {
        if (sender.isMaster() && sender.slotCount() > 0 && Long.compareUnsigned(h.currentEpoch(), authEpoch) >= 0) {
            authCount++;
            handleElection(System.currentTimeMillis());
        }
    }
}
