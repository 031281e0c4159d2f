package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Ports;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.ReplicationWatch;
import dev.respite.conformance.support.RespiteProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The shared replication buffer, the same scenario against a Respite group and a Redis 7.2.5 group: a paused
 * replica keeps the stream it has not received, so the backlog outgrows repl-backlog-size (INFO's
 * repl_backlog_histlen, mem_total_replication_buffers and mem_clients_slaves show it), a replica that went away
 * meanwhile continues from that part of the buffer, and once nobody needs it the backlog shrinks back.
 */
class SharedReplicationBufferTest {
    private static final int BACKLOG = 16 * 1024;
    /** What the backlog may hold past its setting once nobody else needs the data: less than two blocks. */
    private static final int SLACK = 2 * 20 * 1024;

    private static final int VALUES = 1000;
    private static final int VALUE_BYTES = 10_000;

    private interface Node extends AutoCloseable {
        int port();

        long pid();

        @Override
        void close();
    }

    private static Node start(String kind, String... directives) throws Exception {
        if (kind.equals("redis")) {
            List<String> args = new ArrayList<>(List.of(directives));
            args.addAll(List.of("--enable-debug-command", "local"));
            RealRedis r = RealRedis.start(args.toArray(new String[0]));
            return new Node() {
                public int port() {
                    return r.port();
                }

                public long pid() {
                    return r.pid();
                }

                public void close() {
                    r.close();
                }
            };
        }
        RespiteProcess p = RespiteProcess.start(directives);
        return new Node() {
            public int port() {
                return p.port();
            }

            public long pid() {
                return p.pid();
            }

            public void close() {
                p.close();
            }
        };
    }

    private static long field(Jedis j, String section, String name) {
        return Long.parseLong(ReplicationWatch.info(j, section, name));
    }

    private static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST"));
    }

    private static void write(Jedis m, String prefix, String value) {
        Pipeline p = m.pipelined();
        for (int i = 0; i < VALUES; i++) {
            p.set(prefix + i, value);
        }
        p.sync();
    }

    private static void signal(Node n, String sig) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(n.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertEquals(0, rc, "kill -" + sig);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"respite", "redis"})
    void aPausedReplicaHoldsTheStreamAndAnotherContinuesFromIt(String kind) throws Exception {
        List<Node> nodes = new ArrayList<>();
        try {
            Node master = start(kind, "--repl-backlog-size", Integer.toString(BACKLOG), "--repl-timeout", "600");
            nodes.add(master);
            String port = Integer.toString(master.port());
            Node a = start(kind, "--replicaof", "127.0.0.1", port, "--repl-timeout", "600");
            nodes.add(a);
            Node b = start(kind, "--replicaof", "127.0.0.1", port, "--repl-timeout", "600");
            nodes.add(b);
            try (Jedis m = new Jedis("127.0.0.1", master.port(), 60_000);
                    Jedis ra = new Jedis("127.0.0.1", a.port(), 60_000);
                    Jedis rb = new Jedis("127.0.0.1", b.port(), 60_000)) {
                m.configSet("client-output-buffer-limit", "replica 0 0 0");
                m.set("first", "1");
                ReplicationWatch.awaitCaughtUp(m, ra, 60_000);
                ReplicationWatch.awaitCaughtUp(m, rb, 60_000);
                assertTrue(field(m, "replication", "repl_backlog_histlen") <= BACKLOG + SLACK);

                signal(b, "STOP");
                // The paused replica's socket takes a few megabytes; what follows stays in the master's buffer.
                String value = "v".repeat(VALUE_BYTES);
                write(m, "one:", value);
                ReplicationWatch.awaitCaughtUp(m, ra, 60_000);
                ra.replicaof("127.0.0.1", Ports.free());
                write(m, "two:", value);

                long histlen = field(m, "replication", "repl_backlog_histlen");
                long offset = field(m, "replication", "master_repl_offset");
                assertTrue(
                        histlen > VALUES * (long) VALUE_BYTES / 2, "the paused replica's stream is held: " + histlen);
                assertEquals(offset - histlen + 1, field(m, "replication", "repl_backlog_first_byte_offset"));
                assertTrue(field(m, "memory", "mem_total_replication_buffers") >= histlen);
                assertTrue(
                        field(m, "memory", "mem_clients_slaves") > histlen / 2,
                        "the replicas' share beyond the backlog");
                long backlogMemory = field(m, "memory", "mem_replication_backlog");
                // Redis adds its index of the blocks (a few hundred bytes) to repl-backlog-size here.
                assertTrue(
                        backlogMemory >= BACKLOG && backlogMemory < BACKLOG + 4096,
                        "mem_replication_backlog " + backlogMemory);

                ra.replicaof("127.0.0.1", master.port());
                ReplicationWatch.awaitCaughtUp(m, ra, 60_000);
                assertEquals(1, field(m, "stats", "sync_partial_ok"), "continued from beyond repl-backlog-size");
                assertEquals(2, field(m, "stats", "sync_full"));

                signal(b, "CONT");
                ReplicationWatch.awaitCaughtUp(m, rb, 60_000);
                long deadline = System.currentTimeMillis() + 30_000;
                while (field(m, "replication", "repl_backlog_histlen") > BACKLOG + SLACK
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(
                        field(m, "replication", "repl_backlog_histlen") <= BACKLOG + SLACK,
                        "the backlog shrinks once nobody needs more");
                assertTrue(field(m, "memory", "mem_total_replication_buffers") < 4L * (BACKLOG + SLACK));
                String digest = digest(m);
                assertEquals(digest, digest(ra));
                assertEquals(digest, digest(rb));
            }
        } finally {
            for (Node n : nodes) {
                signal(n, "CONT");
                n.close();
            }
        }
    }
}
