package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void spopWithACountIsSentAsBatchesOfSremInOneTransaction() throws IOException {
        d.check("CONFIG", "SET", "repl-ping-replica-period", "3600");
        String[] sadd = new String[4002];
        sadd[0] = "SADD";
        sadd[1] = "s";
        for (int i = 0; i < 4000; i++) {
            sadd[i + 2] = Integer.toString(i);
        }
        try (RawConnection respiteLink = new RawConnection(respite.port());
                RawConnection redisLink = new RawConnection(reference.port())) {
            respiteLink.attachAsReplica();
            redisLink.attachAsReplica();
            d.check(sadd);
            // The members popped are random: what must match is the commands and how many members each carries.
            for (String count : new String[] {"1023", "1024", "1025", "2049"}) {
                d.respite().call("SPOP", "s", count);
                d.redis().call("SPOP", "s", count);
            }
            d.check("SCARD", "s");
            d.check("SPOP", "s", "1000");
            d.check("SET", "end", "x");
            assertEquals(shapes(streamUntilEnd(redisLink)), shapes(streamUntilEnd(respiteLink)));
        } finally {
            d.check("CONFIG", "SET", "repl-ping-replica-period", "10");
        }
    }

    @Test
    void flushesEvenOfEmptyDataAndOneCommandUnitsAreSentAsRedisSendsThem() throws Exception {
        d.check("CONFIG", "SET", "repl-ping-replica-period", "3600");
        try (RawConnection respiteLink = new RawConnection(respite.port());
                RawConnection redisLink = new RawConnection(reference.port());
                RawConnection respiteWaiter = new RawConnection(respite.port());
                RawConnection redisWaiter = new RawConnection(reference.port())) {
            respiteLink.attachAsReplica();
            redisLink.attachAsReplica();
            d.check("SET", "key", "value");
            d.check("FLUSHDB");
            // FLUSHDB and FLUSHALL go to the replicas even when there was nothing to remove.
            d.check("FLUSHDB");
            d.check("FLUSHALL");
            d.check("FLUSHALL", "SYNC");
            d.check("EVAL", "redis.call('flushdb')", "0");
            // A transaction or script that propagates one command sends it without MULTI/EXEC; two are wrapped.
            d.check("MULTI");
            d.check("INCR", "one");
            d.check("GET", "one");
            d.check("EXEC");
            d.check("EVAL", "redis.call('incr', KEYS[1]) return 1", "1", "one");
            d.check("EVAL", "redis.call('incr', KEYS[1]) redis.call('incr', KEYS[1]) return 1", "1", "one");
            d.check("MULTI");
            d.check("INCR", "one");
            d.check("INCR", "two");
            d.check("EXEC");
            // A blocked BRPOPLPUSH served later goes as RPOPLPUSH, BLMOVE as LMOVE.
            for (RawConnection waiter : List.of(respiteWaiter, redisWaiter)) {
                waiter.command("BRPOPLPUSH", "src", "dst", "0");
            }
            awaitBlocked();
            d.check("RPUSH", "src", "a", "b", "c");
            d.check("BRPOPLPUSH", "src", "dst", "0");
            d.check("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
            assertEquals(redisWaiter.readReply(), respiteWaiter.readReply());
            d.check("SET", "end", "x");
            assertEquals(streamUntilEnd(redisLink), streamUntilEnd(respiteLink));
        } finally {
            d.check("CONFIG", "SET", "repl-ping-replica-period", "10");
        }
    }

    /**
     * A blocked BRPOP woken (by SWAPDB, or by a transaction) on a list whose time has passed: as in Redis the
     * key is not deleted then and the client stays blocked; the DEL goes to the replicas when a later command
     * looks the key up.
     */
    @Test
    void aKeyFoundExpiredWhenWakingABlockedClientIsDeletedByTheNextLookup() throws Exception {
        d.check("DEBUG", "set-active-expire", "0");
        d.check("CONFIG", "SET", "repl-ping-replica-period", "3600");
        try (RawConnection respiteLink = new RawConnection(respite.port());
                RawConnection redisLink = new RawConnection(reference.port());
                RawConnection respiteWaiter = new RawConnection(respite.port());
                RawConnection redisWaiter = new RawConnection(reference.port())) {
            respiteLink.attachAsReplica();
            redisLink.attachAsReplica();
            List<RawConnection> waiters = List.of(respiteWaiter, redisWaiter);
            List<RawConnection> admins = List.of(d.respite(), d.redis());
            List<String> ids = new ArrayList<>();
            for (RawConnection waiter : waiters) {
                waiter.call("SELECT", "9");
                ids.add(waiter.call("CLIENT", "ID").substring(1).trim());
            }

            // SWAPDB brings the list the client waits for, already expired.
            d.check("SELECT", "1");
            d.check("RPUSH", "k", "hello");
            long at = System.currentTimeMillis() + 100;
            d.check("PEXPIREAT", "k", Long.toString(at));
            for (RawConnection waiter : waiters) {
                waiter.command("BRPOP", "k", "0");
            }
            awaitBlocked();
            Thread.sleep(Math.max(0, at + 20 - System.currentTimeMillis()));
            d.check("SWAPDB", "1", "9");
            awaitBlocked();
            unblock(admins, waiters, ids);
            assertEquals(
                    redisWaiter.call("SET", "somekey1", "someval1"), respiteWaiter.call("SET", "somekey1", "someval1"));
            assertEquals(redisWaiter.call("EXISTS", "k"), respiteWaiter.call("EXISTS", "k"));
            d.check("SET", "somekey2", "someval2");

            // A transaction pushes and expires the list, then sleeps past its time.
            d.check("SELECT", "9");
            for (RawConnection waiter : waiters) {
                waiter.command("BRPOP", "k", "0");
            }
            awaitBlocked();
            d.check("MULTI");
            d.check("RPUSH", "k", "hello");
            d.check("PEXPIRE", "k", "100");
            d.check("DEBUG", "SLEEP", "0.2");
            d.check("EXEC");
            awaitBlocked();
            unblock(admins, waiters, ids);
            assertEquals(redisWaiter.call("EXISTS", "k"), respiteWaiter.call("EXISTS", "k"));

            d.check("SET", "end", "x");
            List<String> expected = withoutExpiryTimes(streamUntilEnd(redisLink));
            List<String> actual = withoutExpiryTimes(streamUntilEnd(respiteLink));
            assertEquals(expected, actual);
            String del = "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n";
            assertEquals(2, actual.stream().filter(del::equals).count(), actual::toString);
            assertTrue(
                    actual.indexOf(del) > actual.indexOf("*3\r\n$3\r\nSET\r\n$8\r\nsomekey1\r\n$8\r\nsomeval1\r\n"),
                    actual::toString);
        } finally {
            d.check("DEBUG", "set-active-expire", "1");
            d.check("CONFIG", "SET", "repl-ping-replica-period", "10");
        }
    }

    /**
     * Stream readers woken on a stream past its time: XREAD (woken by SWAPDB) stays blocked and the key stays until
     * a later lookup; XREADGROUP (woken by a transaction that appends and sleeps past the stream's time) runs
     * again, deletes the key and answers NOGROUP, as in Redis.
     */
    @Test
    void streamReadersWokenOnAnExpiredStreamFollowRedis() throws Exception {
        d.check("DEBUG", "set-active-expire", "0");
        d.check("CONFIG", "SET", "repl-ping-replica-period", "3600");
        try (RawConnection respiteLink = new RawConnection(respite.port());
                RawConnection redisLink = new RawConnection(reference.port());
                RawConnection respiteWaiter = new RawConnection(respite.port());
                RawConnection redisWaiter = new RawConnection(reference.port())) {
            respiteLink.attachAsReplica();
            redisLink.attachAsReplica();
            List<RawConnection> waiters = List.of(respiteWaiter, redisWaiter);
            List<String> ids = new ArrayList<>();
            for (RawConnection waiter : waiters) {
                waiter.call("SELECT", "9");
                ids.add(waiter.call("CLIENT", "ID").substring(1).trim());
                waiter.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            }
            awaitBlocked();
            // SWAPDB brings the stream XREAD waits for, already expired.
            d.check("SELECT", "1");
            d.check("XADD", "s", "1-1", "f", "v");
            long at = System.currentTimeMillis() + 100;
            d.check("PEXPIREAT", "s", Long.toString(at));
            Thread.sleep(Math.max(0, at + 20 - System.currentTimeMillis()));
            d.check("SWAPDB", "1", "9");
            awaitBlocked();
            d.check("SET", "somekey1", "someval1");
            unblock(List.of(d.respite(), d.redis()), waiters, ids);
            d.check("SELECT", "9");
            d.check("EXISTS", "s");

            d.check("XGROUP", "CREATE", "g", "grp", "$", "MKSTREAM");
            for (RawConnection waiter : waiters) {
                waiter.command("XREADGROUP", "GROUP", "grp", "c", "BLOCK", "0", "STREAMS", "g", ">");
            }
            awaitBlocked();
            appendAndOutliveExpiry("g");
            assertEquals(redisWaiter.readReply(), respiteWaiter.readReply());
            d.check("EXISTS", "g");

            d.check("SET", "end", "x");
            List<String> expected = withoutExpiryTimes(streamUntilEnd(redisLink));
            List<String> actual = withoutExpiryTimes(streamUntilEnd(respiteLink));
            assertEquals(expected, actual);
            String del = "*2\r\n$3\r\nDEL\r\n$1\r\ns\r\n";
            assertTrue(
                    actual.indexOf(del) > actual.indexOf("*3\r\n$3\r\nSET\r\n$8\r\nsomekey1\r\n$8\r\nsomeval1\r\n"),
                    actual::toString);
        } finally {
            d.check("DEBUG", "set-active-expire", "1");
            d.check("CONFIG", "SET", "repl-ping-replica-period", "10");
        }
    }

    /** A transaction appends to the stream, gives it 100 ms to live and sleeps past them. */
    private void appendAndOutliveExpiry(String key) throws IOException {
        d.check("MULTI");
        d.check("XADD", key, "1-1", "f", "v");
        d.check("PEXPIRE", key, "100");
        d.check("DEBUG", "SLEEP", "0.2");
        d.check("EXEC");
    }

    /** CLIENT UNBLOCK for each side's waiter, which then answers the timeout reply of BRPOP or XREAD. */
    private static void unblock(List<RawConnection> admins, List<RawConnection> waiters, List<String> ids)
            throws IOException {
        for (int i = 0; i < 2; i++) {
            assertEquals(":1\r\n", admins.get(i).call("CLIENT", "UNBLOCK", ids.get(i)));
            assertEquals("*-1\r\n", waiters.get(i).readReply());
        }
    }

    /** PEXPIRE is propagated as PEXPIREAT with a time of each server's own: the time is left out. */
    private static List<String> withoutExpiryTimes(List<String> commands) {
        List<String> out = new ArrayList<>();
        for (String command : commands) {
            out.add(command.startsWith("*3\r\n$9\r\nPEXPIREAT\r\n") ? command.replaceAll("\\d{13}", "T") : command);
        }
        return out;
    }

    /** Each command as its name and number of arguments. */
    private static List<String> shapes(List<String> commands) {
        List<String> shapes = new ArrayList<>();
        for (String command : commands) {
            String[] lines = command.split("\r\n");
            shapes.add(lines[2] + " " + lines[0]);
        }
        return shapes;
    }

    /** Until both servers count one blocked client. */
    private void awaitBlocked() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int port : new int[] {respite.port(), reference.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                while (!c.call("INFO", "clients").contains("blocked_clients:1\r\n")) {
                    assertTrue(System.nanoTime() < deadline, "no client blocked on " + port);
                    Thread.sleep(20);
                }
            }
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
