package dev.respite.server.config;

import dev.respite.server.pubsub.KeyspaceEvents;
import dev.respite.storage.eviction.EvictionPolicy;
import dev.respite.storage.eviction.EvictionSettings;
import dev.respite.storage.types.EncodingLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's configuration: typed fields read on the hot path, and a registry of directives by Redis
 * name through which redis.conf, the command line and CONFIG GET/SET reach those fields.
 */
public final class ServerConfig {
    public int port = 6379;
    public List<String> bind = List.of("*", "-::*");
    public int databases = 16;
    public long protoMaxBulkLen = 512L * 1024 * 1024;
    public long clientQueryBufferLimit = 1024L * 1024 * 1024;
    public int maxclients = 10000;
    public int timeout;
    /** busy-reply-threshold (lua-time-limit): after this many ms a running script lets other clients hear BUSY. */
    public int busyReplyThreshold = 5000;

    public int tcpBacklog = 511;
    public int tcpKeepalive = 300;
    public boolean protectedMode = true;
    public String requirepass = "";
    public int hz = 10;
    public String dir = ".";
    public String loglevel = "notice";
    public String logfile = "";
    public String pidfile = "";
    public String dbfilename = "dump.rdb";
    public boolean appendonly;
    public String appendfilename = "appendonly.aof";
    public String appenddirname = "appendonlydir";
    public String appendfsync = "everysec";
    /** shutdown-on-sigint: the SHUTDOWN flags (save, nosave, now, force) SIGINT stops with; empty is "default". */
    public List<String> shutdownOnSigint = List.of();
    /** shutdown-on-sigterm, as shutdown-on-sigint for SIGTERM. */
    public List<String> shutdownOnSigterm = List.of();

    public boolean aofLoadTruncated = true;
    public boolean aofUseRdbPreamble = true;
    /** Keeps the files an AOF rewrite replaced, listed as history in the manifest (a debugging aid). */
    public boolean aofDisableAutoGc;

    public boolean aofTimestampEnabled;
    public int autoAofRewritePercentage = 100;
    public long autoAofRewriteMinSize = 64L * 1024 * 1024;
    public String save = "3600 1 300 100 60 10000";
    public long maxmemory;
    public String maxmemoryPolicy = "noeviction";
    public int maxmemorySamples = 5;
    public int maxmemoryEvictionTenacity = 10;
    public final MaxmemoryClients maxmemoryClients = new MaxmemoryClients();
    /** What the keyspace reads on each access: the policy and the LFU parameters. */
    public final EvictionSettings eviction = new EvictionSettings();

    public int ioThreads = 1;
    public String ioTransport = "auto";
    /** Flags of {@link KeyspaceEvents}. */
    public int notifyKeyspaceEvents;

    public final ClientOutputBufferLimits clientOutputBufferLimits = new ClientOutputBufferLimits();
    public long slowlogLogSlowerThan = 10000;
    public int slowlogMaxLen = 128;
    public String enableDebugCommand = "local";
    public long latencyMonitorThreshold;
    public String enableModuleCommand = "no";
    public boolean latencyTracking = true;
    public long trackingTableMaxKeys = 1_000_000;
    public double[] latencyTrackingInfoPercentiles = {50, 99, 99.9};
    public int metricsPort;
    /** Path of the Unix domain socket to listen on; empty for none. */
    public String unixsocket = "";
    /** Permission bits of the Unix socket file (0: leave the umask's). */
    public int unixsocketperm;

    public boolean daemonize;
    /** rdb-key-save-delay: microseconds a snapshot walk waits after each key (tests catch saves in progress). */
    public int rdbKeySaveDelay;
    /** key-load-delay: microseconds the start-up RDB load waits after each key (tests catch a load in progress). */
    public int keyLoadDelay;
    /** Print the start-up banner (version, mode, port, PID) even when the log is not a terminal. */
    public boolean alwaysShowLogo;

    public boolean syslogEnabled;
    /** Raise the cron frequency while many clients are connected, as Redis does. */
    public boolean dynamicHz = true;

    public boolean lazyfreeLazyUserDel;
    /** sanitize-dump-payload: no, yes, or clients (deep checks for RESTORE from ordinary clients only). */
    public String sanitizeDumpPayload = "no";
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION (not a directive): RESTORE leaves payload checksums unchecked. */
    public volatile boolean skipChecksumValidation;

    public boolean lazyfreeLazyUserFlush;

    public final AclSettings acl;
    public final TlsSettings tls;
    public final ReplicationSettings replication;
    public final OomScoreAdjustment oomScore = new OomScoreAdjustment();
    public final ClusterSettings cluster;
    /** Shared with the keyspace, whose values read it at every write. */
    public final EncodingLimits encodingLimits = new EncodingLimits();

    private final Map<String, ConfigParam> params = new LinkedHashMap<>();
    /** Parameters CONFIG GET shows only when asked for by exact name, as Redis's hidden (debugging) ones. */
    private final Set<String> hidden = new HashSet<>();

    private final List<ConfigParam> ordered = new ArrayList<>();
    private final java.util.Set<String> inertSet = new java.util.LinkedHashSet<>();
    private final java.util.Set<String> memoryParams = new java.util.HashSet<>();
    private final List<CommandRename> renamedCommands = new ArrayList<>();

    public ServerConfig() {
        intParam("port", true, () -> port, v -> port = v, 0, 65535, "TCP port to listen on (0: no TCP listener).");
        param(
                "bind",
                true,
                () -> String.join(" ", bind),
                a -> bind = a.stream().filter(address -> !address.isEmpty()).toList(),
                "Addresses to listen on (none: no TCP listener); a leading '-' makes one optional.");
        intParam("databases", false, () -> databases, v -> databases = v, 1, Integer.MAX_VALUE, "Number of databases.");
        memoryParam(
                "proto-max-bulk-len",
                true,
                () -> protoMaxBulkLen,
                v -> protoMaxBulkLen = v,
                1024 * 1024,
                "Largest bulk string a client may send.");
        memoryParam(
                "client-query-buffer-limit",
                true,
                () -> clientQueryBufferLimit,
                v -> clientQueryBufferLimit = v,
                1024 * 1024,
                "Largest request a client may have pending.");
        intParam(
                "maxclients",
                true,
                () -> maxclients,
                v -> maxclients = v,
                1,
                Integer.MAX_VALUE,
                "Most clients connected at once.");
        intParam(
                "timeout",
                true,
                () -> timeout,
                v -> timeout = v,
                0,
                Integer.MAX_VALUE,
                "Close a client idle this many seconds (0: never).");
        intParam(
                "busy-reply-threshold",
                "lua-time-limit",
                () -> busyReplyThreshold,
                v -> busyReplyThreshold = v,
                0,
                Integer.MAX_VALUE,
                "Milliseconds a script runs before other clients are answered BUSY and SCRIPT KILL can stop it.");
        intParam("tcp-backlog", false, () -> tcpBacklog, v -> tcpBacklog = v, 0, Integer.MAX_VALUE, "Listen backlog.");
        intParam(
                "tcp-keepalive",
                true,
                () -> tcpKeepalive,
                v -> tcpKeepalive = v,
                0,
                Integer.MAX_VALUE,
                "TCP keepalive interval in seconds.");
        boolParam(
                "protected-mode",
                true,
                () -> protectedMode,
                v -> protectedMode = v,
                "Refuse non-loopback clients when no password is set.");
        stringParam("requirepass", true, () -> requirepass, v -> requirepass = v, "Password of the default user.");
        intParam(
                "hz",
                true,
                () -> hz,
                v -> hz = Math.max(1, Math.min(500, v)),
                0,
                Integer.MAX_VALUE,
                "Background task frequency per second.");
        param(
                "dir",
                true,
                () -> dir,
                a -> dir = existingDirectory(single(a)),
                "Working directory for persistence files.");
        enumParam(
                "loglevel",
                true,
                () -> loglevel,
                v -> loglevel = v,
                List.of("debug", "verbose", "notice", "warning", "nothing"),
                "Log verbosity.");
        stringParam("logfile", false, () -> logfile, v -> logfile = v, "Log file; empty means standard output.");
        param(
                "shutdown-on-sigint",
                true,
                () -> shutdownFlagsText(shutdownOnSigint),
                a -> shutdownOnSigint = parseShutdownFlags(a),
                "How SIGINT stops the server: default, or SHUTDOWN's flags save, nosave, now, force.");
        param(
                "shutdown-on-sigterm",
                true,
                () -> shutdownFlagsText(shutdownOnSigterm),
                a -> shutdownOnSigterm = parseShutdownFlags(a),
                "How SIGTERM stops the server: default, or SHUTDOWN's flags save, nosave, now, force.");
        stringParam("pidfile", false, () -> pidfile, v -> pidfile = v, "Where to write the process id.");
        stringParam("dbfilename", true, () -> dbfilename, v -> dbfilename = v, "Snapshot file name.");
        boolParam(
                "appendonly", true, () -> appendonly, v -> appendonly = v, "Log every write to the append-only file.");
        stringParam(
                "appendfilename",
                false,
                () -> appendfilename,
                v -> appendfilename = v,
                "Base name of the append-only files.");
        stringParam(
                "appenddirname",
                false,
                () -> appenddirname,
                v -> appenddirname = v,
                "Directory of the append-only files.");
        enumParam(
                "appendfsync",
                true,
                () -> appendfsync,
                v -> appendfsync = v,
                List.of("always", "everysec", "no"),
                "When the append-only file is fsynced.");
        boolParam(
                "aof-load-truncated",
                true,
                () -> aofLoadTruncated,
                v -> aofLoadTruncated = v,
                "Load an append-only file whose last command was cut short.");
        boolParam(
                "aof-use-rdb-preamble",
                true,
                () -> aofUseRdbPreamble,
                v -> aofUseRdbPreamble = v,
                "Write the append-only file's base as an RDB snapshot (.base.rdb) rather than as commands.");
        boolParam(
                "aof-disable-auto-gc",
                true,
                () -> aofDisableAutoGc,
                v -> aofDisableAutoGc = v,
                "Keep the files an AOF rewrite replaced, listed as history in the manifest, until this is off again.");
        hide("aof-disable-auto-gc");
        boolParam(
                "aof-timestamp-enabled",
                true,
                () -> aofTimestampEnabled,
                v -> aofTimestampEnabled = v,
                "Mark the time in the append-only file (#TS: lines) once a second at most, for point-in-time recovery.");
        intParam(
                "auto-aof-rewrite-percentage",
                true,
                () -> autoAofRewritePercentage,
                v -> autoAofRewritePercentage = v,
                0,
                Integer.MAX_VALUE,
                "Rewrite the append-only file when it grew this much since the last rewrite (0: never).");
        memoryParam(
                "auto-aof-rewrite-min-size",
                true,
                () -> autoAofRewriteMinSize,
                v -> autoAofRewriteMinSize = v,
                0,
                "No automatic rewrite below this size.");
        param(
                "save",
                true,
                () -> save,
                a -> save = parseSaveRules(a),
                "Snapshot rules: seconds changes pairs; empty disables.");
        memoryParam(
                "maxmemory", true, () -> maxmemory, v -> maxmemory = v, 0, "Memory budget for the dataset (0: none).");
        enumParam(
                "maxmemory-policy",
                true,
                () -> maxmemoryPolicy,
                v -> {
                    maxmemoryPolicy = v;
                    eviction.policy = EvictionPolicy.parse(v);
                },
                List.of(
                        "volatile-lru",
                        "volatile-lfu",
                        "volatile-random",
                        "volatile-ttl",
                        "allkeys-lru",
                        "allkeys-lfu",
                        "allkeys-random",
                        "noeviction"),
                "What to evict when maxmemory is reached.");
        param(
                "maxmemory-clients",
                true,
                maxmemoryClients::toString,
                a -> maxmemoryClients.set(single(a)),
                "Memory all normal and pub/sub clients may use together (bytes or a percentage of maxmemory, 0: no"
                        + " limit); past it the largest are disconnected.");
        intParam(
                "maxmemory-samples",
                true,
                () -> maxmemorySamples,
                v -> maxmemorySamples = v,
                1,
                64,
                "Keys sampled per eviction.");
        intParam(
                "maxmemory-eviction-tenacity",
                true,
                () -> maxmemoryEvictionTenacity,
                v -> maxmemoryEvictionTenacity = v,
                0,
                100,
                "How long one round of eviction may run (10: 500 microseconds, 100: until done).");
        intParam(
                "lfu-log-factor",
                true,
                () -> eviction.lfuLogFactor,
                v -> eviction.lfuLogFactor = v,
                0,
                Integer.MAX_VALUE,
                "How slowly the LFU counter grows with accesses.");
        intParam(
                "lfu-decay-time",
                true,
                () -> eviction.lfuDecayMinutes,
                v -> eviction.lfuDecayMinutes = v,
                0,
                Integer.MAX_VALUE,
                "Minutes without access that take one off the LFU counter (0: never).");
        enumParam(
                "io-transport",
                false,
                () -> ioTransport,
                v -> ioTransport = v,
                List.of("auto", "epoll", "io_uring", "nio"),
                "Kernel interface for sockets (Respite only): auto is epoll on Linux, else nio.");
        // Respite's own parameters answer CONFIG GET by exact name only, so tools that copy every parameter
        // (CONFIG GET * then CONFIG SET) work between Respite and Redis.
        hide("io-transport");
        intParam(
                "io-threads",
                false,
                () -> ioThreads,
                v -> ioThreads = v,
                1,
                128,
                "Threads serving clients, the keyspace thread included: past 1, sockets and decoding move to io-threads - 1 I/O threads.");
        param(
                "notify-keyspace-events",
                true,
                () -> KeyspaceEvents.format(notifyKeyspaceEvents),
                a -> notifyKeyspaceEvents = KeyspaceEvents.parse(single(a)),
                "Keyspace notification classes.");
        param(
                "client-output-buffer-limit",
                true,
                clientOutputBufferLimits::toString,
                clientOutputBufferLimits::set,
                "Output limits per client class: class hard soft seconds, repeated.");
        longParam(
                "slowlog-log-slower-than",
                true,
                () -> slowlogLogSlowerThan,
                v -> slowlogLogSlowerThan = v,
                -1,
                Long.MAX_VALUE,
                "Slow log threshold in microseconds.");
        intParam(
                "slowlog-max-len",
                true,
                () -> slowlogMaxLen,
                v -> slowlogMaxLen = v,
                0,
                Integer.MAX_VALUE,
                "Slow log length.");
        longParam(
                "latency-monitor-threshold",
                true,
                () -> latencyMonitorThreshold,
                v -> latencyMonitorThreshold = v,
                0,
                Long.MAX_VALUE,
                "Latency monitor threshold in milliseconds (0: off).");
        EncodingLimits el = encodingLimits;
        intParam(
                "hash-max-listpack-entries",
                "hash-max-ziplist-entries",
                () -> el.hashMaxListpackEntries,
                v -> el.hashMaxListpackEntries = v,
                0,
                Integer.MAX_VALUE,
                "Most fields a hash keeps in the compact listpack encoding.");
        intParam(
                "hash-max-listpack-value",
                "hash-max-ziplist-value",
                () -> el.hashMaxListpackValue,
                v -> el.hashMaxListpackValue = v,
                0,
                Integer.MAX_VALUE,
                "Longest field or value a hash keeps in the compact listpack encoding.");
        intParam(
                "list-max-listpack-size",
                "list-max-ziplist-size",
                () -> el.listMaxListpackSize,
                v -> el.listMaxListpackSize = v,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                "Entries (positive) or bytes (-1..-5: 4 to 64 KB) per list node.");
        intParam(
                "set-max-intset-entries",
                true,
                () -> el.setMaxIntsetEntries,
                v -> el.setMaxIntsetEntries = v,
                0,
                Integer.MAX_VALUE,
                "Largest set kept as an intset.");
        intParam(
                "set-max-listpack-entries",
                true,
                () -> el.setMaxListpackEntries,
                v -> el.setMaxListpackEntries = v,
                0,
                Integer.MAX_VALUE,
                "Largest set kept as a listpack.");
        intParam(
                "set-max-listpack-value",
                true,
                () -> el.setMaxListpackValue,
                v -> el.setMaxListpackValue = v,
                0,
                Integer.MAX_VALUE,
                "Longest member of a set kept as a listpack.");
        intParam(
                "zset-max-listpack-entries",
                "zset-max-ziplist-entries",
                () -> el.zsetMaxListpackEntries,
                v -> el.zsetMaxListpackEntries = v,
                0,
                Integer.MAX_VALUE,
                "Largest sorted set kept as a listpack.");
        intParam(
                "zset-max-listpack-value",
                "zset-max-ziplist-value",
                () -> el.zsetMaxListpackValue,
                v -> el.zsetMaxListpackValue = v,
                0,
                Integer.MAX_VALUE,
                "Longest member of a sorted set kept as a listpack.");
        intParam(
                "stream-node-max-entries",
                true,
                () -> el.streamNodeMaxEntries,
                v -> el.streamNodeMaxEntries = v,
                0,
                Integer.MAX_VALUE,
                "Entries per stream node (0: no limit).");
        memoryParam(
                "stream-node-max-bytes",
                true,
                () -> el.streamNodeMaxBytes,
                v -> el.streamNodeMaxBytes = v,
                0,
                "Bytes per stream node (0: no limit).");
        memoryParam(
                "hll-sparse-max-bytes",
                true,
                () -> el.hllSparseMaxBytes,
                v -> el.hllSparseMaxBytes = v,
                0,
                "Largest sparse HyperLogLog; past it a HyperLogLog turns dense.");
        enumParam(
                "enable-debug-command",
                false,
                () -> enableDebugCommand,
                v -> enableDebugCommand = v,
                List.of("yes", "no", "local"),
                "Who may run DEBUG.");
        enumParam(
                "sanitize-dump-payload",
                true,
                () -> sanitizeDumpPayload,
                v -> sanitizeDumpPayload = v,
                List.of("no", "yes", "clients"),
                "Deep integrity checks of RESTORE payloads: no, yes, or clients (not the master's nor skip-sanitize-payload users').");
        enumParam(
                "enable-module-command",
                false,
                () -> enableModuleCommand,
                v -> enableModuleCommand = v,
                List.of("yes", "no", "local"),
                "Who may run MODULE LOAD and UNLOAD.");
        longParam(
                "tracking-table-max-keys",
                true,
                () -> trackingTableMaxKeys,
                v -> trackingTableMaxKeys = v,
                0,
                Long.MAX_VALUE,
                "Most keys remembered for client-side caching before the oldest are invalidated (0: no limit).");
        boolParam(
                "latency-tracking",
                true,
                () -> latencyTracking,
                v -> latencyTracking = v,
                "Keep per-command latency histograms.");
        param(
                "latency-tracking-info-percentiles",
                true,
                () -> Percentiles.format(latencyTrackingInfoPercentiles),
                a -> latencyTrackingInfoPercentiles = Percentiles.parse(a),
                "Percentiles INFO latencystats prints.");
        intParam(
                "metrics-port",
                false,
                () -> metricsPort,
                v -> metricsPort = v,
                0,
                65535,
                "HTTP port serving /metrics for Prometheus (0: off).");
        hide("metrics-port");
        stringParam(
                "unixsocket",
                false,
                () -> unixsocket,
                v -> unixsocket = v,
                "Unix domain socket path to listen on (empty: none).");
        param(
                "unixsocketperm",
                false,
                () -> Integer.toOctalString(unixsocketperm),
                a -> unixsocketperm = parseOctalPermissions(single(a)),
                "Permissions of the Unix socket file, in octal.");
        boolParam(
                "daemonize",
                false,
                () -> daemonize,
                v -> daemonize = v,
                "Run in the background: refused, a JVM cannot fork; use systemd.");
        intParam(
                "rdb-key-save-delay",
                true,
                () -> rdbKeySaveDelay,
                v -> rdbKeySaveDelay = v,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                "Microseconds a save waits after each key (negative -N: 1 us after one key in N); for tests.");
        hide("rdb-key-save-delay");
        intParam(
                "key-load-delay",
                true,
                () -> keyLoadDelay,
                v -> keyLoadDelay = v,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                "Microseconds the start-up load waits after each key (negative -N: 1 us after one key in N); for tests.");
        hide("key-load-delay");
        boolParam(
                "always-show-logo",
                false,
                () -> alwaysShowLogo,
                v -> alwaysShowLogo = v,
                "Print the start-up banner (version, mode, port, PID) at start.");
        boolParam(
                "syslog-enabled",
                false,
                () -> syslogEnabled,
                v -> syslogEnabled = v,
                "Log to syslog: not supported, logs go to standard output or logfile.");
        boolParam(
                "dynamic-hz",
                true,
                () -> dynamicHz,
                v -> dynamicHz = v,
                "Scale the cron frequency up with the number of clients.");
        boolParam(
                "lazyfree-lazy-user-del",
                true,
                () -> lazyfreeLazyUserDel,
                v -> lazyfreeLazyUserDel = v,
                "DEL counts a large value in lazyfreed_objects as UNLINK does (the JVM frees it either way).");
        boolParam(
                "lazyfree-lazy-user-flush",
                true,
                () -> lazyfreeLazyUserFlush,
                v -> lazyfreeLazyUserFlush = v,
                "FLUSHALL/FLUSHDB without a mode count their keys in lazyfreed_objects as ASYNC does.");
        for (String name : List.of("lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del")) {
            boolean[] value = {false};
            boolParam(
                    name,
                    true,
                    () -> value[0],
                    v -> value[0] = v,
                    "No-op: the JVM's garbage collector already reclaims freed values off the event loop.");
        }
        acl = new AclSettings(this);
        tls = new TlsSettings(this);
        replication = new ReplicationSettings(this);
        cluster = new ClusterSettings(this);
        oomScore.register(this);
        InertParameters.registerMissing(this);
    }

    /** The rename-command directives read, in order. */
    public List<CommandRename> renamedCommands() {
        return Collections.unmodifiableList(renamedCommands);
    }

    /** True if {@code name} holds a memory size, which CONFIG REWRITE writes with a unit. */
    public boolean isMemory(String name) {
        return memoryParams.contains(name);
    }

    /**
     * Applies directives read from redis.conf, stdin and the command line, in order, as Redis's loader does: the
     * first {@code save} replaces the default rules and later ones add to them; {@code rename-command} may repeat;
     * any other directive sets its parameter, the last one winning.
     *
     * @throws ConfigFileException naming the directive's file and line, with Redis's reason
     */
    public void load(List<ConfigDirective> directives) throws ConfigFileException {
        boolean saveSeen = false;
        for (ConfigDirective d : directives) {
            try {
                if (d.name().equals("user") && !d.arguments().isEmpty()) {
                    // Users are built once the command table exists; Redis collects the lines the same way.
                    String name = d.argument(0);
                    if (acl.userLines.stream().anyMatch(line -> line.get(0).equals(name))) {
                        throw new ConfigValueException("Error in user declaration '" + name
                                + "': Duplicate user found. A user can only be defined once in config files");
                    }
                    acl.userLines.add(d.arguments());
                } else if (d.name().equals("rename-command") && d.arguments().size() == 2) {
                    renamedCommands.add(new CommandRename(d.argument(0), d.argument(1), d));
                } else if (d.name().equals("save") && saveSeen) {
                    String added = parseSaveRules(d.arguments());
                    // save "" clears the rules wherever it appears.
                    param("save").set(List.of(added.isEmpty() ? "" : (save + " " + added).trim()));
                } else {
                    saveSeen |= d.name().equals("save");
                    ConfigParam p = param(d.name());
                    if (p == null) {
                        throw new ConfigValueException("Bad directive or wrong number of arguments");
                    }
                    p.set(d.arguments());
                }
            } catch (ConfigValueException e) {
                throw d.error(e.getMessage());
            }
        }
    }

    /** Inert parameters that were set (from the file, the command line or CONFIG SET), for a warning. */
    public java.util.Set<String> inertParametersSet() {
        return inertSet;
    }

    void noteInert(String name) {
        inertSet.add(name);
    }

    public ConfigParam param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<ConfigParam> params() {
        return Collections.unmodifiableList(ordered);
    }

    /** Makes a parameter one CONFIG GET shows only by its exact name. */
    void hide(String name) {
        hidden.add(name);
    }

    public boolean hidden(ConfigParam p) {
        return hidden.contains(p.name());
    }

    public void register(ConfigParam p) {
        ConfigParam previous = params.get(p.name());
        if (previous != null && previous.inert()) {
            ordered.remove(previous);
        }
        params.put(p.name(), p);
        for (String alias : p.aliases()) {
            params.put(alias, p);
        }
        ordered.add(p);
    }

    /** Sets a directive by name, as from redis.conf or the command line. */
    public void set(String name, List<String> args) throws ConfigValueException {
        ConfigParam p = param(name);
        if (p == null) {
            throw new ConfigValueException("Bad directive or wrong number of arguments");
        }
        p.set(args);
    }

    public void param(String name, boolean mutable, Supplier<String> get, ConfigParam.Setter set, String description) {
        register(new ConfigParam(name, List.of(), mutable, get, set, description));
    }

    public void stringParam(
            String name, boolean mutable, Supplier<String> get, Consumer<String> set, String description) {
        param(name, mutable, get, a -> set.accept(single(a)), description);
    }

    public void boolParam(
            String name,
            boolean mutable,
            java.util.function.BooleanSupplier get,
            java.util.function.Consumer<Boolean> set,
            String description) {
        param(
                name,
                mutable,
                () -> get.getAsBoolean() ? "yes" : "no",
                a -> set.accept(Units.parseBoolean(single(a))),
                description);
    }

    public void intParam(
            String name, boolean mutable, IntSupplier get, IntConsumer set, int min, int max, String description) {
        param(
                name,
                mutable,
                () -> Integer.toString(get.getAsInt()),
                a -> set.accept((int) parseLong(single(a), min, max)),
                description);
    }

    /** An integer directive also known by its pre-7.0 name. */
    public void intParam(
            String name, String alias, IntSupplier get, IntConsumer set, int min, int max, String description) {
        register(new ConfigParam(
                name,
                List.of(alias),
                true,
                () -> Integer.toString(get.getAsInt()),
                a -> set.accept((int) parseLong(single(a), min, max)),
                description));
    }

    public void longParam(
            String name, boolean mutable, LongSupplier get, LongConsumer set, long min, long max, String description) {
        param(
                name,
                mutable,
                () -> Long.toString(get.getAsLong()),
                a -> set.accept(parseLong(single(a), min, max)),
                description);
    }

    public void memoryParam(
            String name, boolean mutable, LongSupplier get, LongConsumer set, long min, String description) {
        memoryParams.add(name);
        param(
                name,
                mutable,
                () -> Long.toString(get.getAsLong()),
                a -> {
                    long v = Units.parseMemory(single(a));
                    if (v < min && !(min > 0 && v == 0 && name.equals("maxmemory"))) {
                        throw new ConfigValueException(
                                "argument must be between " + min + " and " + Long.MAX_VALUE + " inclusive");
                    }
                    set.accept(v);
                },
                description);
    }

    public void enumParam(
            String name,
            boolean mutable,
            Supplier<String> get,
            Consumer<String> set,
            List<String> values,
            String description) {
        param(
                name,
                mutable,
                get,
                a -> {
                    String v = single(a).toLowerCase(Locale.ROOT);
                    if (!values.contains(v)) {
                        throw new ConfigValueException(
                                "argument(s) must be one of the following: " + String.join(", ", values));
                    }
                    set.accept(v);
                },
                description);
    }

    private static final List<String> SHUTDOWN_FLAGS = List.of("default", "save", "nosave", "now", "force");

    /** Flags in their canonical order; "default" adds none. */
    private static List<String> parseShutdownFlags(List<String> args) throws ConfigValueException {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            String w = a.toLowerCase(Locale.ROOT);
            if (!SHUTDOWN_FLAGS.contains(w)) {
                throw new ConfigValueException(
                        "argument(s) must be one of the following: " + String.join(", ", SHUTDOWN_FLAGS));
            }
            words.add(w);
        }
        if (words.contains("save") && words.contains("nosave")) {
            throw new ConfigValueException("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        return SHUTDOWN_FLAGS.stream().skip(1).filter(words::contains).toList();
    }

    private static String shutdownFlagsText(List<String> flags) {
        return flags.isEmpty() ? "default" : String.join(" ", flags);
    }

    /** "3600 1 300 100": pairs of non-negative integers, or empty for none. */
    private static String parseSaveRules(List<String> args) throws ConfigValueException {
        String joined = String.join(" ", args).trim();
        if (joined.isEmpty()) {
            return "";
        }
        String[] f = joined.split("\\s+");
        if (f.length % 2 != 0) {
            throw new ConfigValueException("Invalid save parameters");
        }
        for (String v : f) {
            try {
                if (Long.parseLong(v) < 0) {
                    throw new ConfigValueException("Invalid save parameters");
                }
            } catch (NumberFormatException e) {
                throw new ConfigValueException("Invalid save parameters");
            }
        }
        return String.join(" ", f);
    }

    private static String existingDirectory(String path) throws ConfigValueException {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(path))) {
            throw new ConfigValueException("No such file or directory");
        }
        return path;
    }

    /** unixsocketperm: octal digits, at most 0777. */
    private static int parseOctalPermissions(String s) throws ConfigValueException {
        try {
            int v = Integer.parseInt(s, 8);
            if (v < 0 || v > 0777) {
                throw new ConfigValueException("argument must be between 0 and 777 inclusive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigValueException("argument couldn't be parsed into an integer");
        }
    }

    static String single(List<String> args) throws ConfigValueException {
        if (args.size() != 1) {
            throw new ConfigValueException("wrong number of arguments");
        }
        return args.get(0);
    }

    private static long parseLong(String s, long min, long max) throws ConfigValueException {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigValueException("argument couldn't be parsed into an integer");
        }
        if (v < min || v > max) {
            throw new ConfigValueException("argument must be between " + min + " and " + max + " inclusive");
        }
        return v;
    }
}
