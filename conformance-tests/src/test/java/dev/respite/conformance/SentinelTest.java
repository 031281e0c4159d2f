package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.SentinelProcess;
import dev.respite.conformance.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * Redis Sentinel (the 7.2.5 reference) managing Respite nodes: three sentinels discover a Respite master's
 * replicas and each other, promote a replica when the master is killed, reconfigure the other replica and
 * turn the restarted old master into a replica; redis-py's Sentinel client and Jedis's JedisSentinelPool
 * keep writing through the switch and no write acknowledged by WAIT 1 is lost. A mixed group has a Redis
 * 7.0.15 master whose Respite replica is promoted.
 */
class SentinelTest {
    private static final String NAME = "mymaster";
    /** Above a second so that a loaded machine's pauses are not taken for a dead master. */
    private static final int DOWN_AFTER_MILLIS = 2000;

    private static List<String> monitor(int masterPort) {
        return List.of(
                "sentinel monitor " + NAME + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + NAME + " " + DOWN_AFTER_MILLIS,
                "sentinel failover-timeout " + NAME + " 10000",
                "sentinel parallel-syncs " + NAME + " 1");
    }

    private static List<SentinelProcess> sentinels(int masterPort) throws Exception {
        List<SentinelProcess> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(SentinelProcess.start(monitor(masterPort)));
        }
        return s;
    }

    private static Map<String, String> masterState(SentinelProcess s) {
        try (Jedis j = new Jedis("127.0.0.1", s.port(), 5000)) {
            return j.sentinelMaster(NAME);
        }
    }

    private static int masterPortSeenBy(SentinelProcess s) {
        try (Jedis j = new Jedis("127.0.0.1", s.port(), 5000)) {
            return Integer.parseInt(j.sentinelGetMasterAddrByName(NAME).get(1));
        }
    }

    private static String info(int port, String field) {
        try (Jedis j = new Jedis("127.0.0.1", port, 5000)) {
            return ReplicationWatch.info(j, "replication", field);
        } catch (RuntimeException e) {
            return "unreachable: " + e.getMessage();
        }
    }

    private static void await(String what, long millis, BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
    }

    private static void awaitDiscovery(List<SentinelProcess> sentinels, int replicas) throws InterruptedException {
        await("every sentinel to see " + replicas + " replicas and the two other sentinels", 40_000, () -> {
            for (SentinelProcess s : sentinels) {
                Map<String, String> m = masterState(s);
                if (!m.get("num-slaves").equals(Integer.toString(replicas))
                        || !m.get("num-other-sentinels").equals("2")) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void respiteGroupFailsOverWhileClientsKeepWriting() throws Exception {
        Path masterDir = Files.createTempDirectory("respite-sentinel-master");
        int masterPort = Ports.free();
        String[] replicaOfMaster = {"--replicaof", "127.0.0.1", Integer.toString(masterPort)};
        RespiteProcess master =
                RespiteProcess.startSmallOnPort(masterDir, masterPort, "--repl-diskless-sync-delay", "0");
        Process py = null;
        try (RespiteProcess r1 = startReplica(replicaOfMaster);
                RespiteProcess r2 = startReplica(replicaOfMaster)) {
            List<SentinelProcess> sentinels = sentinels(masterPort);
            try {
                awaitDiscovery(sentinels, 2);
                for (SentinelProcess s : sentinels) {
                    assertEquals("master", masterState(s).get("role-reported"));
                }

                Set<String> sentinelAddresses = new HashSet<>();
                for (SentinelProcess s : sentinels) {
                    sentinelAddresses.add("127.0.0.1:" + s.port());
                }
                Path pyOut = Files.createTempFile("redis-py-sentinel", ".out");
                Path stop = pyOut.resolveSibling(pyOut.getFileName() + ".stop");
                py = startPythonWriter(sentinels, pyOut, stop);
                Map<Integer, Boolean> jedisAcked = new ConcurrentHashMap<>();
                AtomicBoolean stopJedis = new AtomicBoolean();
                Thread jedisWriter = new Thread(() -> writeThroughPool(sentinelAddresses, jedisAcked, stopJedis));
                jedisWriter.start();
                Path pyOutput = pyOut;
                await(
                        "both clients' first acknowledged writes",
                        30_000,
                        () -> jedisAcked.size() >= 20 && pythonAcks(pyOutput).size() >= 20);

                master.kill();
                await("the sentinels to promote a replica", 40_000, () -> {
                    for (SentinelProcess s : sentinels) {
                        if (masterPortSeenBy(s) == masterPort) {
                            return false;
                        }
                    }
                    return true;
                });
                int promoted = masterPortSeenBy(sentinels.get(0));
                int other = promoted == r1.port() ? r2.port() : r1.port();
                assertTrue(promoted == r1.port() || promoted == r2.port(), "promoted " + promoted);
                await(
                        "the promoted node to be a master",
                        20_000,
                        () -> info(promoted, "role").equals("master"));
                await(
                        "the other replica to follow the promoted one",
                        30_000,
                        () -> info(other, "master_port").equals(Integer.toString(promoted))
                                && info(other, "master_link_status").equals("up"));

                int jedisBefore = jedisAcked.size();
                int pyBefore = pythonAcks(pyOut).size();
                await(
                        "both clients to write through the new master",
                        40_000,
                        () -> jedisAcked.size() >= jedisBefore + 20
                                && pythonAcks(pyOutput).size() >= pyBefore + 20);
                stopJedis.set(true);
                jedisWriter.join(20_000);
                Files.writeString(stop, "stop");
                assertTrue(py.waitFor(30, TimeUnit.SECONDS), "the redis-py writer stops");
                assertEquals(0, py.exitValue(), Files.readString(pyOut));

                try (Jedis j = new Jedis("127.0.0.1", promoted, 10_000)) {
                    for (int i : jedisAcked.keySet()) {
                        assertEquals(Integer.toString(i), j.get("jedis:" + i), "acknowledged Jedis write " + i);
                    }
                    for (int i : pythonAcks(pyOut)) {
                        assertEquals(Integer.toString(i), j.get("py:" + i), "acknowledged redis-py write " + i);
                    }
                }

                master = RespiteProcess.startSmallOnPort(masterDir, masterPort, "--repl-diskless-sync-delay", "0");
                await(
                        "the restarted old master to rejoin as a replica",
                        40_000,
                        () -> info(masterPort, "role").equals("slave")
                                && info(masterPort, "master_port").equals(Integer.toString(promoted))
                                && info(masterPort, "master_link_status").equals("up"));
                try (Jedis old = new Jedis("127.0.0.1", masterPort, 10_000)) {
                    int someKey = jedisAcked.keySet().iterator().next();
                    await(
                            "the old master to hold the data",
                            20_000,
                            () -> Integer.toString(someKey).equals(old.get("jedis:" + someKey)));
                }
            } finally {
                if (py != null) {
                    py.destroyForcibly();
                }
                sentinels.forEach(SentinelProcess::close);
            }
        } finally {
            master.close();
        }
    }

    private static RespiteProcess startReplica(String[] replicaOf) throws Exception {
        List<String> args = new ArrayList<>(List.of(replicaOf));
        args.addAll(List.of("--repl-diskless-sync-delay", "0"));
        return RespiteProcess.startSmallOnPort(
                Files.createTempDirectory("respite-sentinel-replica"), Ports.free(), args.toArray(new String[0]));
    }

    /** Writes jedis:N = N through the pool until stopped, recording N once WAIT 1 acknowledged it. */
    private static void writeThroughPool(Set<String> sentinels, Map<Integer, Boolean> acked, AtomicBoolean stop) {
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(2);
        try (JedisSentinelPool pool = new JedisSentinelPool(NAME, sentinels, config, 1000, null, 0)) {
            int n = 0;
            long deadline = System.currentTimeMillis() + 150_000;
            while (!stop.get() && System.currentTimeMillis() < deadline) {
                n++;
                try (Jedis j = pool.getResource()) {
                    j.set("jedis:" + n, Integer.toString(n));
                    if (j.waitReplicas(1, 1000) >= 1) {
                        acked.put(n, true);
                    }
                } catch (RuntimeException e) {
                    sleepQuietly(100);
                }
                sleepQuietly(20);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** redis-py's Sentinel client writing py:N = N and printing "ACK N" once WAIT 1 acknowledged it. */
    private static Process startPythonWriter(List<SentinelProcess> sentinels, Path out, Path stop) throws Exception {
        StringBuilder addrs = new StringBuilder();
        for (SentinelProcess s : sentinels) {
            addrs.append("('127.0.0.1', ").append(s.port()).append("),");
        }
        String program = """
                import os, sys, time
                from redis.sentinel import Sentinel
                sentinel = Sentinel([%s], socket_timeout=1.0)
                master = sentinel.master_for('%s', socket_timeout=1.0)
                n = 0
                deadline = time.time() + 150
                while not os.path.exists(%s) and time.time() < deadline:
                    n += 1
                    try:
                        master.set('py:%%d' %% n, n)
                        if master.execute_command('WAIT', 1, 1000) >= 1:
                            print('ACK %%d' %% n, flush=True)
                    except Exception as e:
                        time.sleep(0.1)
                    time.sleep(0.02)
                """.formatted(addrs, NAME, "'" + stop + "'");
        Tools.require("python3");
        return new ProcessBuilder(Tools.PYTHON, "-c", program)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
    }

    private static List<Integer> pythonAcks(Path out) {
        List<Integer> acks = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("ACK ")) {
                    acks.add(Integer.parseInt(line.substring(4).trim()));
                }
            }
        } catch (Exception e) {
            return acks;
        }
        return acks;
    }

    @Test
    void redisMasterFailsOverToRespiteReplica() throws Exception {
        try (RealRedis redis = RealRedis.startDebianIn(Files.createTempDirectory("redis-70-sentinel"));
                RespiteProcess replica =
                        startReplica(new String[] {"--replicaof", "127.0.0.1", Integer.toString(redis.port())})) {
            try (Jedis m = new Jedis("127.0.0.1", redis.port(), 10_000)) {
                m.set("before", "failover");
                assertEquals(1, m.waitReplicas(1, 10_000));
            }
            List<SentinelProcess> sentinels = sentinels(redis.port());
            try {
                awaitDiscovery(sentinels, 1);
                ProcessHandle.of(redis.pid()).ifPresent(ProcessHandle::destroyForcibly);
                await("the sentinels to promote the Respite replica", 40_000, () -> {
                    for (SentinelProcess s : sentinels) {
                        if (masterPortSeenBy(s) != replica.port()) {
                            return false;
                        }
                    }
                    return true;
                });
                await(
                        "Respite to be a master",
                        20_000,
                        () -> info(replica.port(), "role").equals("master"));
                try (Jedis r = new Jedis("127.0.0.1", replica.port(), 10_000)) {
                    assertEquals("failover", r.get("before"));
                    assertEquals("OK", r.set("after", "failover"));
                }
            } finally {
                sentinels.forEach(SentinelProcess::close);
            }
        }
    }
}
