package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an idle server loads at start-up: subsystems nobody uses stay out of its memory. */
class StartupFootprintTest {
    @TempDir
    Path dir;

    @Test
    void nettyDoesNotSetUpFlightRecorderEvents() throws Exception {
        List<String> loaded = classesLoadedByAnIdleServer(List.of());
        assertTrue(loaded.stream().anyMatch(c -> c.startsWith("io.netty.buffer.")), "the log lists Netty's classes");
        assertFalse(
                loaded.contains("jdk.jfr.internal.MetadataRepository"),
                "JFR's event metadata is set up only when Netty's events are asked for");
    }

    @Test
    void nettyFlightRecorderEventsCanStillBeAskedFor() throws Exception {
        List<String> loaded = classesLoadedByAnIdleServer(List.of("-Dio.netty.jfr.enabled=true"));
        assertTrue(loaded.contains("jdk.jfr.internal.MetadataRepository"), "Netty's chunk events registered");
    }

    private List<String> classesLoadedByAnIdleServer(List<String> jvmOptions) throws Exception {
        Path log = dir.resolve("classes-" + jvmOptions.size() + ".log");
        List<String> options = new java.util.ArrayList<>(List.of("-Xlog:class+load=info:file=" + log));
        options.addAll(jvmOptions);
        try (RespiteProcess p = RespiteProcess.startWithJvmOptions(options)) {
            assertEquals(0, p.stop());
        }
        // "[0.012s][info][class,load] java.lang.Object source: shared objects file"
        return Files.readAllLines(log).stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 1)
                .map(fields -> fields[1])
                .toList();
    }
}
