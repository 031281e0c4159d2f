package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RealRedis;
import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ's tutorial patterns (work queue, acknowledgements, RPC) as small redis-py programs a user
 * could copy (docs/messaging-queues.md shows them). Each runs against Respite and, as the reference,
 * against a real redis-server, and must print the same result on both.
 */
class WorkQueuePatternsTest {
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

    private static final String WORK_QUEUE = """
            import os, threading, time, redis

            r = redis.Redis(port=int(os.environ["RESPITE_PORT"]), decode_responses=True)
            r.delete("tasks")
            done = {}

            def worker(name):
                conn = redis.Redis(port=int(os.environ["RESPITE_PORT"]), decode_responses=True)
                done[name] = []
                while True:
                    item = conn.brpop("tasks", timeout=1)  # (queue, task) or None after 1 s of quiet
                    if item is None:
                        return
                    done[name].append(item[1])

            workers = [threading.Thread(target=worker, args=("worker-%d" % i,)) for i in range(3)]
            for w in workers:
                w.start()
            for i in range(30):
                # wait until every worker is idle, so that dispatch order is visible: the worker
                # that has waited longest gets the next task
                while r.info("clients")["blocked_clients"] < 3:
                    time.sleep(0.002)
                r.lpush("tasks", "task-%d" % i)
            for w in workers:
                w.join()
            print(sorted(len(tasks) for tasks in done.values()))
            print(sorted(t for tasks in done.values() for t in tasks) == sorted("task-%d" % i for i in range(30)))
            """;

    private static final String RELIABLE_QUEUE = """
            import os, subprocess, sys, redis

            port = int(os.environ["RESPITE_PORT"])
            r = redis.Redis(port=port, decode_responses=True)
            r.delete("jobs", "processing:crashy", "processing:steady")
            r.lpush("jobs", *["job-%d" % i for i in range(10)])

            # A consumer takes job-0 into its processing list, then dies before acknowledging it.
            crash = '''
            import os, redis
            r = redis.Redis(port=%d, decode_responses=True)
            job = r.blmove("jobs", "processing:crashy", 5, "RIGHT", "LEFT")
            os._exit(1)
            ''' % port
            subprocess.run([sys.executable, "-c", crash.replace("\\n            ", "\\n")])
            print("in flight after crash:", r.lrange("processing:crashy", 0, -1))

            # Recovery: whatever a dead consumer held goes back to the queue, to be delivered again.
            while r.lmove("processing:crashy", "jobs", "RIGHT", "RIGHT") is not None:
                pass

            processed = []
            while True:
                job = r.blmove("jobs", "processing:steady", 1, "RIGHT", "LEFT")
                if job is None:
                    break
                processed.append(job)                   # the work itself
                r.lrem("processing:steady", 1, job)     # acknowledgement
            print("processed:", len(processed), "lost:", sorted({"job-%d" % i for i in range(10)} - set(processed)))
            print("left in flight:", r.exists("processing:crashy", "processing:steady"))
            """;

    private static final String RPC = """
            import os, threading, uuid, json, redis

            port = int(os.environ["RESPITE_PORT"])

            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)

            def rpc_server():
                conn = redis.Redis(port=port, decode_responses=True)
                while True:
                    item = conn.blpop("rpc_queue", timeout=1)
                    if item is None:
                        return
                    request = json.loads(item[1])
                    conn.rpush("reply:" + request["id"], fib(request["n"]))

            def call(conn, n, timeout=5):
                correlation_id = str(uuid.uuid4())
                conn.rpush("rpc_queue", json.dumps({"id": correlation_id, "n": n}))
                reply = conn.blpop("reply:" + correlation_id, timeout=timeout)
                return None if reply is None else int(reply[1])

            client = redis.Redis(port=port, decode_responses=True)
            server = threading.Thread(target=rpc_server)
            server.start()
            print([call(client, n) for n in (10, 20, 25)])
            server.join()
            print("no server:", call(client, 30, timeout=0.3))
            """;

    private static String run(int port, String program) throws IOException, InterruptedException {
        Tools.Result res = Tools.python(port, program);
        assertEquals(0, res.exitCode(), res.stderr());
        return res.stdout();
    }

    private static String runOnBoth(String program) throws IOException, InterruptedException {
        String expected = run(redis.port(), program);
        String actual = run(respite.port(), program);
        assertEquals(expected, actual);
        return actual;
    }

    @Test
    void workQueueDispatchesRoundRobinToThreeConsumers() throws Exception {
        assertEquals("[10, 10, 10]\nTrue\n", runOnBoth(WORK_QUEUE));
    }

    @Test
    void reliableQueueLosesNoMessageWhenAConsumerDies() throws Exception {
        assertEquals(
                "in flight after crash: ['job-0']\nprocessed: 10 lost: []\nleft in flight: 0\n",
                runOnBoth(RELIABLE_QUEUE));
    }

    @Test
    void rpcRepliesArriveOnThePerRequestList() throws Exception {
        assertEquals("[55, 6765, 75025]\nno server: None\n", runOnBoth(RPC));
    }
}
