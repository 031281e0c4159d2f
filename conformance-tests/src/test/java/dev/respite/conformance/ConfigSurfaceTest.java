package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The configuration surface as clients and tools see it, next to a real redis-server's. */
class ConfigSurfaceTest {
    /**
     * Values that depend on how each server was started, not on defaults; and the two hash limits that
     * Debian's build of redis-server raises from Redis's documented 128.
     */
    private static final Set<String> STARTUP_SPECIFIC = Set.of(
            "hash-max-listpack-entries",
            "hash-max-ziplist-entries",
            "port",
            "dir",
            "bind",
            "pidfile",
            "save",
            "daemonize",
            "logfile",
            "appendonly",
            "io-threads",
            "supervised",
            "enable-debug-command",
            "set-proc-title");

    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start("--active-defrag-cycle-min", "45");
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void everyRedisParameterIsKnownWithRedisDefault() {
        try (Jedis ours = new Jedis("127.0.0.1", respite.port());
                Jedis theirs = new Jedis("127.0.0.1", redis.port())) {
            Map<String, String> mine = ours.configGet("*");
            Map<String, String> reference = theirs.configGet("*");
            Set<String> missing = new TreeSet<>(reference.keySet());
            missing.removeAll(mine.keySet());
            assertTrue(missing.isEmpty(), "CONFIG GET * lacks " + missing);
            // Parameters of Respite's own answer by exact name only: a tool copying CONFIG GET * to a Redis works.
            Set<String> extra = new TreeSet<>(mine.keySet());
            extra.removeAll(reference.keySet());
            assertTrue(extra.isEmpty(), "CONFIG GET * shows parameters Redis lacks: " + extra);
            assertEquals("auto", ours.configGet("io-transport").get("io-transport"));
            assertEquals("0", ours.configGet("metrics-port").get("metrics-port"));
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, String> e : reference.entrySet()) {
                String k = e.getKey();
                if (!STARTUP_SPECIFIC.contains(k)
                        && !k.equals("active-defrag-cycle-min")
                        && !k.equals("activedefrag")
                        && !e.getValue().equals(mine.get(k))) {
                    differing.add(k + " redis=" + e.getValue() + " respite=" + mine.get(k));
                }
            }
            assertTrue(differing.isEmpty(), "defaults differ: " + differing);
        }
    }

    @Test
    void inertParametersAreSettableAndSaySoInHelp() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertEquals("45", j.configGet("active-defrag-cycle-min").get("active-defrag-cycle-min"));
            assertEquals("OK", j.configSet("activedefrag", "yes"));
            assertEquals("yes", j.configGet("activedefrag").get("activedefrag"));
            String help = configHelp();
            assertTrue(help.contains("no effect in Respite"), help);
            assertTrue(j.configGet("nosuch-parameter").isEmpty());
        }
    }

    private static String configHelp() {
        try (dev.respite.conformance.support.RawConnection c =
                new dev.respite.conformance.support.RawConnection(respite.port())) {
            return c.call("CONFIG", "HELP");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void startupLogNamesInertDirectives() throws IOException {
        assertTrue(
                respite.log()
                        .contains(
                                "Directive 'active-defrag-cycle-min' is accepted for compatibility with Redis but has no effect in Respite"));
    }
}
