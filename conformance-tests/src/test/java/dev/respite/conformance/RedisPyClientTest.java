package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's redis-py (python3-redis) as applications use it: pipelines, optimistic locking under contention,
 * pub/sub objects and the scan iterators. Debian ships redis-py 4.3, which predates {@code protocol=3}
 * (added in 5.0), so RESP3 is exercised through Lettuce and Jedis instead; a test pins that so an upgrade
 * shows up here.
 */
class RedisPyClientTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    private static String py(String program) throws Exception {
        Tools.Result r = Tools.python(
                respite.port(),
                "import os, redis\nr = redis.Redis(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))\n"
                        + program);
        assertEquals("", r.stderr());
        assertEquals(0, r.exitCode());
        return r.stdout();
    }

    @Test
    void pipelinesWithAndWithoutTransaction() throws Exception {
        assertEquals("""
                [True, 3, [b'c', b'b', b'a'], b'x', True]
                [True, 11, b'11']
                [True, 'ResponseError']
                """, py("""
                r.delete('pl:list', 'pl:n')
                p = r.pipeline(transaction=True)
                p.set('pl:s', 'x'); p.lpush('pl:list', 'a', 'b', 'c'); p.lrange('pl:list', 0, -1); p.get('pl:s'); p.expire('pl:s', 100)
                print(p.execute())
                p = r.pipeline(transaction=False)
                p.set('pl:n', 10); p.incr('pl:n'); p.get('pl:n')
                print(p.execute())
                p = r.pipeline(transaction=False)
                p.set('pl:t', 'text'); p.incr('pl:t')
                print([type(x).__name__ if isinstance(x, Exception) else x for x in p.execute(raise_on_error=False)])
                """));
    }

    @Test
    void transactionWithAQueuedErrorIsDiscardedAndTheQueuingErrorRaised() throws Exception {
        assertEquals("ResponseError True\nNone\n", py("""
                r.delete('tx:never')
                p = r.pipeline(transaction=True)
                p.set('tx:never', 1)
                p.execute_command('NOSUCHCOMMAND')
                try:
                    p.execute()
                except redis.exceptions.ResponseError as e:
                    print(type(e).__name__, "unknown command 'NOSUCHCOMMAND'" in str(e))
                print(r.get('tx:never'))
                """));
    }

    @Test
    void watchRetryLoopUnderContentionFromSeveralProcesses() throws Exception {
        assertEquals("b'400'\nTrue\n", py("""
                import multiprocessing
                port = int(os.environ['RESPITE_PORT'])
                r.set('ol:counter', 0)

                def worker(n, retries):
                    rr = redis.Redis(host='127.0.0.1', port=port)
                    aborted = 0
                    for _ in range(n):
                        with rr.pipeline() as pipe:
                            while True:
                                try:
                                    pipe.watch('ol:counter')
                                    v = int(pipe.get('ol:counter'))
                                    pipe.multi()
                                    pipe.set('ol:counter', v + 1)
                                    pipe.execute()
                                    break
                                except redis.WatchError:
                                    aborted += 1
                    retries.put(aborted)

                retries = multiprocessing.Queue()
                procs = [multiprocessing.Process(target=worker, args=(100, retries)) for _ in range(4)]
                [p.start() for p in procs]
                [p.join() for p in procs]
                print(r.get('ol:counter'))
                print(all(p.exitcode == 0 for p in procs))
                """));
    }

    @Test
    void pubSubWithGetMessageAndWithAListeningThread() throws Exception {
        assertEquals("""
                subscribe b'news' 1
                psubscribe b'alerts.*' 2
                message b'news' b'hello'
                pmessage b'alerts.*' b'alerts.disk' b'full'
                [b'one', b'two', b'three']
                0
                """, py("""
                import threading, time
                p = r.pubsub()
                p.subscribe('news')
                p.psubscribe('alerts.*')
                for _ in range(2):
                    m = p.get_message(timeout=5)
                    print(m['type'], m['channel'], m['data'])
                r.publish('news', 'hello')
                r.publish('alerts.disk', 'full')
                m = p.get_message(timeout=5)
                print(m['type'], m['channel'], m['data'])
                m = p.get_message(timeout=5)
                print(m['type'], m['pattern'], m['channel'], m['data'])
                p.close()

                got = []
                listener = r.pubsub(ignore_subscribe_messages=True)
                listener.subscribe('feed')
                def listen():
                    for m in listener.listen():
                        if m['type'] != 'message':
                            continue
                        if m['data'] == b'stop':
                            break
                        got.append(m['data'])
                t = threading.Thread(target=listen)
                t.start()
                while r.pubsub_numsub('feed')[0][1] < 1:
                    time.sleep(0.01)
                for word in ['one', 'two', 'three', 'stop']:
                    r.publish('feed', word)
                t.join(10)
                print(got)
                listener.unsubscribe()
                listener.close()
                deadline = time.time() + 5
                while r.pubsub_numsub('feed')[0][1] and time.time() < deadline:
                    time.sleep(0.01)
                print(r.pubsub_numsub('feed')[0][1])
                """));
    }

    @Test
    void scanIteratorsVisitEveryElementOnce() throws Exception {
        assertEquals("500 True\n300 True\n200 True\n250 True\n", py("""
                r.flushdb()
                p = r.pipeline(transaction=False)
                for i in range(500):
                    p.set('it:key:%d' % i, i)
                    p.set('other:%d' % i, i)
                for i in range(300):
                    p.hset('it:hash', 'f%d' % i, i)
                for i in range(200):
                    p.sadd('it:set', 'm%d' % i)
                for i in range(250):
                    p.zadd('it:zset', {'z%d' % i: i})
                p.execute()
                keys = list(r.scan_iter(match='it:key:*', count=37))
                print(len(keys), set(keys) == {('it:key:%d' % i).encode() for i in range(500)})
                fields = list(r.hscan_iter('it:hash', count=20))
                print(len(fields), dict(fields) == {('f%d' % i).encode(): str(i).encode() for i in range(300)})
                members = list(r.sscan_iter('it:set', count=15))
                print(len(members), set(members) == {('m%d' % i).encode() for i in range(200)})
                scored = list(r.zscan_iter('it:zset', count=25))
                print(len(scored), dict(scored) == {('z%d' % i).encode(): float(i) for i in range(250)})
                """));
    }

    @Test
    void installedRedisPyPredatesProtocol3SoRespThreeIsTestedThroughLettuceAndJedis() throws Exception {
        assertEquals("4 TypeError\n", py("""
                print(redis.__version__.split('.')[0], end=' ')
                try:
                    redis.Redis(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']), protocol=3).ping()
                    print('supported')
                except TypeError:
                    print('TypeError')
                """));
    }
}
