package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.ClusterNodes;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Cluster clients against a single-node Respite cluster holding every slot: JedisCluster and redis-py's
 * RedisCluster discover it through CLUSTER SLOTS / NODES and read and write a few thousand keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterClientsTest {
    private static final int KEYS = 3000;
    private RespiteProcess respite;

    @BeforeAll
    void start() throws Exception {
        respite = RespiteProcess.start(ClusterNodes.directives());
        try (RawConnection c = new RawConnection(respite.port())) {
            assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
        }
        ClusterNodes.awaitState(respite.port(), "ok");
    }

    @AfterAll
    void stop() {
        respite.close();
    }

    @Test
    void jedisClusterReadsAndWrites() {
        try (JedisCluster cluster = new JedisCluster(new HostAndPort("127.0.0.1", respite.port()))) {
            assertEquals(1, cluster.getClusterNodes().size());
            for (int i = 0; i < KEYS; i++) {
                cluster.set("jedis:" + i, "v" + i);
            }
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v" + i, cluster.get("jedis:" + i));
            }
            cluster.mset("{j}a", "1", "{j}b", "2");
            assertEquals(List.of("1", "2"), cluster.mget("{j}a", "{j}b"));
            Map<String, String> h = new HashMap<>();
            h.put("f", "x");
            cluster.hset("jedis:hash", h);
            assertEquals("x", cluster.hget("jedis:hash", "f"));
            assertEquals(1L, cluster.del("jedis:hash"));
        }
        try (RawConnection c = new RawConnection(respite.port())) {
            // Every key Jedis wrote is indexed under its slot.
            long counted = 0;
            for (int slot = 0; slot < 16384; slot++) {
                String r = c.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot));
                counted += Long.parseLong(r.substring(1, r.length() - 2));
            }
            String dbsize = c.call("DBSIZE");
            assertEquals(Long.parseLong(dbsize.substring(1, dbsize.length() - 2)), counted);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void redisPyClusterReadsAndWrites() throws Exception {
        Tools.Result r = Tools.python(
                respite.port(),
                "import os\n"
                        + "from redis.cluster import RedisCluster\n"
                        + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                        + "print(len(rc.get_nodes()))\n"
                        + "for i in range(" + KEYS + "):\n"
                        + "    rc.set('py:%d' % i, 'v%d' % i)\n"
                        + "bad = [i for i in range(" + KEYS + ") if rc.get('py:%d' % i) != b'v%d' % i]\n"
                        + "print(len(bad))\n"
                        + "print(rc.keyslot('foo'), rc.cluster_keyslot('foo'))\n"
                        + "p = rc.pipeline()\n"
                        + "for i in range(100):\n"
                        + "    p.incr('py:counter')\n"
                        + "print(p.execute()[-1])\n"
                        + "print(rc.delete('py:counter'))\n");
        assertEquals("", r.stderr());
        assertEquals(0, r.exitCode());
        assertEquals("1\n0\n12182 12182\n100\n1\n", r.stdout());
    }
}
