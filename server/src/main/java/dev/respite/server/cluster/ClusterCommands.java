package dev.respite.server.cluster;

import dev.respite.protocol.RespWriter;
import dev.respite.server.cluster.bus.BusStatistics;
import dev.respite.server.cluster.bus.MessageType;
import dev.respite.server.command.Args;
import dev.respite.server.command.CommandError;
import dev.respite.server.command.CommandHandler;
import dev.respite.server.command.CommandTable;
import dev.respite.server.config.ClusterSettings.EndpointType;
import dev.respite.server.net.Client;
import dev.respite.storage.Database;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * CLUSTER and its subcommands, with ASKING, READONLY and READWRITE: Redis 7.2's replies, argument checks and
 * error texts. With cluster mode off each answers that cluster support is disabled. MEET, FORGET, REPLICATE and
 * FAILOVER act through the node logic on the bus ({@link ClusterGossip}).
 */
public final class ClusterCommands {
    private static final String DISABLED = "ERR This instance has cluster support disabled";
    private static final String[] HELP = {
        "ADDSLOTS <slot> [<slot> ...]",
        "    Assign slots to current node.",
        "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Assign slots which are between <start-slot> and <end-slot> to current node.",
        "BUMPEPOCH",
        "    Advance the cluster config epoch.",
        "COUNT-FAILURE-REPORTS <node-id>",
        "    Return number of failure reports for <node-id>.",
        "COUNTKEYSINSLOT <slot>",
        "    Return the number of keys in <slot>.",
        "DELSLOTS <slot> [<slot> ...]",
        "    Delete slots information from current node.",
        "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
        "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
        "FAILOVER [FORCE|TAKEOVER]",
        "    Promote current replica node to being a master.",
        "FORGET <node-id>",
        "    Remove a node from the cluster.",
        "GETKEYSINSLOT <slot> <count>",
        "    Return key names stored by current node in a slot.",
        "FLUSHSLOTS",
        "    Delete current node own slots information.",
        "INFO",
        "    Return information about the cluster.",
        "KEYSLOT <key>",
        "    Return the hash slot for <key>.",
        "MEET <ip> <port> [<bus-port>]",
        "    Connect nodes into a working cluster.",
        "MYID",
        "    Return the node id.",
        "MYSHARDID",
        "    Return the node's shard id.",
        "NODES",
        "    Return cluster configuration seen by node. Output format:",
        "    <id> <ip:port@bus-port[,hostname]> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
        "REPLICATE <node-id>",
        "    Configure current node as replica to <node-id>.",
        "RESET [HARD|SOFT]",
        "    Reset current node (default: soft).",
        "SET-CONFIG-EPOCH <epoch>",
        "    Set config epoch of current node.",
        "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
        "    Set slot state.",
        "REPLICAS <node-id>",
        "    Return <node-id> replicas.",
        "SAVECONFIG",
        "    Force saving cluster configuration on disk.",
        "SLOTS",
        "    Return information about slots range mappings. Each range is made of:",
        "    start, end, master and replicas IP addresses, ports and ids",
        "SHARDS",
        "    Return information about slot range mappings and the nodes associated with them.",
        "LINKS",
        "    Return information about all network links between this node and its peers.",
        "    Output format is an array where each array element is a map containing attributes of a link",
    };

    private final Cluster cluster;
    private final Database db0;
    private final LongSupplier replicationOffset;

    /** {@code replicationOffset}: this node's master_repl_offset, which CLUSTER SHARDS reports for it. */
    public ClusterCommands(Cluster cluster, Database db0, LongSupplier replicationOffset) {
        this.cluster = cluster;
        this.db0 = db0;
        this.replicationOffset = replicationOffset;
    }

    public void register(CommandTable t) {
        bind(t, "cluster|help", this::help);
        bind(t, "cluster|info", this::info);
        bind(t, "cluster|myid", (c, a) -> c.reply().bulk(state().myself().id()));
        bind(t, "cluster|myshardid", (c, a) -> c.reply().bulk(state().myself().shardId()));
        bind(t, "cluster|nodes", (c, a) -> c.reply().verbatim("txt", NodesDescription.of(state(), false, c.isTls())));
        bind(t, "cluster|slots", this::slots);
        bind(t, "cluster|shards", this::shards);
        bind(t, "cluster|links", this::links);
        bind(t, "cluster|meet", this::meet);
        bind(t, "cluster|forget", this::forget);
        bind(t, "cluster|replicate", this::replicate);
        bind(t, "cluster|failover", this::failover);
        bind(t, "cluster|keyslot", (c, a) -> c.reply().integer(KeySlot.of(a[2])));
        bind(t, "cluster|countkeysinslot", this::countKeysInSlot);
        bind(t, "cluster|getkeysinslot", this::getKeysInSlot);
        bind(t, "cluster|addslots", (c, a) -> slotList(c, a, false));
        bind(t, "cluster|delslots", (c, a) -> slotList(c, a, true));
        bind(t, "cluster|addslotsrange", (c, a) -> slotRanges(c, a, false));
        bind(t, "cluster|delslotsrange", (c, a) -> slotRanges(c, a, true));
        bind(t, "cluster|flushslots", this::flushSlots);
        bind(t, "cluster|setslot", this::setSlot);
        bind(t, "cluster|bumpepoch", this::bumpEpoch);
        bind(t, "cluster|set-config-epoch", this::setConfigEpoch);
        bind(t, "cluster|saveconfig", this::saveConfig);
        bind(t, "cluster|reset", this::reset);
        bind(t, "cluster|count-failure-reports", (c, a) -> c.reply().integer(gossip().failureReports(known(a[2]))));
        bind(t, "cluster|replicas", this::replicas);
        bind(t, "cluster|slaves", this::replicas);
        bind(t, "asking", (c, a) -> {
            c.setAsking(true);
            c.reply().ok();
        });
        bind(t, "readonly", (c, a) -> {
            c.setClusterReadOnly(true);
            c.reply().ok();
        });
        bind(t, "readwrite", (c, a) -> {
            c.setClusterReadOnly(false);
            c.reply().ok();
        });
    }

    private void bind(CommandTable t, String name, CommandHandler handler) {
        t.bind(name, (c, a) -> {
            if (!cluster.enabled()) {
                throw new CommandError(DISABLED);
            }
            handler.execute(c, a);
        });
    }

    private ClusterState state() {
        return cluster.state();
    }

    private void help(Client c, byte[][] a) {
        RespWriter r = c.reply();
        r.array(HELP.length + 3);
        r.simple("CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : HELP) {
            r.simple(line);
        }
        r.simple("HELP");
        r.simple("    Print this help.");
    }

    private void info(Client c, byte[][] a) {
        ClusterState st = state();
        int assigned = 0;
        int ok = 0;
        int pfail = 0;
        int fail = 0;
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            ClusterNode n = st.owner(slot);
            if (n == null) {
                continue;
            }
            assigned++;
            if (n.failed()) {
                fail++;
            } else if (n.timedOut()) {
                pfail++;
            } else {
                ok++;
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, "cluster_state", st.isOk() ? "ok" : "fail");
        line(sb, "cluster_slots_assigned", assigned);
        line(sb, "cluster_slots_ok", ok);
        line(sb, "cluster_slots_pfail", pfail);
        line(sb, "cluster_slots_fail", fail);
        line(sb, "cluster_known_nodes", st.nodeCount());
        line(sb, "cluster_size", st.size());
        line(sb, "cluster_current_epoch", Long.toUnsignedString(st.currentEpoch()));
        line(sb, "cluster_my_epoch", Long.toUnsignedString(st.myself().shownEpoch()));
        messageCounts(sb, cluster.busStatistics());
        c.reply().verbatim("txt", sb.toString());
    }

    /** Per message type (types never seen are left out), then the totals, as Redis prints them. */
    private static void messageCounts(StringBuilder sb, BusStatistics stats) {
        for (MessageType type : MessageType.values()) {
            if (stats.sent(type) != 0) {
                line(sb, "cluster_stats_messages_" + type.statName() + "_sent", stats.sent(type));
            }
        }
        line(sb, "cluster_stats_messages_sent", stats.totalSent());
        for (MessageType type : MessageType.values()) {
            if (stats.received(type) != 0) {
                line(sb, "cluster_stats_messages_" + type.statName() + "_received", stats.received(type));
            }
        }
        line(sb, "cluster_stats_messages_received", stats.totalReceived());
        line(sb, "total_cluster_links_buffer_limit_exceeded", stats.linksOverSendBufferLimit());
    }

    private static void line(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    /** CLUSTER SLOTS: each run of slots with one owner, the owner and its available replicas. */
    private void slots(Client c, byte[][] a) {
        ClusterState st = state();
        int runs = 0;
        for (int slot = 0; slot < KeySlot.SLOTS; slot++) {
            if (st.owner(slot) != null && (slot == 0 || st.owner(slot - 1) != st.owner(slot))) {
                runs++;
            }
        }
        RespWriter r = c.reply();
        r.array(runs);
        int slot = 0;
        while (slot < KeySlot.SLOTS) {
            ClusterNode n = st.owner(slot);
            if (n == null) {
                slot++;
                continue;
            }
            int start = slot;
            while (slot + 1 < KeySlot.SLOTS && st.owner(slot + 1) == n) {
                slot++;
            }
            int available = 0;
            for (ClusterNode replica : n.replicas()) {
                if (available(replica)) {
                    available++;
                }
            }
            r.array(3 + available);
            r.integer(start);
            r.integer(slot);
            nodeEntry(r, n, c.isTls());
            for (ClusterNode replica : n.replicas()) {
                if (available(replica)) {
                    nodeEntry(r, replica, c.isTls());
                }
            }
            slot++;
        }
    }

    /** A replica CLUSTER SLOTS lists: not failed, and having replicated something. */
    private boolean available(ClusterNode replica) {
        return !replica.failed() && offset(replica) != 0;
    }

    private long offset(ClusterNode n) {
        return n.isMyself() ? replicationOffset.getAsLong() : n.replOffset();
    }

    /** One node of CLUSTER SLOTS, with its TLS port for a client connected over TLS. */
    private void nodeEntry(RespWriter r, ClusterNode n, boolean tls) {
        EndpointType type = cluster.settings().preferredEndpointType;
        r.array(4);
        switch (type) {
            case IP -> r.bulk(n.ip());
            case HOSTNAME -> r.bulk(n.hostname().isEmpty() ? "?" : n.hostname());
            case UNKNOWN_ENDPOINT -> r.nullBulk();
        }
        r.integer(n.clientPort(tls));
        r.bulk(n.id());
        boolean withIp = type != EndpointType.IP;
        boolean withHostname = type != EndpointType.HOSTNAME && !n.hostname().isEmpty();
        r.map((withIp ? 1 : 0) + (withHostname ? 1 : 0));
        if (withIp) {
            r.bulk("ip");
            r.bulk(n.ip());
        }
        if (withHostname) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
    }

    private void shards(Client c, byte[][] a) {
        ClusterState st = state();
        Map<String, List<ClusterNode>> shards = st.shards();
        RespWriter r = c.reply();
        r.array(shards.size());
        for (List<ClusterNode> nodes : shards.values()) {
            ClusterNode primary = nodes.get(0).master() != null ? nodes.get(0).master() : nodes.get(0);
            r.map(2);
            r.bulk("slots");
            List<int[]> ranges = ranges(st, primary);
            r.array(ranges.size() * 2L);
            for (int[] range : ranges) {
                r.integer(range[0]);
                r.integer(range[1]);
            }
            r.bulk("nodes");
            r.array(nodes.size());
            for (ClusterNode n : nodes) {
                shardNode(r, n);
            }
        }
    }

    private static List<int[]> ranges(ClusterState st, ClusterNode n) {
        List<int[]> out = new java.util.ArrayList<>();
        int slot = 0;
        while (slot < KeySlot.SLOTS) {
            if (st.owner(slot) != n) {
                slot++;
                continue;
            }
            int start = slot;
            while (slot + 1 < KeySlot.SLOTS && st.owner(slot + 1) == n) {
                slot++;
            }
            out.add(new int[] {start, slot});
            slot++;
        }
        return out;
    }

    private void shardNode(RespWriter r, ClusterNode n) {
        int fields = 6
                + (n.tcpPort() != 0 ? 1 : 0)
                + (n.tlsPort() != 0 ? 1 : 0)
                + (n.hostname().isEmpty() ? 0 : 1);
        r.map(fields);
        r.bulk("id");
        r.bulk(n.id());
        if (n.tcpPort() != 0) {
            r.bulk("port");
            r.integer(n.tcpPort());
        }
        if (n.tlsPort() != 0) {
            r.bulk("tls-port");
            r.integer(n.tlsPort());
        }
        r.bulk("ip");
        r.bulk(n.ip());
        r.bulk("endpoint");
        r.bulk(cluster.endpoint(n));
        if (!n.hostname().isEmpty()) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
        long offset = offset(n);
        r.bulk("role");
        r.bulk(n.isReplica() ? "replica" : "master");
        r.bulk("replication-offset");
        r.integer(offset);
        r.bulk("health");
        r.bulk(n.failed() ? "fail" : n.isReplica() && offset == 0 ? "loading" : "online");
    }

    private ClusterGossip gossip() {
        return cluster.gossip();
    }

    /** CLUSTER MEET ip port [bus-port]. */
    private void meet(Client c, byte[][] a) {
        if (a.length != 4 && a.length != 5) {
            throw unknownSubcommand(a);
        }
        long port = Args.parseLong(a[3], 0, a[3].length);
        if (port == Long.MIN_VALUE && !Args.isLongMin(a[3])) {
            throw new CommandError("ERR Invalid base port specified: " + Args.str(a[3]));
        }
        long busPort = port + 10000;
        if (a.length == 5) {
            busPort = Args.parseLong(a[4], 0, a[4].length);
            if (busPort == Long.MIN_VALUE && !Args.isLongMin(a[4])) {
                throw new CommandError("ERR Invalid bus port specified: " + Args.str(a[4]));
            }
        }
        if (!gossip().meet(Args.str(a[2]), port, busPort)) {
            throw new CommandError("ERR Invalid node address specified: " + Args.str(a[2]) + ":" + Args.str(a[3]));
        }
        c.reply().ok();
    }

    private void forget(Client c, byte[][] a) {
        ClusterState st = state();
        ClusterNode n = st.node(Args.str(a[2]));
        if (n == null) {
            if (gossip().recentlyForgotten(Args.str(a[2]))) {
                c.reply().ok();
                return;
            }
            throw new CommandError("ERR Unknown node " + text(a[2]));
        } else if (n == st.myself()) {
            throw new CommandError("ERR I tried hard but I can't forget myself...");
        } else if (st.myself().isReplica() && st.myself().master() == n) {
            throw new CommandError("ERR Can't forget my master!");
        }
        gossip().forget(n);
        c.reply().ok();
    }

    private void replicate(Client c, byte[][] a) {
        ClusterState st = state();
        ClusterNode n = st.node(Args.str(a[2]));
        if (n == null) {
            throw new CommandError("ERR Unknown node " + text(a[2]));
        } else if (n == st.myself()) {
            throw new CommandError("ERR Can't replicate myself");
        } else if (n.isReplica()) {
            throw new CommandError("ERR I can only replicate a master, not a replica.");
        }
        if (st.myself().isMaster() && (st.myself().slotCount() != 0 || db0.size() != 0)) {
            throw new CommandError("ERR To set a master the node must be empty and without assigned slots.");
        }
        gossip().replicate(n);
        c.reply().ok();
    }

    private void failover(Client c, byte[][] a) {
        if (a.length > 3) {
            throw unknownSubcommand(a);
        }
        boolean force = false;
        boolean takeover = false;
        if (a.length == 3) {
            if (Args.is(a[2], "force")) {
                force = true;
            } else if (Args.is(a[2], "takeover")) {
                takeover = true;
                force = true;
            } else {
                throw CommandError.syntax();
            }
        }
        ClusterNode me = state().myself();
        if (me.isMaster()) {
            throw new CommandError("ERR You should send CLUSTER FAILOVER to a replica");
        } else if (me.master() == null) {
            throw new CommandError("ERR I'm a replica but my master is unknown to me");
        } else if (!force && (me.master().failed() || me.master().link == null)) {
            throw new CommandError("ERR Master is down or failed, please use CLUSTER FAILOVER FORCE");
        }
        gossip().failover().manualFailover(force, takeover);
        c.reply().ok();
    }

    /** CLUSTER LINKS: each node's link from us and its link to us. */
    private void links(Client c, byte[][] a) {
        List<Map.Entry<ClusterNode, dev.respite.server.cluster.bus.ClusterLink>> links = gossip().links();
        RespWriter r = c.reply();
        r.array(links.size());
        for (Map.Entry<ClusterNode, dev.respite.server.cluster.bus.ClusterLink> e : links) {
            dev.respite.server.cluster.bus.ClusterLink l = e.getValue();
            r.map(6);
            r.bulk("direction");
            r.bulk(l.direction().toString());
            r.bulk("node");
            r.bulk(e.getKey().id());
            r.bulk("create-time");
            r.integer(l.createTime());
            r.bulk("events");
            r.bulk(l.events());
            r.bulk("send-buffer-allocated");
            r.integer(l.sendBufferBytes());
            r.bulk("send-buffer-used");
            r.integer(l.sendBufferBytes());
        }
    }

    private static CommandError unknownSubcommand(byte[][] a) {
        return new CommandError(
                "ERR unknown subcommand or wrong number of arguments for '" + text(a[1]) + "'. Try CLUSTER HELP.");
    }

    private void countKeysInSlot(Client c, byte[][] a) {
        long slot = Args.toLong(a[2]);
        if (slot < 0 || slot >= KeySlot.SLOTS) {
            throw new CommandError("ERR Invalid slot");
        }
        c.reply().integer(cluster.keyIndex().count((int) slot));
    }

    private void getKeysInSlot(Client c, byte[][] a) {
        long slot = Args.toLong(a[2]);
        long max = Args.toLong(a[3]);
        if (slot < 0 || slot >= KeySlot.SLOTS || max < 0) {
            throw new CommandError("ERR Invalid slot or number of keys");
        }
        SlotKeyIndex index = cluster.keyIndex();
        RespWriter r = c.reply();
        r.array(Math.min(max, index.count((int) slot)));
        index.keys((int) slot, max, r::bulk);
    }

    /** Redis's getSlotOrReply: an integer in [0, 16383]. */
    private static int slot(byte[] arg) {
        long v = Args.parseLong(arg, 0, arg.length);
        if ((v == Long.MIN_VALUE && !Args.isLongMin(arg)) || v < 0 || v >= KeySlot.SLOTS) {
            throw new CommandError("ERR Invalid or out of range slot");
        }
        return (int) v;
    }

    private void slotList(Client c, byte[][] a, boolean delete) {
        for (int j = 2; j < a.length; j++) {
            slot(a[j]);
        }
        boolean[] named = new boolean[KeySlot.SLOTS];
        for (int j = 2; j < a.length; j++) {
            int s = slot(a[j]);
            checkAssignment(named, delete, s, s);
        }
        updateSlots(named, delete);
        c.reply().ok();
    }

    private void slotRanges(Client c, byte[][] a, boolean delete) {
        if (a.length % 2 == 1) {
            throw CommandError.wrongArity(delete ? "cluster|delslotsrange" : "cluster|addslotsrange");
        }
        boolean[] named = new boolean[KeySlot.SLOTS];
        for (int j = 2; j < a.length; j += 2) {
            int start = slot(a[j]);
            int end = slot(a[j + 1]);
            if (start > end) {
                throw new CommandError("ERR start slot number " + start + " is greater than end slot number " + end);
            }
            checkAssignment(named, delete, start, end);
        }
        updateSlots(named, delete);
        c.reply().ok();
    }

    private void checkAssignment(boolean[] named, boolean delete, int start, int end) {
        ClusterState st = state();
        for (int s = start; s <= end; s++) {
            if (delete && st.owner(s) == null) {
                throw new CommandError("ERR Slot " + s + " is already unassigned");
            } else if (!delete && st.owner(s) != null) {
                throw new CommandError("ERR Slot " + s + " is already busy");
            }
            if (named[s]) {
                throw new CommandError("ERR Slot " + s + " specified multiple times");
            }
            named[s] = true;
        }
    }

    private void updateSlots(boolean[] named, boolean delete) {
        ClusterState st = state();
        for (int s = 0; s < KeySlot.SLOTS; s++) {
            if (named[s]) {
                // Owning the slot now ends importing it.
                if (st.importingFrom(s) != null) {
                    st.setImporting(s, null);
                }
                if (delete) {
                    st.clearSlot(s);
                } else {
                    st.assignSlot(s, st.myself());
                }
            }
        }
    }

    private void flushSlots(Client c, byte[][] a) {
        if (db0.size() != 0) {
            throw new CommandError("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
        }
        ClusterState st = state();
        for (int s = 0; s < KeySlot.SLOTS; s++) {
            if (st.owner(s) == st.myself()) {
                st.clearSlot(s);
            }
        }
        c.reply().ok();
    }

    private void setSlot(Client c, byte[][] a) {
        ClusterState st = state();
        ClusterNode myself = st.myself();
        if (myself.isReplica()) {
            throw new CommandError("ERR Please use SETSLOT only with masters.");
        }
        int slot = slot(a[2]);
        if (Args.is(a[3], "migrating") && a.length == 5) {
            if (st.owner(slot) != myself) {
                throw new CommandError("ERR I'm not the owner of hash slot " + slot);
            }
            st.setMigrating(slot, master(a[4], "I don't know about node "));
        } else if (Args.is(a[3], "importing") && a.length == 5) {
            if (st.owner(slot) == myself) {
                throw new CommandError("ERR I'm already the owner of hash slot " + slot);
            }
            st.setImporting(slot, master(a[4], "I don't know about node "));
        } else if (Args.is(a[3], "stable") && a.length == 4) {
            st.setImporting(slot, null);
            st.setMigrating(slot, null);
        } else if (Args.is(a[3], "node") && a.length == 5) {
            assignSlot(st, slot, master(a[4], "Unknown node "));
        } else {
            throw new CommandError("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
        }
        c.reply().ok();
    }

    /** CLUSTER SETSLOT <slot> NODE <id>: the slot's new owner, after Redis's checks. */
    private void assignSlot(ClusterState st, int slot, ClusterNode n) {
        ClusterNode myself = st.myself();
        int keys = cluster.keyIndex().count(slot);
        if (st.owner(slot) == myself && n != myself && keys != 0) {
            throw new CommandError("ERR Can't assign hashslot " + slot
                    + " to a different node while I still hold keys for this hash slot.");
        }
        if (keys == 0 && st.migratingTo(slot) != null) {
            st.setMigrating(slot, null);
        }
        boolean wasMine = st.owner(slot) == myself;
        st.clearSlot(slot);
        st.assignSlot(slot, n);
        if (wasMine && n != myself && myself.slotCount() == 0 && cluster.settings().allowReplicaMigration) {
            // An emptied master follows the new owner, as Redis's clusterSetMaster does.
            st.closeAllSlots();
            st.setFlags(myself, (myself.flags() & ~(NodeFlags.MASTER | NodeFlags.MIGRATE_TO)) | NodeFlags.SLAVE);
            st.setMaster(myself, n);
            myself.setShardId(n.shardId());
            st.note(ClusterState.PENDING_FSYNC_CONFIG);
        }
        if (n == myself && st.importingFrom(slot) != null) {
            st.bumpConfigEpoch();
            st.setImporting(slot, null);
        }
    }

    /** The known master named by {@code id}; {@code unknown} prefixes the error for an unknown node. */
    private ClusterNode master(byte[] id, String unknown) {
        ClusterNode n = state().node(Args.str(id));
        if (n == null) {
            throw new CommandError("ERR " + unknown + text(id));
        }
        if (n.isReplica()) {
            throw new CommandError("ERR Target node is not a master");
        }
        return n;
    }

    private ClusterNode known(byte[] id) {
        ClusterNode n = state().node(Args.str(id));
        if (n == null) {
            throw new CommandError("ERR Unknown node " + text(id));
        }
        return n;
    }

    private void replicas(Client c, byte[][] a) {
        ClusterNode n = known(a[2]);
        if (n.isReplica()) {
            throw new CommandError("ERR The specified node is not a master");
        }
        RespWriter r = c.reply();
        r.array(n.replicas().size());
        for (ClusterNode replica : n.replicas()) {
            StringBuilder sb = new StringBuilder();
            NodesDescription.line(sb, state(), replica, false, c.isTls());
            r.bulk(sb.toString());
        }
    }

    private void bumpEpoch(Client c, byte[][] a) {
        boolean bumped = state().bumpConfigEpoch();
        c.reply()
                .simple((bumped ? "BUMPED " : "STILL ")
                        + Long.toUnsignedString(state().myself().configEpoch()));
    }

    private void setConfigEpoch(Client c, byte[][] a) {
        long epoch = Args.toLong(a[2]);
        ClusterState st = state();
        if (epoch < 0) {
            throw new CommandError("ERR Invalid config epoch specified: " + epoch);
        } else if (st.nodeCount() > 1) {
            throw new CommandError(
                    "ERR The user can assign a config epoch only when the node does not know any other node.");
        } else if (st.myself().configEpoch() != 0) {
            throw new CommandError("ERR Node config epoch is already non-zero");
        }
        st.setConfigEpoch(st.myself(), epoch);
        if (Long.compareUnsigned(st.currentEpoch(), epoch) < 0) {
            st.setCurrentEpoch(epoch);
        }
        c.reply().ok();
    }

    private void saveConfig(Client c, byte[][] a) {
        try {
            cluster.save(true);
        } catch (IOException e) {
            throw new CommandError("ERR error saving the cluster node config: " + e.getMessage());
        }
        c.reply().ok();
    }

    private void reset(Client c, byte[][] a) {
        boolean hard = false;
        if (a.length == 3) {
            if (Args.is(a[2], "hard")) {
                hard = true;
            } else if (!Args.is(a[2], "soft")) {
                throw CommandError.syntax();
            }
        } else if (a.length != 2) {
            throw new CommandError(
                    "ERR unknown subcommand or wrong number of arguments for '" + text(a[1]) + "'. Try CLUSTER HELP.");
        }
        if (state().myself().isMaster() && c.db().size() != 0) {
            throw new CommandError("ERR CLUSTER RESET can't be called with master nodes containing keys");
        }
        cluster.reset(hard);
        c.reply().ok();
    }

    /** An argument as Redis's "%s" prints it in an error: up to the first NUL, line breaks as spaces. */
    private static String text(byte[] arg) {
        return Args.cString(arg).replace('\r', ' ').replace('\n', ' ');
    }
}
