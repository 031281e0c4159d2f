package dev.respite.conformance.support;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose methods compare Respite with a real redis-server reply by reply: one pair of servers
 * for the whole class, both flushed before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DifferentialSuite {
    protected RespiteProcess respite;
    protected RealRedis reference;
    protected Differential d;

    @BeforeAll
    void startServers() throws IOException {
        respite = RespiteProcess.start();
        reference = RealRedis.start("--enable-debug-command", "yes");
        d = new Differential(respite.port(), reference.port());
    }

    /** Also runs when starting failed half-way: whatever was started is stopped. */
    @AfterAll
    void stopServers() throws IOException {
        if (d != null) {
            d.close();
        }
        if (respite != null) {
            respite.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @BeforeEach
    void flush() throws IOException {
        d.check("FLUSHALL");
        d.check("SELECT", "0");
    }

    /** Checks each line as one command, split as redis-cli splits it ({@code ""} is an empty argument). */
    protected void check(String... lines) throws IOException {
        for (String line : lines) {
            d.check(CliLine.splitToStrings(line));
        }
    }
}
