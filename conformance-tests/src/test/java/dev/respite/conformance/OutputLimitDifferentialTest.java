package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A command whose reply could be huge stops once the client's output passes client-output-buffer-limit, as in
 * Redis 7.2.5: the client is disconnected at once instead of the server building the whole reply.
 */
class OutputLimitDifferentialTest extends DifferentialSuite {

    @Test
    void hrandfieldWithAHugeNegativeCountStopsMidRun() throws IOException {
        check("CONFIG SET client-output-buffer-limit \"normal 1000000 0 0\"", "HSET myhash a b");
        try {
            for (int port : new int[] {reference.port(), respite.port()}) {
                try (RawConnection c = new RawConnection(port)) {
                    c.setTimeout(20_000);
                    c.command("HRANDFIELD", "myhash", "-999999999");
                    assertTrue(c.isClosedByPeer(), "connection to " + port + " not closed");
                }
            }
            check("HRANDFIELD myhash -3", "PING");
        } finally {
            check("CONFIG SET client-output-buffer-limit \"normal 0 0 0\"");
        }
    }
}
