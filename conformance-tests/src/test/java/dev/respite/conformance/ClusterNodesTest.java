package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Respite as a Redis Cluster node on the bus: clusters made by {@code redis-cli --cluster create} of Respite nodes
 * alone and of Respite and Redis 7.2.5 nodes, checked by {@code redis-cli --cluster check}, resharded while clients
 * write, a killed master replaced by its replica, a manual failover, and MEET/FORGET/RESET by hand.
 */
class ClusterNodesTest {
    /** Long enough for a handshake on a loaded machine; failover tests lower it with CONFIG SET. */
    private static final String CREATE_TIMEOUT = "5000";

    /** Redis's CLUSTER_SLAVE_MIGRATION_DELAY: how long a master must stay orphaned before a replica moves. */
    private static final long MIGRATION_DELAY_MILLIS = 5000;

    /** Ports handed out in this run, so that two nodes never get the same one. */
    private static final java.util.Set<Integer> TAKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A client port below the kernel's ephemeral range (so outgoing connections cannot take it meanwhile) whose bus
     * port, port + 10000, is free too.
     */
    private static int nodePort() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int p = 20000 + random.nextInt(2700);
            if (!TAKEN.contains(p) && bindable(p) && bindable(p + 10000) && TAKEN.add(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair below 32768");
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String[] nodeDirectives() {
        return new String[] {
            "--cluster-enabled", "yes", "--cluster-node-timeout", CREATE_TIMEOUT, "--enable-debug-command", "yes"
        };
    }

    private static List<RespiteProcess> startRespite(int n) throws Exception {
        // Three at a time: six JVMs starting at once on a loaded machine can take longer than a start is given.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 3));
        List<Future<RespiteProcess>> started = new ArrayList<>();
        List<RespiteProcess> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int port = nodePort();
                started.add(pool.submit(() -> RespiteProcess.startSmallOnPort(
                        Files.createTempDirectory("respite-cluster"), port, nodeDirectives())));
            }
            for (Future<RespiteProcess> f : started) {
                out.add(f.get());
            }
            return out;
        } catch (Exception e) {
            for (Future<RespiteProcess> f : started) {
                try {
                    f.get().close();
                } catch (Exception ignored) {
                    // That one did not start.
                }
            }
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    private static RealRedis startRedis() throws Exception {
        int port = nodePort();
        return RealRedis.startOnPort(port, nodeDirectives());
    }

    private static Tools.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("redis-cli")));
        cmd.addAll(List.of(args));
        return Tools.run(cmd, null, 180);
    }

    private static void create(List<Integer> ports) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        ports.forEach(p -> args.add("127.0.0.1:" + p));
        args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Tools.Result r = cli(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("[OK] All 16384 slots covered."), r.stdout());
        for (int p : ports) {
            await(
                    "cluster_state:ok on " + p,
                    60,
                    () -> call(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
        }
    }

    /** redis-cli --cluster check from {@code port}: agreement, no open slot, full coverage. */
    private static void checkClean(int port) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Tools.Result r;
        do {
            r = cli("--cluster", "check", "127.0.0.1:" + port);
            if (r.exitCode() == 0
                    && r.stdout().contains("[OK] All nodes agree about slots configuration.")
                    && r.stdout().contains("[OK] All 16384 slots covered.")
                    && !r.stdout().contains("[WARNING]")
                    && !r.stdout().contains("[ERR]")) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("redis-cli --cluster check stayed unclean:\n" + r.stdout() + r.stderr());
    }

    private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String call(int port, String... args) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Object r = j.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode(args[0]), rest(args));
            return r instanceof byte[] b ? new String(b) : String.valueOf(r);
        } catch (JedisDataException e) {
            return "ERR:" + e.getMessage();
        } catch (RuntimeException e) {
            return "DOWN:" + e;
        }
    }

    private static String[] rest(String[] args) {
        String[] r = new String[args.length - 1];
        System.arraycopy(args, 1, r, 0, r.length);
        return r;
    }

    private static String role(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return (String)
                    redis.clients.jedis.util.SafeEncoder.encodeObject(j.role().get(0));
        } catch (RuntimeException e) {
            return "down";
        }
    }

    private static String myId(int port) {
        return call(port, "CLUSTER", "MYID");
    }

    /** CLUSTER NODES of the node at {@code port}, line by line. */
    private static List<String> nodeLines(int port) {
        return List.of(call(port, "CLUSTER", "NODES").split("\n"));
    }

    /** Writes keys with a cluster client until told to stop, counting failures; each acknowledged key is listed. */
    private static final class Writer implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger failures = new AtomicInteger();
        final List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        private final int port;
        private final String prefix;

        Writer(int port, String prefix) {
            this.port = port;
            this.prefix = prefix;
        }

        @Override
        public void run() {
            try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", port))) {
                for (int i = 0; !stop.get(); i++) {
                    String k = prefix + i;
                    try {
                        jc.set(k, k);
                        written.add(k);
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            }
        }
    }

    private static void reshard(int viaPort, String from, String to, int slots) throws Exception {
        Tools.Result r = cli(
                "--cluster",
                "reshard",
                "127.0.0.1:" + viaPort,
                "--cluster-from",
                from,
                "--cluster-to",
                to,
                "--cluster-slots",
                Integer.toString(slots),
                "--cluster-yes");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    private static int slotsOf(int port, String id) {
        for (String line : nodeLines(port)) {
            String[] f = line.split(" ");
            if (f[0].equals(id)) {
                int n = 0;
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue;
                    }
                    String[] range = f[i].split("-");
                    n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
                }
                return n;
            }
        }
        return -1;
    }

    @Test
    void sixRespiteNodesFormAClusterThatReshardsAndFailsOver() throws Exception {
        List<RespiteProcess> nodes = startRespite(6);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            List<Integer> ports = nodes.stream().map(RespiteProcess::port).toList();
            create(ports);
            checkClean(ports.get(0));

            Tools.Result py = Tools.python(
                    ports.get(1),
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "for i in range(1000): rc.set('py:%d' % i, i)\n"
                            + "print(sum(int(rc.get('py:%d' % i)) for i in range(1000)), len(rc.get_primaries()))\n");
            assertEquals("499500 3", py.stdout().trim(), py.stderr());

            // PUBLISH reaches subscribers on every node, SPUBLISH those of the channel's shard, over the bus.
            try (RawConnection sub = new RawConnection(ports.get(4));
                    RawConnection ssub = new RawConnection(replicaPort(nodes, myId(shardOwner(ports, "news"))))) {
                sub.call("SUBSCRIBE", "chat");
                ssub.call("SSUBSCRIBE", "news");
                assertEquals(":0\r\n", callRaw(ports.get(0), "PUBLISH", "chat", "hello"));
                assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nchat\r\n$5\r\nhello\r\n", sub.readReply());
                callRaw(shardOwner(ports, "news"), "SPUBLISH", "news", "extra");
                assertEquals("*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$5\r\nextra\r\n", ssub.readReply());
            }

            // The first three are the masters redis-cli chose; move slots between two of them while a client writes.
            int a = ports.get(0);
            int b = ports.get(1);
            String idA = myId(a);
            String idB = myId(b);
            int slotsOfB = slotsOf(a, idB);
            Writer writer = new Writer(ports.get(2), "w:");
            Future<?> writing = pool.submit(writer);
            reshard(a, idA, idB, 200);
            writer.stop.set(true);
            writing.get();
            checkClean(b);
            assertEquals(slotsOfB + 200, slotsOf(a, idB));
            assertEquals(0, writer.failures.get());
            try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", a))) {
                for (String k : writer.written) {
                    assertEquals(k, jc.get(k), "written during the reshard: " + k);
                }
            }

            // SIGKILL master B: its replica takes over within the node timeout plus the election delay.
            for (int p : ports) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-node-timeout", "2000"));
            }
            int replicaOfB = replicaPort(nodes, idB);
            String keyOfB = keyServedBy(b);
            try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", a))) {
                jc.set(keyOfB, "before");
            }
            awaitReplicated(replicaOfB, keyOfB);
            long killed = System.nanoTime();
            nodes.get(1).kill();
            await(
                    "the replica of the killed master to take over",
                    30,
                    () -> role(replicaOfB).equals("master"));
            long tookMillis = (System.nanoTime() - killed) / 1_000_000;
            System.out.println("failover after SIGKILL of a master took " + tookMillis + " ms");
            await(
                    "the cluster to be ok again",
                    30,
                    () -> call(a, "CLUSTER", "INFO").contains("cluster_state:ok"));
            try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", a))) {
                assertEquals("before", jc.get(keyOfB));
                jc.set(keyOfB, "after");
                assertEquals("after", jc.get(keyOfB));
                assertEquals("1", jc.get("py:1"));
            }

            // A manual failover: a replica of A takes over and A follows it.
            int replicaOfA = replicaPort(nodes, idA);
            assertEquals("OK", call(replicaOfA, "CLUSTER", "FAILOVER"));
            await("the manual failover", 30, () -> role(replicaOfA).equals("master") && role(a).equals("slave"));
            assertEquals(
                    myId(replicaOfA),
                    call(a, "CLUSTER", "NODES")
                            .lines()
                            .filter(l -> l.contains("myself"))
                            .findFirst()
                            .orElseThrow()
                            .split(" ")[3]);
        } finally {
            pool.shutdownNow();
            nodes.forEach(RespiteProcess::close);
        }
    }

    private static String callRaw(int port, String... args) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            return c.call(args);
        }
    }

    /** The port of the master serving {@code key}'s slot. */
    private static int shardOwner(List<Integer> ports, String key) {
        int slot = Integer.parseInt(call(ports.get(0), "CLUSTER", "KEYSLOT", key));
        for (int p : ports) {
            for (String line : nodeLines(p)) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].contains("myself") && f[2].contains("master") && servesSlot(f, slot)) {
                    return p;
                }
            }
        }
        throw new AssertionError("nobody serves " + key);
    }

    private static int replicaPort(List<RespiteProcess> nodes, String masterId) {
        for (RespiteProcess n : nodes) {
            for (String line : nodeLines(n.port())) {
                String[] f = line.split(" ");
                if (f.length > 3 && f[2].contains("myself") && f[3].equals(masterId)) {
                    return n.port();
                }
            }
        }
        throw new AssertionError("no replica of " + masterId);
    }

    /** A key in a slot the node at {@code port} serves. */
    private static String keyServedBy(int port) {
        for (int i = 0; ; i++) {
            String k = "k" + i;
            long slot = Long.parseLong(call(port, "CLUSTER", "KEYSLOT", k));
            String id = myId(port);
            for (String line : nodeLines(port)) {
                String[] f = line.split(" ");
                if (f[0].equals(id) && servesSlot(f, (int) slot)) {
                    return k;
                }
            }
        }
    }

    private static boolean servesSlot(String[] f, int slot) {
        for (int i = 8; i < f.length; i++) {
            if (f[i].startsWith("[")) {
                continue;
            }
            String[] range = f[i].split("-");
            int lo = Integer.parseInt(range[0]);
            int hi = range.length == 1 ? lo : Integer.parseInt(range[1]);
            if (slot >= lo && slot <= hi) {
                return true;
            }
        }
        return false;
    }

    private static void awaitReplicated(int replicaPort, String key) throws InterruptedException {
        await("the key to reach the replica", 30, () -> {
            try (Jedis j = new Jedis("127.0.0.1", replicaPort)) {
                j.readonly();
                return j.exists(key);
            }
        });
    }

    @Test
    void redisAndRespiteNodesShareAClusterAndMoveSlotsBothWays() throws Exception {
        List<RealRedis> redis = new ArrayList<>();
        List<RespiteProcess> respite = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                redis.add(startRedis());
            }
            respite.addAll(startRespite(3));
            // Masters are the first three: Redis, Respite, Redis; the replicas mix too.
            List<Integer> ports = List.of(
                    redis.get(0).port(),
                    respite.get(0).port(),
                    redis.get(1).port(),
                    respite.get(1).port(),
                    redis.get(2).port(),
                    respite.get(2).port());
            create(ports);
            checkClean(respite.get(2).port());
            int r = redis.get(0).port();
            int j = respite.get(0).port();
            Tools.Result py = Tools.python(
                    j,
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "for i in range(2000): rc.set('m:%d' % i, i)\n"
                            + "print(len(rc.get_primaries()))\n");
            assertEquals("3", py.stdout().trim(), py.stderr());
            String idR = myId(r);
            String idJ = myId(j);
            int before = slotsOf(r, idJ);
            reshard(r, idR, idJ, 150);
            checkClean(j);
            reshard(j, idJ, idR, 300);
            checkClean(r);
            assertEquals(before - 150, slotsOf(j, idJ));
            assertEquals(before - 150, slotsOf(r, idJ));
            Tools.Result read = Tools.python(
                    r,
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "print(sum(1 for i in range(2000) if rc.get('m:%d' % i) == str(i).encode()))\n");
            assertEquals("2000", read.stdout().trim(), read.stderr());

            // A Respite replica of a Redis master takes its place with CLUSTER FAILOVER, as when moving a shard over.
            List<Integer> redisPorts = redis.stream().map(RealRedis::port).toList();
            int replica = -1;
            int master = -1;
            for (RespiteProcess n : respite) {
                for (String line : nodeLines(n.port())) {
                    String[] f = line.split(" ");
                    if (f.length > 3 && f[2].contains("myself") && f[2].contains("slave")) {
                        for (int p : redisPorts) {
                            if (myId(p).equals(f[3])) {
                                replica = n.port();
                                master = p;
                            }
                        }
                    }
                }
            }
            assertTrue(replica > 0, "redis-cli made no Respite node a replica of a Redis master");
            int newMaster = replica;
            int oldMaster = master;
            String probe = keyServedBy(oldMaster);
            try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", j))) {
                jc.set(probe, "probe");
            }
            awaitReplicated(newMaster, probe);
            assertEquals("OK", call(newMaster, "CLUSTER", "FAILOVER"));
            await(
                    "the Respite replica to take over",
                    30,
                    () -> role(newMaster).equals("master") && role(oldMaster).equals("slave"));
            checkClean(oldMaster);
            Tools.Result after = Tools.python(
                    r,
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "print(sum(1 for i in range(2000) if rc.get('m:%d' % i) == str(i).encode()))\n");
            assertEquals("2000", after.stdout().trim(), after.stderr());
        } finally {
            respite.forEach(RespiteProcess::close);
            redis.forEach(RealRedis::close);
        }
    }

    /**
     * Debian's packaged Redis 7.0 and Respite in one cluster, each failing over to the other: a Redis replica takes a
     * Respite master's place by CLUSTER FAILOVER and gives it back, then takes over by itself when the Respite master
     * is killed; a Respite replica takes over from a killed Redis master.
     */
    @Test
    void debianRedisAndRespiteNodesFailOverToEachOther() throws Exception {
        List<RealRedis> redis = new ArrayList<>();
        List<RespiteProcess> respite = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                redis.add(RealRedis.startDebianOnPort(nodePort(), nodeDirectives()));
            }
            respite.addAll(startRespite(3));
            int j0 = respite.get(0).port();
            int r0 = redis.get(0).port();
            int j1 = respite.get(1).port();
            int r1 = redis.get(1).port();
            int j2 = respite.get(2).port();
            Tools.Result made = cli(
                    "--cluster",
                    "create",
                    "127.0.0.1:" + j0,
                    "127.0.0.1:" + r0,
                    "127.0.0.1:" + j1,
                    "--cluster-replicas",
                    "0",
                    "--cluster-yes");
            assertEquals(0, made.exitCode(), made.stdout() + made.stderr());
            addReplica(r1, j0);
            addReplica(j2, r0);
            for (int p : List.of(j0, r0, j1, r1, j2)) {
                await(
                        "cluster_state:ok on " + p,
                        60,
                        () -> call(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
            }
            checkClean(r1);
            await("the Redis replica to sync", 30, () -> role(r1).equals("slave") && linkUp(r1));
            await("the Respite replica to sync", 30, () -> role(j2).equals("slave") && linkUp(j2));
            Tools.Result py = Tools.python(
                    j1,
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "for i in range(1000): rc.set('d:%d' % i, i)\n"
                            + "print(len(rc.get_primaries()))\n");
            assertEquals("3", py.stdout().trim(), py.stderr());

            // The Redis replica takes the Respite master's slots by CLUSTER FAILOVER, then hands them back.
            for (int p : List.of(j0, r0, j1, r1, j2)) {
                await("every node to know the Redis node as a replica", 30, () -> knowsReplica(p, r1, j0));
            }
            String probe = keyServedBy(j0);
            call(j0, "SET", probe, "one");
            awaitReplicated(r1, probe);
            assertEquals("OK", call(r1, "CLUSTER", "FAILOVER"));
            await("the Redis replica to take over", 30, () -> role(r1).equals("master") && role(j0).equals("slave"));
            checkClean(j1);
            assertEquals("one", call(r1, "GET", probe));
            call(r1, "SET", probe, "two");
            awaitValue(j0, probe, "two");
            // A master accepts a manual failover only from a node it knows as its replica, and the other masters
            // vote only for a node they know as a replica: wait for gossip to tell every node.
            for (int p : List.of(j0, r0, j1, r1, j2)) {
                await("every node to know the Respite node as a replica", 30, () -> knowsReplica(p, j0, r1));
            }
            assertEquals("OK", call(j0, "CLUSTER", "FAILOVER"));
            await("the Respite node to take back", 30, () -> role(j0).equals("master") && role(r1).equals("slave"));
            checkClean(r0);

            for (int p : List.of(j0, r0, j1, r1, j2)) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-node-timeout", "2000"));
            }
            // SIGKILL the Respite master: its Redis replica is elected by the other masters, Redis and Respite. Redis
            // keeps a replica's last election for twice its auth timeout (2 x max(2 x node timeout, 2 s)): a failure
            // found sooner than that after its manual failover would be "won" with that election's stale votes and
            // epoch, which no node accepts, so the kill waits until the window has passed.
            Thread.sleep(2 * Math.max(2 * 2000, 2000));
            call(j0, "SET", probe, "three");
            awaitValue(r1, probe, "three");
            long killed = System.nanoTime();
            respite.get(0).kill();
            await("the Redis replica to replace the killed Respite master", 30, () -> role(r1).equals("master"));
            System.out.println("Redis 7.0 replica took over a killed Respite master in "
                    + (System.nanoTime() - killed) / 1_000_000 + " ms");
            await(
                    "the cluster to be ok again",
                    30,
                    () -> call(j1, "CLUSTER", "INFO").contains("cluster_state:ok"));
            assertEquals("three", call(r1, "GET", probe));

            // SIGKILL the Redis master: its Respite replica takes over.
            String probe2 = keyServedBy(r0);
            call(r0, "SET", probe2, "redis");
            awaitReplicated(j2, probe2);
            killed = System.nanoTime();
            redis.get(0).kill();
            await("the Respite replica to replace the killed Redis master", 30, () -> role(j2).equals("master"));
            System.out.println("Respite replica took over a killed Redis 7.0 master in "
                    + (System.nanoTime() - killed) / 1_000_000 + " ms");
            await(
                    "the cluster to be ok again",
                    30,
                    () -> call(r1, "CLUSTER", "INFO").contains("cluster_state:ok"));
            Tools.Result read = Tools.python(
                    r1,
                    "import os\n"
                            + "from redis.cluster import RedisCluster\n"
                            + "rc = RedisCluster(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                            + "print(sum(1 for i in range(1000) if rc.get('d:%d' % i) == str(i).encode()))\n");
            assertEquals("1000", read.stdout().trim(), read.stderr());
        } finally {
            respite.forEach(RespiteProcess::close);
            redis.forEach(RealRedis::close);
        }
    }

    /**
     * Replica migration: when a master's only replica dies, a replica of the master that has two moves to it (once
     * the orphan has waited five seconds), unless cluster-allow-replica-migration is off.
     */
    @Test
    void anOrphanedMasterGetsAReplicaFromAMasterWithTwo() throws Exception {
        List<RespiteProcess> nodes = startRespite(5);
        try {
            List<Integer> ports = nodes.stream().map(RespiteProcess::port).toList();
            int a = ports.get(0);
            int b = ports.get(1);
            assertEquals("OK", call(a, "CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
            assertEquals("OK", call(b, "CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
            for (int p : ports.subList(1, 5)) {
                assertEquals("OK", call(p, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(a)));
            }
            for (int p : ports) {
                await("every node to know the five", 30, () -> knownConnected(p) == 5);
            }
            for (int p : ports) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-node-timeout", "1000"));
            }
            String idA = myId(a);
            String idB = myId(b);
            assertEquals("OK", call(ports.get(2), "CLUSTER", "REPLICATE", idA));
            assertEquals("OK", call(ports.get(3), "CLUSTER", "REPLICATE", idA));
            assertEquals("OK", call(ports.get(4), "CLUSTER", "REPLICATE", idB));
            for (int p : ports) {
                await(
                        "every node to see two replicas of A and one of B",
                        30,
                        () -> replicasOf(p, idA) == 2
                                && replicasOf(p, idB) == 1
                                && call(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
            }
            for (int p : ports) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-allow-replica-migration", "no"));
            }
            nodes.get(4).kill();
            await(
                    "B's replica to be flagged failing",
                    30,
                    () -> call(a, "CLUSTER", "NODES").contains("slave,fail " + idB));
            Thread.sleep(MIGRATION_DELAY_MILLIS + 2000);
            assertEquals(2, replicasOf(a, idA), "a replica moved although migration is off");

            long allowed = System.nanoTime();
            for (int p : ports.subList(0, 4)) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-allow-replica-migration", "yes"));
            }
            int mover = myId(ports.get(2)).compareTo(myId(ports.get(3))) < 0 ? ports.get(2) : ports.get(3);
            int stayer = mover == ports.get(2) ? ports.get(3) : ports.get(2);
            await(
                    "the replica with the smaller id to move to B",
                    30,
                    () -> masterOf(mover).equals(idB)
                            && call(mover, "INFO", "replication").contains("master_port:" + b)
                            && call(mover, "INFO", "replication").contains("master_link_status:up"));
            System.out.println("replica migrated " + (System.nanoTime() - allowed) / 1_000_000 + " ms after allowed");
            assertEquals(idA, masterOf(stayer));
            for (int p : ports.subList(0, 4)) {
                await("every node to see the move", 30, () -> replicasOf(p, idA) == 1 && replicasOf(p, idB) == 2);
            }
            call(b, "SET", keyServedBy(b), "v");
            awaitReplicated(mover, keyServedBy(b));
        } finally {
            nodes.forEach(RespiteProcess::close);
        }
    }

    /**
     * Clients blocked on a key are not left waiting for a write that cannot come here: when the key's slot goes to
     * another node they get -MOVED to it, and when the cluster fails -CLUSTERDOWN, as in Redis.
     */
    @Test
    void blockedClientsAreRedirectedWhenTheirSlotMovesOrTheClusterFails() throws Exception {
        List<RespiteProcess> nodes = startRespite(3);
        try {
            int a = nodes.get(0).port();
            int b = nodes.get(1).port();
            int c = nodes.get(2).port();
            assertEquals("OK", call(a, "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            // The handshakes run with the long creation timeout; failures are detected with a short one.
            for (int p : List.of(b, c)) {
                assertEquals("OK", call(p, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(a)));
            }
            for (int p : List.of(a, b, c)) {
                await(
                        "every node to know the three and be ok",
                        30,
                        () -> knownConnected(p) == 3
                                && call(p, "CLUSTER", "INFO").contains("cluster_state:ok"));
            }
            for (int p : List.of(a, b, c)) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-node-timeout", "1000"));
            }
            String slot = call(a, "CLUSTER", "KEYSLOT", "queue");
            try (RawConnection waiting = new RawConnection(a);
                    RawConnection stays = new RawConnection(a)) {
                waiting.command("BLPOP", "queue", "0");
                stays.command("BLPOP", "other", "0");
                await(
                        "both clients to block",
                        30,
                        () -> call(a, "INFO", "clients").contains("blocked_clients:2"));
                // B's claim must carry the highest config epoch to win over A's (STILL: B holds it already).
                assertTrue(call(b, "CLUSTER", "BUMPEPOCH").matches("(BUMPED|STILL) \\d+"));
                assertEquals("OK", call(b, "CLUSTER", "SETSLOT", slot, "NODE", myId(b)));
                assertEquals("-MOVED " + slot + " 127.0.0.1:" + b + "\r\n", waiting.readReply());
                assertTrue(call(a, "INFO", "clients").contains("blocked_clients:1"));

                // B, which now serves a slot, dies: A's view loses full coverage and the other wait ends.
                nodes.get(1).kill();
                assertEquals("-CLUSTERDOWN The cluster is down\r\n", stays.readReply());
                assertTrue(call(a, "INFO", "clients").contains("blocked_clients:0"));
                assertTrue(call(a, "INFO", "errorstats").contains("errorstat_MOVED:count=1"));
            }
        } finally {
            nodes.forEach(RespiteProcess::close);
        }
    }

    /** Replicas of {@code masterId} in the CLUSTER NODES of the node at {@code port}, failed ones included. */
    private static int replicasOf(int port, String masterId) {
        int n = 0;
        for (String line : nodeLines(port)) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[3].equals(masterId)) {
                n++;
            }
        }
        return n;
    }

    /** The master id the node at {@code port} announces for itself ("-" for a master). */
    private static String masterOf(int port) {
        for (String line : nodeLines(port)) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[2].contains("myself")) {
                return f[3];
            }
        }
        return "";
    }

    /** redis-cli --cluster add-node of the node at {@code port} as a replica of the master at {@code masterPort}. */
    private static void addReplica(int port, int masterPort) throws Exception {
        Tools.Result r = cli(
                "--cluster",
                "add-node",
                "127.0.0.1:" + port,
                "127.0.0.1:" + masterPort,
                "--cluster-slave",
                "--cluster-master-id",
                myId(masterPort));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    /** Whether the node at {@code port} lists the node at {@code replicaPort} as a replica of {@code masterPort}. */
    private static boolean knowsReplica(int port, int replicaPort, int masterPort) {
        String masterId = myId(masterPort);
        String replicaId = myId(replicaPort);
        return nodeLines(port).stream()
                .map(l -> l.split(" "))
                .anyMatch(f -> f.length > 3 && f[0].equals(replicaId) && f[3].equals(masterId));
    }

    private static boolean linkUp(int port) {
        return call(port, "INFO", "replication").contains("master_link_status:up");
    }

    private static void awaitValue(int replicaPort, String key, String value) throws InterruptedException {
        await("the value to reach the replica", 30, () -> {
            try (Jedis j = new Jedis("127.0.0.1", replicaPort)) {
                j.readonly();
                return value.equals(j.get(key));
            }
        });
    }

    @Test
    void meetForgetAndResetByHand() throws Exception {
        List<RespiteProcess> nodes = startRespite(3);
        try {
            int a = nodes.get(0).port();
            int b = nodes.get(1).port();
            int c = nodes.get(2).port();
            String idC = myId(c);
            assertEquals(
                    "ERR:ERR Invalid node address specified: 300.0.0.1:" + b,
                    call(a, "CLUSTER", "MEET", "300.0.0.1", Integer.toString(b)));
            assertEquals("ERR:ERR Invalid base port specified: x", call(a, "CLUSTER", "MEET", "127.0.0.1", "x"));
            for (int p : List.of(b, c)) {
                String bus = busPort(p);
                assertEquals("OK", call(a, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(p), bus));
            }
            for (int p : List.of(a, b, c)) {
                await("every node to know the three", 30, () -> knownConnected(p) == 3);
            }
            assertEquals("ERR:ERR I tried hard but I can't forget myself...", call(a, "CLUSTER", "FORGET", myId(a)));
            assertEquals("ERR:ERR Unknown node " + "0".repeat(40), call(a, "CLUSTER", "FORGET", "0".repeat(40)));
            assertEquals("ERR:ERR Can't replicate myself", call(a, "CLUSTER", "REPLICATE", myId(a)));
            assertEquals("ERR:ERR You should send CLUSTER FAILOVER to a replica", call(a, "CLUSTER", "FAILOVER"));

            // A node whose keyspace thread sleeps stops answering the bus: the others flag it, then clear it.
            for (int p : List.of(a, b, c)) {
                assertEquals("OK", call(p, "CONFIG", "SET", "cluster-node-timeout", "1000"));
            }
            Thread sleeper = new Thread(() -> call(c, "DEBUG", "SLEEP", "4"));
            sleeper.start();
            await("A to flag the sleeping node", 30, () -> flagsOf(a, idC).contains("fail"));
            sleeper.join(30_000);
            await("A to clear the flag", 30, () -> !flagsOf(a, idC).contains("fail"));

            // Forgotten on A only: A's pings tell B to forget it too, and neither takes it back from C's pings.
            assertEquals("OK", call(a, "CLUSTER", "FORGET", idC));
            await("B to forget C", 30, () -> !call(b, "CLUSTER", "NODES").contains(idC));
            Thread.sleep(3000);
            assertTrue(!call(a, "CLUSTER", "NODES").contains(idC));
            assertTrue(!call(b, "CLUSTER", "NODES").contains(idC));
            assertEquals("OK", call(b, "CLUSTER", "FORGET", idC), "already forgotten counts as done");

            // B replicates A; RESET HARD makes C a new, lone node.
            assertEquals("OK", call(b, "CLUSTER", "REPLICATE", myId(a)));
            await(
                    "B to replicate A",
                    30,
                    () -> role(b).equals("slave") && call(a, "CLUSTER", "NODES").contains("slave " + myId(a)));
            assertEquals("OK", call(c, "CLUSTER", "RESET", "HARD"));
            assertTrue(!myId(c).equals(idC));
            assertEquals(1, call(c, "CLUSTER", "NODES").trim().split("\n").length);
        } finally {
            nodes.forEach(RespiteProcess::close);
        }
    }

    private static String flagsOf(int port, String id) {
        for (String line : nodeLines(port)) {
            String[] f = line.split(" ");
            if (f[0].equals(id) && f.length > 2) {
                return f[2];
            }
        }
        return "";
    }

    private static String busPort(int port) {
        String line = call(port, "CLUSTER", "NODES")
                .lines()
                .filter(l -> l.contains("myself"))
                .findFirst()
                .orElseThrow();
        return line.split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", "");
    }

    private static int knownConnected(int port) {
        int n = 0;
        for (String line : nodeLines(port)) {
            if (!line.contains("handshake") && line.contains(" connected")) {
                n++;
            }
        }
        return n;
    }
}
