package dev.respite.conformance;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WAITAOF's local copy against Redis 7.2.5 when appendonly is turned on while a BGSAVE runs. */
class WaitAofDifferentialTest extends DifferentialSuite {

    private void awaitBoth(String section, Predicate<String> done) throws IOException {
        d.redis().awaitInfo(section, done);
        d.respite().awaitInfo(section, done);
    }

    @AfterEach
    void appendonlyOff() throws IOException {
        check("CONFIG SET rdb-key-save-delay 0", "CONFIG SET appendonly no", "CONFIG SET appendfsync everysec");
        awaitBoth("persistence", s -> s.contains("rdb_bgsave_in_progress:0\r\n"));
    }

    @Test
    void turningAofOnDuringBgsaveSchedulesTheRewrite() throws IOException {
        check("CONFIG SET appendonly no", "SET x y", "CONFIG SET rdb-key-save-delay 100000000", "BGSAVE");
        check("CONFIG SET appendonly yes");
        awaitBoth("persistence", s -> s.contains("aof_rewrite_scheduled:1\r\n"));
        check("SET x y", "CONFIG SET rdb-key-save-delay 0");
        // Redis's save is a child sleeping in its delay: it is killed, as Redis's own test does.
        ProcessHandle.of(reference.pid()).orElseThrow().children().forEach(ProcessHandle::destroyForcibly);
        check("WAITAOF 1 0 10000");
        awaitBoth(
                "persistence",
                s -> s.contains("aof_rewrite_in_progress:0\r\n") && s.contains("aof_rewrite_scheduled:0\r\n"));
    }
}
