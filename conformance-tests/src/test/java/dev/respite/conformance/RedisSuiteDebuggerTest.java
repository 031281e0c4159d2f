package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.ReferenceRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Redis 7.2.5's own debugger tests (unit/scripting.tcl, tagged external:skip, so the suite's run against one
 * external server never reaches them) run by Redis's test framework in its own mode, where it starts the
 * servers itself: through a src/redis-server that starts Respite.
 */
class RedisSuiteDebuggerTest {
    private static final List<String> TESTS =
            List.of("Test scripting debug protocol parsing", "Test scripting debug lua stack overflow");

    @Test
    void scriptingTclDebuggerTestsPass() throws Exception {
        Path reference = Path.of(ReferenceRedis.binary()).getParent().getParent();
        Path tree = Files.createTempDirectory("redis-suite-ldb");
        copy(reference.resolve("tests"), tree.resolve("tests"));
        Path src = Files.createDirectories(tree.resolve("src"));
        try (Stream<Path> tools = Files.list(reference.resolve("src"))) {
            for (Path tool : tools.filter(p -> p.getFileName().toString().startsWith("redis-"))
                    .toList()) {
                if (!tool.getFileName().toString().equals("redis-server")) {
                    Files.createSymbolicLink(src.resolve(tool.getFileName()), tool);
                }
            }
        }
        String ioThreads = System.getProperty("respite.ioThreads");
        Path server = src.resolve("redis-server");
        Files.writeString(
                server,
                "#!/bin/sh\nexec " + System.getProperty("java.home") + File.separator + "bin" + File.separator
                        + "java -Xmx256m -jar " + RespiteProcess.jar() + " \"$@\""
                        + (ioThreads == null ? "" : " --io-threads " + ioThreads) + "\n");
        assertTrue(server.toFile().setExecutable(true));
        List<String> cmd = new ArrayList<>(List.of(
                Tools.require("tclsh"),
                "tests/test_helper.tcl",
                "--single",
                "unit/scripting",
                "--clients",
                "1",
                "--tags",
                "needs:debug",
                "--baseport",
                Integer.toString(ThreadLocalRandom.current().nextInt(21000, 24000))));
        for (String test : TESTS) {
            cmd.addAll(List.of("--only", test));
        }
        Process p = new ProcessBuilder(cmd)
                .directory(tree.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tree.resolve("runtest.log").toFile())
                .start();
        boolean finished = p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(tree.resolve("runtest.log")).replaceAll("\u001b\\[[0-9;]*m", "");
        assertTrue(finished, "runtest did not finish:\n" + out);
        for (String test : TESTS) {
            assertTrue(out.contains("[ok]: " + test), test + ":\n" + out);
        }
        assertTrue(out.contains("All tests passed without errors"), out);
        assertEquals(0, p.exitValue(), out);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
