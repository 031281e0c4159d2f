package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.RespiteProcess;
import dev.respite.conformance.support.Tools;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** Scripts as real clients use them: redis-py's Lock and register_script, Jedis eval/evalsha, a busy script killed. */
class ScriptingClientsTest {
    private static RespiteProcess respite;

    @BeforeAll
    static void start() throws IOException {
        respite = RespiteProcess.start();
    }

    @AfterAll
    static void stop() {
        respite.close();
    }

    @Test
    void redisPyLockAcquiresExtendsReleasesAndIsHeldAcrossProcesses() throws IOException, InterruptedException {
        Tools.Result r = Tools.python(respite.port(), """
                import os, subprocess, sys, redis
                port = int(os.environ['RESPITE_PORT'])
                r = redis.Redis(host='127.0.0.1', port=port)
                lock = r.lock('resource', timeout=10)
                print('acquired', lock.acquire(blocking=False))
                print('extended', lock.extend(5))
                print('ttl>10', r.pttl('resource') > 10000)
                other = subprocess.run([sys.executable, '-c',
                    "import redis; print(redis.Redis(port=%d).lock('resource', timeout=10).acquire(blocking=False))" % port],
                    capture_output=True, text=True)
                print('other process', other.stdout.strip())
                lock.release()
                print('released', r.exists('resource'))
                try:
                    lock.release()
                except redis.exceptions.LockError as e:
                    print('second release refused')
                again = r.lock('resource', timeout=10)
                print('reacquired', again.acquire(blocking=False))
                print('reacquire extend', again.reacquire())
                again.release()
                """);
        assertEquals("", r.stderr());
        assertEquals(
                "acquired True\nextended True\nttl>10 True\nother process False\nreleased 0\n"
                        + "second release refused\nreacquired True\nreacquire extend True\n",
                r.stdout());
    }

    @Test
    void redisPyRegisterScriptLoadsOnNoscript() throws IOException, InterruptedException {
        Tools.Result r = Tools.python(respite.port(), """
                import os, redis
                r = redis.Redis(host='127.0.0.1', port=int(os.environ['RESPITE_PORT']))
                r.script_flush()
                incrby = r.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
                print(incrby(keys=['n'], args=[5]), incrby(keys=['n'], args=[2]))
                print(r.script_exists(incrby.sha))
                pipe = r.pipeline()
                incrby(keys=['n'], args=[1], client=pipe)
                print(pipe.execute())
                """);
        assertEquals("", r.stderr());
        assertEquals("5 7\n[True]\n[8]\n", r.stdout());
    }

    @Test
    void jedisEvalAndEvalsha() {
        try (Jedis j = new Jedis("127.0.0.1", respite.port())) {
            assertEquals(List.of("k1", "a1"), j.eval("return {KEYS[1], ARGV[1]}", 1, "k1", "a1"));
            assertEquals("OK", j.eval("return redis.call('SET', KEYS[1], ARGV[1])", List.of("key"), List.of("value")));
            String sha = j.scriptLoad("return redis.call('GET', KEYS[1])");
            assertEquals("value", j.evalsha(sha, 1, "key"));
            assertEquals(List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
            assertThrows(JedisNoScriptException.class, () -> j.evalsha("0000000000000000000000000000000000000000", 0));
            JedisDataException e = assertThrows(
                    JedisDataException.class, () -> j.eval("return redis.call('INCR', KEYS[1])", 1, "key"));
            assertTrue(
                    e.getMessage().startsWith("ERR value is not an integer or out of range script: "), e.getMessage());
            assertEquals(3L, j.eval("return #redis.call('KEYS', '*') + 2"));
            JedisDataException missing =
                    assertThrows(JedisDataException.class, () -> j.fcall("hello", List.of(), List.of()));
            assertEquals("ERR Function not found", missing.getMessage());
            j.functionLoadReplace("#!lua name=jlib\nredis.register_function{function_name='hello', "
                    + "callback=function(keys, args) return 'hello ' .. args[1] end, flags={'no-writes'}}");
            assertEquals("hello jedis", j.fcall("hello", List.of(), List.of("jedis")));
            assertEquals("hello ro", j.fcallReadonly("hello", List.of(), List.of("ro")));
        }
    }

    /** Busy scripts are served from the keyspace thread's own connections: io-threads 1 (the default). */
    @Test
    void busyScriptAnswersBusyAndIsKilled() throws IOException, InterruptedException {
        Tools.Result r;
        try (RespiteProcess single = RespiteProcess.start("--io-threads", "1")) {
            r = busyScenario(single.port());
        }
        assertEquals("", r.stderr());
        assertEquals(
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\nTrue\n"
                        + "Script killed by user with SCRIPT KILL...\nTrue\n",
                r.stdout());
    }

    /**
     * Connections made while the script runs are served too: one opened before busy-reply-threshold passes gets -BUSY
     * once it has, and a redis-cli started afterwards kills the script.
     */
    @Test
    void connectionsMadeDuringABusyScriptAreServed() throws IOException, InterruptedException {
        try (RespiteProcess single = RespiteProcess.start("--io-threads", "1")) {
            assertConnectionsMadeDuringABusyScriptAreServed(single.port());
        }
    }

    private static void assertConnectionsMadeDuringABusyScriptAreServed(int port)
            throws IOException, InterruptedException {
        Tools.Result r = Tools.python(port, """
                import os, subprocess, threading, time, redis
                port = int(os.environ['RESPITE_PORT'])
                redis.Redis(port=port).config_set('busy-reply-threshold', 1000)
                runner = redis.Redis(port=port, socket_timeout=20)
                out = {}
                def run():
                    try:
                        runner.eval("local i = 0 while true do i = i + 1 end", 0)
                    except redis.exceptions.ResponseError as e:
                        out['res'] = str(e).split(' script: ')[0]
                t = threading.Thread(target=run)
                t.start()
                time.sleep(0.3)
                early = redis.Redis(port=port, socket_timeout=20)
                try:
                    early.ping()
                except redis.exceptions.BusyLoadingError as e:
                    print('early:', e)
                except redis.exceptions.ResponseError as e:
                    print('early:', e)
                kill = subprocess.run(['redis-cli', '-p', str(port), 'SCRIPT', 'KILL'],
                                      capture_output=True, text=True, timeout=20)
                print('redis-cli:', kill.stdout.strip())
                t.join(20)
                print(out['res'])
                """);
        assertEquals("", r.stderr());
        assertEquals(
                "early: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\n"
                        + "redis-cli: OK\nScript killed by user with SCRIPT KILL...\n",
                r.stdout());
    }

    private static Tools.Result busyScenario(int port) throws IOException, InterruptedException {
        return Tools.python(port, """
                import os, threading, time, redis
                port = int(os.environ['RESPITE_PORT'])
                admin = redis.Redis(port=port, socket_timeout=20)
                runner = redis.Redis(port=port, socket_timeout=20)
                admin.config_set('busy-reply-threshold', 100)
                out = {}
                def run():
                    try:
                        out['res'] = runner.eval("local i = 0 while true do i = i + 1 end", 0)
                    except redis.exceptions.ResponseError as e:
                        out['res'] = str(e)
                t = threading.Thread(target=run)
                t.start()
                for i in range(500):
                    try:
                        admin.ping()
                        time.sleep(0.02)
                    except redis.exceptions.ResponseError as e:
                        print(e)
                        break
                print(admin.script_kill())
                t.join(20)
                print(out['res'].split(' script: ')[0])
                print(admin.ping())
                """);
    }
}
