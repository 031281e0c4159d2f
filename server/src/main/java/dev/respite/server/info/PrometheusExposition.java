package dev.respite.server.info;

import dev.respite.server.RespiteServer;
import dev.respite.server.ServerStats;
import dev.respite.server.ServerVersion;
import dev.respite.server.command.CommandSpec;
import dev.respite.server.command.CommandStats;
import dev.respite.server.command.LatencyHistogram;
import dev.respite.storage.Database;
import dev.respite.storage.Keyspace;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The numbers INFO shows, in the Prometheus text exposition format 0.0.4, named as redis_exporter names
 * them so its dashboards and alerts work unchanged; plus per-command latency histograms. Runs on the
 * event loop, so it reads the statistics between two commands.
 */
public final class PrometheusExposition {
    /** Histogram bucket bounds in seconds: 10 µs to 10 s, the span between a cache hit and a stuck command. */
    private static final double[] LATENCY_BOUNDS = {
        0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10
    };

    private final RespiteServer server;

    public PrometheusExposition(RespiteServer server) {
        this.server = server;
    }

    public String render() {
        StringBuilder sb = new StringBuilder(16384);
        ServerStats st = server.stats();
        Keyspace ks = server.keyspace();

        family(sb, "redis_instance_info", "gauge", "Server identity; the value is always 1.");
        sb.append("redis_instance_info{redis_version=\"")
                .append(ServerVersion.REDIS_VERSION)
                .append("\",respite_version=\"")
                .append(escape(ServerVersion.VERSION))
                .append("\",redis_mode=\"standalone\",role=\"master\",run_id=\"")
                .append(server.runId())
                .append("\",tcp_port=\"")
                .append(server.config().port)
                .append("\"} 1\n");
        gauge(sb, "redis_start_time_seconds", "Unix time the server started.", server.startMillis() / 1000);
        gauge(
                sb,
                "redis_uptime_in_seconds",
                "Seconds since the server started.",
                (System.currentTimeMillis() - server.startMillis()) / 1000);

        gauge(
                sb,
                "redis_connected_clients",
                "Clients connected now.",
                server.clients().count());
        gauge(
                sb,
                "redis_blocked_clients",
                "Clients waiting in a blocking command.",
                server.blocking().count());
        gauge(sb, "redis_config_maxclients", "The maxclients limit.", server.config().maxclients);

        MemoryUsage m = server.memory().peek();
        gauge(sb, "redis_memory_used_bytes", "used_memory: the dataset estimate plus the clients' memory.", m.used());
        gauge(sb, "redis_memory_used_rss_bytes", "Resident set size of the process.", m.rss());
        gauge(sb, "redis_memory_used_peak_bytes", "Highest used_memory seen.", m.peak());
        gauge(
                sb,
                "redis_memory_used_dataset_bytes",
                "used_memory_dataset: the estimate of the keys and values.",
                m.dataset());
        gauge(
                sb,
                "redis_mem_clients_normal",
                "mem_clients_normal: memory of normal clients: query buffers, pending replies, transactions.",
                m.clientsNormal());
        gauge(
                sb,
                "redis_allocator_allocated_bytes",
                "allocator_allocated: the JVM heap in use, uncollected garbage included.",
                m.heapUsed());
        gauge(sb, "redis_allocator_active_bytes", "allocator_active: the JVM heap committed.", m.heapCommitted());
        gauge(sb, "redis_memory_max_bytes", "The maxmemory limit (0: none).", server.config().maxmemory);
        gauge(sb, "redis_total_system_memory_bytes", "Memory of the machine.", MemoryFigures.totalSystemBytes());

        counter(
                sb,
                "redis_connections_received_total",
                "Connections accepted.",
                server.clients().totalConnections());
        counter(
                sb,
                "redis_rejected_connections_total",
                "Connections refused at maxclients.",
                server.clients().rejectedConnections());
        counter(sb, "redis_commands_processed_total", "Commands run.", st.totalCommandsProcessed);
        gauge(sb, "redis_instantaneous_ops_per_sec", "Commands per second, recent average.", st.instantaneousOps());
        counter(sb, "redis_net_input_bytes_total", "Bytes read from clients.", st.netInputBytes);
        counter(sb, "redis_net_output_bytes_total", "Bytes written to clients.", st.netOutputBytes);
        gauge(
                sb,
                "redis_instantaneous_input_kbps",
                "Input KiB per second, recent average.",
                st.instantaneousInputKbps());
        gauge(
                sb,
                "redis_instantaneous_output_kbps",
                "Output KiB per second, recent average.",
                st.instantaneousOutputKbps());
        counter(sb, "redis_expired_keys_total", "Keys removed because their TTL passed.", ks.expiredKeys());
        counter(sb, "redis_keyspace_hits_total", "Key lookups that found the key.", ks.keyspaceHits());
        counter(sb, "redis_keyspace_misses_total", "Key lookups that did not find the key.", ks.keyspaceMisses());
        counter(
                sb,
                "redis_client_output_buffer_limit_disconnections_total",
                "Clients closed for exceeding an output buffer limit.",
                st.outputLimitDisconnections);
        counter(sb, "redis_total_error_replies", "Error replies sent.", st.totalErrorReplies);

        double[] cpu = MemoryFigures.processCpuSeconds();
        double[] main = InfoReport.mainThreadCpu(server);
        counter(sb, "redis_cpu_sys_seconds_total", "System CPU time of the process.", cpu[1]);
        counter(sb, "redis_cpu_user_seconds_total", "User CPU time of the process.", cpu[0]);
        counter(sb, "redis_cpu_sys_main_thread_seconds_total", "System CPU time of the event loop thread.", main[1]);
        counter(sb, "redis_cpu_user_main_thread_seconds_total", "User CPU time of the event loop thread.", main[0]);

        family(sb, "redis_errors_total", "counter", "Error replies by error prefix.");
        for (Map.Entry<String, long[]> e : st.errorCounts().entrySet()) {
            sb.append("redis_errors_total{err=\"")
                    .append(escape(e.getKey()))
                    .append("\"} ")
                    .append(e.getValue()[0])
                    .append('\n');
        }

        List<CommandSpec> specs = usedCommands();
        family(sb, "redis_commands_total", "counter", "Calls per command.");
        for (CommandSpec s : specs) {
            sample(sb, "redis_commands_total", s, s.stats().calls);
        }
        family(sb, "redis_commands_duration_seconds_total", "counter", "Time spent running each command.");
        for (CommandSpec s : specs) {
            sample(sb, "redis_commands_duration_seconds_total", s, s.stats().usec / 1e6);
        }
        family(
                sb,
                "redis_commands_rejected_calls_total",
                "counter",
                "Calls refused before running (arity, auth, ...).");
        for (CommandSpec s : specs) {
            sample(sb, "redis_commands_rejected_calls_total", s, s.stats().rejectedCalls);
        }
        family(sb, "redis_commands_failed_calls_total", "counter", "Calls that ran and answered an error.");
        for (CommandSpec s : specs) {
            sample(sb, "redis_commands_failed_calls_total", s, s.stats().failedCalls);
        }
        latencyHistograms(sb, specs);

        family(sb, "redis_db_keys", "gauge", "Keys per database.");
        perDatabase(sb, "redis_db_keys", db -> db.size());
        family(sb, "redis_db_keys_expiring", "gauge", "Keys with a TTL per database.");
        perDatabase(sb, "redis_db_keys_expiring", db -> db.expiringKeys());
        family(sb, "redis_db_avg_ttl_seconds", "gauge", "Average TTL of the keys that have one, per database.");
        perDatabase(sb, "redis_db_avg_ttl_seconds", db -> db.averageTtl() / 1000.0);
        return sb.toString();
    }

    /** One sample per non-empty database, as INFO keyspace lists them. */
    private void perDatabase(StringBuilder sb, String name, ToDoubleFunction<Database> value) {
        Keyspace ks = server.keyspace();
        for (int i = 0; i < ks.count(); i++) {
            Database db = ks.db(i);
            if (db.size() > 0) {
                sb.append(name)
                        .append("{db=\"db")
                        .append(i)
                        .append("\"} ")
                        .append(number(value.applyAsDouble(db)))
                        .append('\n');
            }
        }
    }

    /** respite_command_latency_seconds: cumulative buckets read off the same histograms as INFO latencystats. */
    private static void latencyHistograms(StringBuilder sb, List<CommandSpec> specs) {
        String name = "respite_command_latency_seconds";
        family(sb, name, "histogram", "Command run time, per command (latency-tracking must be on).");
        for (CommandSpec s : specs) {
            LatencyHistogram h = s.stats().latency();
            if (h == null) {
                continue;
            }
            String cmd = escape(s.fullName());
            for (double bound : LATENCY_BOUNDS) {
                sb.append(name)
                        .append("_bucket{cmd=\"")
                        .append(cmd)
                        .append("\",le=\"")
                        .append(BigDecimal.valueOf(bound).toPlainString())
                        .append("\"} ")
                        .append(h.countAtOrBelow((long) (bound * 1e9)))
                        .append('\n');
            }
            sb.append(name)
                    .append("_bucket{cmd=\"")
                    .append(cmd)
                    .append("\",le=\"+Inf\"} ")
                    .append(h.count())
                    .append('\n');
            sb.append(name)
                    .append("_sum{cmd=\"")
                    .append(cmd)
                    .append("\"} ")
                    .append(number(h.sumNanos() / 1e9))
                    .append('\n');
            sb.append(name)
                    .append("_count{cmd=\"")
                    .append(cmd)
                    .append("\"} ")
                    .append(h.count())
                    .append('\n');
        }
    }

    private List<CommandSpec> usedCommands() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : server.commands().all()) {
            addIfUsed(out, s);
            for (CommandSpec sub : s.subcommands().values()) {
                addIfUsed(out, sub);
            }
        }
        return out;
    }

    private static void addIfUsed(List<CommandSpec> out, CommandSpec s) {
        CommandStats st = s.stats();
        if (st.calls != 0 || st.rejectedCalls != 0 || st.failedCalls != 0) {
            out.add(s);
        }
    }

    private static void sample(StringBuilder sb, String name, CommandSpec s, double value) {
        sb.append(name)
                .append("{cmd=\"")
                .append(escape(s.fullName()))
                .append("\"} ")
                .append(number(value))
                .append('\n');
    }

    private static void sample(StringBuilder sb, String name, CommandSpec s, long value) {
        sb.append(name)
                .append("{cmd=\"")
                .append(escape(s.fullName()))
                .append("\"} ")
                .append(value)
                .append('\n');
    }

    private static void family(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        family(sb, name, "gauge", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        family(sb, name, "gauge", help);
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        family(sb, name, "counter", help);
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder sb, String name, String help, double value) {
        family(sb, name, "counter", help);
        sb.append(name).append(' ').append(number(value)).append('\n');
    }

    /** A sample value as Go's strconv writes floats: shortest round-trip form, no locale. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    /** Label values escape backslash, double quote and newline. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
