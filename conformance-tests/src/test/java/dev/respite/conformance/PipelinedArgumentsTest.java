package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request's argument array carries the next request once its command is done with it. Commands that
 * outlive their request (queued in MULTI, held by a pause, waiting behind a blocked one) must run as they
 * were sent however many requests of the same length follow them in the same read.
 */
class PipelinedArgumentsTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    /** The commands (arguments separated by spaces) as one write. */
    private static byte[] pipeline(String... commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String command : commands) {
            out.writeBytes(RawConnection.encode(command.split(" ")));
        }
        return out.toByteArray();
    }

    private static List<String> replies(RawConnection c, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(c.readReply());
        }
        return out;
    }

    @Test
    void aQueuedTransactionRunsWhatWasQueued() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            c.send(pipeline(
                    "DEL t:a t:b t:l",
                    "MULTI",
                    "SET t:a a1",
                    "SET t:b b1",
                    "RPUSH t:l v1",
                    "EXEC",
                    "SET t:c c1",
                    "SET t:d d1",
                    "RPUSH t:l v2",
                    "MGET t:a t:b t:c t:d",
                    "LRANGE t:l 0 -1"));
            assertEquals(
                    List.of(
                            ":0\r\n",
                            "+OK\r\n",
                            "+QUEUED\r\n",
                            "+QUEUED\r\n",
                            "+QUEUED\r\n",
                            "*3\r\n+OK\r\n+OK\r\n:1\r\n",
                            "+OK\r\n",
                            "+OK\r\n",
                            ":2\r\n",
                            "*4\r\n$2\r\na1\r\n$2\r\nb1\r\n$2\r\nc1\r\n$2\r\nd1\r\n",
                            "*2\r\n$2\r\nv1\r\n$2\r\nv2\r\n"),
                    replies(c, 11));
        }
    }

    @Test
    void writesHeldByAPauseRunAsSent() throws IOException {
        try (RawConnection admin = new RawConnection(respite.port());
                RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "300", "WRITE"));
            c.send(pipeline("SET p:a a1", "SET p:b b1", "HSET p:h f v", "SET p:c c1", "MGET p:a p:b p:c"));
            assertEquals(
                    List.of("+OK\r\n", "+OK\r\n", ":1\r\n", "+OK\r\n", "*3\r\n$2\r\na1\r\n$2\r\nb1\r\n$2\r\nc1\r\n"),
                    replies(c, 5));
        }
    }

    @Test
    void commandsBehindABlockedOneRunAsSent() throws Exception {
        try (RawConnection pusher = new RawConnection(respite.port());
                RawConnection c = new RawConnection(respite.port())) {
            c.send(pipeline("DEL b:list", "BLPOP b:list 0", "SET b:a a1", "SET b:b b1", "MGET b:a b:b"));
            assertEquals(":0\r\n", c.readReply());
            while (!pusher.call("INFO", "clients").contains("blocked_clients:1")) {
                Thread.sleep(10);
            }
            assertEquals(":1\r\n", pusher.call("RPUSH", "b:list", "e"));
            assertEquals(
                    List.of(
                            "*2\r\n$6\r\nb:list\r\n$1\r\ne\r\n",
                            "+OK\r\n",
                            "+OK\r\n",
                            "*2\r\n$2\r\na1\r\n$2\r\nb1\r\n"),
                    replies(c, 4));
        }
    }
}
