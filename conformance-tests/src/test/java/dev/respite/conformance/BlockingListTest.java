package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.Differential;
import dev.respite.conformance.support.RawConnection;
import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP: the order waiters are served in, what MULTI and
 * disconnects do to them, and their replies and errors compared byte for byte with a real redis-server.
 */
class BlockingListTest {
    private static RespiteProcess respite;
    private static RealRedis redis;
    private static Differential d;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
        redis = RealRedis.start();
        d = new Differential(respite.port(), redis.port());
    }

    @AfterAll
    static void stop() throws IOException {
        d.close();
        respite.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws IOException {
        d.check("FLUSHALL");
    }

    /** One connection per server, each sending {@code command} and so (usually) blocking. */
    private record Waiter(RawConnection respite, RawConnection redis) implements AutoCloseable {
        static Waiter send(String... command) throws IOException {
            Waiter w = new Waiter(
                    new RawConnection(BlockingListTest.respite.port()),
                    new RawConnection(BlockingListTest.redis.port()));
            w.respite.command(command);
            w.redis.command(command);
            return w;
        }

        /** Reads the reply on both servers and asserts they are identical. */
        String replies() throws IOException {
            String expected = redis.readReply();
            String actual = respite.readReply();
            assertEquals(expected, actual);
            return actual;
        }

        @Override
        public void close() throws IOException {
            respite.close();
            redis.close();
        }
    }

    private static void awaitBlocked(int port, int n) throws IOException, InterruptedException {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                String info = j.info("clients");
                if (info.contains("blocked_clients:" + n + "\r\n")) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + n + " blocked clients: " + info);
                }
                Thread.sleep(5);
            }
        }
    }

    private static void awaitBlockedOnBoth(int n) throws IOException, InterruptedException {
        awaitBlocked(respite.port(), n);
        awaitBlocked(redis.port(), n);
    }

    @Test
    void servesAtOnceWhenAListHasElements() throws IOException {
        d.check("RPUSH", "b", "1", "2");
        d.check("BLPOP", "a", "b", "0");
        d.check("BRPOP", "a", "b", "0");
        d.check("EXISTS", "b");
        d.check("RPUSH", "c", "x", "y", "z");
        d.check("BLMOVE", "c", "d", "LEFT", "LEFT", "0");
        d.check("BRPOPLPUSH", "c", "d", "0");
        d.check("BLMPOP", "0", "2", "nokey", "c", "LEFT", "COUNT", "5");
        d.check("LRANGE", "d", "0", "-1");
    }

    @Test
    void timeoutsReplyAsRedis() throws IOException {
        d.check("BLPOP", "q", "0.05");
        d.check("BRPOP", "q", "r", "0.01");
        d.check("BLMOVE", "q", "r", "LEFT", "RIGHT", "0.01");
        d.check("BRPOPLPUSH", "q", "r", "0.01");
        d.check("BLMPOP", "0.01", "1", "q", "LEFT");
        d.check("BLPOP", "q", "0.0001");
        d.check("BLPOP", "q", "-1");
        d.check("BLPOP", "q", "abc");
        d.check("BLPOP", "q", "inf");
        d.check("BLPOP", "q", "1e20");
        d.check("BLPOP", "q", "");
        d.check("BLMOVE", "q", "r", "LEFT", "UP", "0");
        d.check("BLMPOP", "x", "1", "q", "LEFT");
        d.check("BLMPOP", "0", "0", "q", "LEFT");
        d.check("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "0");
        d.check("BLPOP", "q");
    }

    @Test
    void fractionalTimeoutIsHonoured() throws IOException {
        long start = System.nanoTime();
        assertEquals("*-1\r\n", d.respite().call("BLPOP", "q", "0.2"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 190 && ms < 2000, "took " + ms + " ms");
    }

    @Test
    void waitersAreServedInTheOrderTheyBlocked() throws Exception {
        List<Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(Waiter.send("BRPOP", "q", "0"));
            awaitBlockedOnBoth(i + 1);
        }
        d.check("LPUSH", "q", "a", "b", "c", "d");
        for (Waiter w : waiters) {
            w.replies();
            w.close();
        }
        d.check("LRANGE", "q", "0", "-1");
    }

    @Test
    void pipelinedPushesServeWaitersInOrder() throws Exception {
        List<Waiter> waiters = new ArrayList<>();
        waiters.add(Waiter.send("BLPOP", "q", "0"));
        awaitBlockedOnBoth(1);
        waiters.add(Waiter.send("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "3"));
        awaitBlockedOnBoth(2);
        waiters.add(Waiter.send("BRPOP", "other", "q", "0"));
        awaitBlockedOnBoth(3);
        String pipeline = "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1\r\n1\r\n"
                + "*5\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"
                + "*4\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$1\r\n5\r\n$1\r\n6\r\n";
        d.respite().send(pipeline);
        d.redis().send(pipeline);
        for (int i = 0; i < 3; i++) {
            assertEquals(d.redis().readReply(), d.respite().readReply());
        }
        for (Waiter w : waiters) {
            w.replies();
            w.close();
        }
        d.check("LRANGE", "q", "0", "-1");
    }

    @Test
    void pushesInsideMultiServeWaitersAfterExec() throws Exception {
        try (Waiter first = Waiter.send("BLPOP", "q", "0")) {
            awaitBlockedOnBoth(1);
            try (Waiter second = Waiter.send("BLMPOP", "0", "1", "q", "RIGHT", "COUNT", "2")) {
                awaitBlockedOnBoth(2);
                d.check("MULTI");
                d.check("RPUSH", "q", "1");
                d.check("RPUSH", "q", "2", "3");
                d.check("LLEN", "q");
                d.check("EXEC");
                first.replies();
                second.replies();
            }
        }
        d.check("EXISTS", "q");
    }

    @Test
    void aListRenamedOrCopiedIntoPlaceServesTheWaiter() throws Exception {
        try (Waiter w = Waiter.send("BLPOP", "q", "0")) {
            awaitBlockedOnBoth(1);
            d.check("RPUSH", "src", "a", "b");
            d.check("RENAME", "src", "q");
            w.replies();
        }
        try (Waiter w = Waiter.send("BLMPOP", "0", "1", "r", "RIGHT")) {
            awaitBlockedOnBoth(1);
            d.check("COPY", "q", "r");
            w.replies();
        }
        d.check("LRANGE", "q", "0", "-1");
    }

    @Test
    void swapdbServesWaitersOnKeysTheOtherDatabaseHeld() throws Exception {
        d.check("SELECT", "1");
        d.check("RPUSH", "q", "hello");
        d.check("SELECT", "0");
        try (Waiter w = Waiter.send("BRPOP", "q", "0")) {
            awaitBlockedOnBoth(1);
            d.check("SWAPDB", "0", "1");
            w.replies();
        }
    }

    @Test
    void aKeyOfAnotherTypeInPlaceKeepsTheWaiterBlocked() throws Exception {
        try (Waiter w = Waiter.send("BLPOP", "q", "0")) {
            awaitBlockedOnBoth(1);
            d.check("MULTI");
            d.check("LPUSH", "q", "a");
            d.check("DEL", "q");
            d.check("SET", "q", "string");
            d.check("EXEC");
            d.check("RENAME", "q", "q2");
            d.check("SADD", "q", "member");
            awaitBlockedOnBoth(1);
            d.check("DEL", "q");
            d.check("LPUSH", "q", "b");
            w.replies();
        }
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws IOException {
        d.check("MULTI");
        d.check("BLPOP", "q", "0");
        d.check("BRPOPLPUSH", "q", "r", "0");
        d.check("BLMOVE", "q", "r", "LEFT", "LEFT", "0");
        d.check("BLMPOP", "0", "1", "q", "LEFT");
        d.check("RPUSH", "q", "x");
        d.check("BRPOP", "q", "0");
        d.check("EXEC");
    }

    @Test
    void blmoveChainsServeEachOther() throws Exception {
        try (Waiter mover = Waiter.send("BLMOVE", "a", "b", "RIGHT", "LEFT", "0")) {
            awaitBlockedOnBoth(1);
            try (Waiter popper = Waiter.send("BRPOPLPUSH", "b", "c", "0")) {
                awaitBlockedOnBoth(2);
                d.check("RPUSH", "a", "job");
                mover.replies();
                popper.replies();
            }
        }
        d.check("LRANGE", "c", "0", "-1");
        d.check("EXISTS", "a", "b");
    }

    @Test
    void disconnectedWaiterLeavesNothingBehind() throws Exception {
        Waiter gone = Waiter.send("BLPOP", "q", "0");
        awaitBlockedOnBoth(1);
        gone.close();
        awaitBlockedOnBoth(0);
        d.check("RPUSH", "q", "kept");
        d.check("LRANGE", "q", "0", "-1");
    }

    @Test
    void clientUnblockWithTimeoutOrError() throws Exception {
        d.check("CONFIG", "RESETSTAT");
        for (String reason : List.of("TIMEOUT", "ERROR")) {
            try (Waiter w = Waiter.send("BLMOVE", "q", "r", "LEFT", "LEFT", "0")) {
                awaitBlockedOnBoth(1);
                for (int port : new int[] {respite.port(), redis.port()}) {
                    try (Jedis j = new Jedis("127.0.0.1", port)) {
                        long id = -1;
                        for (String line : j.clientList().split("\n")) {
                            if (line.contains("cmd=blmove")) {
                                id = Long.parseLong(line.substring(3, line.indexOf(' ')));
                            }
                        }
                        assertEquals(
                                1L, j.sendCommand(() -> "CLIENT".getBytes(), "UNBLOCK", Long.toString(id), reason));
                    }
                }
                w.replies();
                awaitBlockedOnBoth(0);
            }
        }
        // The UNBLOCKED error reply counts in errorstats, as every error reply does.
        d.check("INFO", "errorstats");
        d.check("RPUSH", "q", "x");
        d.check("LLEN", "q");
    }

    @Test
    void threeConsumersShareThirtyPushesEvenly() throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        List<Thread> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "consumer-" + i;
            received.put(name, new AtomicInteger());
            Thread t = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
                    while (j.brpop(1, "jobs") != null) {
                        received.get(name).incrementAndGet();
                    }
                }
            });
            consumers.add(t);
            t.start();
        }
        try (Jedis producer = new Jedis("127.0.0.1", respite.port())) {
            for (int i = 0; i < 30; i++) {
                awaitBlocked(respite.port(), 3);
                producer.lpush("jobs", "job-" + i);
            }
        }
        for (Thread t : consumers) {
            t.join(10_000);
        }
        for (AtomicInteger n : received.values()) {
            assertEquals(10, n.get(), received.toString());
        }
    }

    @Test
    void manyBlockedClientsHoldNoThread() throws Exception {
        List<RawConnection> parked = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                RawConnection c = new RawConnection(respite.port());
                c.command("BLPOP", "many-" + (i % 7), "0");
                parked.add(c);
            }
            awaitBlocked(respite.port(), 300);
            assertEquals("+PONG\r\n", d.respite().call("PING"));
            for (int i = 0; i < 7; i++) {
                List<String> push = new ArrayList<>(List.of("RPUSH", "many-" + i));
                for (int k = 0; k < 50; k++) {
                    push.add("v" + k);
                }
                d.respite().call(push.toArray(String[]::new));
            }
            for (RawConnection c : parked) {
                assertTrue(c.readReply().startsWith("*2\r\n"));
            }
            awaitBlocked(respite.port(), 0);
        } finally {
            for (RawConnection c : parked) {
                c.close();
            }
        }
    }
}
