package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The instant the commands of a transaction see, compared with Redis 7.2.5: the one EXEC started at. */
class TransactionTimeDifferentialTest extends DifferentialSuite {
    @Test
    void aKeyExpiringWhileExecRunsStaysVisibleUntilExecEnds() throws IOException {
        d.check("DEBUG", "set-active-expire", "0");
        try {
            d.check("MULTI");
            d.check("SET", "k", "v", "PX", "10");
            d.check("DEBUG", "SLEEP", "0.05");
            d.check("GET", "k");
            d.check("EXISTS", "k");
            d.check("PTTL", "k");
            d.check("EXEC");
            d.check("GET", "k");
        } finally {
            d.check("DEBUG", "set-active-expire", "1");
        }
    }

    @Test
    void aScriptInsideExecKeepsTheTransactionsInstant() throws IOException {
        d.check("MULTI");
        d.check("SET", "k", "v", "PX", "10");
        d.check("EVAL", "return redis.call('exists', KEYS[1])", "1", "k");
        d.check("DEBUG", "SLEEP", "0.05");
        d.check("GET", "k");
        d.check("EXEC");
        d.check("EXISTS", "k");
    }
}
