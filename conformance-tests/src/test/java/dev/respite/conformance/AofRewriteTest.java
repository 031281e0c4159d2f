package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/** BGREWRITEAOF while clients keep writing: afterwards (and after a restart) the dataset is the same. */
class AofRewriteTest {
    @Test
    void rewriteUnderLoadKeepsEveryWrite(@TempDir Path dir) throws Exception {
        Map<String, String> expected = new HashMap<>();
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes", "--appendfsync", "everysec");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 200_000; i++) {
                p.set("key:" + i, "v0:" + i);
                expected.put("key:" + i, "v0:" + i);
            }
            p.sync();
            AtomicBoolean stop = new AtomicBoolean();
            Map<String, String> during = new HashMap<>();
            Thread writer = new Thread(() -> {
                try (Jedis w = new Jedis("127.0.0.1", s.port())) {
                    for (int n = 0; !stop.get(); n++) {
                        String key = "key:" + (n * 7919 % 250_000);
                        if (n % 10 == 0) {
                            w.del(key);
                            during.put(key, null);
                        } else {
                            w.set(key, "v1:" + n);
                            during.put(key, "v1:" + n);
                        }
                    }
                }
            });
            writer.start();
            assertEquals("Background append only file rewriting started", j.bgrewriteaof());
            boolean sawInProgress = j.info("persistence").contains("aof_rewrite_in_progress:1");
            while (j.info("persistence").contains("aof_rewrite_in_progress:1")) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            stop.set(true);
            writer.join();
            expected.putAll(during);
            String info = j.info("persistence");
            assertTrue(info.contains("aof_last_bgrewrite_status:ok") && info.contains("aof_rewrites:1"), info);
            assertTrue(sawInProgress || info.contains("aof_rewrites:1"));
            s.stop();
        }
        String manifest = Files.readString(dir.resolve("appendonlydir/appendonly.aof.manifest"));
        assertTrue(manifest.contains("appendonly.aof.2.base.rdb seq 2 type b"), manifest);
        assertTrue(
                !manifest.contains(".1.incr.aof")
                        && !Files.exists(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof")),
                manifest);
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            Pipeline p = j.pipelined();
            Map<String, redis.clients.jedis.Response<String>> got = new HashMap<>();
            for (String k : expected.keySet()) {
                got.put(k, p.get(k));
            }
            p.sync();
            int wrong = 0;
            for (Map.Entry<String, String> e : expected.entrySet()) {
                if (!java.util.Objects.equals(e.getValue(), got.get(e.getKey()).get())) {
                    wrong++;
                }
            }
            assertEquals(0, wrong, "keys that differ after rewrite and restart");
            assertEquals(
                    expected.values().stream()
                            .filter(java.util.Objects::nonNull)
                            .count(),
                    j.dbSize());
        }
    }
}
