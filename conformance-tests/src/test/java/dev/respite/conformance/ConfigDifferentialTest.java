package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CONFIG SET and CONFIG GET against Redis 7.2.5 where Redis checks values Respite does not otherwise act on:
 * the argument a failed multi-parameter CONFIG SET names, hidden debugging parameters, oom-score-adj.
 */
class ConfigDifferentialTest extends DifferentialSuite {

    @Test
    void failedSetNamesTheFirstRefusedArgumentAndRollsBack() throws IOException {
        check(
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory 10000002",
                "CONFIG SET maxmemory 10000001 maxmemory-clients 200% client-query-buffer-limit invalid",
                "CONFIG GET maxmemory",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 100%",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 0%",
                "CONFIG SET maxmemory-clients -5%",
                "CONFIG SET maxmemory-clients %",
                "CONFIG SET maxmemory-clients 12x%",
                "CONFIG SET maxmemory-clients 2mb",
                "CONFIG GET maxmemory-clients",
                "CONFIG SET maxmemory-clients 0",
                "CONFIG SET maxmemory 0");
    }

    @Test
    void hiddenParametersAnswerOnlyByName() throws IOException {
        for (String name : new String[] {"key-load-delay", "rdb-key-save-delay", "watchdog-period"}) {
            check("CONFIG GET " + name, "CONFIG GET " + name.substring(0, 5) + "*");
        }
        assertFalse(d.respite().call("CONFIG", "GET", "*").contains("key-load-delay"));
    }

    @Test
    void oomScoreValuesAreRangeChecked() throws IOException {
        check(
                "CONFIG SET oom-score-adj-values \"-2001 -2001 -2001\"",
                "CONFIG SET oom-score-adj-values \"2001 2001 2001\"",
                "CONFIG SET oom-score-adj-values \"1 2\"",
                "CONFIG SET oom-score-adj-values \"1 2 x\"",
                "CONFIG SET oom-score-adj maybe",
                "CONFIG GET oom-score-adj",
                "CONFIG GET oom-score-adj-values",
                "CONFIG SET oom-score-adj-values \"-2000 0 2000\"",
                "CONFIG GET oom-score-adj-values",
                "CONFIG SET oom-score-adj-values \"0 200 800\"");
    }

    /** Both servers start with the score of the process that started them; each must move its own alike. */
    @Test
    void oomScoreAdjIsWrittenForTheProcessAsRedisDoes() throws IOException {
        try {
            check("CONFIG SET oom-score-adj-values \"10 20 30\"", "CONFIG SET oom-score-adj yes");
            sameScore();
            check("CONFIG SET oom-score-adj-values \"15 20 30\"");
            sameScore();
            check("REPLICAOF localhost 1");
            sameScore();
            check("REPLICAOF NO ONE");
            sameScore();
            check("CONFIG SET oom-score-adj absolute", "CONFIG GET oom-score-adj");
            sameScore();
            check("CONFIG SET oom-score-adj-values \"9 9 9\" oom-score-adj relative", "CONFIG GET oom-score-adj");
            sameScore();
            check("CONFIG SET oom-score-adj no");
            sameScore();
        } finally {
            check("REPLICAOF NO ONE", "CONFIG SET oom-score-adj no", "CONFIG SET oom-score-adj-values \"0 200 800\"");
        }
    }

    private void sameScore() throws IOException {
        assertEquals(score(reference.pid()), score(respite.pid()), "oom_score_adj");
    }

    private static String score(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/oom_score_adj")).trim();
    }
}
