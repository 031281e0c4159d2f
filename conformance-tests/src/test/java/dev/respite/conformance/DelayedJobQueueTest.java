package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/** The delayed-job queue of docs/delayed-jobs.md, with two competing workers. */
class DelayedJobQueueTest {
    private static final int JOBS = 40;
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws Exception {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    private static Jedis client() {
        return new Jedis("127.0.0.1", respite.port());
    }

    @Test
    void dueJobsAreTakenOnceEachInDueOrderWithWatchAndMulti() throws Exception {
        long now = System.currentTimeMillis();
        try (Jedis producer = client()) {
            for (int i = 0; i < JOBS; i++) {
                // Due between 50 ms in the past and 300 ms in the future.
                producer.zadd(
                        "jobs",
                        now - 50 + (i * 350L / JOBS),
                        "job:" + i,
                        ZAddParams.zAddParams().nx());
            }
        }
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        List<List<Integer>> takenBy = List.of(new ArrayList<>(), new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            List<Integer> mine = takenBy.get(w);
            done.add(workers.submit(() -> {
                try (Jedis jedis = client()) {
                    while (taken.size() < JOBS) {
                        jedis.watch("jobs");
                        List<String> due =
                                jedis.zrangeByScore("jobs", "-inf", Long.toString(System.currentTimeMillis()), 0, 1);
                        if (due.isEmpty()) {
                            jedis.unwatch();
                            Thread.sleep(5);
                            continue;
                        }
                        Transaction tx = jedis.multi();
                        tx.zrem("jobs", due.get(0));
                        List<Object> result = tx.exec();
                        if (result != null && Long.valueOf(1).equals(result.get(0))) {
                            taken.add(due.get(0));
                            mine.add(Integer.parseInt(due.get(0).substring("job:".length())));
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(20, TimeUnit.SECONDS);
        }
        workers.shutdown();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            expected.add("job:" + i);
        }
        // The two workers' appends to one list may interleave differently from the server's order, so due
        // order is checked per worker: every take removed the earliest due job, so each worker's jobs rise.
        List<String> sorted = new ArrayList<>(taken);
        sorted.sort(java.util.Comparator.comparingInt(j -> Integer.parseInt(j.substring("job:".length()))));
        assertEquals(expected, sorted, "each job taken exactly once");
        for (List<Integer> mine : takenBy) {
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i - 1) < mine.get(i), "a worker took jobs in due order: " + mine);
            }
        }
        try (Jedis jedis = client()) {
            assertEquals(false, jedis.exists("jobs"));
        }
    }

    @Test
    void blockedWorkersPopJobsAsTheyArrive() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        List<Future<List<Tuple>>> results = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            results.add(workers.submit(() -> {
                List<Tuple> mine = new ArrayList<>();
                try (Jedis jedis = client()) {
                    KeyValue<String, Tuple> job;
                    while ((job = jedis.bzpopmin(0.5, "work")) != null) {
                        mine.add(job.getValue());
                    }
                }
                return mine;
            }));
        }
        Thread.sleep(100);
        try (Jedis producer = client()) {
            for (int i = 0; i < JOBS; i++) {
                producer.zadd("work", i, "task:" + i);
            }
        }
        List<String> all = new ArrayList<>();
        for (Future<List<Tuple>> f : results) {
            List<Tuple> mine = f.get(20, TimeUnit.SECONDS);
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i - 1).getScore() < mine.get(i).getScore(), "each worker sees ascending scores");
            }
            mine.forEach(t -> all.add(t.getElement()));
        }
        workers.shutdown();
        Collections.sort(all);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            expected.add("task:" + i);
        }
        Collections.sort(expected);
        assertEquals(expected, all, "every task popped exactly once");
    }
}
