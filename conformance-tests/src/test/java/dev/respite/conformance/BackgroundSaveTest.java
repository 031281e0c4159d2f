package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;

/** BGSAVE's point-in-time copy taken while clients write, the save rules, SHUTDOWN and SIGTERM saves. */
class BackgroundSaveTest {
    private static final int KEYS = 200_000;

    private static void awaitBgsaveDone(Jedis j) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (j.info("persistence").contains("rdb_bgsave_in_progress:0")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("BGSAVE did not finish");
    }

    @Test
    void bgsaveKeepsThePointInTimeStateWhileClientsOverwriteEveryKey() throws Exception {
        Path dir = Files.createTempDirectory("bgsave");
        try (RespiteProcess r = RespiteProcess.startIn(dir)) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < KEYS; i++) {
                    p.set("k" + i, "before");
                }
                p.sync();
                j.select(3);
                j.set("other-db", "before");
                assertEquals("Background saving started", j.bgsave());
                Pipeline w = j.pipelined();
                w.set("other-db", "after");
                w.select(0);
                for (int i = KEYS - 1; i >= 0; i--) {
                    w.set("k" + i, "after");
                }
                w.set("created-during-save", "x");
                w.sync();
                awaitBgsaveDone(j);
                assertTrue(j.info("persistence").contains("rdb_last_bgsave_status:ok"));
                assertEquals("after", j.get("k0"));
                j.shutdown();
            }
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertEquals(KEYS, j.dbSize());
            assertFalse(j.exists("created-during-save"));
            for (int i = 0; i < KEYS; i += 997) {
                assertEquals("before", j.get("k" + i), "k" + i);
            }
            j.select(3);
            assertEquals("before", j.get("other-db"));
        }
    }

    /**
     * rdb-key-save-delay holds a save after each key without stalling clients, and setting it back to 0 lets
     * the save finish at once; like Redis's hidden parameters it answers only to its exact name.
     */
    @Test
    void rdbKeySaveDelayKeepsASaveInProgressUntilItIsCleared() throws Exception {
        Path dir = Files.createTempDirectory("bgsave-delay");
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertEquals(Map.of("rdb-key-save-delay", "0"), j.configGet("rdb-key-save-delay"));
            assertFalse(j.configGet("rdb-*").containsKey("rdb-key-save-delay"));
            j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "20");
            j.configSet("rdb-key-save-delay", "1000000");
            assertEquals("Background saving started", j.bgsave());
            Thread.sleep(1500);
            assertTrue(j.info("persistence").contains("rdb_bgsave_in_progress:1"));
            assertEquals("PONG", j.ping());
            j.configSet("rdb-key-save-delay", "0");
            awaitBgsaveDone(j);
            assertTrue(j.info("persistence").contains("rdb_last_bgsave_status:ok"));
            j.shutdown();
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertEquals(20, j.dbSize());
        }
    }

    /**
     * LMPOP and ZMPOP name their keys through a count, not a fixed position: the snapshot must still be told
     * about each key they pop from before they change it in place.
     */
    @Test
    void bgsaveKeepsThePointInTimeStateOfKeysNamedByACount() throws Exception {
        Path dir = Files.createTempDirectory("bgsave-counted");
        int keys = KEYS / 4;
        try (RespiteProcess r = RespiteProcess.startIn(dir)) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < keys; i++) {
                    p.rpush("l" + i, "a", "b");
                    p.zadd("z" + i, 1, "a");
                    p.zadd("z" + i, 2, "b");
                }
                p.sync();
                assertEquals("Background saving started", j.bgsave());
                Pipeline w = j.pipelined();
                for (int i = keys - 1; i >= 0; i--) {
                    w.sendCommand(Protocol.Command.LMPOP, "2", "missing", "l" + i, "LEFT");
                    w.sendCommand(Protocol.Command.ZMPOP, "1", "z" + i, "MIN");
                }
                w.sync();
                awaitBgsaveDone(j);
                assertTrue(j.info("persistence").contains("rdb_last_bgsave_status:ok"));
                assertEquals(1, j.llen("l0"));
                j.shutdown();
            }
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            for (int i = 0; i < keys; i++) {
                assertEquals(2, j.llen("l" + i), "l" + i);
                assertEquals(2, j.zcard("z" + i), "z" + i);
            }
        }
    }

    @Test
    void saveRulesTriggerABackgroundSave() throws Exception {
        Path dir = Files.createTempDirectory("saverules");
        try (RespiteProcess r = RespiteProcess.startIn(dir, "--save", "1 1");
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            j.set("rule", "1");
            for (int i = 0; i < 100 && !Files.exists(dir.resolve("dump.rdb")); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(dir.resolve("dump.rdb")), "dump.rdb written by the save rule");
            // The file is renamed into place just before the keyspace thread hears that the save ended.
            awaitBgsaveDone(j);
            assertTrue(r.log().contains("1 changes in 1 seconds. Saving..."));
            assertEquals("0", field(j.info("persistence"), "rdb_changes_since_last_save"));
        }
    }

    @Test
    void shutdownNosaveSkipsAndSigtermSavesWithRules() throws Exception {
        Path dir = Files.createTempDirectory("shutdown");
        try (RespiteProcess r = RespiteProcess.startIn(dir, "--save", "3600 1");
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            j.set("a", "1");
            assertEquals("-ERR No shutdown in progress.", tryCommand(r.port(), "SHUTDOWN", "ABORT"));
            assertEquals("-ERR syntax error", tryCommand(r.port(), "SHUTDOWN", "SAVE", "NOSAVE"));
            try {
                j.shutdown(redis.clients.jedis.params.ShutdownParams.shutdownParams()
                        .nosave());
            } catch (redis.clients.jedis.exceptions.JedisException expected) {
                // The server closes the connection instead of replying.
            }
            r.process().waitFor();
        }
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
        try (RespiteProcess r = RespiteProcess.startIn(dir, "--save", "3600 1")) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                j.set("b", "2");
            }
            assertEquals(0, r.stop());
            assertTrue(r.log().contains("Saving the final RDB snapshot before exiting."));
        }
        try (RespiteProcess r = RespiteProcess.startIn(dir);
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertEquals("2", j.get("b"));
        }
    }

    private static String tryCommand(int port, String... args) {
        try (dev.respite.conformance.support.RawConnection c =
                new dev.respite.conformance.support.RawConnection(port)) {
            return c.call(args).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name);
    }

    /**
     * FLUSHALL gives up a BGSAVE in progress, as Redis kills its child: the save ends at once, is not counted a
     * failure, leaves no file, and the change counter keeps its count. Redis is held to the same observations.
     */
    @Test
    void flushallAbortsARunningBackgroundSaveAsRedisDoes() throws Exception {
        Path respiteDir = Files.createTempDirectory("bgsave-flushall");
        Path redisDir = Files.createTempDirectory("bgsave-flushall-redis");
        try (RespiteProcess r = RespiteProcess.startIn(respiteDir);
                RealRedis redis = RealRedis.startIn(redisDir, "--enable-debug-command", "yes")) {
            List<String> expected = flushallDuringBgsave(redis.port(), redisDir);
            assertEquals(
                    List.of("in progress after FLUSHALL: 0", "status ok", "changes kept: true", "no dump.rdb"),
                    expected);
            assertEquals(expected, flushallDuringBgsave(r.port(), respiteDir));
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                j.configSet("rdb-key-save-delay", "0");
                assertEquals("Background saving started", j.bgsave());
                awaitBgsaveDone(j);
                assertTrue(j.info("persistence").contains("rdb_changes_since_last_save:0"));
                assertTrue(Files.exists(respiteDir.resolve("dump.rdb")));
            }
        }
        try (Stream<Path> left = Files.list(respiteDir)) {
            assertEquals(
                    List.of(),
                    left.filter(f -> f.getFileName().toString().startsWith("temp"))
                            .toList());
        }
    }

    private static List<String> flushallDuringBgsave(int port, Path dir) throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.configSet("rdb-key-save-delay", "1000");
            j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "5000");
            assertEquals("Background saving started", j.bgsave());
            assertTrue(j.info("persistence").contains("rdb_bgsave_in_progress:1"));
            assertEquals("OK", j.flushAll());
            long deadline = System.nanoTime() + 1_000_000_000L;
            String info = j.info("persistence");
            while (!info.contains("rdb_bgsave_in_progress:0") && System.nanoTime() < deadline) {
                Thread.sleep(20);
                info = j.info("persistence");
            }
            String progress = info.contains("rdb_bgsave_in_progress:0") ? "0" : "1";
            String status = info.contains("rdb_last_bgsave_status:ok") ? "status ok" : "status err";
            long changes =
                    Long.parseLong(info.split("rdb_changes_since_last_save:")[1].split("\r\n")[0]);
            return List.of(
                    "in progress after FLUSHALL: " + progress,
                    status,
                    "changes kept: " + (changes >= 5000),
                    Files.exists(dir.resolve("dump.rdb")) ? "dump.rdb written" : "no dump.rdb");
        }
    }
}
