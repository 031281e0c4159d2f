-- The Lua half of the script debugger (SCRIPT DEBUG), compiled the first time a session starts: the line
-- hook, and what the debugger's commands need from the Lua stack (locals, backtraces, evaluating code),
-- with values written as Redis's debugger writes them. The session's state and its console are in Java
-- (LuaDebugger); D holds its entry points.
local D, dbg, G, env = ...
local call = env.redis.call
local getinfo, getlocal, type, tostring, next, rawget, pcall = dbg.getinfo, dbg.getlocal, type, tostring, next, rawget, pcall
local find, format, byte, gsub, match, concat = string.find, string.format, string.byte, string.gsub, string.match, table.concat
local loadstring, setfenv, select = loadstring, setfenv, select
local stopped_at = D.event

local function in_script(info)
  return info ~= nil and find(info.short_src, 'user_script', 1, true) ~= nil
end

-- Lines of the user's script are the only events the debugger looks at.
local function hook(event)
  local info = getinfo(2, 'Sl')
  if in_script(info) then stopped_at(event == 'count', info.currentline) end
end

-- C's isprint in the C locale, and the escapes Redis's sdscatrepr uses for everything else.
local ESCAPES = { ['\\'] = '\\\\', ['"'] = '\\"', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t', ['\a'] = '\\a', ['\b'] = '\\b' }
local function quote(s)
  return '"' .. gsub(s, '[%c"\\\128-\255]', function(c) return ESCAPES[c] or format('\\x%02x', byte(c)) end) .. '"'
end

local MAX_DEPTH = 10
local function repr(v, level)
  if level == MAX_DEPTH then return '<max recursion level reached! Nested table?>' end
  level = level + 1
  local t = type(v)
  if t == 'string' then return quote(v) end
  if t == 'boolean' then return v and 'true' or 'false' end
  if t == 'number' then return format('%g', v) end
  if t == 'nil' then return 'nil' end
  if t == 'table' then
    -- Written as an array while the keys run 1, 2, 3..., otherwise with each key.
    local expected, is_array, items, pairs_ = 1, true, {}, {}
    for k, x in next, v do
      if is_array and (type(k) ~= 'number' or k ~= expected) then is_array = false end
      local xs = repr(x, level)
      items[expected] = xs
      pairs_[expected] = '[' .. repr(k, level) .. ']=' .. xs
      expected = expected + 1
    end
    return '{' .. concat(is_array and items or pairs_, '; ') .. '}'
  end
  return '"' .. t .. '@' .. (match(tostring(v), ': (.*)$') or '?') .. '"'
end

-- The level of the function the debugger stopped in, seen from the caller of this function.
local function stop_level()
  local level = 3
  while true do
    local info = getinfo(level, 'S')
    if info == nil then return nil end
    if in_script(info) then return level - 1 end
    level = level + 1
  end
end

local H = {}

-- The debugger's hook replaces the time-limit hook for the session, then gives it back.
local saved_hook, saved_mask, saved_count
function H.attach()
  saved_hook, saved_mask, saved_count = dbg.gethook()
  dbg.sethook(hook, 'l', 100000)
end
function H.detach()
  dbg.sethook(saved_hook, saved_mask, saved_count)
end

function H.repr(v)
  return repr(v, 0)
end

-- redis.debug's arguments, separated by commas.
function H.reprs(...)
  local out = {}
  for i = 1, select('#', ...) do out[i] = repr((select(i, ...)), 0) end
  return concat(out, ', ')
end

-- print <var>: the innermost local of that name from the stopped function outwards, or KEYS/ARGV.
function H.print(name)
  local level = stop_level()
  while level ~= nil and getinfo(level, 'f') ~= nil do
    local i = 1
    while true do
      local n, v = getlocal(level, i)
      if n == nil then break end
      if n == name then return '<value> ' .. repr(v, 0) end
      i = i + 1
    end
    level = level + 1
  end
  if name == 'KEYS' or name == 'ARGV' then return '<value> ' .. repr(rawget(G, name), 0) end
  return nil
end

-- print: every local of the stopped function, as name/value-text pairs.
function H.locals()
  local level, out, i = stop_level(), {}, 1
  while true do
    local n, v = getlocal(level, i)
    if n == nil then return out end
    if not find(n, '(*temporary)', 1, true) then
      out[#out + 1] = '<value> ' .. n .. ' = ' .. repr(v, 0)
    end
    i = i + 1
  end
end

-- trace: "In"/"From" and the line of each user script frame, innermost first.
function H.trace()
  local level, out, first = stop_level(), {}, true
  while true do
    local info = getinfo(level, 'Snl')
    if info == nil then return out end
    if in_script(info) then
      out[#out + 1] = (first and 'In ' or 'From ') .. (info.name or 'top level') .. ':'
      out[#out + 1] = info.currentline
    end
    first = false
    level = level + 1
  end
end

-- eval <code>: as an expression if it compiles as one, otherwise as statements, in the scripts' globals.
function H.eval(code)
  local f = loadstring('return ' .. code, '@ldb_eval')
  if f == nil then
    local err
    f, err = loadstring(code, '@ldb_eval')
    if f == nil then return '<error> ' .. tostring(err) end
  end
  setfenv(f, env)
  local ok, v = pcall(f)
  if not ok then return '<error> ' .. tostring(v) end
  return '<retval> ' .. repr(v, 0)
end

-- redis <cmd...>: runs through redis.call, which logs the command and its reply.
function H.redis(...)
  pcall(call, ...)
end

return H
