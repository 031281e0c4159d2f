package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** CONFIG SET changes a running server at once, all parameters of one call or none, with Redis's errors. */
class ConfigSetTest {
    @Test
    void maxclientsAppliesToTheNextConnection() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RawConnection first = new RawConnection(p.port())) {
            // The start-up probe's connection counts until the server has seen it close.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!first.call("INFO", "clients").contains("connected_clients:1\r\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("+OK\r\n", first.call("CONFIG", "SET", "maxclients", "2"));
            try (RawConnection second = new RawConnection(p.port());
                    RawConnection third = new RawConnection(p.port())) {
                assertEquals("+PONG\r\n", second.call("PING"));
                assertEquals("-ERR max number of clients reached\r\n", third.readReply());
            }
        }
    }

    @Test
    void timeoutClosesIdleClientsAndLoglevelAppliesAtOnce() throws Exception {
        try (RespiteProcess p = RespiteProcess.start()) {
            configSet(p, "timeout", "1", "loglevel", "warning");
            assertIdleClientClosed(p);
            assertFalse(p.log().contains("Closing idle client"), "notice messages are off at loglevel warning");
            configSet(p, "loglevel", "notice");
            assertIdleClientClosed(p);
            assertTrue(p.log().contains("Closing idle client"), p.log());
            configSet(p, "timeout", "0");
            try (RawConnection kept = new RawConnection(p.port())) {
                Thread.sleep(2500);
                assertEquals("+PONG\r\n", kept.call("PING"), "timeout 0 closes no one");
            }
        }
    }

    /** On a connection of its own: with a timeout set, a connection held idle by the test would be closed too. */
    private static void configSet(RespiteProcess p, String... nameValues) throws Exception {
        try (RawConnection admin = new RawConnection(p.port())) {
            List<String> call = new java.util.ArrayList<>(List.of("CONFIG", "SET"));
            call.addAll(List.of(nameValues));
            assertEquals("+OK\r\n", admin.call(call.toArray(new String[0])));
        }
    }

    private static void assertIdleClientClosed(RespiteProcess p) throws Exception {
        try (RawConnection idle = new RawConnection(p.port())) {
            idle.call("PING");
            idle.setTimeout(5000);
            assertTrue(idle.isClosedByPeer(), "an idle client is closed after timeout");
        }
    }

    @Test
    void notifyKeyspaceEventsPublishesFromTheNextWrite() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                RawConnection sub = new RawConnection(p.port());
                Jedis j = new Jedis("127.0.0.1", p.port())) {
            sub.call("SUBSCRIBE", "__keyevent@0__:del");
            j.set("before", "1");
            j.set("after", "1");
            j.del("before");
            assertEquals("OK", j.configSet("notify-keyspace-events", "Eg"));
            assertEquals("gE", j.configGet("notify-keyspace-events").get("notify-keyspace-events"));
            j.del("after");
            assertEquals("*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$5\r\nafter\r\n", sub.readReply());
        }
    }

    @Test
    void slowlogSettingsApplyAtOnce() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", p.port())) {
            j.configSet("slowlog-log-slower-than", "0", "slowlog-max-len", "3");
            for (int i = 0; i < 10; i++) {
                j.set("k" + i, "v");
            }
            assertEquals(3, j.slowlogLen());
            j.configSet("slowlog-log-slower-than", "-1");
            j.slowlogReset();
            j.set("k", "v");
            assertEquals(0, j.slowlogLen());
        }
    }

    @Test
    void hzChangesTheCronFrequency() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", p.port())) {
            j.configSet("hz", "100");
            assertTrue(j.info("server").contains("hz:100\r\n"), j.info("server"));
            j.configSet("hz", "1000");
            assertEquals("500", j.configGet("hz").get("hz"), "hz is capped at 500 as in Redis");
            j.configSet("dynamic-hz", "no");
            assertEquals("no", j.configGet("dynamic-hz").get("dynamic-hz"));
        }
    }

    @Test
    void severalParametersAreSetAllOrNone() throws Exception {
        try (RespiteProcess p = RespiteProcess.start();
                Jedis j = new Jedis("127.0.0.1", p.port());
                RawConnection c = new RawConnection(p.port())) {
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxclients", "500", "slowlog-max-len", "7"));
            assertTrue(
                    c.call("CONFIG", "SET", "maxclients", "50", "timeout", "-1").startsWith("-ERR CONFIG SET failed"));
            assertEquals("500", j.configGet("maxclients").get("maxclients"));
            assertEquals("0", j.configGet("timeout").get("timeout"));
            assertEquals(
                    List.of("maxclients", "500", "slowlog-max-len", "7"),
                    flatten(j.configGet("maxclients", "slowlog-max-*")));
        }
    }

    @Test
    void refusalsReadAsRedisOnes() throws Exception {
        List<String[]> calls = List.of(
                new String[] {"CONFIG", "SET", "daemonize", "no"},
                new String[] {"CONFIG", "SET", "timeout", "-1"},
                new String[] {"CONFIG", "SET", "maxmemory", "10zb"},
                new String[] {"CONFIG", "SET", "maxclients", "many"},
                new String[] {"CONFIG", "SET", "dynamic-hz", "maybe"},
                new String[] {"CONFIG", "SET", "no-such-parameter", "1"},
                new String[] {"CONFIG", "SET", "maxclients", "10", "maxclients", "20"},
                new String[] {"CONFIG", "SET", "maxclients"},
                new String[] {"CONFIG", "REWRITE"});
        try (RespiteProcess p = RespiteProcess.start();
                RealRedis redis = RealRedis.start();
                RawConnection ours = new RawConnection(p.port());
                RawConnection theirs = new RawConnection(redis.port())) {
            for (String[] call : calls) {
                assertEquals(theirs.call(call), ours.call(call), String.join(" ", call));
            }
        }
    }

    private static List<String> flatten(java.util.Map<String, String> m) {
        List<String> out = new java.util.ArrayList<>();
        new java.util.TreeMap<>(m).forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out;
    }
}
