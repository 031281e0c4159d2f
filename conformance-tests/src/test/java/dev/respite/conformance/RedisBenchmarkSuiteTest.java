package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** redis-benchmark's default test set runs to the end against Respite with every reply accepted. */
class RedisBenchmarkSuiteTest {
    private static final Pattern RESULT = Pattern.compile("^(.+): ([0-9.]+) requests per second");
    /** The default set of redis-benchmark 7.0 (Debian's), in the order it runs them. */
    private static final List<String> DEFAULT_TESTS = List.of(
            "PING_INLINE",
            "PING_MBULK",
            "SET",
            "GET",
            "INCR",
            "LPUSH",
            "RPUSH",
            "LPOP",
            "RPOP",
            "SADD",
            "HSET",
            "SPOP",
            "ZADD",
            "ZPOPMIN",
            "LPUSH (needed to benchmark LRANGE)",
            "LRANGE_100 (first 100 elements)",
            "LRANGE_300 (first 300 elements)",
            "LRANGE_500 (first 500 elements)",
            "LRANGE_600 (first 600 elements)",
            "MSET (10 keys)");

    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void defaultSuiteCompletesEveryTestWithoutErrors() throws Exception {
        Tools.Result r = Tools.run(
                List.of(Tools.require("redis-benchmark"), "-p", Integer.toString(respite.port()), "-q", "-n", "2000"),
                null,
                120);
        assertEquals(0, r.exitCode(), r.stderr());
        // -q still redraws a progress line with carriage returns; the results are the lines that end it.
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("[\r\n]+")) {
            Matcher m = RESULT.matcher(line.strip());
            if (m.find()) {
                names.add(m.group(1));
                assertTrue(Double.parseDouble(m.group(2)) > 0, line);
            }
        }
        assertEquals(DEFAULT_TESTS, names, r.stdout());
        String all = (r.stdout() + r.stderr()).toLowerCase();
        assertFalse(all.contains("error"), r.stdout() + r.stderr());
    }
}
