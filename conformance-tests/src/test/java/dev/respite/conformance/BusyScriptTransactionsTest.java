package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A transaction meeting a script that runs past busy-reply-threshold: each command refused with BUSY fails the
 * transaction, EXEC is aborted (EXECABORT naming BUSY) and ends it, MULTI, WATCH and DISCARD still run, SHUTDOWN
 * needs NOSAVE. The same sequence runs on Respite and on Redis 7.2.5, and every reply must be the same bytes.
 */
class BusyScriptTransactionsTest {
    private static final String LOOP = "while true do end";
    private static final String BUSY_EVAL =
            "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    private static final String BUSY_FUNCTION =
            "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
    private static final Pattern REJECTED =
            Pattern.compile("cmdstat_(exec|incr|get|shutdown):.*?rejected_calls=(\\d+)");

    @Test
    void transactionsAroundABusyScriptMatchRedis() throws IOException, InterruptedException {
        List<String> expected;
        try (RealRedis redis = RealRedis.start()) {
            expected = scenario(redis.port());
        }
        List<String> actual;
        // Other clients are answered during a busy script on the keyspace thread's own connections: io-threads 1.
        try (RespiteProcess respite = RespiteProcess.start("--io-threads", "1")) {
            actual = scenario(respite.port());
        }
        assertEquals(String.join("", expected), String.join("", actual));
        // What the comparison rests on, spelled out, so that a change on both sides cannot pass unnoticed.
        assertEquals(BUSY_EVAL, actual.get(4));
        assertEquals("-EXECABORT Transaction discarded because of: " + BUSY_EVAL.substring(1), actual.get(5));
        assertTrue(
                actual.contains("-EXECABORT Transaction discarded because of previous errors.\r\n"), actual::toString);
        assertTrue(
                actual.contains("-EXECABORT Transaction discarded because of: " + BUSY_FUNCTION.substring(1)),
                actual::toString);
    }

    private static List<String> scenario(int port) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        try (RawConnection admin = new RawConnection(port);
                RawConnection runner = new RawConnection(port);
                RawConnection tx = new RawConnection(port)) {
            out.add(admin.call("config", "set", "busy-reply-threshold", "10"));
            out.add(admin.call("config", "resetstat"));
            out.add(admin.call("set", "xx", "1"));

            // EXEC while the script is busy: the commands queued before it never run.
            tx.call("multi");
            out.add(tx.call("incr", "xx"));
            startBusy(admin, runner, "eval", LOOP, "0");
            out.add(tx.call("incr", "xx"));
            out.add(tx.call("exec"));
            out.add(tx.call("ping", "asdf"));
            out.add(tx.call("exec"));
            out.add(tx.call("watch", "xx"));
            out.add(tx.call("multi"));
            out.add(tx.call("get", "xx"));
            out.add(tx.call("discard"));
            out.add(tx.call("shutdown"));
            out.add(tx.call("shutdown", "abort"));
            out.add(tx.call("unwatch"));
            out.add(admin.call("script", "kill"));
            out.add(runner.readReply());
            out.add(admin.call("get", "xx"));
            out.add(tx.call("ping", "asdf"));

            // A command refused while the script is busy fails the transaction it was sent in, once the script is over.
            tx.call("multi");
            out.add(tx.call("incr", "xx"));
            startBusy(admin, runner, "eval", LOOP, "0");
            out.add(tx.call("incr", "xx"));
            out.add(admin.call("script", "kill"));
            out.add(runner.readReply());
            out.add(tx.call("exec"));
            out.add(admin.call("get", "xx"));

            // A function's BUSY names FUNCTION KILL, in EXEC's abort too.
            out.add(admin.call(
                    "function",
                    "load",
                    "replace",
                    "#!lua name=busy\nredis.register_function('spin', function() " + LOOP + " end)"));
            tx.call("multi");
            out.add(tx.call("incr", "xx"));
            startBusy(admin, runner, "fcall", "spin", "0");
            out.add(tx.call("exec"));
            out.add(admin.call("function", "kill"));
            out.add(runner.readReply());
            out.add(admin.call("get", "xx"));
            out.add(admin.call("function", "delete", "busy"));

            out.add(admin.call("info", "errorstats"));
            // INFO lists the commands in its own table's order; the counts are compared sorted.
            List<String> rejected = new ArrayList<>();
            Matcher m = REJECTED.matcher(admin.call("info", "commandstats"));
            while (m.find()) {
                rejected.add(m.group(1) + " rejected " + m.group(2) + "\n");
            }
            rejected.sort(null);
            out.addAll(rejected);
        }
        return out;
    }

    /**
     * Sends the looping script on {@code runner} and waits until {@code admin} hears BUSY: a server inside the
     * script answers nobody before the threshold, so the first GET sent after the script started gets BUSY.
     */
    private static void startBusy(RawConnection admin, RawConnection runner, String... command)
            throws IOException, InterruptedException {
        runner.command(command);
        for (int i = 0; i < 500; i++) {
            String reply = admin.call("get", "xx");
            if (reply.startsWith("-BUSY")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the script never became busy");
    }
}
