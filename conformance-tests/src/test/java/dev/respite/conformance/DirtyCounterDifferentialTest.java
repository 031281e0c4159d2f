package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.respite.conformance.support.CliLine;
import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * INFO's rdb_changes_since_last_save (Redis's dirty counter) against Redis 7.2.5: how much each command adds
 * to it must be Redis's figure, since save points and Redis's own tests read it.
 */
class DirtyCounterDifferentialTest extends DifferentialSuite {
    private static final Pattern DIRTY = Pattern.compile("rdb_changes_since_last_save:(\\d+)");

    private static long dirty(RawConnection c) throws IOException {
        Matcher m = DIRTY.matcher(c.call("INFO", "persistence"));
        if (!m.find()) {
            fail("no rdb_changes_since_last_save in INFO");
        }
        return Long.parseLong(m.group(1));
    }

    /** Runs each line on both servers (replies compared) and compares what it added to the dirty counter. */
    private void sameDirty(String... lines) throws IOException {
        for (String line : lines) {
            long redisBefore = dirty(d.redis());
            long oursBefore = dirty(d.respite());
            d.check(CliLine.splitToStrings(line));
            assertEquals(dirty(d.redis()) - redisBefore, dirty(d.respite()) - oursBefore, "dirty added by " + line);
        }
    }

    @Test
    void setbitAndBitfieldCountOnlyChangedValues() throws IOException {
        sameDirty(
                "SETBIT b 0 0",
                "SETBIT b 0 0",
                "SETBIT b 0 1",
                "SETBIT b 0 1",
                "SETBIT b 100 0",
                "BITFIELD f SET i5 0 0",
                "BITFIELD f SET i5 0 0",
                "BITFIELD f SET i5 0 1 SET i5 0 1 SET u4 8 3",
                "BITFIELD f INCRBY i5 0 1",
                "BITFIELD f INCRBY i5 0 0",
                "BITFIELD f GET i5 0",
                "BITFIELD_RO f GET i5 0",
                "BITFIELD g OVERFLOW FAIL INCRBY u2 0 9",
                "BITFIELD g OVERFLOW FAIL INCRBY u2 0 9");
    }

    @Test
    void listPushesPopsAndMovesCountElements() throws IOException {
        sameDirty(
                "LPUSH l a",
                "LPUSH l b c",
                "RPUSH l d e f",
                "LPUSHX missing a",
                "LPOP l",
                "RPOP l 2",
                "LPOP l 0",
                "LMOVE l l2 LEFT LEFT",
                "RPOPLPUSH l l2",
                "LMPOP 1 l2 LEFT COUNT 5",
                "LPOP l 10");
    }

    @Test
    void blockedPopAndMoveServedLaterCountAsInRedis() throws IOException {
        try (RawConnection ourWaiter = new RawConnection(respite.port());
                RawConnection redisWaiter = new RawConnection(reference.port())) {
            for (String blocking : new String[] {"BLPOP l 0", "BLMOVE l l2 LEFT LEFT 0", "BLMPOP 0 1 l RIGHT"}) {
                ourWaiter.command(CliLine.splitToStrings(blocking));
                redisWaiter.command(CliLine.splitToStrings(blocking));
                awaitBlocked(d.respite());
                awaitBlocked(d.redis());
                sameDirty("LPUSH l a");
                assertEquals(redisWaiter.readReply(), ourWaiter.readReply(), blocking);
            }
        }
    }

    private static void awaitBlocked(RawConnection c) throws IOException {
        c.awaitInfo("clients", info -> info.contains("blocked_clients:1\r\n"));
    }
}
