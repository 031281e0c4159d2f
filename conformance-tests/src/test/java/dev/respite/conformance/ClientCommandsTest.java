package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** CLIENT subcommands whose replies do not depend on the connection, compared byte for byte with Redis. */
class ClientCommandsTest extends DifferentialSuite {

    @Test
    void killRefusesBadArgumentsAsRedis() throws IOException {
        check(
                "CLIENT KILL USER wrong_user",
                "CLIENT KILL USER default SKIPME yes",
                "CLIENT KILL ID 0",
                "CLIENT KILL ID abc",
                "CLIENT KILL TYPE wrong_type",
                "CLIENT KILL SKIPME maybe",
                "CLIENT KILL ADDR",
                "CLIENT KILL ADDR 1.1.1.1:1",
                "CLIENT KILL 1.1.1.1:1",
                "CLIENT KILL LADDR 1.1.1.1:1 USER nobody");
    }
}
