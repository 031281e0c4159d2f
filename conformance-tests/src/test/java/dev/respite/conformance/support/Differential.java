package dev.respite.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

/**
 * One connection to Respite and one to a real redis-server: each command goes to both, and the raw reply
 * bytes must be equal.
 */
public final class Differential implements AutoCloseable {
    private final RawConnection respite;
    private final RawConnection redis;

    public Differential(int respitePort, int redisPort) throws IOException {
        respite = new RawConnection(respitePort);
        redis = new RawConnection(redisPort);
    }

    /** Sends the command to both servers, asserts identical replies, and returns the reply. */
    public String check(String... args) throws IOException {
        String expected = redis.call(args);
        String actual = respite.call(args);
        assertEquals(expected, actual, () -> "reply to " + String.join(" ", args));
        return actual;
    }

    /** Sends the same raw bytes to both and compares one reply. */
    public String checkRaw(String raw) throws IOException {
        redis.send(raw);
        respite.send(raw);
        String expected = redis.readReply();
        String actual = respite.readReply();
        assertEquals(expected, actual, () -> "reply to raw " + raw.replace("\r\n", "\\r\\n"));
        return actual;
    }

    /** Switches both connections' protocol; the HELLO replies themselves differ (server name, version, id). */
    public void hello(String version) throws IOException {
        respite.call("HELLO", version);
        redis.call("HELLO", version);
    }

    public RawConnection respite() {
        return respite;
    }

    public RawConnection redis() {
        return redis;
    }

    @Override
    public void close() throws IOException {
        respite.close();
        redis.close();
    }
}
