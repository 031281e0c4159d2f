package dev.respite.server.cluster;

import dev.respite.protocol.InlineSplitter;
import dev.respite.server.config.ClusterSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads nodes.conf as Redis 7.2 writes it into a {@link ClusterState}, with Redis's rules: blank lines are
 * skipped, a {@code vars} line sets the epochs, every other line describes a node (at least eight fields;
 * see {@link NodesDescription}); a node named before its own line (as a master or a slot's migration peer)
 * is created then. Files from Redis before 7.2, without aux fields or bus port, load too. Anything else is
 * refused with the line and the reason.
 */
public final class NodesConfParser {
    private final ClusterState state = new ClusterState();
    /** Nodes whose line carried a shard-id: a replica's must then agree with its master's. */
    private final Set<ClusterNode> explicitShard = new HashSet<>();

    private final long now;
    /** tls-cluster: an old file's single port (no tcp-port or tls-port aux field) is then the TLS one. */
    private final boolean tlsCluster;

    private String line;
    private int lineNumber;

    private NodesConfParser(long now, boolean tlsCluster) {
        this.now = now;
        this.tlsCluster = tlsCluster;
    }

    /** The state the file describes; throws naming the first bad line. */
    public static ClusterState parse(String text, long now) throws NodesConfException {
        return parse(text, now, false);
    }

    /** As {@link #parse(String, long)} for a node whose bus runs over TLS ({@code tlsCluster}). */
    public static ClusterState parse(String text, long now, boolean tlsCluster) throws NodesConfException {
        NodesConfParser p = new NodesConfParser(now, tlsCluster);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            p.line = lines[i];
            p.lineNumber = i + 1;
            if (!p.line.isEmpty()) {
                p.parseLine();
            }
        }
        if (p.state.myself() == null) {
            throw new NodesConfException("corrupted cluster config file: no node is flagged myself");
        }
        if (p.state.maxEpoch() > p.state.currentEpoch()) {
            p.state.setCurrentEpoch(p.state.maxEpoch());
        }
        p.state.takePending();
        return p.state;
    }

    private NodesConfException bad(String reason) {
        return new NodesConfException(
                "corrupted cluster config file at line " + lineNumber + " (" + reason + "): \"" + line + "\"");
    }

    private void parseLine() throws NodesConfException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        byte[][] words = InlineSplitter.split(bytes, bytes.length);
        if (words == null) {
            throw bad("unbalanced quotes");
        }
        if (words.length == 0) {
            return;
        }
        String[] argv = new String[words.length];
        for (int i = 0; i < words.length; i++) {
            argv[i] = new String(words[i], StandardCharsets.UTF_8);
        }
        if (argv[0].equalsIgnoreCase("vars")) {
            vars(argv);
            return;
        }
        if (argv.length < 8) {
            throw bad("a node line has at least 8 fields");
        }
        if (!ClusterState.validId(argv[0])) {
            throw bad("invalid node id " + argv[0]);
        }
        ClusterNode n = state.nodeOrCreate(argv[0]);
        address(n, argv[1]);
        for (String flag : argv[2].split(",", -1)) {
            int bit = NodeFlags.parse(flag);
            if (bit < 0) {
                throw bad("unknown flag " + flag);
            }
            if (bit == NodeFlags.MYSELF) {
                if (state.myself() != null) {
                    throw bad("two nodes are flagged myself");
                }
                state.setMyself(n);
            }
            n.flags |= bit;
        }
        if (argv[3].charAt(0) != '-') {
            if (!ClusterState.validId(argv[3])) {
                throw bad("invalid master id " + argv[3]);
            }
            ClusterNode master = state.nodeOrCreate(argv[3]);
            if (!explicitShard.contains(n)) {
                n.setShardId(master.shardId());
            } else if (explicitShard.contains(master) && !master.shardId().equals(n.shardId())) {
                throw bad("the replica's shard-id differs from its master's");
            }
            state.setMaster(n, master);
        }
        n.setPingSent(atoi(argv[4]) != 0 ? now : 0);
        n.setPongReceived(atoi(argv[5]) != 0 ? now : 0);
        n.setConfigEpoch(n.isReplica() && n.master() != null ? 0 : strtoull(argv[6]));
        for (int j = 8; j < argv.length; j++) {
            slots(n, argv[j]);
        }
    }

    private void vars(String[] argv) throws NodesConfException {
        if (argv.length % 2 == 0) {
            throw bad("vars takes name value pairs");
        }
        for (int j = 1; j < argv.length; j += 2) {
            if (argv[j].equalsIgnoreCase("currentEpoch")) {
                state.setCurrentEpoch(strtoull(argv[j + 1]));
            } else if (argv[j].equalsIgnoreCase("lastVoteEpoch")) {
                state.setLastVoteEpoch(strtoull(argv[j + 1]));
            }
        }
    }

    /** {@code ip:port[@cport][,hostname][,aux=value]*}. */
    private void address(ClusterNode n, String field) throws NodesConfException {
        String[] aux = field.split(",", -1);
        n.setHostname(aux.length > 1 ? aux[1] : "");
        boolean auxTcp = false;
        boolean auxTls = false;
        for (int i = 2; i < aux.length; i++) {
            String[] kv = aux[i].split("=", -1);
            if (kv.length != 2 || !ClusterSettings.validAuxText(kv[0]) || !ClusterSettings.validAuxText(kv[1])) {
                throw bad("invalid aux field " + aux[i]);
            }
            switch (kv[0]) {
                case "shard-id" -> {
                    if (!ClusterState.validId(kv[1])) {
                        throw bad("invalid shard-id " + kv[1]);
                    }
                    for (ClusterNode r : n.replicas()) {
                        if (!r.shardId().equals(kv[1])) {
                            throw bad("the node's replicas have another shard-id");
                        }
                    }
                    n.setShardId(kv[1]);
                    explicitShard.add(n);
                }
                case "nodename" -> n.setHumanNodename(kv[1]);
                case "tcp-port" -> {
                    n.setTcpPort(auxPort(kv[1]));
                    auxTcp = true;
                }
                case "tls-port" -> {
                    n.setTlsPort(auxPort(kv[1]));
                    auxTls = true;
                }
                default -> throw bad("unknown aux field " + kv[0]);
            }
        }
        String hostPort = aux[0];
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw bad("no port in address " + hostPort);
        }
        n.setIp(hostPort.substring(0, colon));
        String port = hostPort.substring(colon + 1);
        String bus = null;
        int at = port.indexOf('@');
        if (at >= 0) {
            bus = port.substring(at + 1);
            port = port.substring(0, at);
        }
        if (!auxTcp && !auxTls && tlsCluster) {
            n.setTlsPort(atoi(port));
        } else if (!auxTcp) {
            n.setTcpPort(atoi(port));
        } else if (!auxTls) {
            n.setTlsPort(atoi(port));
        }
        n.setBusPort(bus != null ? atoi(bus) : n.clientPort(tlsCluster) + 10000);
    }

    private int auxPort(String value) throws NodesConfException {
        if (value.isEmpty() || value.length() > 5) {
            throw bad("invalid port " + value);
        }
        int p = atoi(value);
        if (p < 0 || p >= 65536) {
            throw bad("invalid port " + value);
        }
        return p;
    }

    /** A slot, a range {@code a-b}, or an open slot {@code [slot->-id]} / {@code [slot-<-id]}. */
    private void slots(ClusterNode n, String arg) throws NodesConfException {
        if (arg.charAt(0) == '[') {
            int dash = arg.indexOf('-');
            if (dash < 0 || dash + 3 > arg.length()) {
                throw bad("invalid open slot " + arg);
            }
            char direction = arg.charAt(dash + 1);
            int slot = atoi(arg.substring(1, dash));
            if (slot < 0 || slot >= KeySlot.SLOTS) {
                throw bad("slot out of range in " + arg);
            }
            int close = arg.indexOf(']', dash + 3);
            if (close < 0 || !ClusterState.validId(arg.substring(dash + 3, close))) {
                throw bad("invalid node id in " + arg);
            }
            ClusterNode peer = state.nodeOrCreate(arg.substring(dash + 3, close));
            if (direction == '>') {
                state.setMigrating(slot, peer);
            } else {
                state.setImporting(slot, peer);
            }
            return;
        }
        int dash = arg.indexOf('-');
        int start = atoi(dash >= 0 ? arg.substring(0, dash) : arg);
        int stop = dash >= 0 ? atoi(arg.substring(dash + 1)) : start;
        if (start < 0 || start >= KeySlot.SLOTS || stop < 0 || stop >= KeySlot.SLOTS) {
            throw bad("slot out of range in " + arg);
        }
        for (int slot = start; slot <= stop; slot++) {
            state.assignSlot(slot, n);
        }
    }

    /** C's atoi: an optional sign and the leading digits, 0 when there are none. */
    static int atoi(String s) {
        long v = strtoll(s);
        return (int) v;
    }

    private static long strtoull(String s) {
        return strtoll(s);
    }

    private static long strtoll(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -v : v;
    }
}
