package dev.respite.server.config;

import java.util.List;

/** Replication directives with Redis's names, aliases and defaults. */
public final class ReplicationSettings {
    public long backlogSize = 1024 * 1024;
    public int backlogTtl = 3600;
    public boolean disklessSync = true;
    public int disklessSyncDelay = 5;
    public int disklessSyncMaxReplicas;
    public int pingReplicaPeriod = 10;
    public int timeout = 60;
    public int minReplicasToWrite;
    public int minReplicasMaxLag = 10;
    /** Seconds SHUTDOWN and the stop signals wait for lagging replicas (0: no wait). */
    public int shutdownTimeout = 10;

    public boolean readOnly = true;
    public boolean serveStaleData = true;
    public int priority = 100;
    public boolean announced = true;
    public String announceIp = "";
    public int announcePort;
    public String masterauth = "";
    public String masteruser = "";
    /** Local address the link to the master leaves from ("": the system's choice). */
    public String bindSourceAddr = "";
    /** "host port" from replicaof/slaveof, or "" on a master. */
    public String replicaof = "";

    ReplicationSettings(ServerConfig config) {
        config.memoryParam(
                "repl-backlog-size",
                true,
                () -> backlogSize,
                v -> backlogSize = Math.max(16 * 1024, v),
                1,
                "Bytes of recent replication stream kept for replicas that reconnect (partial resynchronisation).");
        config.intParam(
                "shutdown-timeout",
                true,
                () -> shutdownTimeout,
                v -> shutdownTimeout = v,
                0,
                Integer.MAX_VALUE,
                "Seconds a shutdown waits for replicas to acknowledge the whole stream, writes held (0: no wait).");
        config.intParam(
                "repl-backlog-ttl",
                true,
                () -> backlogTtl,
                v -> backlogTtl = v,
                0,
                Integer.MAX_VALUE,
                "Seconds without replicas after which the backlog is freed (0: never).");
        config.boolParam(
                "repl-diskless-sync",
                true,
                () -> disklessSync,
                v -> disklessSync = v,
                "Send full resynchronisation payloads straight to the replicas' sockets instead of through the RDB file.");
        config.intParam(
                "repl-diskless-sync-delay",
                true,
                () -> disklessSyncDelay,
                v -> disklessSyncDelay = v,
                0,
                Integer.MAX_VALUE,
                "Seconds to wait for more replicas before a diskless transfer starts.");
        config.intParam(
                "repl-diskless-sync-max-replicas",
                true,
                () -> disklessSyncMaxReplicas,
                v -> disklessSyncMaxReplicas = v,
                0,
                Integer.MAX_VALUE,
                "Start a diskless transfer without waiting once this many replicas wait (0: no limit).");
        config.register(new ConfigParam(
                "repl-ping-replica-period",
                List.of("repl-ping-slave-period"),
                true,
                () -> Integer.toString(pingReplicaPeriod),
                a -> pingReplicaPeriod = (int) positive(a),
                "Seconds between PINGs to replicas."));
        config.intParam(
                "repl-timeout",
                true,
                () -> timeout,
                v -> timeout = v,
                1,
                Integer.MAX_VALUE,
                "Seconds of silence after which a replication link is considered dead.");
        config.register(new ConfigParam(
                "min-replicas-to-write",
                List.of("min-slaves-to-write"),
                true,
                () -> Integer.toString(minReplicasToWrite),
                a -> minReplicasToWrite = (int) nonNegative(a),
                "Refuse writes with -NOREPLICAS unless this many replicas lag at most min-replicas-max-lag (0: off)."));
        config.register(new ConfigParam(
                "min-replicas-max-lag",
                List.of("min-slaves-max-lag"),
                true,
                () -> Integer.toString(minReplicasMaxLag),
                a -> minReplicasMaxLag = (int) nonNegative(a),
                "Seconds since its last acknowledgement under which a replica counts for min-replicas-to-write."));
        config.register(new ConfigParam(
                "replica-read-only",
                List.of("slave-read-only"),
                true,
                () -> yesNo(readOnly),
                a -> readOnly = bool(a),
                "A replica refuses writes from its own clients."));
        config.register(new ConfigParam(
                "replica-serve-stale-data",
                List.of("slave-serve-stale-data"),
                true,
                () -> yesNo(serveStaleData),
                a -> serveStaleData = bool(a),
                "A replica whose link is down still answers reads (no: -MASTERDOWN)."));
        config.register(new ConfigParam(
                "replica-priority",
                List.of("slave-priority"),
                true,
                () -> Integer.toString(priority),
                a -> priority = (int) nonNegative(a),
                "Sentinel promotes replicas with a lower priority first; 0 never."));
        config.boolParam(
                "replica-announced", true, () -> announced, v -> announced = v, "Sentinel lists this replica.");
        config.register(new ConfigParam(
                "replica-announce-ip",
                List.of("slave-announce-ip"),
                true,
                () -> announceIp,
                a -> announceIp = String.join(" ", a),
                "Address this replica reports to its master."));
        config.register(new ConfigParam(
                "replica-announce-port",
                List.of("slave-announce-port"),
                true,
                () -> Integer.toString(announcePort),
                a -> announcePort = (int) nonNegative(a),
                "Port this replica reports to its master (0: its own)."));
        config.stringParam(
                "masterauth",
                true,
                () -> masterauth,
                v -> masterauth = v,
                "Password used to authenticate to the master.");
        config.stringParam(
                "masteruser",
                true,
                () -> masteruser,
                v -> masteruser = v,
                "ACL user used to authenticate to the master.");
        config.stringParam(
                "bind-source-addr",
                true,
                () -> bindSourceAddr,
                v -> bindSourceAddr = v,
                "Local address the connection to the master is made from.");
        config.register(new ConfigParam(
                "replicaof",
                List.of("slaveof"),
                false,
                () -> replicaof,
                a -> {
                    if (a.size() != 2) {
                        throw new ConfigValueException("wrong number of arguments");
                    }
                    replicaof = a.get(0) + " " + a.get(1);
                },
                "Replicate from the master at host port."));
    }

    private static long positive(List<String> a) throws ConfigValueException {
        long v = nonNegative(a);
        if (v < 1) {
            throw new ConfigValueException("argument must be between 1 and 2147483647 inclusive");
        }
        return v;
    }

    private static long nonNegative(List<String> a) throws ConfigValueException {
        if (a.size() != 1) {
            throw new ConfigValueException("wrong number of arguments");
        }
        try {
            long v = Long.parseLong(a.get(0));
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ConfigValueException("argument must be between 0 and 2147483647 inclusive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigValueException("argument couldn't be parsed into an integer");
        }
    }

    private static boolean bool(List<String> a) throws ConfigValueException {
        if (a.size() != 1) {
            throw new ConfigValueException("wrong number of arguments");
        }
        return Units.parseBoolean(a.get(0));
    }

    private static String yesNo(boolean v) {
        return v ? "yes" : "no";
    }
}
