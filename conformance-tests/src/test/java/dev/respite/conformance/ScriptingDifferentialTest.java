package dev.respite.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.respite.conformance.support.DifferentialSuite;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripts compared byte for byte with a real redis-server: reply conversions both ways, number formatting,
 * the libraries (cjson, cmsgpack, struct, bit), errors raised and caught, the sandbox, RESP3 replies and
 * functions. The corpus avoids what changed between Redis 7.0 and 7.2 (double formatting).
 */
class ScriptingDifferentialTest extends DifferentialSuite {
    @BeforeEach
    void flushScripts() throws IOException {
        d.check("SCRIPT", "FLUSH");
        d.check("FUNCTION", "FLUSH");
    }

    private void eval(String script, String... keysAndArgs) throws IOException {
        String[] cmd = new String[keysAndArgs.length + 2];
        cmd[0] = "EVAL";
        cmd[1] = script;
        System.arraycopy(keysAndArgs, 0, cmd, 2, keysAndArgs.length);
        d.check(cmd);
    }

    @Test
    void luaValuesBecomeReplies() throws IOException {
        eval("return 1", "0");
        eval("return 3.99", "0");
        eval("return -3.99", "0");
        eval("return 'hello'", "0");
        eval("return true", "0");
        eval("return false", "0");
        eval("return nil", "0");
        eval("return {1, 2, 3, 'four', {5, {6}}, nil, 7}", "0");
        eval("return {ok='fine'}", "0");
        eval("return {err='My Error'}", "0");
        eval("return {err='ERR\\r\\nsplit'}", "0");
        eval("return redis.status_reply('STATUS')", "0");
        eval("return redis.error_reply('CUSTOM error text')", "0");
        eval("return redis.error_reply('no code')", "0");
        eval("return redis.error_reply(1)", "0");
        eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}", "2", "k1", "k2", "a1", "a2");
        eval("return 1e20", "0");
        eval("return tostring(1/3)", "0");
        eval("return tostring(0.1)", "0");
        eval("return tostring(1e15), tostring(2^53)", "0");
        eval("return {tostring(1e100), tostring(-0.0), tostring(100), tostring(1/0)}", "0");
        eval("return string.format('%.17g %d %5.2f %s', 0.1, 42, 3.14159, 'x')", "0");
        eval("return {unpack({1, 2, 3})}", "0");
        eval("return table.getn({1, 2, 3})", "0");
        eval("return #ARGV", "0", "a", "b", "c");
        eval("return _VERSION", "0");
    }

    @Test
    void redisRepliesBecomeLuaValues() throws IOException {
        d.check("SET", "s", "value");
        d.check("RPUSH", "l", "a", "b", "c");
        d.check("HSET", "h", "f", "v");
        eval("return redis.call('GET', 's')", "0");
        eval("return redis.call('GET', 'missing')", "0");
        eval("return type(redis.call('GET', 'missing'))", "0");
        eval("return redis.call('LRANGE', 'l', 0, -1)", "0");
        eval("return redis.call('INCR', 'counter')", "0");
        eval("return type(redis.call('SET', 'x', 'y'))", "0");
        eval("return redis.call('SET', 'x', 'y')", "0");
        eval("return redis.call('SET', 'x', 'y').ok", "0");
        eval("return redis.call('SET', 'n', 1.5)", "0");
        eval("return redis.call('SET', 'n', 100)", "0");
        eval("return redis.call('GET', 'n')", "0");
        eval("return redis.pcall('INCR', 's')", "0");
        eval("local e = redis.pcall('INCR', 's') return e.err", "0");
        eval("return redis.call('INCR', 's')", "0");
        eval("return redis.call('nosuchcommand')", "0");
        eval("return redis.pcall('nosuchcommand')", "0");
        eval("return redis.call('GET')", "0");
        eval("return redis.call()", "0");
        eval("return redis.call('GET', {})", "0");
        eval("return redis.call('SUBSCRIBE', 'ch')", "0");
        eval("return redis.call('EVAL', 'return 1', 0)", "0");
        eval("return {pcall(redis.call, 'nosuchcommand')}", "0");
        eval("return {pcall(error, 'plain')}", "0");
        eval("return {pcall(error, {err='TABLE'})}", "0");
        eval("error('raised')", "0");
        eval("error({err='RAISED table'})", "0");
        eval("return redis.sha1hex('Pizza & Mandolino')", "0");
        eval("return redis.acl_check_cmd('set', 'k', 'v')", "0");
        eval("return redis.REDIS_VERSION_NUM > 0", "0");
    }

    /** Arguments and replies cross between Lua and the server byte for byte: NUL, bytes above 127, CR LF. */
    @Test
    void binaryStringsCrossBothWays() throws IOException {
        String binary = "a\0b\u00ff\r\n\u00e9z";
        String script = "redis.call('SET', KEYS[1], ARGV[1]) local v = redis.call('GET', KEYS[1])"
                + " return {v, #v, #ARGV[1], redis.call('STRLEN', KEYS[1]), v == ARGV[1], redis.call('SET', KEYS[1], v)}";
        eval(script, "1", "bin", binary);
        eval(script, "1", "ascii", "plain-ascii");
        eval(script, "1", "empty", "");
        eval("return redis.call('GET', KEYS[1])", "1", "bin");
        eval("return redis.call('HSET', KEYS[1], ARGV[1], ARGV[1], 3.25, -0.5)", "1", "h2", binary);
        eval("return redis.call('HGETALL', KEYS[1])", "1", "h2");
        eval("return redis.call('ECHO', string.rep('x', 5000) .. ARGV[1])", "0", binary);
        d.check("GET", "bin");
    }

    @Test
    void resp3ConversionsBothWays() throws IOException {
        d.check("HSET", "h", "f", "v");
        d.check("SADD", "set", "m");
        for (String proto : new String[] {"2", "3"}) {
            d.hello(proto);
            eval("redis.setresp(3) return redis.call('HGETALL', 'h')", "0");
            eval("redis.setresp(3) return redis.call('SMEMBERS', 'set')", "0");
            eval("redis.setresp(3) return redis.call('HGETALL', 'h').map.f", "0");
            eval("redis.setresp(3) return redis.call('GET', 'missing')", "0");
            eval("redis.setresp(3) return {double=1.5}", "0");
            eval("redis.setresp(3) return {big_number='123456789012345678901234567890'}", "0");
            eval("redis.setresp(3) return {map={a=1}}", "0");
            eval("redis.setresp(3) return {set={x=true}}", "0");
            eval("redis.setresp(3) return {verbatim_string={format='txt', string='text'}}", "0");
            eval("redis.setresp(3) return true", "0");
            eval("redis.setresp(3) return false", "0");
            eval("return redis.setresp(4)", "0");
        }
        d.hello("2");
    }

    @Test
    void cjsonAsRedisHasIt() throws IOException {
        eval("return cjson.encode({1, 2, 3, 'x'})", "0");
        eval("return cjson.encode({})", "0");
        eval("return cjson.encode({a={b={c=1}}})", "0");
        eval("return cjson.encode({3.14159265358979, 1/3, 1e100, -0.5, 100})", "0");
        eval("return cjson.encode('quote\" slash/ back\\\\ \\n \\1 \\127')", "0");
        eval("return cjson.encode({cjson.null, true, false})", "0");
        eval("return cjson.encode({[1]='a', [3]='c'})", "0");
        eval("return {pcall(cjson.encode, {[1]='a', [100]='c'})}", "0");
        eval("return {pcall(cjson.encode, {[true]=1})}", "0");
        eval("return {pcall(cjson.encode, 0/0)}", "0");
        eval("return {pcall(cjson.encode, function() end)}", "0");
        eval("return cjson.decode('[1, 2.5, \"x\", true, false]')", "0");
        eval("return cjson.decode('{\"a\": {\"b\": [1, 2]}}').a.b[2]", "0");
        eval("return cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\"')", "0");
        eval("return cjson.decode('null') == cjson.null", "0");
        eval("return {pcall(cjson.decode, '')}", "0");
        eval("return {pcall(cjson.decode, '[1, 2')}", "0");
        eval("return {pcall(cjson.decode, '{\"a\" 1}')}", "0");
        eval("return {pcall(cjson.decode, '{1: 2}')}", "0");
        eval("return {pcall(cjson.decode, '[1] x')}", "0");
        eval("return {pcall(cjson.decode, '[0123]')}", "0");
        eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0");
    }

    @Test
    void cmsgpackStructAndBit() throws IOException {
        String hex =
                "local function hex(s) local h = '' for i = 1, #s do h = h .. string.format('%02x', string.byte(s, i)) end return h end ";
        eval(
                hex
                        + "return hex(cmsgpack.pack(0.1, -1099511627776, 1, -1, 200, -200, 70000, 2^40, 'short', true, false))",
                "0");
        eval(hex + "return hex(cmsgpack.pack({1, 2, 3}, {a=1}, {}, string.rep('x', 40), string.rep('y', 300)))", "0");
        eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}, 2^40, -7))}", "0");
        eval("local o, v = cmsgpack.unpack_one(cmsgpack.pack('a', 'b'), 0) return {o, v}", "0");
        eval("local o, v = cmsgpack.unpack_limit(cmsgpack.pack('a', 'b'), 1, 2) return {o, v}", "0");
        eval("return {pcall(cmsgpack.unpack, '\\193')}", "0");
        eval("return {pcall(cmsgpack.unpack, '\\205\\1')}", "0");
        eval(hex + "return hex(struct.pack('>iHbBc3s', -2, 65535, -1, 255, 'abc', 'zero'))", "0");
        eval(hex + "return hex(struct.pack('<dfhl', 1.5, -2.25, 513, -3))", "0");
        eval("return {struct.unpack('>iHc3', struct.pack('>iHc3', -2, 65535, 'abc'))}", "0");
        eval("return {struct.unpack('<i4', '\\1\\0\\0\\0\\2\\0\\0\\0', 5)}", "0");
        eval("return struct.size('>iHbd')", "0");
        eval(
                "return {bit.tobit(2^32 + 5), bit.band(0xff0f, 0x0ff0), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0)}",
                "0");
        eval(
                "return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8)}",
                "0");
        eval("return {bit.tohex(255), bit.tohex(-1, -4), bit.bswap(0x12345678)}", "0");
    }

    @Test
    void sandboxRefusals() throws IOException {
        eval("return a", "0");
        eval("a = 1", "0");
        eval("redis = 1", "0");
        eval("redis.call = 1", "0");
        eval("cjson.encode = 1", "0");
        eval("_G.x = 1", "0");
        eval("setmetatable(_G, {})", "0");
        eval("return os", "0");
        eval("return io", "0");
        eval("return loadfile", "0");
        eval("return dofile", "0");
        eval("return print", "0");
        eval("return loadstring('return 1 + 1')()", "0");
        eval("return loadstring(string.dump(function() return 1 end))", "0");
        eval("return {pcall(function() local x = nil; return x.y end)}", "0");
        eval("local t = {} t[1] = t return #t", "0");
        eval("return 'unterminated", "0");
        eval("#!lua flags=no-writes\nreturn redis.call('SET', 'k', 'v')", "0");
        eval("#!lua flags=no-writes,allow-oom\nreturn redis.call('GET', 'k')", "0");
        eval("#!lua flags=bogus\nreturn 1", "0");
        eval("#!lua name=x\nreturn 1", "0");
        eval("#!python\nreturn 1", "0");
        d.check("EVAL_RO", "return redis.call('SET', 'k', 'v')", "0");
        d.check("EVAL_RO", "#!lua\nreturn redis.call('GET', 'k')", "0");
        d.check("EVAL", "return 1", "-1");
        d.check("EVAL", "return 1", "2", "onlyone");
        d.check("EVAL", "return 1", "x");
        d.check("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0");
        d.check("EVALSHA", "short", "0");
        d.check("SCRIPT", "LOAD", "return 'loaded'");
        d.check("EVALSHA", "3d98ce0dc1ba3bfb3eb9a0fe3e9066d23e3b1ec5", "0");
        d.check(
                "SCRIPT",
                "EXISTS",
                "3d98ce0dc1ba3bfb3eb9a0fe3e9066d23e3b1ec5",
                "ffffffffffffffffffffffffffffffffffffffff");
        d.check("SCRIPT", "FLUSH", "NOW");
        d.check("SCRIPT", "KILL");
    }

    /** The tables behind read-only views stay out of reach, so no script changes what later scripts see. */
    @Test
    void sandboxViewsHideTheirTables() throws IOException {
        eval("return tostring(getmetatable(redis))", "0");
        eval("return tostring(getmetatable(string))", "0");
        eval("return {tostring(getmetatable(cjson)), tostring(getmetatable(bit))}", "0");
        eval("getmetatable('').__index.upper = nil", "0");
        eval("return {('x'):upper(), type(getmetatable('').__index)}", "0");
        eval("return type(getmetatable(_G))", "0");
        eval("return type(getmetatable(_G).__index)", "0");
        eval("local m = getmetatable() return m", "0");
        // Redis itself is left broken by a new global table for its Lua thread (errors then fail in the error
        // handler), so this part runs on Respite alone: setfenv(0) leaves the state's globals in place.
        assertEquals(":1\r\n", d.respite().call("EVAL", "setfenv(0, {}) return 1", "0"));
        assertEquals(
                "*3\r\n$3\r\nkey\r\n$3\r\narg\r\n$3\r\n[1]\r\n",
                d.respite().call("EVAL", "return {KEYS[1], ARGV[1], cjson.encode({1})}", "1", "key", "arg"));
        eval("local function f() return x end setfenv(f, {x = 5}) return f()", "0");
        eval("setfenv(1, {}) return 1", "0");
        eval("local f = setfenv() return f", "0");
        eval("local f = setfenv(1) return f", "0");
        eval("return redis.call('PING')", "0");
    }

    @Test
    void functions() throws IOException {
        String lib = "#!lua name=mylib\n"
                + "redis.register_function('getk', function(keys, args) return redis.call('GET', keys[1]) end)\n"
                + "redis.register_function{function_name='setk', callback=function(keys, args) return redis.call('SET', keys[1], args[1]) end, "
                + "description='sets', flags={'allow-oom'}}\n"
                + "redis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}";
        d.check("FUNCTION", "LOAD", lib);
        d.check("FUNCTION", "LOAD", lib);
        d.check("FUNCTION", "LOAD", "REPLACE", lib);
        d.check("FCALL", "setk", "1", "k", "v");
        d.check("FCALL", "getk", "1", "k");
        d.check("FCALL_RO", "setk", "1", "k", "v");
        d.check("FCALL_RO", "ro", "0");
        d.check("FCALL", "nosuch", "0");
        d.check("FCALL", "getk", "x");
        d.check("FCALL", "GETK", "1", "k");
        d.check("FCALL_RO", "Ro", "0");
        d.check("FUNCTION", "LOAD", "#!lua name=casefold\nredis.register_function('SETK', function() return 1 end)");
        d.check("FUNCTION", "LIST", "LIBRARYNAME");
        d.check("FUNCTION", "LIST", "BOGUS");
        // Redis lists a library's functions in its dictionary's (seeded) order: one function per library here.
        d.check(
                "FUNCTION",
                "LOAD",
                "#!lua name=single\nredis.register_function{function_name='one', callback=function() return 1 end, "
                        + "description='the one', flags={'no-writes', 'allow-stale'}}");
        d.check("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "sing*");
        d.check("FUNCTION", "STATS");
        d.check("FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('getk', function() return 1 end)");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nreturn 1");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nredis.call('ping')");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nmath.random()");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nredis.register_function('a b', function() end)");
        d.check(
                "FUNCTION",
                "LOAD",
                "#!lua name=bad\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nredis.register_function('f')");
        d.check("FUNCTION", "LOAD", "#!lua name=bad\nsyntax error here");
        d.check("FUNCTION", "LOAD", "#!lua name=forever\nlocal a = 1\nwhile 1 do a = a + 1 end");
        d.check("FUNCTION", "LOAD", "no shebang");
        d.check("FUNCTION", "LOAD", "#!lua\nredis.register_function('f', function() end)");
        d.check("FUNCTION", "LOAD", "#!js name=x\nredis.register_function('f', function() end)");
        d.check("FUNCTION", "RESTORE", "garbage");
        d.check("FUNCTION", "DELETE", "nosuch");
        d.check("FUNCTION", "DELETE", "mylib");
        d.check("FUNCTION", "KILL");
        d.check("FUNCTION", "FLUSH", "BOGUS");
    }
}
