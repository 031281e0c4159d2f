-- The cjson library as Redis scripts know it (lua-cjson's API and texts): numbers with %.14g, an empty
-- table encodes as {}, cjson.null stands for JSON null, and errors name the token and its position.
local byte, char, sub, find, format, concat = string.byte, string.char, string.sub, string.find, string.format, table.concat
local floor, huge = math.floor, math.huge
local type, next, tonumber, tostring, error, select, rawget = type, next, tonumber, tostring, error, select, rawget

local null = newproxy(false)
local cfg = {
  encode_max_depth = 1000, decode_max_depth = 1000, encode_invalid_numbers = false,
  decode_invalid_numbers = true, encode_keep_buffer = true, encode_number_precision = 14,
  sparse_convert = false, sparse_ratio = 2, sparse_safe = 10,
}

local escapes = {}
for i = 0, 31 do escapes[char(i)] = format('\\u%04x', i) end
escapes['\b'], escapes['\t'], escapes['\n'], escapes['\f'], escapes['\r'] = '\\b', '\\t', '\\n', '\\f', '\\r'
escapes['"'], escapes['/'], escapes['\\'], escapes['\127'] = '\\"', '\\/', '\\\\', '\\u007f'

local function encode_string(s)
  return '"' .. (string.gsub(s, '[%z\1-\31"/\\\127]', escapes)) .. '"'
end

local function encode_number(n)
  if n ~= n or n == huge or n == -huge then
    if cfg.encode_invalid_numbers == false then
      error('Cannot serialise number: must not be NaN or Inf', 0)
    elseif cfg.encode_invalid_numbers == 'null' then
      return 'null'
    elseif n ~= n then
      return 'nan'
    end
  end
  return format('%.' .. cfg.encode_number_precision .. 'g', n)
end

-- The array length lua-cjson uses: the largest positive integer key, or -1 when the table is not an array.
local function array_length(t)
  local max, items = 0, 0
  for k in next, t do
    if type(k) == 'number' and k ~= 0 and floor(k) == k and k >= 1 then
      if k > max then max = k end
      items = items + 1
    else
      return -1
    end
  end
  if cfg.sparse_ratio > 0 and max > items * cfg.sparse_ratio and max > cfg.sparse_safe then
    if not cfg.sparse_convert then error('Cannot serialise table: excessively sparse array', 0) end
    return -1
  end
  return max
end

local encode_value
local function encode_table(t, depth, out)
  depth = depth + 1
  if depth > cfg.encode_max_depth then error('Cannot serialise, excessive nesting (' .. depth .. ')', 0) end
  local n = array_length(t)
  if n > 0 then
    out[#out + 1] = '['
    for i = 1, n do
      if i > 1 then out[#out + 1] = ',' end
      encode_value(rawget(t, i), depth, out)
    end
    out[#out + 1] = ']'
  else
    out[#out + 1] = '{'
    local first = true
    for k, v in next, t do
      if not first then out[#out + 1] = ',' end
      first = false
      local kt = type(k)
      if kt == 'string' then
        out[#out + 1] = encode_string(k)
      elseif kt == 'number' then
        out[#out + 1] = '"' .. encode_number(k) .. '"'
      else
        error('Cannot serialise ' .. kt .. ': table key must be a number or string', 0)
      end
      out[#out + 1] = ':'
      encode_value(v, depth, out)
    end
    out[#out + 1] = '}'
  end
end

encode_value = function(v, depth, out)
  local t = type(v)
  if t == 'string' then
    out[#out + 1] = encode_string(v)
  elseif t == 'number' then
    out[#out + 1] = encode_number(v)
  elseif t == 'boolean' then
    out[#out + 1] = v and 'true' or 'false'
  elseif t == 'table' then
    encode_table(v, depth, out)
  elseif t == 'nil' or v == null then
    out[#out + 1] = 'null'
  else
    error('Cannot serialise ' .. t .. ': type not supported', 0)
  end
end

local function encode(...)
  if select('#', ...) ~= 1 then error('bad argument #1 to \'encode\' (expected 1 argument)', 2) end
  local out = {}
  encode_value((...), 0, out)
  return concat(out)
end

-- Decoding: a tokenizer over the text and a recursive parser, with lua-cjson's messages.
local WS = { [' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true }
local SIMPLE = { ['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
  [':'] = 'T_COLON', [','] = 'T_COMMA' }
local UNESCAPE = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

local function utf8(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64) end
  return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

-- Returns the token type, its value, its start index and the index after it.
local function next_token(s, i)
  local len = #s
  while i <= len and WS[sub(s, i, i)] do i = i + 1 end
  if i > len then return 'T_END', nil, i, i end
  local c = sub(s, i, i)
  if SIMPLE[c] then return SIMPLE[c], nil, i, i + 1 end
  if c == '"' then
    local parts, j = {}, i + 1
    while true do
      local q = find(s, '["\\]', j)
      if q == nil then return 'T_ERROR', 'unexpected end of string', i, len + 1 end
      parts[#parts + 1] = sub(s, j, q - 1)
      if sub(s, q, q) == '"' then return 'T_STRING', concat(parts), i, q + 1 end
      local e = sub(s, q + 1, q + 1)
      if e == 'u' then
        local hex = sub(s, q + 2, q + 5)
        local cp = #hex == 4 and find(hex, '^%x%x%x%x$') and tonumber(hex, 16)
        if not cp then return 'T_ERROR', 'invalid unicode escape code', i, q end
        j = q + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local lo = sub(s, q + 6, q + 7) == '\\u' and sub(s, q + 8, q + 11)
          local lcp = lo and find(lo, '^%x%x%x%x$') and tonumber(lo, 16)
          if not lcp or lcp < 0xDC00 or lcp > 0xDFFF then return 'T_ERROR', 'invalid unicode escape code', i, q end
          cp = 0x10000 + (cp - 0xD800) * 1024 + (lcp - 0xDC00)
          j = q + 12
        elseif cp >= 0xDC00 and cp <= 0xDFFF then
          return 'T_ERROR', 'invalid unicode escape code', i, q
        end
        parts[#parts + 1] = utf8(cp)
      elseif UNESCAPE[e] then
        parts[#parts + 1] = UNESCAPE[e]
        j = q + 2
      else
        return 'T_ERROR', 'invalid escape code', i, q
      end
    end
  end
  if c == '-' or find(c, '%d') then
    local _, e = find(s, '^-?%d*%.?%d*', i)
    local _, ee = find(s, '^[eE][-+]?%d+', e + 1)
    if ee then e = ee end
    local n = tonumber(sub(s, i, e))
    if n == nil then return 'T_ERROR', 'invalid number', i, i end
    return 'T_NUMBER', n, i, e + 1
  end
  if sub(s, i, i + 3) == 'true' then return 'T_BOOLEAN', true, i, i + 4 end
  if sub(s, i, i + 4) == 'false' then return 'T_BOOLEAN', false, i, i + 5 end
  if sub(s, i, i + 3) == 'null' then return 'T_NULL', null, i, i + 4 end
  return 'T_ERROR', 'invalid token', i, i
end

local function parse_error(expected, ttype, tvalue, at)
  local found = ttype == 'T_ERROR' and tvalue or ttype
  error('Expected ' .. expected .. ' but found ' .. found .. ' at character ' .. at, 0)
end

local parse_value
local function descend(depth, at)
  depth = depth + 1
  if depth > cfg.decode_max_depth then
    error('Found too many nested data structures (' .. depth .. ') at character ' .. at, 0)
  end
  return depth
end

local function parse_object(s, i, depth, at)
  depth = descend(depth, at)
  local obj = {}
  local tt, tv, ts, ti = next_token(s, i)
  if tt == 'T_OBJ_END' then return obj, ti end
  while true do
    if tt ~= 'T_STRING' then parse_error('object key string', tt, tv, ts) end
    local key = tv
    tt, tv, ts, ti = next_token(s, ti)
    if tt ~= 'T_COLON' then parse_error('colon', tt, tv, ts) end
    tt, tv, ts, ti = next_token(s, ti)
    local value
    value, ti = parse_value(s, tt, tv, ts, ti, depth)
    obj[key] = value
    tt, tv, ts, ti = next_token(s, ti)
    if tt == 'T_OBJ_END' then return obj, ti end
    if tt ~= 'T_COMMA' then parse_error('comma or object end', tt, tv, ts) end
    tt, tv, ts, ti = next_token(s, ti)
  end
end

local function parse_array(s, i, depth, at)
  depth = descend(depth, at)
  local arr, n = {}, 0
  local tt, tv, ts, ti = next_token(s, i)
  if tt == 'T_ARR_END' then return arr, ti end
  while true do
    local value
    value, ti = parse_value(s, tt, tv, ts, ti, depth)
    n = n + 1
    arr[n] = value
    tt, tv, ts, ti = next_token(s, ti)
    if tt == 'T_ARR_END' then return arr, ti end
    if tt ~= 'T_COMMA' then parse_error('comma or array end', tt, tv, ts) end
    tt, tv, ts, ti = next_token(s, ti)
  end
end

parse_value = function(s, tt, tv, ts, ti, depth)
  if tt == 'T_STRING' or tt == 'T_NUMBER' or tt == 'T_BOOLEAN' or tt == 'T_NULL' then return tv, ti end
  if tt == 'T_OBJ_BEGIN' then return parse_object(s, ti, depth, ts) end
  if tt == 'T_ARR_BEGIN' then return parse_array(s, ti, depth, ts) end
  parse_error('value', tt, tv, ts)
end

local function decode(...)
  if select('#', ...) ~= 1 then error("bad argument #1 to 'decode' (expected 1 argument)", 2) end
  local s = ...
  if type(s) ~= 'string' and type(s) ~= 'number' then
    error("bad argument #1 to 'decode' (string expected, got " .. type(s) .. ")", 2)
  end
  s = tostring(s)
  local tt, tv, ts, ti = next_token(s, 1)
  local value
  value, ti = parse_value(s, tt, tv, ts, ti, 0)
  tt, tv, ts = next_token(s, ti)
  if tt ~= 'T_END' then parse_error('the end', tt, tv, ts) end
  return value
end

-- Settings: each returns its value; given arguments change it first.
local function integer_setting(name, min, max)
  return function(v)
    if v ~= nil then
      v = tonumber(v)
      if v == nil or v < min or v > max or floor(v) ~= v then
        error("bad argument #1 to '" .. name .. "' (expected integer between " .. min .. ' and ' .. max .. ')', 2)
      end
      cfg[name] = v
    end
    return cfg[name]
  end
end

return {
  null = null,
  encode = encode,
  decode = decode,
  encode_max_depth = integer_setting('encode_max_depth', 1, 2147483647),
  decode_max_depth = integer_setting('decode_max_depth', 1, 2147483647),
  encode_number_precision = integer_setting('encode_number_precision', 1, 14),
  encode_keep_buffer = function(v)
    if v ~= nil then cfg.encode_keep_buffer = v and true or false end
    return cfg.encode_keep_buffer
  end,
  encode_invalid_numbers = function(v)
    if v ~= nil then cfg.encode_invalid_numbers = (v == 'null') and 'null' or (v and true or false) end
    return cfg.encode_invalid_numbers
  end,
  decode_invalid_numbers = function(v)
    if v ~= nil then cfg.decode_invalid_numbers = v and true or false end
    return cfg.decode_invalid_numbers
  end,
  encode_sparse_array = function(convert, ratio, safe)
    if convert ~= nil then cfg.sparse_convert = convert and true or false end
    if ratio ~= nil then cfg.sparse_ratio = tonumber(ratio) end
    if safe ~= nil then cfg.sparse_safe = tonumber(safe) end
    return cfg.sparse_convert, cfg.sparse_ratio, cfg.sparse_safe
  end,
  _NAME = 'cjson',
  _VERSION = '2.1.0',
}
