package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** MEMORY's subcommands and the policy-dependent OBJECT FREQ and IDLETIME, against a real redis-server. */
class MemoryCommandsTest {
    private static RespiteProcess server;
    private static RealRedis real;

    @BeforeAll
    static void start() throws Exception {
        server = RespiteProcess.start();
        real = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        real.close();
    }

    @Test
    void usageRepliesAndErrorsAsRedis() throws Exception {
        try (RawConnection ours = new RawConnection(server.port());
                RawConnection theirs = new RawConnection(real.port())) {
            for (String[] cmd : new String[][] {
                {"MEMORY", "USAGE", "missing"},
                {"SET", "k", "v"},
                {"MEMORY", "USAGE", "k", "SAMPLES"},
                {"MEMORY", "USAGE", "k", "SAMPLES", "-1"},
                {"MEMORY", "USAGE", "k", "SAMPLES", "x"},
                {"MEMORY", "USAGE", "k", "bogus", "1"},
                {"MEMORY", "USAGE"},
                {"MEMORY", "NOPE"},
                {"MEMORY", "PURGE"}
            }) {
                assertEquals(theirs.call(cmd), ours.call(cmd), String.join(" ", cmd));
            }
        }
    }

    @Test
    void usageGrowsWithTheValue() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set("small", "v");
            j.set("large", "v".repeat(10_000));
            for (int i = 0; i < 1000; i++) {
                j.hset("hash", "field" + i, "value" + i);
                j.rpush("list", "element" + i);
                j.sadd("set", "member" + i);
                j.zadd("zset", i, "member" + i);
            }
            long small = j.memoryUsage("small");
            assertTrue(small > 0 && small < 200, "small string: " + small);
            assertTrue(j.memoryUsage("large") > 10_000);
            for (String k : new String[] {"hash", "list", "set", "zset"}) {
                long n = j.memoryUsage(k);
                assertTrue(n > 10_000 && n < 200_000, k + ": " + n);
                assertEquals(n, j.memoryUsage(k, 0), k + " exact and estimated sizes differ for a short collection");
            }
        }
    }

    @Test
    void statsDoctorAndHelp() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.flushAll();
            j.set("a", "1");
            java.util.Map<String, Object> stats = j.memoryStats();
            for (String f : new String[] {
                "peak.allocated",
                "total.allocated",
                "startup.allocated",
                "clients.normal",
                "overhead.total",
                "keys.count",
                "keys.bytes-per-key",
                "dataset.bytes",
                "dataset.percentage",
                "peak.percentage",
                "fragmentation",
                "db.0"
            }) {
                assertTrue(stats.containsKey(f), "MEMORY STATS lacks " + f);
            }
            assertEquals(1L, stats.get("keys.count"));
            String doctor = j.memoryDoctor();
            assertTrue(doctor.contains("dataset is estimated"), doctor);
            StringBuilder help = new StringBuilder();
            for (Object line : (java.util.List<?>) j.sendCommand(redis.clients.jedis.Protocol.Command.MEMORY, "HELP")) {
                help.append(new String((byte[]) line)).append('\n');
            }
            assertTrue(help.toString().toUpperCase().contains("USAGE"), help.toString());
            // The Debian redis-server uses jemalloc; this is what Redis answers without it, as Respite has none.
            assertEquals(
                    "Stats not supported for the current allocator",
                    j.sendCommand(redis.clients.jedis.Protocol.Command.MEMORY, "MALLOC-STATS") instanceof byte[] b
                            ? new String(b)
                            : "");
        }
    }

    @Test
    void objectFreqAndIdletimeFollowThePolicyAsRedis() throws Exception {
        try (RawConnection ours = new RawConnection(server.port());
                RawConnection theirs = new RawConnection(real.port())) {
            for (String[] cmd : new String[][] {
                {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"},
                {"SET", "f", "v"},
                {"OBJECT", "FREQ", "f"},
                {"OBJECT", "IDLETIME", "f"},
                {"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"},
                {"SET", "g", "v"},
                {"OBJECT", "FREQ", "g"},
                {"OBJECT", "IDLETIME", "g"},
                {"CONFIG", "GET", "lfu-log-factor"},
                {"CONFIG", "GET", "lfu-decay-time"},
                {"CONFIG", "GET", "maxmemory-eviction-tenacity"},
                {"CONFIG", "SET", "maxmemory-policy", "noeviction"}
            }) {
                assertEquals(theirs.call(cmd), ours.call(cmd), String.join(" ", cmd));
            }
        }
    }

    @Test
    void lfuCounterGrowsWithReads() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.configSet("maxmemory-policy", "allkeys-lfu");
            try {
                j.set("hot", "v");
                long before = j.objectFreq("hot");
                for (int i = 0; i < 2000; i++) {
                    j.get("hot");
                }
                long after = j.objectFreq("hot");
                assertTrue(after > before && after < 40, before + " -> " + after);
            } finally {
                j.configSet("maxmemory-policy", "noeviction");
            }
        }
    }
}
