package dev.respite.server.config;

import java.util.List;

/** Cluster directives with Redis 7.2's names, aliases, defaults, ranges and refusal texts. */
public final class ClusterSettings {
    /** How clients are told where a node is: MOVED, ASK, CLUSTER SLOTS and SHARDS. */
    public enum EndpointType {
        IP,
        HOSTNAME,
        UNKNOWN_ENDPOINT
    }

    public boolean enabled;
    public String configFile = "nodes.conf";
    public long nodeTimeout = 15000;
    /** Milliseconds between pings to each node; 0: half the node timeout (a hidden parameter, for tests). */
    public long pingInterval;

    public int port;
    public String announceIp = "";
    public int announcePort;
    public int announceBusPort;
    public int announceTlsPort;
    public String announceHostname = "";
    public String announceHumanNodename = "";
    public boolean requireFullCoverage = true;
    public int replicaValidityFactor = 10;
    public boolean allowReadsWhenDown;
    public boolean allowPubsubshardWhenDown = true;
    public boolean replicaNoFailover;
    public int migrationBarrier = 1;
    public boolean allowReplicaMigration = true;
    public long linkSendbufLimit;
    public EndpointType preferredEndpointType = EndpointType.IP;

    ClusterSettings(ServerConfig config) {
        config.boolParam("cluster-enabled", false, () -> enabled, v -> enabled = v, "Run as a Redis Cluster node.");
        config.stringParam(
                "cluster-config-file",
                false,
                () -> configFile,
                v -> configFile = v,
                "The node table file (nodes.conf), in dir; written by the server.");
        config.longParam(
                "cluster-node-timeout",
                true,
                () -> nodeTimeout,
                v -> nodeTimeout = v,
                0,
                Long.MAX_VALUE,
                "Milliseconds a node may be unreachable before it is considered failing.");
        config.longParam(
                "cluster-ping-interval",
                true,
                () -> pingInterval,
                v -> pingInterval = v,
                0,
                Long.MAX_VALUE,
                "Milliseconds between pings to each node (0: half the node timeout); for tests.");
        config.hide("cluster-ping-interval");
        config.intParam(
                "cluster-port", false, () -> port, v -> port = v, 0, 65535, "Cluster bus port (0: port + 10000).");
        config.stringParam(
                "cluster-announce-ip",
                true,
                () -> announceIp,
                v -> announceIp = v,
                "Address other nodes and clients are given.");
        config.intParam(
                "cluster-announce-port",
                true,
                () -> announcePort,
                v -> announcePort = v,
                0,
                65535,
                "Client port announced (0: port).");
        config.intParam(
                "cluster-announce-bus-port",
                true,
                () -> announceBusPort,
                v -> announceBusPort = v,
                0,
                65535,
                "Bus port announced (0: cluster-port, or port + 10000).");
        config.intParam(
                "cluster-announce-tls-port",
                true,
                () -> announceTlsPort,
                v -> announceTlsPort = v,
                0,
                65535,
                "TLS client port announced (0: tls-port).");
        config.param(
                "cluster-announce-hostname",
                true,
                () -> announceHostname,
                a -> announceHostname = hostname(single(a)),
                "Hostname announced; clients get it with cluster-preferred-endpoint-type hostname.");
        config.param(
                "cluster-announce-human-nodename",
                true,
                () -> announceHumanNodename,
                a -> announceHumanNodename = nodename(single(a)),
                "A name for this node shown in logs.");
        config.boolParam(
                "cluster-require-full-coverage",
                true,
                () -> requireFullCoverage,
                v -> requireFullCoverage = v,
                "The cluster is down while any slot has no reachable owner.");
        config.register(new ConfigParam(
                "cluster-replica-validity-factor",
                List.of("cluster-slave-validity-factor"),
                true,
                () -> Integer.toString(replicaValidityFactor),
                a -> replicaValidityFactor = (int) range(a, Integer.MAX_VALUE),
                "A replica disconnected longer than this many node timeouts does not fail over (0: always may)."));
        config.boolParam(
                "cluster-allow-reads-when-down",
                true,
                () -> allowReadsWhenDown,
                v -> allowReadsWhenDown = v,
                "Serve reads while the cluster is down.");
        config.boolParam(
                "cluster-allow-pubsubshard-when-down",
                true,
                () -> allowPubsubshardWhenDown,
                v -> allowPubsubshardWhenDown = v,
                "Serve shard channels while the cluster is down.");
        config.register(new ConfigParam(
                "cluster-replica-no-failover",
                List.of("cluster-slave-no-failover"),
                true,
                () -> Units.formatBoolean(replicaNoFailover),
                a -> replicaNoFailover = Units.parseBoolean(single(a)),
                "This replica never fails over its master by itself."));
        config.intParam(
                "cluster-migration-barrier",
                true,
                () -> migrationBarrier,
                v -> migrationBarrier = v,
                0,
                Integer.MAX_VALUE,
                "Replicas a master keeps before one may migrate to an orphaned master.");
        config.boolParam(
                "cluster-allow-replica-migration",
                true,
                () -> allowReplicaMigration,
                v -> allowReplicaMigration = v,
                "Replicas may move to orphaned masters, and an emptied master becomes a replica.");
        config.memoryParam(
                "cluster-link-sendbuf-limit",
                true,
                () -> linkSendbufLimit,
                v -> linkSendbufLimit = v,
                0,
                "Bytes a bus link may have queued before it is dropped (0: no limit).");
        config.enumParam(
                "cluster-preferred-endpoint-type",
                true,
                () -> preferredEndpointType.name().toLowerCase().replace('_', '-'),
                v -> preferredEndpointType =
                        EndpointType.valueOf(v.toUpperCase().replace('-', '_')),
                List.of("ip", "hostname", "unknown-endpoint"),
                "What redirections and CLUSTER SLOTS name a node by.");
    }

    /** The bus port: cluster-port, or the client port plus 10000. */
    public int busPort(int clientPort) {
        return port != 0 ? port : clientPort + 10000;
    }

    private static String hostname(String v) throws ConfigValueException {
        if (v.length() >= 256) {
            throw new ConfigValueException("Hostnames must be less than 256 characters");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                throw new ConfigValueException("Hostnames may only contain alphanumeric characters, hyphens or dots");
            }
        }
        return v;
    }

    private static String nodename(String v) throws ConfigValueException {
        if (!validAuxText(v)) {
            throw new ConfigValueException("Announced human node name contained invalid character");
        }
        return v;
    }

    /** Whether {@code s} may appear in a nodes.conf aux field: Redis refuses a few punctuation characters. */
    public static boolean validAuxText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || "!#$%&()*+:;<>?@[]^{|}~".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static long range(List<String> a, long max) throws ConfigValueException {
        String s = single(a);
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigValueException("argument couldn't be parsed into an integer");
        }
        if (v < 0 || v > max) {
            throw new ConfigValueException("argument must be between 0 and " + max + " inclusive");
        }
        return v;
    }

    private static String single(List<String> a) throws ConfigValueException {
        if (a.size() != 1) {
            throw new ConfigValueException("wrong number of arguments");
        }
        return a.get(0);
    }
}
