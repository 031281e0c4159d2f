package dev.respite.server.info;

import dev.respite.server.EventLoopCycles;
import dev.respite.server.RespiteServer;
import dev.respite.server.ServerStats;
import dev.respite.server.ServerVersion;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.LatencyHistogram;
import dev.respite.server.config.Percentiles;
import dev.respite.server.net.Client;
import dev.respite.server.persistence.Persistence;
import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The text INFO returns: Redis's sections, field names and order, CRLF line endings. Fields that have no
 * meaning for Respite carry the value Redis shows for the equivalent state.
 */
public final class InfoReport {
    private static final List<String> DEFAULT = List.of(
            "server",
            "clients",
            "memory",
            "persistence",
            "stats",
            "replication",
            "cpu",
            "modules",
            "errorstats",
            "cluster",
            "keyspace");
    private static final List<String> ALL = List.of(
            "server",
            "clients",
            "memory",
            "persistence",
            "stats",
            "replication",
            "cpu",
            "modules",
            "commandstats",
            "errorstats",
            "latencystats",
            "cluster",
            "keyspace");

    /** Every section in print order: "debug", as in Redis, only when asked for by name. */
    private static final List<String> ORDER =
            Stream.concat(ALL.stream(), Stream.of("debug")).toList();

    private final RespiteServer server;

    public InfoReport(RespiteServer server) {
        this.server = server;
    }

    /** The report for the requested section names (none means "default"). */
    public String render(List<String> requested) {
        Set<String> sections = new LinkedHashSet<>();
        if (requested.isEmpty()) {
            sections.addAll(DEFAULT);
        }
        for (String r : requested) {
            switch (r.toLowerCase(Locale.ROOT)) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(r.toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String s : ORDER) {
            if (sections.contains(s)) {
                int before = sb.length();
                if (before > 0) {
                    sb.append("\r\n");
                }
                section(sb, s);
            }
        }
        return sb.toString();
    }

    private void section(StringBuilder sb, String name) {
        switch (name) {
            case "server" -> server(sb);
            case "clients" -> clients(sb);
            case "memory" -> memory(sb);
            case "persistence" -> persistence(sb);
            case "stats" -> stats(sb);
            case "replication" -> replication(sb);
            case "cpu" -> cpu(sb);
            case "modules" -> header(sb, "Modules");
            case "commandstats" -> commandStats(sb);
            case "errorstats" -> errorStats(sb);
            case "latencystats" -> latencyStats(sb);
            case "cluster" -> {
                header(sb, "Cluster");
                field(sb, "cluster_enabled", server.config().cluster.enabled ? 1 : 0);
            }
            case "keyspace" -> keyspace(sb);
            case "debug" -> debug(sb);
            default -> {}
        }
    }

    private void debug(StringBuilder sb) {
        EventLoopCycles cycles = server.stats().cycles();
        header(sb, "Debug");
        field(sb, "eventloop_duration_aof_sum", cycles.aofMicros());
        field(sb, "eventloop_duration_cron_sum", cycles.cronMicros());
        field(sb, "eventloop_duration_max", cycles.maxDurationMicros());
        field(sb, "eventloop_cmd_per_cycle_max", cycles.maxCommandsPerCycle());
    }

    private static void header(StringBuilder sb, String title) {
        sb.append("# ").append(title).append("\r\n");
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private void server(StringBuilder sb) {
        long uptimeMs = System.currentTimeMillis() - server.startMillis();
        header(sb, "Server");
        field(sb, "redis_version", ServerVersion.REDIS_VERSION);
        field(sb, "redis_git_sha1", "00000000");
        field(sb, "redis_git_dirty", 0);
        field(sb, "redis_build_id", "0");
        field(sb, "redis_mode", "standalone");
        field(
                sb,
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        field(sb, "arch_bits", 64);
        field(sb, "monotonic_clock", "POSIX clock_gettime");
        field(sb, "multiplexing_api", server.transportName());
        field(sb, "atomicvar_api", "c11-builtin");
        field(sb, "gcc_version", "0.0.0");
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "process_supervised", "no");
        field(sb, "run_id", server.runId());
        field(sb, "tcp_port", server.config().port);
        field(sb, "server_time_usec", System.currentTimeMillis() * 1000);
        field(sb, "uptime_in_seconds", uptimeMs / 1000);
        field(sb, "uptime_in_days", uptimeMs / 86_400_000);
        field(sb, "hz", server.effectiveHz());
        field(sb, "configured_hz", server.config().hz);
        field(sb, "lru_clock", (System.currentTimeMillis() / 1000) & ((1 << 24) - 1));
        field(sb, "executable", "respite-server");
        field(sb, "config_file", server.configFile());
        field(sb, "io_threads_active", server.config().ioThreads > 1 ? 1 : 0);
        long shutdownIn = server.shutdownSequence().millisLeft();
        if (shutdownIn >= 0) {
            field(sb, "shutdown_in_milliseconds", shutdownIn);
        }
        field(sb, "listener0", listener());
        field(sb, "respite_version", ServerVersion.VERSION);
        field(sb, "java_version", System.getProperty("java.version"));
    }

    private void clients(StringBuilder sb) {
        header(sb, "Clients");
        field(
                sb,
                "connected_clients",
                server.clients().count() - server.replication().replicaCount());
        field(sb, "cluster_connections", 0);
        field(sb, "maxclients", server.config().maxclients);
        field(sb, "client_recent_max_input_buffer", 0);
        field(sb, "client_recent_max_output_buffer", 0);
        // As Redis counts them, clients held by CLIENT PAUSE are blocked clients too.
        field(
                sb,
                "blocked_clients",
                server.blocking().count()
                        + server.pause().postponedCount()
                        + server.replication().waitingCount()
                        + server.shutdownSequence().blockedCount());
        field(sb, "tracking_clients", server.tracking().trackingClients());
        field(sb, "pubsub_clients", pubsubClients());
        field(sb, "watching_clients", server.watches().watchingClients());
        field(sb, "clients_in_timeout_table", server.blocking().count());
        field(sb, "total_watched_keys", server.watches().watchedKeys());
        field(sb, "total_blocking_keys", server.blocking().keyCount());
        field(sb, "total_blocking_keys_on_nokey", server.blocking().keyCountOnNoKey());
    }

    private void memory(StringBuilder sb) {
        MemoryUsage m = server.memory().observe();
        long used = m.used();
        long heap = m.heapUsed();
        long committed = m.heapCommitted();
        long peak = m.peak();
        long rss = m.rss();
        long dataset = m.dataset();
        long system = MemoryFigures.totalSystemBytes();
        long maxmemory = server.config().maxmemory;
        header(sb, "Memory");
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", MemoryFigures.human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", MemoryFigures.human(rss));
        field(sb, "used_memory_peak", peak);
        field(sb, "used_memory_peak_human", MemoryFigures.human(peak));
        field(sb, "used_memory_peak_perc", percent(used, peak));
        field(sb, "used_memory_overhead", used - dataset);
        field(sb, "used_memory_startup", 0);
        field(sb, "used_memory_dataset", dataset);
        field(sb, "used_memory_dataset_perc", percent(dataset, used));
        field(sb, "allocator_allocated", heap);
        field(sb, "allocator_active", committed);
        field(sb, "allocator_resident", rss);
        field(sb, "total_system_memory", system);
        field(sb, "total_system_memory_human", MemoryFigures.human(system));
        dev.respite.server.scripting.Scripts scripts = server.scripts();
        long evalVm = scripts.evalVmBytes();
        long functionVm = scripts.functionVmBytes();
        long scriptsEval = scripts.cache().memoryBytes();
        long functions = scripts.functionsBytes();
        field(sb, "used_memory_lua", evalVm);
        field(sb, "used_memory_vm_eval", evalVm);
        field(sb, "used_memory_lua_human", MemoryFigures.human(evalVm));
        field(sb, "used_memory_scripts_eval", scriptsEval);
        field(sb, "number_of_cached_scripts", scripts.cache().size());
        field(sb, "number_of_functions", scripts.libraries().functionCount());
        field(sb, "number_of_libraries", scripts.libraries().libraryCount());
        field(sb, "used_memory_vm_functions", functionVm);
        field(sb, "used_memory_vm_total", evalVm + functionVm);
        field(sb, "used_memory_vm_total_human", MemoryFigures.human(evalVm + functionVm));
        field(sb, "used_memory_functions", functions);
        field(sb, "used_memory_scripts", scriptsEval + functions);
        field(sb, "used_memory_scripts_human", MemoryFigures.human(scriptsEval + functions));
        field(sb, "maxmemory", maxmemory);
        field(sb, "maxmemory_human", MemoryFigures.human(maxmemory));
        field(sb, "maxmemory_policy", server.config().maxmemoryPolicy);
        field(sb, "allocator_frag_ratio", ratio(committed, heap));
        field(sb, "allocator_frag_bytes", committed - heap);
        field(sb, "allocator_rss_ratio", ratio(rss, committed));
        field(sb, "allocator_rss_bytes", rss - committed);
        field(sb, "rss_overhead_ratio", "1.00");
        field(sb, "rss_overhead_bytes", 0);
        field(sb, "mem_fragmentation_ratio", ratio(rss, used));
        field(sb, "mem_fragmentation_bytes", rss - used);
        field(sb, "mem_not_counted_for_evict", m.notCounted());
        field(sb, "mem_replication_backlog", server.replication().backlogBytes());
        field(sb, "mem_total_replication_buffers", server.replication().replicationBufferBytes());
        field(sb, "mem_clients_slaves", m.clientsReplicas());
        field(sb, "mem_clients_normal", m.clientsNormal());
        field(sb, "mem_cluster_links", server.cluster().linkMemory());
        field(sb, "mem_aof_buffer", 0);
        field(sb, "mem_allocator", "libc");
        field(sb, "active_defrag_running", 0);
        field(sb, "lazyfree_pending_objects", 0);
        field(sb, "lazyfreed_objects", server.keyspace().lazyfreedObjects());
    }

    private void persistence(StringBuilder sb) {
        header(sb, "Persistence");
        Persistence p = server.persistence();
        field(sb, "loading", p.isLoading() ? 1 : 0);
        field(sb, "async_loading", 0);
        field(sb, "current_cow_peak", 0);
        field(sb, "current_cow_size", 0);
        field(sb, "current_cow_size_age", 0);
        field(sb, "current_fork_perc", "0.00");
        field(sb, "current_save_keys_processed", 0);
        field(sb, "current_save_keys_total", 0);
        field(sb, "rdb_changes_since_last_save", server.keyspace().dirty());
        var snaps = server.snapshots();
        boolean rdbWriting = snaps.bgsaveInProgress() || server.replication().disklessPayloadInProgress();
        field(sb, "rdb_bgsave_in_progress", rdbWriting ? 1 : 0);
        field(sb, "rdb_last_save_time", snaps.lastSaveSeconds());
        field(sb, "rdb_last_bgsave_status", snaps.lastStatusOk() ? "ok" : "err");
        field(sb, "rdb_last_bgsave_time_sec", snaps.lastDurationSeconds());
        field(sb, "rdb_current_bgsave_time_sec", snaps.currentDurationSeconds());
        field(sb, "rdb_saves", snaps.saves());
        field(sb, "rdb_last_cow_size", 0);
        field(sb, "rdb_last_load_keys_expired", snaps.lastLoadKeysExpired());
        field(sb, "rdb_last_load_keys_loaded", snaps.lastLoadKeysLoaded());
        field(sb, "aof_enabled", p.aofEnabled() ? 1 : 0);
        field(sb, "aof_rewrite_in_progress", p.rewriteInProgress() ? 1 : 0);
        field(sb, "aof_rewrite_scheduled", p.rewriteScheduled() ? 1 : 0);
        field(sb, "aof_last_rewrite_time_sec", p.lastRewriteSeconds());
        field(sb, "aof_current_rewrite_time_sec", p.currentRewriteSeconds());
        field(sb, "aof_last_bgrewrite_status", p.lastRewriteOk() ? "ok" : "err");
        field(sb, "aof_rewrites", p.rewrites());
        field(sb, "aof_rewrites_consecutive_failures", p.lastRewriteOk() ? 0 : 1);
        field(sb, "aof_last_write_status", p.lastWriteOk() ? "ok" : "err");
        field(sb, "aof_last_cow_size", 0);
        field(sb, "module_fork_in_progress", 0);
        field(sb, "module_fork_last_cow_size", 0);
        if (p.aofEnabled()) {
            field(sb, "aof_current_size", p.aofCurrentSize());
            field(sb, "aof_base_size", p.aofBaseSize());
            field(sb, "aof_pending_rewrite", 0);
            field(sb, "aof_buffer_length", 0);
            field(sb, "aof_pending_bio_fsync", 0);
            field(sb, "aof_delayed_fsync", 0);
        }
        if (p.isLoading()) {
            field(sb, "loading_start_time", p.loadingStartSeconds());
            field(sb, "loading_total_bytes", p.loadingTotalBytes());
            field(sb, "loading_rdb_used_mem", 0);
            field(sb, "loading_loaded_bytes", p.loadingLoadedBytes());
            field(sb, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f", p.loadingPercent()));
            field(sb, "loading_eta_seconds", p.loadingEtaSeconds());
        }
    }

    private void stats(StringBuilder sb) {
        ServerStats st = server.stats();
        Keyspace ks = server.keyspace();
        header(sb, "Stats");
        field(sb, "total_connections_received", server.clients().totalConnections());
        field(sb, "total_commands_processed", st.totalCommandsProcessed);
        field(sb, "instantaneous_ops_per_sec", st.instantaneousOps());
        field(sb, "total_net_input_bytes", st.netInputBytes);
        field(sb, "total_net_output_bytes", st.netOutputBytes);
        field(sb, "total_net_repl_input_bytes", 0);
        field(sb, "total_net_repl_output_bytes", server.stats().netReplOutputBytes);
        field(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousInputKbps()));
        field(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousOutputKbps()));
        field(sb, "instantaneous_input_repl_kbps", "0.00");
        field(sb, "instantaneous_output_repl_kbps", "0.00");
        field(sb, "rejected_connections", server.clients().rejectedConnections());
        field(sb, "sync_full", server.replication().syncFull());
        field(sb, "sync_partial_ok", server.replication().syncPartialOk());
        field(sb, "sync_partial_err", server.replication().syncPartialErr());
        field(sb, "expired_keys", ks.expiredKeys());
        field(sb, "expired_stale_perc", "0.00");
        field(sb, "expired_time_cap_reached_count", 0);
        field(sb, "expire_cycle_cpu_milliseconds", 0);
        field(sb, "evicted_keys", server.eviction().evictedKeys());
        field(sb, "evicted_clients", server.stats().evictedClients);
        field(sb, "total_eviction_exceeded_time", 0);
        field(sb, "current_eviction_exceeded_time", 0);
        field(sb, "keyspace_hits", ks.keyspaceHits());
        field(sb, "keyspace_misses", ks.keyspaceMisses());
        field(sb, "pubsub_channels", server.pubsub().channelCount());
        field(sb, "pubsub_patterns", server.pubsub().patternCount());
        field(sb, "pubsubshard_channels", server.pubsub().shardChannelCount());
        field(sb, "latest_fork_usec", 0);
        field(sb, "total_forks", 0);
        field(sb, "migrate_cached_sockets", 0);
        field(sb, "slave_expires_tracked_keys", 0);
        field(sb, "active_defrag_hits", 0);
        field(sb, "active_defrag_misses", 0);
        field(sb, "active_defrag_key_hits", 0);
        field(sb, "active_defrag_key_misses", 0);
        field(sb, "total_active_defrag_time", 0);
        field(sb, "current_active_defrag_time", 0);
        field(sb, "tracking_total_keys", server.tracking().totalKeys());
        field(sb, "tracking_total_items", server.tracking().totalItems());
        field(sb, "tracking_total_prefixes", server.tracking().totalPrefixes());
        field(sb, "unexpected_error_replies", st.unexpectedErrorReplies);
        field(sb, "total_error_replies", st.totalErrorReplies);
        field(sb, "dump_payload_sanitizations", 0);
        field(sb, "total_reads_processed", st.readsProcessed);
        field(sb, "total_writes_processed", st.writesProcessed);
        boolean threaded = server.config().ioThreads > 1;
        field(sb, "io_threaded_reads_processed", threaded ? st.readsProcessed : 0);
        field(sb, "io_threaded_writes_processed", threaded ? st.writesProcessed : 0);
        field(sb, "client_query_buffer_limit_disconnections", st.queryLimitDisconnections);
        field(sb, "client_output_buffer_limit_disconnections", st.outputLimitDisconnections);
        field(sb, "reply_buffer_shrinks", 0);
        field(sb, "reply_buffer_expands", 0);
        field(sb, "eventloop_cycles", st.cycles().cycles());
        field(sb, "eventloop_duration_sum", st.cycles().durationMicros());
        field(sb, "eventloop_duration_cmd_sum", st.commandNanos / 1000);
        field(sb, "instantaneous_eventloop_cycles_per_sec", st.cycles().instantaneousCyclesPerSec());
        field(sb, "instantaneous_eventloop_duration_usec", st.cycles().instantaneousDurationMicros());
        field(sb, "acl_access_denied_auth", st.aclAccessDeniedAuth);
        field(sb, "acl_access_denied_cmd", st.aclAccessDeniedCmd);
        field(sb, "acl_access_denied_key", st.aclAccessDeniedKey);
        field(sb, "acl_access_denied_channel", st.aclAccessDeniedChannel);
    }

    private void replication(StringBuilder sb) {
        header(sb, "Replication");
        server.replication().appendInfo(sb);
    }

    private void cpu(StringBuilder sb) {
        double[] cpu = MemoryFigures.processCpuSeconds();
        double[] main = mainThreadCpu(server);
        header(sb, "CPU");
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
        field(sb, "used_cpu_sys_children", "0.000000");
        field(sb, "used_cpu_user_children", "0.000000");
        field(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", main[1]));
        field(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", main[0]));
    }

    /** User and system CPU seconds of the event loop thread, Redis's main thread. */
    static double[] mainThreadCpu(RespiteServer server) {
        long tid = server.loopThreadTid();
        return tid == 0 ? new double[] {0, 0} : MemoryFigures.threadCpuSeconds(tid);
    }

    private void commandStats(StringBuilder sb) {
        header(sb, "Commandstats");
        for (CommandSpec s : allSpecs()) {
            var st = s.stats();
            if (st.calls == 0 && st.rejectedCalls == 0 && st.failedCalls == 0) {
                continue;
            }
            sb.append("cmdstat_")
                    .append(s.fullName())
                    .append(":calls=")
                    .append(st.calls)
                    .append(",usec=")
                    .append(st.usec)
                    .append(",usec_per_call=")
                    .append(String.format(Locale.ROOT, "%.2f", st.calls == 0 ? 0.0 : (double) st.usec / st.calls))
                    .append(",rejected_calls=")
                    .append(st.rejectedCalls)
                    .append(",failed_calls=")
                    .append(st.failedCalls)
                    .append("\r\n");
        }
    }

    private void errorStats(StringBuilder sb) {
        header(sb, "Errorstats");
        for (Map.Entry<String, long[]> e : server.stats().errorCounts().entrySet()) {
            sb.append("errorstat_")
                    .append(e.getKey())
                    .append(":count=")
                    .append(e.getValue()[0])
                    .append("\r\n");
        }
    }

    private void latencyStats(StringBuilder sb) {
        header(sb, "Latencystats");
        double[] percentiles = server.config().latencyTrackingInfoPercentiles;
        for (CommandSpec s : allSpecs()) {
            LatencyHistogram h = s.stats().latency();
            if (h == null) {
                continue;
            }
            sb.append("latency_percentiles_usec_").append(s.fullName()).append(':');
            for (int i = 0; i < percentiles.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('p')
                        .append(Percentiles.trim(percentiles[i]))
                        .append('=')
                        .append(String.format(Locale.ROOT, "%.3f", h.valueAtPercentile(percentiles[i]) / 1000.0));
            }
            sb.append("\r\n");
        }
    }

    private List<CommandSpec> allSpecs() {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandSpec s : server.commands().all()) {
            specs.add(s);
            specs.addAll(s.subcommands().values());
        }
        return specs;
    }

    private int pubsubClients() {
        int n = 0;
        for (Client c : server.clients().all()) {
            if (c.inPubSubContext()) {
                n++;
            }
        }
        return n;
    }

    /** Redis 7.2's listener line: the TCP listener's bind addresses and port. */
    private String listener() {
        StringBuilder sb = new StringBuilder("name=tcp");
        for (String b : server.config().bind) {
            sb.append(",bind=").append(b);
        }
        return sb.append(",port=").append(server.config().port).toString();
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : part * 100.0 / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private void keyspace(StringBuilder sb) {
        header(sb, "Keyspace");
        Keyspace ks = server.keyspace();
        for (int i = 0; i < ks.count(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                sb.append("db")
                        .append(i)
                        .append(":keys=")
                        .append(db.size())
                        .append(",expires=")
                        .append(db.expiringKeys())
                        .append(",avg_ttl=")
                        .append(db.averageTtl())
                        .append("\r\n");
            }
        }
    }
}
