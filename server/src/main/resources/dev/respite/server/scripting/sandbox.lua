-- Runs once in a new Lua state, before any script: builds the redis table from the Java entry points
-- it is handed, takes away what scripts must not reach (the JVM, files, modules, the debug library) and
-- protects the globals and the libraries as Redis does.
local J = ...
local G = _G
local type, tostring, tonumber, select, error, rawget, rawset = type, tostring, tonumber, select, error, rawget, rawset
local getmetatable, setmetatable, lua_pcall, floor, ceil = getmetatable, setmetatable, pcall, math.floor, math.ceil
local sub, find, gsub, byte = string.sub, string.find, string.gsub, string.byte
local dbg = debug

-- An error reply table as Redis builds it: "-CODE msg" keeps its code, anything else gets ERR.
local function error_table(text)
  local code, msg = 'ERR', text
  if sub(text, 1, 1) == '-' then
    local sp = find(text, ' ', 1, true)
    if sp then
      code, msg = sub(text, 2, sp - 1), sub(text, sp + 1)
    else
      msg = sub(text, 2)
    end
  end
  msg = gsub(gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
  return { err = code .. ' ' .. msg }
end

local redis = {}
redis.call = J.call
redis.pcall = J.pcall
redis.acl_check_cmd = J.acl_check_cmd
redis.setresp = J.setresp
redis.set_repl = J.set_repl
redis.sha1hex = J.sha1hex
redis.error_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
  if sub(s, 1, 1) ~= '-' then s = '-' .. s end
  J.ldb_error(s)
  return error_table(s)
end
redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
  return { ok = s }
end
redis.log = J.log
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.REDIS_VERSION = J.version
redis.REDIS_VERSION_NUM = J.version_num
redis.replicate_commands = function() return true end
redis.breakpoint = J.breakpoint
redis.debug = J.debug

-- Redis's PRNG (lrand48) so that seeded sequences match; never reseeded between scripts, as in 7.x.
local rand48, INT32_MAX = J.rand48, 2147483647
math.random = function(...)
  local r = (rand48() % INT32_MAX) / INT32_MAX
  local n = select('#', ...)
  if n == 0 then return r end
  local l, u = 1, nil
  if n == 1 then
    u = ...
  elseif n == 2 then
    l, u = ...
  else
    error('wrong number of arguments', 2)
  end
  l, u = tonumber(l), tonumber(u)
  if l == nil or u == nil then error("bad argument to 'random' (number expected)", 2) end
  l, u = l >= 0 and floor(l) or ceil(l), u >= 0 and floor(u) or ceil(u)
  if l > u then error("bad argument #" .. n .. " to 'random' (interval is empty)", 2) end
  return floor(r * (u - l + 1)) + l
end
math.randomseed = function(seed)
  local s = tonumber(seed)
  if s == nil then error("bad argument #1 to 'randomseed' (number expected, got " .. type(seed) .. ")", 2) end
  J.srand48(s >= 0 and floor(s) or ceil(s))
end

-- Redis's pcall hands back the message of an error reply table instead of the table.
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end
G.pcall = function(...) return pcall_result(lua_pcall(...)) end

-- Compiled code (string.dump output) is refused, as Redis's Lua does.
local lua_loadstring, lua_load = loadstring, load
local function loadstring_checked(s, name)
  if type(s) == 'string' and byte(s, 1) == 27 then return nil, 'binary chunks are not allowed' end
  return lua_loadstring(s, name)
end
local function load_checked(f, name)
  local first = true
  return lua_load(function()
    local piece = f()
    if first and type(piece) == 'string' and byte(piece, 1) == 27 then error('binary chunks are not allowed') end
    first = false
    return piece
  end, name)
end

-- Errors leave a script as a table: the message plus where in the user's code it happened (frames of
-- C functions and of the built-in libraries, whose chunk names start with '=', are skipped).
local function error_handler(err)
  local level, i = 2, nil
  repeat
    i = dbg.getinfo(level, 'nSl')
    level = level + 1
  until i == nil or (i.what ~= 'C' and sub(i.source, 1, 1) ~= '=')
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err.source = i.source
    err.line = i.currentline
  end
  return err
end

-- The count hook asks Java every 100000 instructions whether the script must stop (SCRIPT KILL).
local interrupt, killed_text = J.interrupt, 'Script killed by user with SCRIPT KILL...'
local function hook()
  local stop = interrupt()
  if stop then
    dbg.sethook(hook, 'l', 0)
    error(error_table(stop))
  end
end
dbg.sethook(hook, '', 100000)

G.java, G.dofile, G.loadfile, G.print, G.debug, G.module, G.require, G.package, G.io, G.os = nil

-- Read-only views: writes through them, setmetatable and rawset on them fail with Redis's text.
local READONLY = 'Attempt to modify a readonly table'
local protected = setmetatable({}, { __mode = 'k' })
local function readonly_error() error(READONLY, 2) end
-- getmetatable answers nil for a view, as for Redis's read-only tables: the table behind it stays out of reach.
local hidden = setmetatable({}, { __mode = 'k' })
local function readonly(t)
  local mt = { __index = t, __newindex = readonly_error }
  local view = setmetatable({}, mt)
  mt.__metatable = setmetatable({}, { __index = mt, __newindex = readonly_error })
  protected[view] = true
  hidden[view] = true
  return view
end
for _, name in ipairs({ 'string', 'math', 'table', 'coroutine' }) do
  rawset(G, name, readonly(rawget(G, name)))
end
-- Strings' methods come from the string library through its view, so they cannot be changed either.
getmetatable('').__index = rawget(G, 'string')
G.getmetatable = function(...)
  if select('#', ...) == 0 then error("bad argument #1 to 'getmetatable' (value expected)", 2) end
  if hidden[...] then return nil end
  return getmetatable(...)
end
-- cjson, struct, cmsgpack and bit are compiled on first use: most scripts never touch them, and loaded
-- they would hold most of a fresh state's memory.
local lazy, load_library = { cjson = true, struct = true, cmsgpack = true, bit = true }, J.load_library
local function global(k)
  local v = rawget(G, k)
  if v == nil and lazy[k] then
    lazy[k] = nil
    v = readonly(load_library(k))
    rawset(G, k, v)
  end
  return v
end
G.redis = readonly(redis)
G.__redis__err__handler = error_handler
G.setmetatable = function(t, mt)
  if protected[t] then error(READONLY, 0) end
  return setmetatable(t, mt)
end
G.rawset = function(t, k, v)
  if protected[t] then error(READONLY, 0) end
  return rawset(t, k, v)
end
-- Raised from an __index function: level 2 names the line of the script that read the global.
local function nonexistent(_, k)
  if k == '__jthrowable__' then return nil end
  local v = global(k)
  if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
  return v
end
local gmt = {
  __index = nonexistent,
  -- luajava records (and reads back) a Java exception thrown by a bridge function in this global from C,
  -- where an error would be fatal: it reads as nil and is never kept.
  __newindex = function(_, k) if k ~= '__jthrowable__' then error(READONLY, 2) end end,
}
gmt.__metatable = setmetatable({}, { __index = gmt, __newindex = readonly_error })
protected[G] = true
setmetatable(G, gmt)

-- Scripts see the globals through an empty read-only view (Lua only consults __newindex for absent keys,
-- so the real table would let existing globals be replaced); _G and getfenv show the view too. Reads go
-- through tables only, which the VM follows without a function call: the view, then a table that holds
-- _G, then the globals, whose own __index raises for a name that does not exist.
local env_mt = { __newindex = readonly_error }
local env = setmetatable({}, env_mt)
local with_g = readonly(G)
rawset(with_g, '_G', env)
env_mt.__index = with_g
-- getmetatable shows what Redis's globals have: an __index function, not the tables behind the view.
local shown_mt = { __index = nonexistent, __newindex = readonly_error }
env_mt.__metatable = setmetatable({}, { __index = shown_mt, __newindex = readonly_error })
protected[env] = true
local lua_getfenv, lua_setfenv = getfenv, setfenv
-- The running thread's globals stay the state's own: Java and the libraries loaded later rely on them.
rawset(G, 'setfenv', function(...)
  local f, t = ...
  if type(t) ~= 'table' then
    local got = select('#', ...) < 2 and 'no value' or type(t)
    error("bad argument #2 to 'setfenv' (table expected, got " .. got .. ')', 2)
  end
  if type(f) == 'number' then
    if f == 0 then return end
    -- Levels count from the script that called setfenv, one above this function.
    f = f + 1
  end
  return lua_setfenv(f, t)
end)
rawset(G, 'getfenv', function(...)
  local e = lua_getfenv(...)
  if e == G then return env end
  return e
end)
rawset(G, 'loadstring', function(...)
  local f, err = loadstring_checked(...)
  if f then lua_setfenv(f, env) end
  return f, err
end)
rawset(G, 'load', function(...)
  local f, err = load_checked(...)
  if f then lua_setfenv(f, env) end
  return f, err
end)

-- Function libraries run in an environment of their own. While FUNCTION LOAD runs a library's code only
-- the load-time API is visible (redis.register_function, redis.log, the versions); afterwards, the globals.
local loading = false
local function strict_view(t)
  local mt = { __index = function(_, k)
    local v = t[k]
    if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
    return v
  end, __newindex = readonly_error }
  local view = setmetatable({}, mt)
  mt.__metatable = setmetatable({}, { __index = mt, __newindex = readonly_error })
  protected[view] = true
  return view
end
local FLAG_BITS = { ['no-writes'] = 1, ['allow-oom'] = 2, ['allow-stale'] = 4, ['no-cluster'] = 8, ['allow-cross-slot-keys'] = 16 }
local lower = string.lower
local function is_text(v) return type(v) == 'string' or type(v) == 'number' end
local function fail(text) error(error_table(text)) end
local function read_flags(t)
  local flags, i = 0, 1
  while true do
    local f = t[i]
    if f == nil then return flags end
    if not is_text(f) then return nil end
    local b = FLAG_BITS[lower(tostring(f))]
    if b == nil then return nil end
    if flags % (2 * b) < b then flags = flags + b end
    i = i + 1
  end
end
local function register_function(...)
  if not loading then fail('redis.register_function can only be called on FUNCTION LOAD command') end
  local n = select('#', ...)
  if n < 1 or n > 2 then fail('wrong number of arguments to redis.register_function') end
  local name, callback, desc, flags
  if n == 1 then
    local t = ...
    if type(t) ~= 'table' then
      fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
    end
    for k, v in next, t do
      if not is_text(k) then fail('named argument key given to redis.register_function is not a string') end
      local key = lower(tostring(k))
      if key == 'function_name' then
        if not is_text(v) then fail('function_name argument given to redis.register_function must be a string') end
        name = tostring(v)
      elseif key == 'description' then
        if not is_text(v) then fail('description argument given to redis.register_function must be a string') end
        desc = tostring(v)
      elseif key == 'callback' then
        if type(v) ~= 'function' then fail('callback argument given to redis.register_function must be a function') end
        callback = v
      elseif key == 'flags' then
        if type(v) ~= 'table' then fail('flags argument to redis.register_function must be a table representing function flags') end
        flags = read_flags(v)
        if flags == nil then fail('unknown flag given') end
      else
        fail('unknown argument given to redis.register_function')
      end
    end
    if name == nil then fail('redis.register_function must get a function name argument') end
    if callback == nil then fail('redis.register_function must get a callback argument') end
  else
    name, callback = ...
    if not is_text(name) then fail('first argument to redis.register_function must be a string') end
    if type(callback) ~= 'function' then fail('second argument to redis.register_function must be a function') end
    name = tostring(name)
  end
  local err = J.register(name, callback, desc, flags or 0)
  if err then fail(err) end
end
local library_redis = strict_view({
  register_function = register_function, log = redis.log,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = J.version, REDIS_VERSION_NUM = J.version_num,
})
local function loading_index(_, k)
  if k == 'redis' then return library_redis end
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end
local fmt = { __index = G, __newindex = readonly_error }
fmt.__metatable = env_mt.__metatable
local fenv = setmetatable({}, fmt)
protected[fenv] = true
local function set_loading(b)
  loading = b
  fmt.__index = b and loading_index or G
end
return { handler = error_handler, env = env, fenv = fenv, set_loading = set_loading }
