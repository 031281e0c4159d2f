package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Slowlog;

/** SLOWLOG, LATENCY, MONITOR, CLIENT PAUSE and the CLIENT flags operators rely on. */
class DiagnosticsTest {
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
    void slowlogRecordsCommandsOverTheThreshold() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.configSet("slowlog-log-slower-than", "0");
            j.slowlogReset();
            j.clientSetname("slowpoke");
            j.set("slow-key", "x".repeat(200));
            List<Slowlog> log = j.slowlogGet(1);
            assertEquals(1, log.size());
            Slowlog e = log.get(0);
            assertEquals(List.of("SET", "slow-key", "x".repeat(128) + "... (72 more bytes)"), e.getArgs());
            assertEquals("slowpoke", e.getClientName());
            assertTrue(e.getClientIpPort().toString().startsWith("127.0.0.1:"));
            assertTrue(j.slowlogLen() >= 2);
            j.configSet("slowlog-max-len", "1");
            j.set("a", "b");
            j.configSet("slowlog-log-slower-than", "-1");
            assertEquals(1, j.slowlogLen());
            assertEquals("OK", j.slowlogReset());
            assertEquals(0, j.slowlogLen());
            j.configSet("slowlog-max-len", "128");
            j.configSet("slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void slowlogGetRejectsBadCounts() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("-ERR count should be greater than or equal to -1\r\n", c.call("SLOWLOG", "GET", "-2"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SLOWLOG", "GET", "x"));
            assertEquals("-ERR unknown subcommand 'nope'. Try SLOWLOG HELP.\r\n", c.call("SLOWLOG", "nope"));
        }
    }

    @Test
    void monitorSeesEveryCommandFromEveryClientInRedisFormat() throws Exception {
        try (RawConnection mon = new RawConnection(respite.port());
                Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertEquals("+OK\r\n", mon.call("MONITOR"));
            j.select(2);
            j.set("mon key", "quote\"d\n");
            String select = mon.readReply();
            String set = mon.readReply();
            assertTrue(select.matches("\\+\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+] \"SELECT\" \"2\"\r\n"), select);
            assertTrue(
                    set.matches(
                            "\\+\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+] \"SET\" \"mon key\" \"quote\\\\\"d\\\\n\"\r\n"),
                    set);
        }
    }

    @Test
    void monitorShowsAScriptBeforeTheCommandsItRuns() throws Exception {
        try (RawConnection mon = new RawConnection(respite.port());
                Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertEquals("+OK\r\n", mon.call("MONITOR"));
            j.eval("redis.call('set', KEYS[1], 'v'); return redis.call('get', KEYS[1])", 1, "mk");
            j.functionLoad(
                    "#!lua name=monlib\nredis.register_function('incrk', function(k) return redis.call('incr', k[1]) end)");
            j.fcall("incrk", List.of("n"), List.of());
            String prefix = "\\+\\d+\\.\\d{6} \\[0 ";
            String[] expected = {
                prefix + "127\\.0\\.0\\.1:\\d+] \"EVAL\" .* \"1\" \"mk\"\r\n",
                prefix + "lua] \"set\" \"mk\" \"v\"\r\n",
                prefix + "lua] \"get\" \"mk\"\r\n",
                prefix + "127\\.0\\.0\\.1:\\d+] \"FUNCTION\" \"LOAD\" .*\r\n",
                prefix + "127\\.0\\.0\\.1:\\d+] \"FCALL\" \"incrk\" \"1\" \"n\"\r\n",
                prefix + "lua] \"incr\" \"n\"\r\n",
            };
            for (String pattern : expected) {
                String line = mon.readReply();
                assertTrue(line.matches(pattern), line + " does not match " + pattern);
            }
        }
    }

    /** Redis shows a blocking command when it blocks, not again when a push serves it (Redisson's queues). */
    @Test
    void monitorShowsABlockedCommandOnceWhenAPushServesIt() throws Exception {
        try (RawConnection mon = new RawConnection(respite.port());
                RawConnection waiter = new RawConnection(respite.port());
                RawConnection pusher = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", mon.call("MONITOR"));
            waiter.command("BLPOP", "monitored-queue", "0");
            String prefix = "\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+] ";
            String blpop = mon.readReply();
            assertTrue(blpop.matches(prefix + "\"BLPOP\" \"monitored-queue\" \"0\"\r\n"), blpop);
            assertEquals(":1\r\n", pusher.call("RPUSH", "monitored-queue", "x"));
            assertEquals("*2\r\n$15\r\nmonitored-queue\r\n$1\r\nx\r\n", waiter.readReply());
            assertEquals("$4\r\nnext\r\n", pusher.call("ECHO", "next"));
            String rpush = mon.readReply();
            assertTrue(rpush.matches(prefix + "\"RPUSH\" \"monitored-queue\" \"x\"\r\n"), rpush);
            String next = mon.readReply();
            assertTrue(next.matches(prefix + "\"ECHO\" \"next\"\r\n"), next);
        }
    }

    @Test
    void clientPauseWriteHoldsWritesButServesReads() throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", respite.port());
                Jedis other = new Jedis("127.0.0.1", respite.port())) {
            admin.set("paused", "before");
            admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> other.set("paused", "after"));
            try (Jedis reader = new Jedis("127.0.0.1", respite.port())) {
                assertEquals("before", reader.get("paused"));
                Thread.sleep(200);
                assertFalse(write.isDone(), "a write waits while writes are paused");
                // Redis counts a client held by the pause as blocked; tests and tools wait on this figure.
                assertTrue(reader.info("clients").contains("\r\nblocked_clients:1\r\n"), reader.info("clients"));
                assertEquals("OK", reader.clientUnpause());
            }
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
            assertEquals("after", admin.get("paused"));
        }
    }

    @Test
    void clientPauseEndsByItself() throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", respite.port());
                Jedis other = new Jedis("127.0.0.1", respite.port())) {
            admin.clientPause(300);
            long t0 = System.nanoTime();
            assertEquals("PONG", other.ping());
            assertTrue(System.nanoTime() - t0 >= 200_000_000L, "ALL pauses every command until the timeout");
        }
    }

    @Test
    void clientFlagsShowNoTouchAndNoEvict() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-TOUCH", "on"));
            assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "on"));
            assertTrue(c.call("CLIENT", "INFO").contains(" flags=eT "));
            assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "NO-TOUCH", "maybe"));
        }
    }

    @Test
    void clientListShowsTheQueryBufferOfTheReadBeingRun() throws IOException {
        try (RawConnection c = new RawConnection(respite.port());
                RawConnection half = new RawConnection(respite.port())) {
            // The running command is still in its client's query buffer, as in Redis: *2 $6 client $4 info.
            assertTrue(c.call("CLIENT", "INFO").contains(" qbuf=26 "));
            assertEquals("+OK\r\n", half.call("CLIENT", "SETNAME", "x"));
            // Half a command waits in the buffer: the parsed headers are gone, the two bytes of its argument stay.
            half.send("*1\r\n$4\r\nPI");
            long deadline = System.nanoTime() + 10_000_000_000L;
            String list;
            do {
                list = c.call("CLIENT", "LIST");
            } while (!halfShown(list) && System.nanoTime() < deadline);
            assertTrue(halfShown(list), list);
        }
    }

    private static boolean halfShown(String clientList) {
        return clientList.lines().anyMatch(l -> l.contains(" name=x ") && l.contains(" qbuf=2 "));
    }

    @Test
    void latencyMonitorStartsEmptyAndResets() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("*0\r\n", c.call("LATENCY", "LATEST"));
            assertEquals("*0\r\n", c.call("LATENCY", "HISTORY", "command"));
            assertEquals(":0\r\n", c.call("LATENCY", "RESET"));
            assertTrue(c.call("LATENCY", "DOCTOR").contains("Latency monitoring is disabled"));
        }
    }
}
