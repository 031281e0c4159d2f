package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** INFO as monitoring tools read it: Redis's sections, fields, order and format, with real numbers. */
class InfoTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    /** The same small workload on a server: fills commandstats, errorstats, latencystats and keyspace. */
    private static void workload(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set("info:k", "v");
            j.get("info:k");
            j.get("info:missing");
            assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.SELECT, "99"));
        }
    }

    @Test
    void everySectionHasEveryFieldRealRedisPrints() throws IOException {
        workload(respite.port());
        workload(redis.port());
        Map<String, Set<String>> expected = sections(info(redis.port(), "everything"));
        Map<String, Set<String>> actual = sections(info(respite.port(), "everything"));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "section headers and their order");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            for (String field : e.getValue()) {
                if (!actual.get(e.getKey()).contains(field)) {
                    missing.add(e.getKey() + "." + field);
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> "INFO fields redis-server prints and Respite does not: " + missing);
    }

    @Test
    void fieldsKeepRedisOrderWithinEachSection() throws IOException {
        workload(respite.port());
        workload(redis.port());
        Map<String, List<String>> expected = orderedFields(info(redis.port(), "all"));
        Map<String, List<String>> actual = orderedFields(info(respite.port(), "all"));
        for (String section :
                List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Cluster")) {
            List<String> ours = new ArrayList<>(actual.get(section));
            ours.retainAll(expected.get(section));
            List<String> theirs = new ArrayList<>(expected.get(section));
            theirs.retainAll(ours);
            assertEquals(theirs, ours, "field order in # " + section);
        }
    }

    @Test
    void sectionSelectionFollowsRedis() throws IOException {
        for (String[] args : new String[][] {
            {},
            {"default"},
            {"all"},
            {"everything"},
            {"server", "cpu"},
            {"CPU", "Keyspace"},
            {"commandstats"},
            {"latencystats"},
            {"nosuchsection"},
            {"default", "latencystats"}
        }) {
            assertEquals(
                    headers(info(redis.port(), args)),
                    headers(info(respite.port(), args)),
                    () -> "INFO " + String.join(" ", args));
        }
        assertEquals("", info(respite.port(), "nosuchsection"));
    }

    @Test
    void linesEndInCrlfAndSectionsAreSeparatedByABlankLine() throws IOException {
        String text = info(respite.port(), "everything");
        assertFalse(Pattern.compile("[^\r]\n").matcher(text).find(), "a line ends in a bare LF");
        assertTrue(text.startsWith("# Server\r\n"));
        assertTrue(text.contains("\r\n\r\n# Clients\r\n"));
        assertTrue(text.endsWith("\r\n"));
        for (String line : text.split("\r\n")) {
            assertTrue(
                    line.isEmpty() || line.startsWith("# ") || line.matches("[a-z0-9_|.\\-]+:.*"),
                    () -> "malformed line: " + line);
        }
    }

    @Test
    void redisVersionIsPlainAndRespiteVersionIsItsOwnField() throws IOException {
        Map<String, String> f = fields(info(respite.port(), "server"));
        assertTrue(f.get("redis_version").matches("7\\.\\d+\\.\\d+"), f.get("redis_version"));
        assertTrue(f.containsKey("respite_version"));
        assertEquals("64", f.get("arch_bits"));
        assertEquals("name=tcp,bind=127.0.0.1,port=" + respite.port(), f.get("listener0"));
        assertEquals(Long.toString(respite.pid()), f.get("process_id"));
    }

    @Test
    void fieldsWithoutMeaningShowWhatRedisShowsForTheSameState() throws IOException {
        Map<String, String> f = fields(info(respite.port(), "everything"));
        assertEquals("libc", f.get("mem_allocator"));
        assertEquals("master", f.get("role"));
        assertEquals("0", f.get("connected_slaves"));
        assertEquals("0", f.get("master_repl_offset"));
        assertEquals("0", f.get("cluster_enabled"));
        assertEquals("0", f.get("total_forks"));
        assertEquals("0", f.get("tracking_clients"));
        assertEquals("0", f.get("blocked_clients"));
    }

    @Test
    void countersAreRealNumbers() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configResetStat();
            j.set("real:k", "v");
            j.get("real:k");
            j.get("real:k");
            j.get("real:nope");
            j.watch("real:k");
            assertThrows(JedisDataException.class, () -> j.sendCommand(Protocol.Command.SELECT, "99"));
            assertThrows(
                    JedisDataException.class,
                    () -> j.sendCommand(() -> "NOSUCHCMD".getBytes(StandardCharsets.US_ASCII)));
            Map<String, String> f = fields(j.info("everything"));
            assertEquals("2", f.get("keyspace_hits"));
            assertEquals("1", f.get("keyspace_misses"));
            assertEquals("count=2", f.get("errorstat_ERR"));
            assertEquals("1", f.get("watching_clients"));
            assertEquals("1", f.get("total_watched_keys"));
            assertTrue(Long.parseLong(f.get("total_net_input_bytes")) > 50);
            assertTrue(Long.parseLong(f.get("total_net_output_bytes")) > 20);
            assertTrue(Long.parseLong(f.get("total_reads_processed")) >= 6);
            assertTrue(Long.parseLong(f.get("total_writes_processed")) >= 6);
            assertTrue(Long.parseLong(f.get("eventloop_cycles")) >= 6);
            assertTrue(Long.parseLong(f.get("used_memory")) > 0);
            assertTrue(Long.parseLong(f.get("used_memory_rss")) > Long.parseLong(f.get("used_memory_startup")));
            assertTrue(Long.parseLong(f.get("used_memory_peak")) >= Long.parseLong(f.get("used_memory")));
            assertTrue(Double.parseDouble(f.get("used_cpu_user")) > 0);
            assertTrue(Double.parseDouble(f.get("used_cpu_user_main_thread"))
                            + Double.parseDouble(f.get("used_cpu_sys_main_thread"))
                    <= Double.parseDouble(f.get("used_cpu_user")) + Double.parseDouble(f.get("used_cpu_sys")));
            assertTrue(
                    f.get("cmdstat_get")
                            .matches("calls=3,usec=\\d+,usec_per_call=\\d+\\.\\d{2},rejected_calls=0,failed_calls=0"),
                    f.get("cmdstat_get"));
            assertTrue(f.get("cmdstat_select").endsWith("rejected_calls=0,failed_calls=1"), f.get("cmdstat_select"));
            assertTrue(f.get("db0").matches("keys=\\d+,expires=\\d+,avg_ttl=\\d+"), f.get("db0"));
            assertTrue(Integer.parseInt(f.get("connected_clients")) >= 1);
            j.unwatch();
        }
    }

    /** INFO debug, shown only when asked for by name, reports the cron's time and the longest cycle. */
    @Test
    void debugSectionOnlyByNameWithCronAndCycleFigures() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertFalse(j.info().contains("eventloop_duration_cron_sum"));
            assertFalse(j.info("all").contains("# Debug"));
            j.set("debug:k", "v");
            Map<String, String> first = fields(j.info("debug"));
            assertEquals(
                    Set.of(
                            "eventloop_duration_aof_sum",
                            "eventloop_duration_cron_sum",
                            "eventloop_duration_max",
                            "eventloop_cmd_per_cycle_max"),
                    first.keySet());
            assertTrue(Long.parseLong(first.get("eventloop_duration_max")) > 0);
            assertTrue(Long.parseLong(first.get("eventloop_cmd_per_cycle_max")) > 0);
            Thread.sleep(250);
            Map<String, String> later = fields(j.info("debug"));
            assertTrue(Long.parseLong(later.get("eventloop_duration_cron_sum"))
                    > Long.parseLong(first.get("eventloop_duration_cron_sum")));
        }
    }

    /** used_memory is the dataset estimate plus client buffers, in INFO as in MEMORY STATS. */
    @Test
    void memoryFieldsAgreeWithMemoryStats() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.set("mem:info", "y".repeat(20_000));
            Map<String, String> f = fields(j.info("memory"));
            Map<String, Object> stats = j.memoryStats();
            long used = Long.parseLong(f.get("used_memory"));
            long dataset = Long.parseLong(f.get("used_memory_dataset"));
            assertTrue(dataset >= 20_000, f.get("used_memory_dataset"));
            assertEquals(dataset + Long.parseLong(f.get("mem_clients_normal")), used);
            assertEquals(used - dataset, Long.parseLong(f.get("used_memory_overhead")));
            assertEquals(dataset, stats.get("dataset.bytes"));
            long statsUsed = (Long) stats.get("total.allocated");
            assertEquals(dataset + (Long) stats.get("clients.normal"), statsUsed);
            assertTrue((Long) stats.get("peak.allocated") >= Long.parseLong(f.get("used_memory_peak")));
            assertTrue((Long) stats.get("peak.allocated") >= statsUsed);
            j.del("mem:info");
        }
    }

    @Test
    void latencystatsPrintsTheConfiguredPercentilesPerCommand() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configResetStat();
            for (int i = 0; i < 200; i++) {
                j.set("lat:" + i, "v");
            }
            Pattern p = Pattern.compile("p50=(\\d+\\.\\d{3}),p99=(\\d+\\.\\d{3}),p99\\.9=(\\d+\\.\\d{3})");
            var m = p.matcher(fields(j.info("latencystats")).get("latency_percentiles_usec_set"));
            assertTrue(m.matches());
            assertTrue(Double.parseDouble(m.group(1)) > 0);
            assertTrue(Double.parseDouble(m.group(1)) <= Double.parseDouble(m.group(2)));
            assertTrue(Double.parseDouble(m.group(2)) <= Double.parseDouble(m.group(3)));

            assertEquals(
                    "50 99 99.9",
                    j.configGet("latency-tracking-info-percentiles").get("latency-tracking-info-percentiles"));
            j.configSet("latency-tracking-info-percentiles", "25 99.99");
            assertTrue(fields(j.info("latencystats"))
                    .get("latency_percentiles_usec_set")
                    .matches("p25=\\d+\\.\\d{3},p99\\.99=\\d+\\.\\d{3}"));
            j.configSet("latency-tracking-info-percentiles", "50 99 99.9");

            j.configSet("latency-tracking", "no");
            j.configResetStat();
            j.set("lat:off", "v");
            assertFalse(fields(j.info("latencystats")).containsKey("latency_percentiles_usec_set"));
            j.configSet("latency-tracking", "yes");
        }
    }

    @Test
    void resp3ClientsGetInfoAsAVerbatimString() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            c.call("HELLO", "3");
            String reply = c.call("INFO", "server");
            assertTrue(reply.startsWith("="), reply);
            assertTrue(reply.contains("\r\ntxt:# Server\r\n"), reply);
        }
    }

    @Test
    void redisCliInfoEverythingRoundTrips() throws Exception {
        Tools.Result r = Tools.redisCli(respite.port(), "INFO", "everything");
        assertEquals(0, r.exitCode(), r.stderr());
        Tools.Result real = Tools.redisCli(redis.port(), "INFO", "everything");
        assertEquals(headers(real.stdout()), headers(r.stdout()));
        assertTrue(r.stdout().contains("redis_version:"));
    }

    @Test
    void redisCliStatShowsLiveFigures() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.set("stat:k", "v");
        }
        // Line-buffered: redis-cli buffers its output fully when it is not a terminal.
        Process p = new ProcessBuilder(
                        Tools.require("stdbuf"),
                        "-oL",
                        Tools.require("redis-cli"),
                        "-p",
                        Integer.toString(respite.port()),
                        "--stat",
                        "-i",
                        "0.2")
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            out = readFor(p.getInputStream(), 2_000);
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        assertTrue(
                out.contains("keys") && out.contains("mem") && out.contains("clients") && out.contains("requests"),
                out);
        assertTrue(
                Pattern.compile("(?m)^\\d+\\s+\\d+(\\.\\d+)?[BKMG]\\s+\\d+\\s+0\\s+\\d+ \\(\\+\\d+\\)\\s+\\d+")
                        .matcher(out)
                        .find(),
                () -> "no data row in:\n" + out);
        assertFalse(out.contains("ERR"), out);
    }

    private static String readFor(InputStream in, long millis) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[4096];
        while (System.currentTimeMillis() < deadline) {
            int n = in.available();
            if (n > 0) {
                int r = in.read(buf, 0, Math.min(n, buf.length));
                sb.append(new String(buf, 0, r, StandardCharsets.UTF_8));
            } else {
                Thread.sleep(50);
            }
        }
        return sb.toString();
    }

    private static String info(int port, String... sections) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Object reply = j.sendCommand(() -> "INFO".getBytes(StandardCharsets.US_ASCII), sections);
            return new String((byte[]) reply, StandardCharsets.UTF_8);
        }
    }

    private static List<String> headers(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("# ")) {
                out.add(line);
            }
        }
        return out;
    }

    private static Map<String, Set<String>> sections(String text) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        orderedFields(text).forEach((k, v) -> out.put(k, new LinkedHashSet<>(v)));
        return out;
    }

    private static Map<String, List<String>> orderedFields(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text.split("\r\n")) {
            if (line.startsWith("# ")) {
                current = new ArrayList<>();
                out.put(line.substring(2), current);
            } else if (!line.isEmpty() && current != null) {
                current.add(line.substring(0, line.indexOf(':')));
            }
        }
        return out;
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }
}
