package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** redis.conf.example at the repository root loads unchanged, and documents every directive Respite acts on. */
class RedisConfExampleTest {
    private static final Path EXAMPLE =
            Path.of("..", "redis.conf.example").toAbsolutePath().normalize();
    /** Set by the test harness on the command line, which overrides the file. */
    private static final Set<String> OVERRIDDEN = Set.of("port", "bind", "save", "dir");
    /** Pre-7.0 names CONFIG GET also answers to; the example names each under its current name. */
    private static final Set<String> ALIASES = Set.of(
            "hash-max-ziplist-entries",
            "hash-max-ziplist-value",
            "list-max-ziplist-size",
            "zset-max-ziplist-entries",
            "zset-max-ziplist-value",
            "min-slaves-max-lag",
            "min-slaves-to-write",
            "repl-ping-slave-period",
            "slave-announce-ip",
            "slave-announce-port",
            "slave-priority",
            "slave-read-only",
            "slave-serve-stale-data",
            "slaveof",
            "lua-time-limit",
            "cluster-slave-no-failover",
            "cluster-slave-validity-factor");
    /** Documented as a commented-out line: an active one would make the example's server a replica. */
    private static final Set<String> COMMENTED = Set.of("replicaof");

    @TempDir
    Path dir;

    @Test
    void everyDirectiveInTheExampleIsInForceAsWritten() throws Exception {
        Map<String, List<String>> directives = directives();
        try (RespiteProcess p = RespiteProcess.startWithConfig(dir, EXAMPLE);
                Jedis j = new Jedis("127.0.0.1", p.port())) {
            for (Map.Entry<String, List<String>> d : directives.entrySet()) {
                String name = d.getKey();
                Map<String, String> got = j.configGet(name);
                assertTrue(got.containsKey(name), "CONFIG GET does not know " + name);
                if (OVERRIDDEN.contains(name)) {
                    continue;
                }
                if (name.equals("client-output-buffer-limit")) {
                    for (String line : d.getValue()) {
                        assertTrue(
                                got.get(name).contains(line.replace("replica", "slave")),
                                got.get(name) + " lacks " + line);
                    }
                } else {
                    assertEquals(String.join(" ", d.getValue()), got.get(name), name);
                }
            }
            assertFalse(p.log().contains("Directive '"), "the example sets no directive without effect:\n" + p.log());
        }
    }

    @Test
    void theExampleDocumentsEveryDirectiveRespiteActsOn() throws Exception {
        Set<String> documented = directives().keySet();
        try (RespiteProcess p = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", p.port());
                RawConnection c = new RawConnection(p.port())) {
            String help = c.call("CONFIG", "HELP");
            String inertLine = help.substring(help.indexOf("no effect in Respite:"));
            Set<String> inert = new TreeSet<>();
            for (String name : inertLine
                    .substring(
                            inertLine.indexOf("\r\n+") + 3, inertLine.indexOf("\r\n", inertLine.indexOf("\r\n+") + 3))
                    .split(",")) {
                inert.add(name.trim());
            }
            Set<String> missing = new TreeSet<>(j.configGet("*").keySet());
            missing.removeAll(inert);
            missing.removeAll(ALIASES);
            missing.removeAll(COMMENTED);
            missing.removeAll(documented);
            assertTrue(missing.isEmpty(), "redis.conf.example lacks " + missing);
        }
    }

    /**
     * The example's active lines by directive: one value per line, quotes removed and memory units converted to
     * bytes as CONFIG GET prints them.
     */
    private static Map<String, List<String>> directives() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(EXAMPLE)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            String name = words.remove(0).toLowerCase(Locale.ROOT);
            List<String> values = new ArrayList<>();
            for (String w : words) {
                values.add(bytes(w.replace("\"", "")));
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(String.join(" ", values));
        }
        return out;
    }

    private static String bytes(String word) {
        var m = java.util.regex.Pattern.compile("(\\d+)(kb|mb|gb|k|m|g)", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(word);
        if (!m.matches()) {
            return word;
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1000L;
            case "kb" -> 1024L;
            case "m" -> 1000_000L;
            case "mb" -> 1L << 20;
            case "g" -> 1000_000_000L;
            default -> 1L << 30;
        };
        return Long.toString(n * unit);
    }
}
