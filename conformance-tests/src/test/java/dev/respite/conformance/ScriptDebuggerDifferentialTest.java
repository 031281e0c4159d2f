package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.respite.conformance.support.DifferentialSuite;
import dev.respite.conformance.support.RawConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SCRIPT DEBUG sessions (Redis's Lua debugger) driven on Respite and on Redis 7.2.5 with the same bytes:
 * every reply of every step, the end of the session, the EVAL reply after it and the connection closing
 * must be the same on both. Also Redis's own scripting.tcl debugger tests, transcribed.
 */
class ScriptDebuggerDifferentialTest extends DifferentialSuite {
    private static final String SCRIPT = String.join(
            "\n",
            "local function f(x, y)",
            "  local z = x + y",
            "  redis.breakpoint()",
            "  return z * 2",
            "end",
            "local t = {a=1, [5]=\"q\\n\\0\", nested={{{{{{{{{{{{1}}}}}}}}}}}}, arr={true, false, 1.5}}",
            "local r = f(1, 2)",
            "redis.call('set', KEYS[1], string.rep('x', 300))",
            "redis.call('get', KEYS[1])",
            "redis.call('hset', 'h', 'a', '1')",
            "redis.call('hgetall', 'h')",
            "redis.setresp(3)",
            "redis.call('hgetall', 'h')",
            "redis.call('get', 'nokey')",
            "pcall(redis.call, 'nosuch')",
            "redis.error_reply('boom')",
            "redis.debug(t.arr, 'two', nil, 3)",
            "pcall(redis.call, 'incr', 'h')",
            "return r",
            "");

    /** Sends each step on a fresh connection to each server and compares the transcripts. */
    private List<String> session(String mode, String[]... steps) throws IOException {
        List<String> ours = transcript(respite.port(), mode, steps);
        List<String> theirs = transcript(reference.port(), mode, steps);
        assertEquals(String.join("\n", theirs), String.join("\n", ours));
        return ours;
    }

    private static List<String> transcript(int port, String mode, String[]... steps) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConnection c = new RawConnection(port)) {
            out.add(c.call("SCRIPT", "DEBUG", mode));
            for (String[] step : steps) {
                String reply = c.call(step);
                out.add(String.join(" ", step) + " => " + reply);
                if (reply.contains("+<endsession>\r\n")) {
                    out.add("EVAL reply => " + c.readReply());
                    out.add("closed: " + c.isClosedByPeer());
                    break;
                }
            }
        }
        return out;
    }

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void steppingThroughAScriptLogsAsRedisDoes() throws IOException {
        List<String> t = session(
                "sync",
                cmd("EVAL", SCRIPT, "1", "k", "argument"),
                cmd("c"),
                cmd("t"),
                cmd("p"),
                cmd("p", "z"),
                cmd("p", "t"),
                cmd("p", "KEYS"),
                cmd("p", "ARGV"),
                cmd("p", "nope"),
                cmd("e", "z", "+", "1"),
                cmd("e", "x("),
                cmd("e", "error('no')"),
                cmd("e", "local a = 1"),
                cmd("r", "set", "other", "1"),
                cmd("r", "incr", "other"),
                cmd("r", "nosuch", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"),
                cmd("r", "set"),
                cmd("b", "8", "-3", "x1", "99", "0", "+5", "007"),
                cmd("b", "9", "10", "11", "17"),
                cmd("b", "-10"),
                cmd("b"),
                cmd("l"),
                cmd("l", "0", "1"),
                cmd("l", "12", "2"),
                cmd("l", "1", "-1"),
                cmd("w"),
                cmd("m"),
                cmd("m", "10"),
                cmd("m", "0"),
                cmd("m", "256"),
                cmd("h"),
                cmd("nosuch"),
                cmd("r"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("s"),
                cmd("c"),
                cmd("s"),
                cmd("s"));
        assertTrue(t.get(t.size() - 1).equals("closed: true"), String.join("\n", t));
        d.check("GET", "other");
        d.check("HGETALL", "h");
    }

    @Test
    void sessionsEndingEarlyAnswerAsRedis() throws IOException {
        session("sync", cmd("EVAL", "return 1", "x"));
        session("yes", cmd("EVAL", "return", "0"));
        session("sync", cmd("EVAL", "return (", "0"));
        session("sync", cmd("EVAL", "return 1", "0"), cmd("a"));
        session("sync", cmd("EVAL", "local x = 1\nreturn x", "0"), cmd("continue"));
        session("sync", cmd("EVAL_RO", "return redis.call('set', 'k', 'v')", "0"), cmd("n"), cmd("next"));
        session("yes", cmd("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"), cmd("EVAL", "return 1", "0"));
        session("sync", cmd("EVALSHA", "abc", "0"));
        session("no", cmd("EVAL", "return 7", "0"));
    }

    @Test
    void malformedDebuggerInputAnswersAsRedis() throws IOException {
        for (String raw : List.of("s\r\n", "*1\r\n$0\r\n\r\n", "*0\r\n", "*1\r\n$1\r\nsX\r\n", "*1\r\n:1\r\n")) {
            List<String> ours = raw(respite.port(), raw);
            assertEquals(raw(reference.port(), raw), ours, raw);
        }
    }

    private static List<String> raw(int port, String raw) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConnection c = new RawConnection(port)) {
            out.add(c.call("SCRIPT", "DEBUG", "SYNC"));
            out.add(c.call("EVAL", "return 1", "0"));
            c.send(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.add(c.readReply());
            out.add(c.readReply());
            out.add("closed: " + c.isClosedByPeer());
        }
        return out;
    }

    @Test
    void scriptDebugErrorsAsRedis() throws IOException {
        check(
                "SCRIPT DEBUG maybe",
                "SCRIPT DEBUG",
                "SCRIPT DEBUG yes no",
                "SCRIPT DEBUG no",
                "MULTI",
                "SCRIPT DEBUG yes",
                "EXEC",
                "EVAL \"return redis.call('script', 'debug', 'yes')\" 0",
                "EVAL \"return redis.pcall('script', 'debug', 'yes')\" 0",
                "SCRIPT HELP",
                "COMMAND INFO script|debug",
                "COMMAND DOCS script|debug",
                "EVAL \"return redis.breakpoint()\" 0",
                "EVAL \"return redis.debug('x')\" 0");
        d.checkRaw("PING\r\nSCRIPT DEBUG YES\r\n");
        assertEquals(d.redis().readReply(), d.respite().readReply(), "SCRIPT DEBUG after a pipelined PING");
    }

    @Test
    void writesOfAYesSessionAreRolledBackAndThoseOfASyncSessionKept() throws IOException {
        check("SET k 1", "RPUSH l a b", "SET t x PX 100000", "SELECT 3", "SET m 1", "SELECT 0");
        String body = "redis.call('set','k','2')\nredis.call('del','l')\nredis.call('set','new','v')\n"
                + "redis.call('persist','t')\nredis.call('move','k','3')\nreturn redis.call('get','new')";
        session("yes", cmd("EVAL", body, "0"), cmd("s"), cmd("s"), cmd("s"), cmd("s"), cmd("s"), cmd("s"));
        check("GET k", "LRANGE l 0 -1", "EXISTS new", "SELECT 3", "GET k", "SELECT 0");
        for (String pttl : List.of(d.respite().call("PTTL", "t"), d.redis().call("PTTL", "t"))) {
            assertTrue(Long.parseLong(pttl.substring(1).trim()) > 90_000, pttl);
        }
        session("sync", cmd("EVAL", body, "0"), cmd("c"));
        check("GET k", "LRANGE l 0 -1", "GET new", "PTTL t", "SELECT 3", "GET k", "SELECT 0");
    }

    @Test
    void aClientLeavingASyncSessionLetsTheScriptFinish() throws IOException {
        for (int port : new int[] {respite.port(), reference.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                c.call("SCRIPT", "DEBUG", "SYNC");
                c.call("EVAL", "redis.breakpoint()\nredis.call('set', 'left', 'done')\nreturn 1", "0");
            }
        }
        check("GET left");
    }

    /** unit/scripting.tcl: "Test scripting debug protocol parsing". */
    @Test
    void redisTestScriptingDebugProtocolParsing() throws IOException {
        for (int port : new int[] {respite.port(), reference.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                c.call("SCRIPT", "DEBUG", "SYNC");
                c.call("EVAL", "return 'hello'", "0");
                for (String arg : List.of("'hello\0world'", "'hello\0'", "'\0hello'", "'\0hello\0'")) {
                    String e = c.call(arg);
                    assertTrue(e.contains("Unknown Redis Lua debugger command"), e);
                }
            }
        }
    }

    /** unit/scripting.tcl: "Test scripting debug lua stack overflow". */
    @Test
    void redisTestScriptingDebugLuaStackOverflow() throws IOException {
        for (int port : new int[] {respite.port(), reference.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                c.call("SCRIPT", "DEBUG", "SYNC");
                c.call("EVAL", "return 'hello'", "0");
                c.send("*101\r\n$5\r\nredis\r\n" + "$4\r\ntest\r\n".repeat(100));
                String ret = c.readReply();
                assertTrue(ret.contains("Unknown Redis command called from script"), ret);
            }
            try (RawConnection c = new RawConnection(port)) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
        }
    }
}
