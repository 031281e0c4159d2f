package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Start-up with appendonly yes on a prepared directory, as Redis 7.2 behaves: a damaged manifest or a missing
 * file stops the server (exit status 1) with Redis's log lines, an old single-file AOF is moved into the
 * directory, and bases written as RDB snapshots (with or without commands after them) load.
 */
class AofStartupTest {
    private static final String[] AOF = {"--appendonly", "yes"};

    private static Path aofDir(Path dir) throws Exception {
        return Files.createDirectories(dir.resolve("appendonlydir"));
    }

    private static void manifest(Path dir, String text) throws Exception {
        Files.writeString(aofDir(dir).resolve("appendonly.aof.manifest"), text);
    }

    private static String refusedStart(Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RespiteProcess.startIn(dir, AOF));
        assertTrue(e.getMessage().startsWith("respite-server exited with 1:"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aDamagedManifestStopsTheServerNamingTheLine(@TempDir Path dir) throws Exception {
        Files.write(aofDir(dir).resolve("appendonly.aof.1.incr.aof"), RawConnection.encode("set", "k", "v"));
        manifest(dir, "file appendonly.aof.1.incr.aof seq 1 type i\n\nfile appendonly.aof.3.incr.aof seq 3 type i\n");
        String log = refusedStart(dir);
        assertTrue(log.contains("*** FATAL AOF MANIFEST FILE ERROR ***"), log);
        assertTrue(log.contains("Reading the manifest file, at line 2"), log);
        assertTrue(log.contains("Invalid AOF manifest file format"), log);

        manifest(dir, "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        log = refusedStart(dir);
        assertTrue(log.contains(">>> 'file appendonly.aof.1.incr.aof seq 1 type i'"), log);
        assertTrue(log.contains("Found a non-monotonic sequence number"), log);
    }

    @Test
    void anEmptyManifestStopsTheServer(@TempDir Path dir) throws Exception {
        manifest(dir, "");
        assertTrue(refusedStart(dir).contains("Found an empty AOF manifest"));
    }

    @Test
    void aListedFileThatIsMissingStopsTheServerNamingIt(@TempDir Path dir) throws Exception {
        Files.write(aofDir(dir).resolve("appendonly.aof.1.base.aof"), RawConnection.encode("set", "k1", "v1"));
        manifest(dir, "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        String log = refusedStart(dir);
        assertTrue(
                log.contains(
                        "Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory"),
                log);
    }

    @Test
    void anUnknownCommandInTheFileStopsTheServer(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(RawConnection.encode("set", "foo", "hello"));
        b.write(RawConnection.encode("bla", "foo", "hello"));
        Files.write(aofDir(dir).resolve("appendonly.aof.1.incr.aof"), b.toByteArray());
        manifest(dir, "file appendonly.aof.1.incr.aof seq 1 type i\n");
        String log = refusedStart(dir);
        assertTrue(log.contains("Unknown command 'bla' reading the append only file appendonly.aof.1.incr.aof"), log);
    }

    @Test
    void anUnfinishedTransactionStopsTheServerUnlessTruncatedFilesMayLoad(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(RawConnection.encode("set", "foo", "hello"));
        b.write(RawConnection.encode("multi"));
        b.write(RawConnection.encode("set", "bar", "world"));
        Path incr = aofDir(dir).resolve("appendonly.aof.1.incr.aof");
        Files.write(incr, b.toByteArray());
        manifest(dir, "file appendonly.aof.1.incr.aof seq 1 type i\n");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> RespiteProcess.startIn(dir, "--appendonly", "yes", "--aof-load-truncated", "no"));
        assertTrue(e.getMessage().contains("Unexpected end of file reading the append only file"), e.getMessage());
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("hello", j.get("foo"));
            assertFalse(j.exists("bar"));
            assertEquals(RawConnection.encode("set", "foo", "hello").length, Files.size(incr));
        }
    }

    @Test
    void aFreshStartWritesAnRdbBaseAndTheFirstIncrementalFile(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k", "v");
            assertTrue(s.log().contains("Creating AOF base file appendonly.aof.1.base.rdb on server start"), s.log());
            assertTrue(s.log().contains("Creating AOF incr file appendonly.aof.1.incr.aof on server start"), s.log());
        }
        Path aof = dir.resolve("appendonlydir");
        assertEquals(
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aof.resolve("appendonly.aof.manifest")));
        assertArrayEquals(
                "REDIS".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOf(Files.readAllBytes(aof.resolve("appendonly.aof.1.base.rdb")), 5));
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("v", j.get("k"));
            assertTrue(s.log().contains("Opening AOF incr file appendonly.aof.1.incr.aof on server start"), s.log());
        }
    }

    @Test
    void anOldSingleFileAofWithAnRdbPreambleIsMovedIntoTheDirectoryAndLoaded(@TempDir Path dir) throws Exception {
        // An RDB snapshot of k1 (a rewritten base), then commands after it: Redis 6's layout of appendonly.aof.
        try (RespiteProcess s = RespiteProcess.startIn(dir, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k1", "v1");
            j.bgrewriteaof();
            while (j.info("persistence").contains("aof_rewrite_in_progress:1")) {
                Thread.sleep(20);
            }
        }
        Path base = dir.resolve("appendonlydir/appendonly.aof.2.base.rdb");
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        old.write(Files.readAllBytes(base));
        old.write(RawConnection.encode("set", "k2", "v2"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.write(other.resolve("appendonly.aof"), old.toByteArray());

        try (RespiteProcess s = RespiteProcess.startIn(other, AOF);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("v1", j.get("k1"));
            assertEquals("v2", j.get("k2"));
            assertTrue(s.log().contains("Successfully migrated an old-style AOF file (appendonly.aof)"), s.log());
            assertTrue(s.log().contains("Reading RDB preamble from AOF file..."), s.log());
        }
        assertFalse(Files.exists(other.resolve("appendonly.aof")));
        assertTrue(Files.exists(other.resolve("appendonlydir/appendonly.aof")));
        assertEquals(
                "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(other.resolve("appendonlydir/appendonly.aof.manifest")));
    }

    @Test
    void withoutTheRdbPreambleTheBaseIsWrittenAsCommands(@TempDir Path dir) throws Exception {
        try (RespiteProcess s = RespiteProcess.startIn(
                        dir, "--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--aof-timestamp-enabled", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k", "v");
            j.bgrewriteaof();
            while (j.info("persistence").contains("aof_rewrite_in_progress:1")) {
                Thread.sleep(20);
            }
        }
        String base = Files.readString(dir.resolve("appendonlydir/appendonly.aof.2.base.aof"));
        assertTrue(base.startsWith("#TS:"), base);
        assertTrue(base.contains("$1\r\nk\r\n$1\r\nv\r\n"), base);
    }
}
