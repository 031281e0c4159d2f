package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * aof-disable-auto-gc against Redis 7.2.5: the files AOF rewrites replace stay listed as history in the
 * manifest, and on disk, until the parameter is turned off again. Both servers start from an empty directory
 * with appendonly yes and run the same steps; the manifest and the directory's files must match at each one.
 */
class AofAutoGcDifferentialTest {

    @Test
    void replacedFilesStayAsHistoryUntilAutoGcIsOnAgain(@TempDir Path ours, @TempDir Path theirs) throws Exception {
        List<String> respite;
        try (RespiteProcess s = RespiteProcess.startIn(ours, "--appendonly", "yes", "--enable-debug-command", "yes")) {
            respite = steps(s.port(), ours);
        }
        List<String> redis;
        try (RealRedis r = RealRedis.startIn(theirs, "--appendonly", "yes", "--enable-debug-command", "yes")) {
            redis = steps(r.port(), theirs);
        }
        assertEquals(redis, respite);
    }

    @Test
    void aRestartWithAutoGcDeletesTheHistory(@TempDir Path ours, @TempDir Path theirs) throws Exception {
        List<String> respite = new ArrayList<>();
        try (RespiteProcess s = RespiteProcess.startIn(ours, "--appendonly", "yes", "--aof-disable-auto-gc", "yes")) {
            keepOneRewrite(s.port());
            respite.add(state(ours));
            s.stop();
        }
        try (RespiteProcess s = RespiteProcess.startIn(ours, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            respite.add(state(ours));
            respite.add(j.get("k"));
        }
        List<String> redis = new ArrayList<>();
        try (RealRedis r = RealRedis.startIn(theirs, "--appendonly", "yes", "--aof-disable-auto-gc", "yes")) {
            keepOneRewrite(r.port());
            redis.add(state(theirs));
        }
        try (RealRedis r = RealRedis.startIn(theirs, "--appendonly", "yes");
                Jedis j = new Jedis("127.0.0.1", r.port())) {
            redis.add(state(theirs));
            redis.add(j.get("k"));
        }
        assertEquals(redis, respite);
    }

    private static void keepOneRewrite(int port) throws InterruptedException {
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            j.set("k", "v");
            rewrite(j);
        }
    }

    /** The manifest and the files after each step. */
    private static List<String> steps(int port, Path dir) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
            j.configSet("aof-disable-auto-gc", "yes");
            j.set("k", "v1");
            rewrite(j);
            j.set("k", "v2");
            rewrite(j);
            seen.add(state(dir));
            // The history is not loaded.
            seen.add(SafeEncoder.encode((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "LOADAOF")));
            seen.add(j.get("k"));
            seen.add(state(dir));
            // With appendonly off every incremental file is replaced, and kept as well.
            j.configSet("appendonly", "no");
            rewrite(j);
            seen.add(state(dir));
            j.configSet("aof-disable-auto-gc", "no");
            seen.add(state(dir));
        }
        return seen;
    }

    private static void rewrite(Jedis j) throws InterruptedException {
        j.bgrewriteaof();
        awaitRewriteDone(j);
    }

    private static void awaitRewriteDone(Jedis j) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            String info = j.info("persistence");
            if (info.contains("aof_rewrite_in_progress:0\r\n") && info.contains("aof_rewrite_scheduled:0\r\n")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the AOF rewrite did not finish");
    }

    private static String state(Path dir) throws IOException {
        Path aofDir = dir.resolve("appendonlydir");
        String manifest = Files.readString(aofDir.resolve("appendonly.aof.manifest"));
        try (Stream<Path> files = Files.list(aofDir)) {
            return manifest
                    + files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
