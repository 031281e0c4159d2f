package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs every redis-py program of docs/messaging-streams.md exactly as printed there (each python block,
 * read from the file) against Respite, and checks that it prints the text block shown under it.
 */
class StreamMessagingDocTest {
    private static final Pattern EXAMPLE =
            Pattern.compile("```python\\n(.*?)```\\s*```text\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyProgramPrintsWhatTheDocumentShows() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "messaging-streams.md"));
        Matcher m = EXAMPLE.matcher(doc);
        List<String[]> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(new String[] {m.group(1), m.group(2)});
        }
        assertEquals(5, examples.size(), "examples with their output in the document");
        try (RespiteProcess respite = RespiteProcess.start()) {
            for (String[] example : examples) {
                String output = run(example[0], respite.port());
                assertEquals(example[1], output, () -> "output of:\n" + example[0]);
            }
        }
    }

    private static String run(String program, int port) throws Exception {
        Tools.require("python3");
        ProcessBuilder pb = new ProcessBuilder(Tools.PYTHON, "-c", program);
        pb.environment().put("RESPITE_PORT", Integer.toString(port));
        pb.environment().put("RESPITE_SERVER", String.join(" ", RespiteProcess.command()));
        pb.environment().put("RESPITE_DURABILITY_PORT", Integer.toString(Ports.free()));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("program did not finish:\n" + program);
        }
        assertEquals(0, p.exitValue(), () -> "exit status of:\n" + program);
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
