package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** MULTI, EXEC, DISCARD, WATCH and UNWATCH with Redis 7's semantics, compared with the real server. */
class TransactionsTest {
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
    void swapdbBreaksTheWatchOfAKeyItTakesAwayOrBrings() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("flushall");
            d.check("set", "x", "30");
            d.check("watch", "x");
            d.check("swapdb", "0", "1");
            d.check("multi");
            d.check("ping");
            d.check("exec");
            d.check("watch", "y");
            d.check("swapdb", "0", "1");
            d.check("multi");
            d.check("ping");
            d.check("exec");
            d.check("flushall");
        }
    }

    @Test
    void aKeyAlreadyExpiredWhenWatchedChangesOnlyWhenItComesBack() throws Exception {
        try (RealRedis debugRedis = RealRedis.start("--enable-debug-command", "yes");
                Differential d = new Differential(respite.port(), debugRedis.port());
                Differential other = new Differential(respite.port(), debugRedis.port())) {
            d.check("flushall");
            d.check("debug", "set-active-expire", "0");
            try {
                // Removed by another client's read: no change. Overwritten: a change.
                for (String[] touch : new String[][] {{"get", "x"}, {"set", "x", "w"}, {"flushdb"}, {"del", "x"}}) {
                    d.check("set", "x", "v", "pxat", "1");
                    d.check("watch", "x");
                    other.check(touch);
                    d.check("multi");
                    d.check("ping");
                    d.check("exec");
                }
                // Removed, then written again: a change.
                d.check("set", "x", "v", "pxat", "1");
                d.check("watch", "x");
                other.check("get", "x");
                other.check("set", "x", "again");
                execPing(d);
                // Alive at WATCH and past its TTL at EXEC: a change, though nobody touched it.
                d.check("set", "x", "v", "px", "30");
                d.check("watch", "x");
                Thread.sleep(60);
                execPing(d);
                // A missing key swapped in past its TTL stays missing; an expired one swapped for another too.
                d.check("flushall");
                d.check("set", "y", "v", "pxat", "1");
                d.check("select", "1");
                d.check("watch", "y");
                d.check("swapdb", "0", "1");
                execPing(d);
                d.check("set", "y", "w", "pxat", "1");
                d.check("watch", "y");
                d.check("swapdb", "0", "1");
                execPing(d);
                d.check("select", "0");
            } finally {
                d.check("debug", "set-active-expire", "1");
            }
        }
    }

    /** A transaction of one PING: its reply shows whether a watch broke. */
    private static void execPing(Differential d) throws IOException {
        d.check("multi");
        d.check("ping");
        d.check("exec");
    }

    @Test
    void execOfAQueuedWriteIsAbortedWhenMemoryIsFull() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port());
                Differential admin = new Differential(respite.port(), redis.port())) {
            d.check("multi");
            d.check("set", "x", "1");
            d.check("get", "x");
            admin.check("config", "set", "maxmemory", "1");
            d.check("exec");
            d.check("multi");
            d.check("get", "x");
            d.check("exec");
            admin.check("config", "set", "maxmemory", "0");
        }
    }

    @Test
    void queueingExecutionAndErrorsMatchRedis() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port())) {
            d.check("flushall");
            d.check("exec");
            d.check("exec", "x");
            d.check("multi");
            d.check("set", "t0", "a");
            d.check("exec", "x");
            d.check("exec");
            d.check("get", "t0");
            d.check("discard");
            d.check("multi");
            d.check("multi");
            d.check("set", "t1", "a");
            d.check("get", "t1");
            d.check("exec");
            d.check("multi");
            d.check("set", "t2", "b");
            d.check("get");
            d.check("exec");
            d.check("get", "t2");
            d.check("multi");
            d.check("set", "t3", "c");
            d.check("nosuchcommand", "x");
            d.check("exec");
            d.check("multi");
            d.check("watch", "t1");
            d.check("discard");
            d.check("multi");
            d.check("set", "t4", "d");
            d.check("discard");
            d.check("get", "t4");
            d.check("unwatch");
        }
    }

    @Test
    void watchedKeyChangedByAnotherClientAbortsExec() throws IOException {
        try (Differential d = new Differential(respite.port(), redis.port());
                Differential other = new Differential(respite.port(), redis.port())) {
            d.check("set", "w1", "1");
            d.check("watch", "w1");
            other.check("set", "w1", "2");
            d.check("multi");
            d.check("set", "w1", "3");
            d.check("exec");
            d.check("get", "w1");
            d.check("watch", "w1");
            d.check("multi");
            d.check("set", "w1", "4");
            d.check("exec");
            d.check("get", "w1");
        }
    }

    @Test
    void watchIsBrokenByDeletionFlushAndExpiry() throws Exception {
        try (Differential d = new Differential(respite.port(), redis.port());
                Differential other = new Differential(respite.port(), redis.port())) {
            d.check("set", "w2", "x");
            d.check("watch", "w2");
            other.check("del", "w2");
            d.check("multi");
            d.check("ping");
            d.check("exec");

            d.check("set", "w3", "x");
            d.check("watch", "w3");
            other.check("flushdb");
            d.check("multi");
            d.check("ping");
            d.check("exec");

            d.respite().call("set", "w4", "x", "px", "50");
            d.redis().call("set", "w4", "x", "px", "50");
            d.check("watch", "w4");
            Thread.sleep(120);
            d.check("multi");
            d.check("ping");
            d.check("exec");

            d.check("watch", "never-existed");
            other.check("get", "never-existed");
            d.check("multi");
            d.check("ping");
            d.check("exec");
        }
    }

    @Test
    void jedisTransactionAndPipelineWork() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            j.del("jt");
            Transaction t = j.multi();
            t.set("jt", "1");
            t.get("jt");
            List<Object> results = t.exec();
            assertEquals(List.of("OK", "1"), results);
            j.watch("jt");
            try (Jedis other = new Jedis("127.0.0.1", respite.port())) {
                other.set("jt", "2");
            }
            Transaction t2 = j.multi();
            t2.set("jt", "3");
            assertNull(t2.exec());
            assertEquals("2", j.get("jt"));
        }
    }

    @Test
    void redisPyPipelinesWithAndWithoutTransactionAndOptimisticLocking() throws Exception {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis, multiprocessing
                port = int(os.environ['RESPITE_PORT'])
                pool = redis.ConnectionPool(host='127.0.0.1', port=port)
                r = redis.Redis(connection_pool=pool)
                r.delete('counter')
                p = r.pipeline(transaction=True); p.set('a', 1); p.get('a'); print(p.execute())
                p = r.pipeline(transaction=False); p.set('b', 2); p.get('b'); print(p.execute())

                def worker(n):
                    rr = redis.Redis(host='127.0.0.1', port=port)
                    for _ in range(n):
                        with rr.pipeline() as pipe:
                            while True:
                                try:
                                    pipe.watch('counter')
                                    v = int(pipe.get('counter') or 0)
                                    pipe.multi(); pipe.set('counter', v + 1); pipe.execute()
                                    break
                                except redis.WatchError:
                                    continue

                procs = [multiprocessing.Process(target=worker, args=(50,)) for _ in range(4)]
                [p.start() for p in procs]; [p.join() for p in procs]
                print(r.get('counter'))
                """);
        assertEquals("", r.stderr());
        assertEquals("[True, b'1']\n[True, b'2']\nb'200'\n", r.stdout());
    }
}
