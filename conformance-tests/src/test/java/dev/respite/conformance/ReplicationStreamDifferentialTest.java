package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a master sends its replicas, read from a link attached with SYNC on each side and compared command by
 * command with Redis: the commands whose propagated form is fixed by their arguments.
 */
class ReplicationStreamDifferentialTest extends DifferentialSuite {
    private static final String PING = "*1\r\n$4\r\nPING\r\n";
    private static final String END = "*3\r\n$3\r\nSET\r\n$3\r\nend\r\n$1\r\nx\r\n";

    @Test
    void keysGivenAPastExpiryAreSentAsSetNotDeleted() throws IOException {
        d.check("DEBUG", "set-active-expire", "0");
        d.check("CONFIG", "SET", "repl-ping-replica-period", "3600");
        try (RawConnection respiteLink = new RawConnection(respite.port());
                RawConnection redisLink = new RawConnection(reference.port())) {
            respiteLink.attachAsReplica();
            redisLink.attachAsReplica();
            // A key set with an expiry already past stays stored until something reads it.
            d.check("SET", "k1", "v", "PXAT", "1");
            d.check("SET", "k2", "v", "EXAT", "1", "GET");
            d.check("SET", "k3", "v");
            d.check("GETEX", "k3", "PXAT", "1");
            d.check("SET", "k4", "v", "PXAT", "1");
            d.check("EXISTS", "k4");
            d.check("SET", "end", "x");
            assertEquals(streamUntilEnd(redisLink), streamUntilEnd(respiteLink));
        } finally {
            d.check("DEBUG", "set-active-expire", "1");
            d.check("CONFIG", "SET", "repl-ping-replica-period", "10");
        }
    }

    private static List<String> streamUntilEnd(RawConnection link) throws IOException {
        List<String> commands = new ArrayList<>();
        String command;
        do {
            command = link.readReply();
            // A master's keepalive may fall anywhere in the stream, on either side.
            if (!command.equals(PING)) {
                commands.add(command);
            }
        } while (!command.equals(END) && commands.size() < 50);
        return commands;
    }
}
