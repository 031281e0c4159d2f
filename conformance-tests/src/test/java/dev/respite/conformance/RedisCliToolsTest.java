package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The real redis-cli in its interactive, scanning, piping, statistics and latency modes against Respite. */
class RedisCliToolsTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    private static Tools.Result cli(String... args) throws IOException, InterruptedException {
        return Tools.redisCli(respite.port(), args);
    }

    /** Runs redis-cli for a few seconds under coreutils' timeout: --stat and --latency never end by themselves. */
    private static Tools.Result cliFor(int seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "timeout",
                Integer.toString(seconds),
                "stdbuf",
                "-oL",
                Tools.require("redis-cli"),
                "-p",
                Integer.toString(respite.port())));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, null, seconds + 10L);
        assertEquals(124, r.exitCode(), "ended by timeout, not by an error: " + r.stderr());
        return r;
    }

    @Test
    void interactiveModeThroughAPseudoTerminalAnswersCommandsAndHelp() throws Exception {
        // linenoise only runs its line editor on a terminal: it asks for the cursor position (ESC[6n), which
        // this fake terminal answers, and redraws the prompt while typing, so a reply is what follows the
        // typed line's newline up to the next prompt.
        Tools.Result r = Tools.python(respite.port(), """
                import os, pty, select, time
                port = os.environ['RESPITE_PORT']
                pid, fd = pty.fork()
                if pid == 0:
                    os.execv('/usr/bin/redis-cli', ['redis-cli', '-p', port])
                prompt = ('127.0.0.1:%s>' % port).encode()
                buf = b''
                def until(marker):
                    global buf
                    deadline = time.time() + 10
                    while marker not in buf:
                        left = deadline - time.time()
                        if left <= 0:
                            raise SystemExit('timed out waiting for %r after %r' % (marker, buf))
                        if select.select([fd], [], [], left)[0]:
                            chunk = os.read(fd, 4096)
                            if b'\\x1b[6n' in chunk:
                                os.write(fd, b'\\x1b[1;80R')
                            buf += chunk
                    out, buf = buf.split(marker, 1)
                    return out
                until(prompt)
                for line in ['SET greeting hello', 'GET greeting', 'INCR visits', 'help SET']:
                    os.write(fd, line.encode() + b'\\r')
                    until(b'\\n')
                    print('>>> ' + line)
                    print(until(prompt).decode(errors='replace').replace('\\r', ''))
                os.write(fd, b'quit\\r')
                os.waitpid(pid, 0)
                """);
        assertEquals("", r.stderr());
        String out = r.stdout().replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
        assertTrue(out.contains(">>> SET greeting hello\nOK\n"), out);
        assertTrue(out.contains(">>> GET greeting\n\"hello\"\n"), out);
        assertTrue(out.contains(">>> INCR visits\n(integer) 1\n"), out);
        assertTrue(out.contains("summary: Sets the string value of a key"), out);
        assertTrue(out.contains("since: 1.0.0"), out);
        assertTrue(out.contains("group: string"), out);
    }

    @Test
    void scanWithPatternListsExactlyTheMatchingKeys() throws Exception {
        Set<String> expected = new HashSet<>();
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.select(1);
            for (int i = 0; i < 300; i++) {
                j.set("user:" + i, "u");
                expected.add("user:" + i);
                j.set("order:" + i, "o");
            }
        }
        Tools.Result r = cli("-n", "1", "--scan", "--pattern", "user:*");
        assertEquals(0, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(expected, new HashSet<>(lines));
        assertEquals(expected.size(), lines.size(), "each key once");
    }

    @Test
    void pipeModeSendsEveryCommandAndCountsReplies() throws Exception {
        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            String k = "piped:" + i;
            String v = "value-" + i;
            proto.writeBytes(
                    ("*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$" + v.length() + "\r\n" + v + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
        }
        proto.writeBytes("*2\r\n$4\r\nINCR\r\n$8\r\npiped:42\r\n".getBytes(StandardCharsets.US_ASCII));
        Tools.Result r = Tools.run(
                List.of(Tools.require("redis-cli"), "-p", Integer.toString(respite.port()), "-n", "2", "--pipe"),
                proto.toByteArray(),
                60);
        assertEquals(1, r.exitCode(), "redis-cli --pipe exits 1 when a reply was an error: " + r.stdout());
        assertTrue(r.stdout().contains("errors: 1, replies: 1001"), r.stdout());
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.select(2);
            assertEquals(1000, j.dbSize());
            assertEquals("value-999", j.get("piped:999"));
        }
    }

    @Test
    void repeatRunsTheCommandTheGivenNumberOfTimes() throws Exception {
        Tools.Result r = cli("-n", "3", "-r", "5", "INCR", "counter");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("1\n2\n3\n4\n5\n", r.stdout());
        assertEquals("5\n", cli("-n", "3", "GET", "counter").stdout());
    }

    @Test
    void bigkeysAndMemkeysReportEveryTypeWithoutWarnings() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.select(4);
            j.set("bk:string", "x".repeat(100));
            j.set("bk:small", "x");
            j.rpush("bk:list", "a", "b", "c");
            j.hset("bk:hash", java.util.Map.of("f1", "1", "f2", "2"));
            j.sadd("bk:set", "m1", "m2", "m3", "m4");
            j.zadd("bk:zset", 1, "z");
        }
        Tools.Result big = cli("-n", "4", "--bigkeys");
        assertEquals(0, big.exitCode(), big.stderr());
        assertTrue(big.stdout().contains("Sampled 6 keys in the keyspace!"), big.stdout());
        assertTrue(big.stdout().contains("Biggest string found '\"bk:string\"' has 100 bytes"), big.stdout());
        assertTrue(big.stdout().contains("Biggest   list found '\"bk:list\"' has 3 items"), big.stdout());
        assertTrue(big.stdout().contains("Biggest   hash found '\"bk:hash\"' has 2 fields"), big.stdout());
        assertTrue(big.stdout().contains("Biggest    set found '\"bk:set\"' has 4 members"), big.stdout());
        assertTrue(big.stdout().contains("Biggest   zset found '\"bk:zset\"' has 1 members"), big.stdout());

        // --memkeys asks MEMORY USAGE for every key; without it each key printed a warning and 0 bytes.
        Tools.Result mem = cli("-n", "4", "--memkeys");
        assertEquals(0, mem.exitCode(), mem.stderr());
        assertTrue(!mem.stdout().contains("Warning") && !mem.stderr().contains("Warning"), mem.stdout() + mem.stderr());
        Matcher m = Pattern.compile("Biggest string found '\"bk:string\"' has (\\d+) bytes")
                .matcher(mem.stdout());
        assertTrue(m.find(), mem.stdout());
        assertTrue(Long.parseLong(m.group(1)) >= 100, "at least the value's own bytes: " + m.group(1));
        assertTrue(mem.stdout().matches("(?s).*1 lists with [1-9]\\d* bytes.*"), mem.stdout());
        assertTrue(mem.stdout().matches("(?s).*1 zsets with [1-9]\\d* bytes.*"), mem.stdout());
    }

    @Test
    void typeEncodingAndCopyKnowSetsAndSortedSets() {
        // --bigkeys asks TYPE of every key; sets and sorted sets used to fail with an internal error.
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.sadd("ty:set", "1", "2");
            j.zadd("ty:zset", 2.5, "m");
            assertEquals("set", j.type("ty:set"));
            assertEquals("zset", j.type("ty:zset"));
            assertEquals("intset", j.objectEncoding("ty:set"));
            assertEquals("listpack", j.objectEncoding("ty:zset"));
            assertTrue(j.copy("ty:set", "ty:set2", false));
            assertTrue(j.copy("ty:zset", "ty:zset2", false));
            j.sadd("ty:set2", "3");
            j.zadd("ty:zset2", 1, "n");
            assertEquals(Set.of("1", "2"), j.smembers("ty:set"));
            assertEquals(Set.of("1", "2", "3"), j.smembers("ty:set2"));
            assertEquals(List.of("m"), j.zrange("ty:zset", 0, -1));
            assertEquals(List.of("n", "m"), j.zrange("ty:zset2", 0, -1));
            assertEquals(
                    Set.of("ty:zset", "ty:zset2"),
                    new HashSet<>(j.scan("0", new redis.clients.jedis.params.ScanParams().match("ty:*"), "zset")
                            .getResult()));
        }
    }

    @Test
    void memoryUsageFollowsRedisArgumentRules() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.set("mu", "abc");
            assertTrue(j.memoryUsage("mu") > 3);
            assertEquals(j.memoryUsage("mu"), j.memoryUsage("mu", 0));
            assertNull(j.memoryUsage("mu-missing"));
        }
        assertEquals(
                "ERR syntax error",
                cli("MEMORY", "USAGE", "mu", "SAMPLES", "-1").stdout().strip());
        assertEquals(
                "ERR syntax error",
                cli("MEMORY", "USAGE", "mu", "SAMPLE", "5").stdout().strip());
        assertEquals(
                "ERR value is not an integer or out of range",
                cli("MEMORY", "USAGE", "mu", "SAMPLES", "x").stdout().strip());
    }

    @Test
    void statPrintsALineOfCountersPerInterval() throws Exception {
        Tools.Result r = cliFor(3, "--stat", "-i", "0.5");
        List<String> data = r.stdout()
                .lines()
                .filter(l -> l.matches("\\d+\\s+[\\d.]+[KMGB]?\\s+\\d+\\s+\\d+\\s+\\d+ \\(\\+\\d+\\)\\s+\\d+.*"))
                .toList();
        assertTrue(r.stdout().contains("------- data ------"), r.stdout());
        assertTrue(data.size() >= 3, r.stdout());
    }

    @Test
    void latencyPrintsMinMaxAndAverage() throws Exception {
        Tools.Result r = cliFor(3, "--no-raw", "--latency", "-i", "1");
        assertTrue(
                Pattern.compile("min: \\d+, max: \\d+, avg: \\d+\\.\\d{2} \\(\\d+ samples\\)")
                        .matcher(r.stdout())
                        .find(),
                r.stdout());
    }

    @Test
    void rawAndFormattedOutput() throws Exception {
        cli("RPUSH", "fmt", "a", "b c");
        assertEquals("a\nb c\n", cli("--raw", "LRANGE", "fmt", "0", "-1").stdout());
        assertEquals(
                "1) \"a\"\n2) \"b c\"\n",
                cli("--no-raw", "LRANGE", "fmt", "0", "-1").stdout());
        assertEquals("(integer) 2\n", cli("--no-raw", "LLEN", "fmt").stdout());
    }

    @Test
    void selectsTheDatabaseGivenWithN() throws Exception {
        assertEquals("OK\n", cli("-n", "7", "SET", "in7", "seven").stdout());
        assertEquals("seven\n", cli("-n", "7", "GET", "in7").stdout());
        assertEquals("\n", cli("-n", "0", "GET", "in7").stdout());
        assertEquals("1\n", cli("-n", "7", "DBSIZE").stdout());
    }

    @Test
    void authenticatesWithAWhenTheServerRequiresAPassword() throws Exception {
        assertEquals("OK\n", cli("CONFIG", "SET", "requirepass", "s3cret").stdout());
        try {
            Tools.Result denied = cli("PING");
            assertTrue(denied.stdout().startsWith("NOAUTH"), denied.stdout());
            Tools.Result ok = cli("--no-auth-warning", "-a", "s3cret", "PING");
            assertEquals("PONG\n", ok.stdout());
            assertEquals("", ok.stderr(), "--no-auth-warning silences the warning about -a");
            Tools.Result warned = cli("-a", "s3cret", "PING");
            assertTrue(warned.stderr().contains("Warning: Using a password"), warned.stderr());
            Tools.Result wrong = cli("-a", "wrong", "--no-auth-warning", "PING");
            assertTrue((wrong.stdout() + wrong.stderr()).contains("WRONGPASS"), wrong.stdout() + wrong.stderr());
        } finally {
            assertEquals(
                    "OK\n",
                    cli("--no-auth-warning", "-a", "s3cret", "CONFIG", "SET", "requirepass", "")
                            .stdout());
        }
    }
}
