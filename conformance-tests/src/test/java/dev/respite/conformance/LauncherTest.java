package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The respite-server executable and the bin/respite-server launcher as an operator uses them. */
class LauncherTest {
    private static final Path LAUNCHER =
            Path.of("..", "bin", "respite-server").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void versionAndHelp() throws Exception {
        Tools.Result version = Tools.run(RespiteProcess.command("--version"), null, 30);
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("Respite server v="), version.stdout());
        Tools.Result help = Tools.run(RespiteProcess.command("--help"), null, 30);
        assertEquals(0, help.exitCode());
        for (String expected :
                List.of("--test-config", "--port 6379", "--maxmemory 0", "--unixsocket \"\"", "redis.conf.example")) {
            assertTrue(help.stdout().contains(expected), expected + " in\n" + help.stdout());
        }
    }

    @Test
    void testConfigReportsWarningsAndExits() throws Exception {
        Path conf = dir.resolve("r.conf");
        Files.writeString(conf, "port 7001\njemalloc-bg-thread no\n");
        Tools.Result r = Tools.run(RespiteProcess.command(conf.toString(), "--test-config"), null, 30);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("Configuration OK (" + conf + ")"), r.stdout());
        assertTrue(r.stdout().contains("Directive 'jemalloc-bg-thread' is accepted for compatibility"), r.stdout());
    }

    @Test
    void daemonizeIsRefusedWithTheReason() throws Exception {
        Tools.Result r = Tools.run(RespiteProcess.command("--daemonize", "yes", "--port", "0"), null, 30);
        assertEquals(1, r.exitCode());
        assertTrue(
                r.stderr().contains("daemonize yes is not supported: a Java virtual machine cannot fork"), r.stderr());
        assertTrue(r.stderr().contains("systemd"), r.stderr());
    }

    @Test
    void pidfileIsWrittenAtStartAndRemovedAtExit() throws Exception {
        Path pidfile = dir.resolve("respite.pid");
        try (RespiteProcess p = RespiteProcess.startIn(dir, "--pidfile", pidfile.toString())) {
            assertEquals(p.pid() + "\n", Files.readString(pidfile));
            assertEquals(0, p.stop());
        }
        assertFalse(Files.exists(pidfile));
    }

    @Test
    void unwritableLogfileStopsTheStart() throws Exception {
        Tools.Result r = Tools.run(
                RespiteProcess.command(
                        "--port",
                        "0",
                        "--logfile",
                        dir.resolve("no/such/dir.log").toString()),
                null,
                30);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().startsWith("Can't open the log file: "), r.stderr());
    }

    @Test
    void launcherSizesTheHeapFromMaxmemoryUnlessOverridden() throws Exception {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "maxmemory 100mb\n");
        assertEquals(
                "-XX:+UseShenandoahGC -XX:ShenandoahGCHeuristics=compact -XX:+UnlockExperimentalVMOptions"
                        + " -XX:ShenandoahUncommitDelay=30000 -XX:-ClassUnloadingWithConcurrentMark -Xss512k"
                        + (jvmTrimsNativeHeap() ? " -XX:TrimNativeHeapInterval=5000" : "")
                        + " -XX:-TieredCompilation -XX:StringTableSize=4096 -Xmx456m\n",
                launcherOptions(Map.of(), conf.toString()));
        assertTrue(
                launcherOptions(Map.of(), conf.toString(), "--maxmemory", "1GB").endsWith(" -Xmx2304m\n"),
                "the command line overrides the file");
        assertFalse(launcherOptions(Map.of()).contains("-Xmx"), "without maxmemory the JVM's default heap applies");
        assertEquals(
                "-Xmx3g -XX:+UseZGC\n",
                launcherOptions(Map.of("RESPITE_JAVA_OPTS", "-Xmx3g -XX:+UseZGC"), "--maxmemory", "1gb"));
    }

    /** JDK 17.0.9 and later accept the option; the launcher leaves it out on older ones. */
    private static boolean jvmTrimsNativeHeap() throws Exception {
        return Tools.run(List.of("java", "-XX:TrimNativeHeapInterval=5000", "-version"), null, 30)
                        .exitCode()
                == 0;
    }

    private static String launcherOptions(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(LAUNCHER.toString())));
        pb.command().addAll(List.of(args));
        pb.environment().putAll(env);
        pb.environment().put("RESPITE_PRINT_JAVA_OPTS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
