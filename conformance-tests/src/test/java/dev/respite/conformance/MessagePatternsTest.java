package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ exchange patterns on Respite: runs each redis-py program of docs/messaging.md as it is
 * printed there and checks that it prints the output the page shows, so the page cannot drift.
 */
class MessagePatternsTest {
    private static final Path PAGE = Path.of(System.getProperty("respite.docs", "../docs/messaging.md"));
    private static RespiteProcess respite;
    private static String page;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        page = Files.readString(PAGE);
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void fanOutGivesEverySubscriberEveryMessage() throws Exception {
        runsAsDocumented("fanout.py");
    }

    @Test
    void directRoutingDeliversOnlyTheSubscribedSeverities() throws Exception {
        runsAsDocumented("direct.py");
    }

    @Test
    void topicRoutingMatchesGlobPatternsOncePerSubscription() throws Exception {
        runsAsDocumented("topic.py");
    }

    @Test
    void pubSubKeepsNothingForAbsentSubscribers() throws Exception {
        runsAsDocumented("fire-and-forget.py");
    }

    /** Finds the program headed {@code # name}, runs it, and compares with the Output block after it. */
    private static void runsAsDocumented(String name) throws Exception {
        Matcher m = Pattern.compile(
                        "```python\\n(# " + Pattern.quote(name) + "\\n.*?)```.*?Output.*?```\\n(.*?)```",
                        Pattern.DOTALL)
                .matcher(page);
        if (!m.find()) {
            throw new AssertionError(name + " and its output are missing from " + PAGE);
        }
        Tools.Result r = Tools.python(respite.port(), m.group(1));
        assertEquals("", r.stderr(), name);
        assertEquals(m.group(2), r.stdout(), name);
    }
}
