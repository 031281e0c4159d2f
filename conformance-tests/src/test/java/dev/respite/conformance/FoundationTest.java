package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/** The foundation as a user meets it: the three real clients connect, talk and get Redis's replies. */
class FoundationTest {
    private static RespiteProcess respite;
    private static RealRedis redis;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
        redis.close();
    }

    @Test
    void redisPyThroughAConnectionPoolSetsAndGets() throws Exception {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                pool = redis.ConnectionPool(host='127.0.0.1', port=int(os.environ['RESPITE_PORT'])); r = redis.Redis(connection_pool=pool)
                r.set("foo", "Bar"); print(r.get("foo"))
                """);
        assertEquals("", r.stderr());
        assertEquals("b'Bar'\n", r.stdout());
    }

    @Test
    void redisPyHandshakeWithNameDatabaseAndResp3() throws Exception {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                port = int(os.environ['RESPITE_PORT'])
                pool = redis.ConnectionPool(host='127.0.0.1', port=port, db=3, client_name='worker-1')
                r = redis.Redis(connection_pool=pool)
                r.set('k', 'v3')
                print(r.client_getname(), r.get('k'))
                print(redis.Redis(host='127.0.0.1', port=port, db=0).get('k'))
                try:
                    r3 = redis.Redis(host='127.0.0.1', port=port, protocol=3)
                    r3.set('p3', 'x'); print(r3.get('p3'))
                except TypeError:
                    print(b'x')
                """);
        assertEquals("", r.stderr());
        assertEquals("worker-1 b'v3'\nNone\nb'x'\n", r.stdout());
    }

    @Test
    void jedisPoolSetsGetsAndSelects() {
        try (JedisPool pool = new JedisPool("127.0.0.1", respite.port())) {
            try (Jedis j = pool.getResource()) {
                assertEquals("PONG", j.ping());
                assertEquals("OK", j.set("jedis", "value"));
                assertEquals("value", j.get("jedis"));
                j.select(5);
                assertFalse(j.exists("jedis"));
                j.set("in5", "x");
                assertEquals(1L, j.dbSize());
            }
            try (Jedis j = pool.getResource()) {
                j.select(0);
                assertEquals("value", j.get("jedis"));
            }
        }
    }

    @Test
    void redisCliArgvAndStdin() throws Exception {
        assertEquals("PONG\n", Tools.redisCli(respite.port(), "ping").stdout());
        assertEquals(
                "OK\n",
                Tools.redisCli(respite.port(), "set", "cli", "hello world").stdout());
        assertEquals(
                "hello world\n", Tools.redisCli(respite.port(), "get", "cli").stdout());
        Tools.Result piped = Tools.run(
                List.of(Tools.require("redis-cli"), "-p", Integer.toString(respite.port())),
                "set piped 1\nget piped\nping\n".getBytes(StandardCharsets.UTF_8),
                30);
        assertEquals("OK\n1\nPONG\n", piped.stdout());
    }

    @Test
    void redisCliPipeMassInsertionOfOneHundredThousandSets() throws Exception {
        int port = respite.port();
        Tools.redisCli(port, "-n", "9", "flushdb");
        StringBuilder sb = new StringBuilder();
        sb.append("*2\r\n$6\r\nSELECT\r\n$1\r\n9\r\n");
        for (int i = 0; i < 100_000; i++) {
            String k = "key:" + i;
            String v = "value:" + i;
            sb.append("*3\r\n$3\r\nSET\r\n$")
                    .append(k.length())
                    .append("\r\n")
                    .append(k)
                    .append("\r\n$")
                    .append(v.length())
                    .append("\r\n")
                    .append(v)
                    .append("\r\n");
        }
        Tools.Result r = Tools.run(
                List.of(Tools.require("redis-cli"), "-p", Integer.toString(port), "--pipe"),
                sb.toString().getBytes(StandardCharsets.US_ASCII),
                120);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("errors: 0, replies: 100001"), r.stdout());
        assertEquals("100000\n", Tools.redisCli(port, "-n", "9", "dbsize").stdout());
    }

    @Test
    void redisBenchmarkSetGetCompletesWithoutErrors() throws Exception {
        Tools.Result r = Tools.run(
                List.of(
                        Tools.require("redis-benchmark"),
                        "-p",
                        Integer.toString(respite.port()),
                        "-t",
                        "set,get",
                        "-n",
                        "20000",
                        "-q"),
                null,
                120);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("SET: ") && r.stdout().contains("GET: "), r.stdout());
        assertFalse(r.stdout().contains("ERR") || r.stderr().contains("ERR"), r.stdout() + r.stderr());
    }

    @Test
    void errorRepliesMatchRedisByteForByte() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("foo", "a", "b");
            d.check("FOO");
            d.check("get");
            d.check("get", "a", "b");
            d.check("select", "16");
            d.check("select", "-1");
            d.check("select", "x");
            d.check("ping");
            d.check("ping", "hello");
            d.check("echo", "hi");
            d.check("client", "nosuch");
            d.check("config", "nosuch");
            d.check("hello", "4");
            d.check("hello", "x");
            d.check("client", "setname", "bad name");
            d.check("set", "k", "v");
            d.check("get", "k");
            d.check("get", "missing");
            d.check("exists", "k", "k", "missing");
            d.check("del", "k", "missing");
            d.check("dbsize");
            d.check("multi");
            d.check("set", "a", "1");
            d.check("nosuch");
            d.check("exec");
            d.check("exec");
            d.check("discard");
            d.check("multi");
            d.check("multi");
            d.check("get", "a");
            d.check("exec");
            d.check("auth", "x");
            d.check("config", "get", "maxmemory-policy");
            d.check("config", "get", "nosuch-parameter");
            d.check("config", "set", "nosuch-parameter", "1");
        }
    }

    @Test
    void protocolErrorsReplyAsRedisAndClose() throws IOException {
        String[] bad = {"*abc\r\n", "*1\r\n$-5\r\n", "*1\r\nx3\r\n", "set \"a b\r\n", "*1\r\n$600000000\r\n"};
        for (String b : bad) {
            try (Differential d = new Differential(respite.port(), redis.port())) {
                d.checkRaw(b);
                assertTrue(d.respite().isClosedByPeer(), "closed after " + b);
            }
        }
    }

    @Test
    void inlineCommandsWork() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            c.send("set inline \"two words\"\r\n");
            assertEquals("+OK\r\n", c.readReply());
            c.send("get inline\n");
            assertEquals("$9\r\ntwo words\r\n", c.readReply());
        }
    }

    @Test
    void helloReplyHasRedisShapeInBothProtocols() throws IOException {
        try (RawConnection c = new RawConnection(respite.port())) {
            String r3 = c.call("HELLO", "3", "SETNAME", "lettuce");
            assertTrue(
                    r3.startsWith(
                            "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.5\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:"),
                    r3);
            assertTrue(
                    r3.endsWith(
                            "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"),
                    r3);
            assertEquals("$7\r\nlettuce\r\n", c.call("CLIENT", "GETNAME"));
            assertEquals("_\r\n", c.call("GET", "nothing-here"));
            String r2 = c.call("HELLO", "2");
            assertTrue(r2.startsWith("*14\r\n"), r2);
            assertEquals("$-1\r\n", c.call("GET", "nothing-here"));
        }
    }

    @Test
    void infoHasRedisFieldNamesAndKeyspaceLine() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.select(7);
            j.set("info-key", "1");
            String info = j.info();
            for (String f : List.of(
                    "redis_version:7.2.5",
                    "redis_mode:standalone",
                    "tcp_port:" + respite.port(),
                    "process_id:" + respite.pid(),
                    "uptime_in_seconds:",
                    "connected_clients:",
                    "used_memory:",
                    "used_memory_human:",
                    "total_commands_processed:",
                    "instantaneous_ops_per_sec:",
                    "respite_version:",
                    "db7:keys=1,expires=0,avg_ttl=0",
                    "# Server",
                    "# Clients",
                    "# Memory",
                    "# Persistence",
                    "# Stats",
                    "# Replication",
                    "# CPU",
                    "# Keyspace")) {
                assertTrue(info.contains(f), "INFO lacks " + f);
            }
            assertTrue(j.info("keyspace").startsWith("# Keyspace\r\n"));
        }
    }

    @Test
    void commandIntrospectionAnswersClients() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            long count = j.commandCount();
            assertTrue(count > 20, "COMMAND COUNT " + count);
            assertTrue(j.commandList().contains("get"));
            Map<String, ?> docs = j.commandDocs("get");
            assertTrue(docs.containsKey("get"));
        }
        try (RawConnection c = new RawConnection(respite.port())) {
            String info = c.call("COMMAND", "INFO", "get");
            assertTrue(
                    info.startsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"),
                    info);
            assertTrue(c.call("COMMAND")
                    .startsWith("*" + c.call("COMMAND", "COUNT").substring(1).trim() + "\r\n"));
        }
    }

    @Test
    void clientListAndInfoDescribeConnections() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.clientSetname("lister");
            String info = j.clientInfo();
            assertTrue(
                    info.matches("id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:" + respite.port()
                            + " fd=\\d+ name=lister .*cmd=client\\|info user=default redir=-1 resp=2 lib-name=.*\\n"),
                    info);
            assertTrue(j.clientList().contains("name=lister"));
            assertEquals(j.clientId(), Long.parseLong(info.substring(3, info.indexOf(' '))));
        }
    }

    @Test
    void idlePooledConnectionsReceiveNoUnsolicitedBytes() throws Exception {
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+PONG\r\n", c.call("PING"));
            c.setTimeout(1500);
            assertFalse(c.isClosedByPeer(), "nothing arrives and the connection stays open");
        }
    }
}
