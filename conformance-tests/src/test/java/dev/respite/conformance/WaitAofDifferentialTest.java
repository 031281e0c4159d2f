package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WAITAOF's local copy against Redis 7.2.5 when appendonly is turned on while a BGSAVE runs. */
class WaitAofDifferentialTest extends DifferentialSuite {

    private static void await(RawConnection c, String section, Predicate<String> done) throws IOException {
        for (int i = 0; i < 500; i++) {
            if (done.test(c.call("INFO", section))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        fail("INFO " + section + " never reached the state waited for");
    }

    private void awaitBoth(String section, Predicate<String> done) throws IOException {
        await(d.redis(), section, done);
        await(d.respite(), section, done);
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
