package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The Prometheus endpoint scraped over real HTTP and parsed as the text exposition format 0.0.4. */
class MetricsEndpointTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static RespiteProcess respite;
    private static int metricsPort;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        metricsPort = Ports.free();
        respite = RespiteProcess.start("--metrics-port", Integer.toString(metricsPort));
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void servesTheTextFormatWithTheNumbersInfoShows() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configResetStat();
            j.set("m:a", "1");
            j.set("m:b", "2");
            j.get("m:a");
            j.get("m:none");
            HttpResponse<String> res = get("/metrics");
            assertEquals(200, res.statusCode());
            assertEquals(
                    "text/plain; version=0.0.4; charset=utf-8",
                    res.headers().firstValue("content-type").orElse(""));
            Exposition e = Exposition.parse(res.body());
            Map<String, String> info = infoFields(j.info("everything"));

            assertEquals("gauge", e.types.get("redis_connected_clients"));
            assertTrue(e.value("redis_connected_clients") >= 1);
            assertEquals("counter", e.types.get("redis_keyspace_hits_total"));
            assertEquals(Double.parseDouble(info.get("keyspace_hits")), e.value("redis_keyspace_hits_total"));
            assertEquals(Double.parseDouble(info.get("keyspace_misses")), e.value("redis_keyspace_misses_total"));
            assertEquals((double) j.dbSize(), e.value("redis_db_keys", "db", "db0"));
            assertTrue(e.value("redis_memory_used_bytes") > 0);
            assertTrue(e.value("redis_memory_used_rss_bytes") > 0);
            assertTrue(e.value("redis_cpu_user_seconds_total") > 0);
            assertEquals(2.0, e.value("redis_commands_total", "cmd", "set"));
            assertTrue(e.value("redis_commands_duration_seconds_total", "cmd", "set") > 0);
            assertEquals("histogram", e.types.get("respite_command_latency_seconds"));
            assertEquals(2.0, e.value("respite_command_latency_seconds_count", "cmd", "set"));
            assertTrue(e.samples.stream()
                    .anyMatch(s -> s.name.equals("redis_instance_info")
                            && "7".equals(s.labels.get("redis_version").split("\\.")[0])));
        }
    }

    /**
     * INFO, MEMORY STATS and /metrics render one set of figures; scraping reads them and changes none. Replies
     * still on their way to a client count in used_memory (as in Redis) and may be caught by the cron's sample,
     * so figures that include client buffers are compared within {@link #IN_FLIGHT} bytes; the JVM heap that
     * /metrics used to export as used_memory, and that scrapes used to push into the peak, is megabytes.
     */
    @Test
    void memoryFiguresAreInfosAndScrapesChangeNone() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configResetStat();
            j.set("mem:k", "x".repeat(10_000));
            Map<String, String> before = infoFields(j.info("memory"));
            for (int i = 0; i < 5; i++) {
                assertEquals(200, get("/metrics").statusCode());
            }
            Exposition e = Exposition.parse(get("/metrics").body());
            Map<String, String> after = infoFields(j.info("memory"));
            Map<String, Object> stats = j.memoryStats();

            long dataset = Long.parseLong(after.get("used_memory_dataset"));
            assertTrue(dataset >= 10_000, after.get("used_memory_dataset"));
            assertEquals(Long.parseLong(before.get("used_memory_dataset")), dataset);
            assertEquals((double) dataset, e.value("redis_memory_used_dataset_bytes"));
            assertEquals(dataset, stats.get("dataset.bytes"));
            assertEquals(
                    e.value("redis_memory_used_dataset_bytes") + e.value("redis_mem_clients_normal"),
                    e.value("redis_memory_used_bytes"));
            assertNear(
                    Long.parseLong(after.get("used_memory")),
                    (long) e.value("redis_memory_used_bytes"),
                    "used_memory in /metrics");
            assertNear(
                    Long.parseLong(after.get("used_memory")),
                    (Long) stats.get("total.allocated"),
                    "MEMORY STATS total.allocated");
            assertNear(
                    Long.parseLong(before.get("used_memory_peak")),
                    Long.parseLong(after.get("used_memory_peak")),
                    "INFO's peak across scrapes");
            assertNear(
                    Long.parseLong(after.get("used_memory_peak")),
                    (long) e.value("redis_memory_used_peak_bytes"),
                    "the peak in /metrics");
            assertTrue(
                    e.value("redis_allocator_allocated_bytes") > 0,
                    "the JVM heap keeps INFO's allocator_allocated name");
            j.del("mem:k");
        }
    }

    private static final long IN_FLIGHT = 16 * 1024;

    private static void assertNear(long expected, long actual, String what) {
        assertTrue(Math.abs(actual - expected) <= IN_FLIGHT, what + ": expected about " + expected + ", was " + actual);
    }

    @Test
    void latencyHistogramsAreCumulativeAndEndInTheCount() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            for (int i = 0; i < 100; i++) {
                j.get("h:" + i);
            }
        }
        Exposition e = Exposition.parse(get("/metrics").body());
        Map<String, List<double[]>> buckets = new HashMap<>();
        for (Sample s : e.samples) {
            if (s.name.equals("respite_command_latency_seconds_bucket")) {
                String le = s.labels.get("le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.computeIfAbsent(s.labels.get("cmd"), k -> new ArrayList<>())
                        .add(new double[] {bound, s.value});
            }
        }
        assertTrue(buckets.containsKey("get"));
        for (Map.Entry<String, List<double[]>> b : buckets.entrySet()) {
            List<double[]> series = b.getValue();
            for (int i = 1; i < series.size(); i++) {
                assertTrue(series.get(i)[0] > series.get(i - 1)[0], "bounds ascend for " + b.getKey());
                assertTrue(series.get(i)[1] >= series.get(i - 1)[1], "counts are cumulative for " + b.getKey());
            }
            double[] last = series.get(series.size() - 1);
            assertEquals(Double.POSITIVE_INFINITY, last[0]);
            assertEquals(e.value("respite_command_latency_seconds_count", "cmd", b.getKey()), last[1]);
        }
    }

    @Test
    void commandCountersRiseWhileRedisBenchmarkRuns() throws Exception {
        Process bench = new ProcessBuilder(
                        Tools.require("redis-benchmark"),
                        "-p",
                        Integer.toString(respite.port()),
                        "-t",
                        "set,get",
                        "-n",
                        "200000",
                        "-c",
                        "8",
                        "-q")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Double> seen = new ArrayList<>();
        try {
            while (bench.isAlive() && seen.size() < 40) {
                seen.add(Exposition.parse(get("/metrics").body()).valueOr("redis_commands_processed_total", 0));
                Thread.sleep(100);
            }
        } finally {
            bench.destroy();
            bench.waitFor();
        }
        int rises = 0;
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "a counter went down: " + seen);
            if (seen.get(i) > seen.get(i - 1)) {
                rises++;
            }
        }
        assertTrue(rises >= 2, "commands_processed_total did not keep rising during the benchmark: " + seen);
        Exposition after = Exposition.parse(get("/metrics").body());
        assertTrue(after.value("redis_commands_total", "cmd", "set") > 0);
        assertTrue(after.value("redis_net_input_bytes_total") > 0);
    }

    @Test
    void onlyMetricsIsServed() throws Exception {
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/metricsx").statusCode());
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(200, get("/metrics?name[]=x").statusCode());
    }

    @Test
    void theEndpointIsOffUnlessConfigured() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertEquals(
                    Integer.toString(metricsPort), j.configGet("metrics-port").get("metrics-port"));
        }
        try (RespiteProcess plain = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", plain.port())) {
            assertEquals("0", j.configGet("metrics-port").get("metrics-port"));
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> infoFields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (!line.startsWith("#") && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    private record Sample(String name, Map<String, String> labels, double value) {}

    /** A strict reader of the text format: fails on any line a Prometheus server would reject. */
    private static final class Exposition {
        final Map<String, String> types = new HashMap<>();
        final List<Sample> samples = new ArrayList<>();

        static Exposition parse(String body) {
            Exposition e = new Exposition();
            assertTrue(body.endsWith("\n"), "exposition ends with a newline");
            Set<String> finished = new HashSet<>();
            String current = null;
            for (String line : body.split("\n")) {
                if (line.startsWith("# HELP ")) {
                    continue;
                }
                if (line.startsWith("# TYPE ")) {
                    String[] p = line.split(" ");
                    assertEquals(4, p.length, line);
                    assertTrue(
                            Set.of("counter", "gauge", "histogram", "summary", "untyped")
                                    .contains(p[3]),
                            line);
                    assertFalse(e.types.containsKey(p[2]), "TYPE declared twice: " + line);
                    e.types.put(p[2], p[3]);
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    fail("not a valid exposition line: " + line);
                }
                String name = m.group(1);
                String family = familyOf(name, e.types);
                assertNotNull(family, "sample before its TYPE: " + line);
                if (!family.equals(current)) {
                    assertFalse(finished.contains(family), "samples of " + family + " are not grouped together");
                    if (current != null) {
                        finished.add(current);
                    }
                    current = family;
                }
                Map<String, String> labels = new HashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                String v = m.group(4);
                double value = v.equals("+Inf")
                        ? Double.POSITIVE_INFINITY
                        : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
                e.samples.add(new Sample(name, labels, value));
            }
            return e;
        }

        private static String familyOf(String name, Map<String, String> types) {
            if (types.containsKey(name)) {
                return name;
            }
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                if (name.endsWith(suffix)) {
                    String base = name.substring(0, name.length() - suffix.length());
                    if ("histogram".equals(types.get(base)) || "summary".equals(types.get(base))) {
                        return base;
                    }
                }
            }
            return null;
        }

        double value(String name, String... labelPairs) {
            for (Sample s : samples) {
                if (s.name.equals(name) && matches(s, labelPairs)) {
                    return s.value;
                }
            }
            throw new AssertionError("no sample " + name + " " + String.join(",", labelPairs));
        }

        double valueOr(String name, double fallback) {
            for (Sample s : samples) {
                if (s.name.equals(name)) {
                    return s.value;
                }
            }
            return fallback;
        }

        private static boolean matches(Sample s, String[] labelPairs) {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels.get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }
}
