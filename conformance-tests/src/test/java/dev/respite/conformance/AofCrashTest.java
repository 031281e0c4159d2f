package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * SIGKILL at random moments while several clients write: every acknowledged write is there after the
 * restart, whatever the appendfsync policy.
 */
class AofCrashTest {
    private static final int CLIENTS = 4;

    /** Writes until killed; returns each key's last acknowledged value. */
    private static Map<String, String> writeUntilKilled(RespiteProcess s, long killAfterMillis, int round)
            throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                    for (int n = 0; !stop.get(); n++) {
                        String key = "k:" + client + ":" + (n % 500);
                        String value = round + ":" + n;
                        j.set(key, value);
                        acked.put(key, value);
                    }
                } catch (RuntimeException killed) {
                    // The server died under this client: the last write was not acknowledged.
                }
            });
            t.start();
            writers.add(t);
        }
        Thread.sleep(killAfterMillis);
        s.kill();
        stop.set(true);
        for (Thread t : writers) {
            t.join();
        }
        return acked;
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillWithFsyncAlways(@TempDir Path dir) throws Exception {
        Random rnd = new Random(42);
        Map<String, String> expected = new ConcurrentHashMap<>();
        for (int round = 0; round < 8; round++) {
            RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF);
            verify(s, expected, 0);
            expected.putAll(writeUntilKilled(s, 200 + rnd.nextInt(800), round));
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, AppendOnlyFileTest.AOF)) {
            verify(s, expected, 0);
        }
    }

    /**
     * Under everysec and no a write reaches the file (the kernel's page cache) before its reply leaves, as in
     * Redis: the death of the process alone loses no acknowledged write; only the machine's would lose up
     * to the last second.
     */
    @Test
    void noAcknowledgedWriteIsLostWhenOnlyTheProcessDies(@TempDir Path dir) throws Exception {
        Random rnd = new Random(7);
        Map<String, String> expected = new ConcurrentHashMap<>();
        int round = 0;
        for (String policy : new String[] {"everysec", "no"}) {
            String[] args = {"--appendonly", "yes", "--appendfsync", policy};
            for (int kill = 0; kill < 3; kill++, round++) {
                RespiteProcess s = RespiteProcess.startIn(dir, args);
                verify(s, expected, 0);
                expected.putAll(writeUntilKilled(s, 300 + rnd.nextInt(700), round));
            }
        }
        try (RespiteProcess s = RespiteProcess.startIn(dir, "--appendonly", "yes")) {
            verify(s, expected, 0);
        }
    }

    private static void verify(RespiteProcess s, Map<String, String> expected, int allowedMissing) {
        int missing = 0;
        try (Jedis j = new Jedis("127.0.0.1", s.port())) {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String v = j.get(e.getKey());
                if (v == null || compare(v, e.getValue()) < 0) {
                    missing++;
                }
            }
        }
        assertEquals(allowedMissing, missing, "acknowledged writes missing after SIGKILL");
    }

    /** Orders "round:n" values: a later unacknowledged write may legitimately have landed too. */
    private static int compare(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }
}
