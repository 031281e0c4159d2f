-- The cmsgpack library as Redis scripts know it (lua-cmsgpack's API): pack encodes its arguments one
-- after another, tables nested deeper than 16 become nil, integral numbers become MessagePack integers.
local byte, char, sub, concat = string.byte, string.char, string.sub, table.concat
local floor, frexp, ldexp, huge = math.floor, math.frexp, math.ldexp, math.huge
local type, next, select, error, rawget = type, next, select, error, rawget
local MAX_NESTING = 16

-- n as `size` big-endian bytes of its two's complement.
local function be(n, size)
  local out = {}
  for i = size, 1, -1 do
    local b = n % 256
    out[i] = char(b)
    n = (n - b) / 256
  end
  return concat(out)
end

local function float_bytes(x, single)
  local ebits, mbits, bias = single and 8 or 11, single and 23 or 52, single and 127 or 1023
  local sign = 0
  if x < 0 or (x == 0 and 1 / x < 0) then sign = 1; x = -x end
  local e, m
  if x ~= x then
    e, m = 2 ^ ebits - 1, 2 ^ (mbits - 1)
  elseif x == huge then
    e, m = 2 ^ ebits - 1, 0
  elseif x == 0 then
    e, m = 0, 0
  else
    local f, ex = frexp(x)
    e = ex + bias - 1
    if e <= 0 then
      m = ldexp(f, mbits + e)
      e = 0
    else
      m = (f * 2 - 1) * 2 ^ mbits
    end
  end
  if single then return be(((sign * 2 ^ ebits) + e) * 2 ^ mbits + m, 4) end
  -- 64 bits do not fit a double's mantissa: the two 32-bit halves are built apart.
  local lo = m % 2 ^ 32
  return be(((sign * 2 ^ ebits) + e) * 2 ^ 20 + (m - lo) / 2 ^ 32, 4) .. be(lo, 4)
end

local function word(s, i)
  local a, b, c, d = byte(s, i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

-- An IEEE float (single) or double at s[i], big-endian; doubles are read as two 32-bit halves.
local function float_value(s, i, single)
  local hi = word(s, i)
  local mbits, bias, m, e = single and 23 or 52, single and 127 or 1023, nil, nil
  if single then
    m, e = hi % 2 ^ 23, floor(hi / 2 ^ 23) % 256
  else
    m, e = (hi % 2 ^ 20) * 2 ^ 32 + word(s, i + 4), floor(hi / 2 ^ 20) % 2048
  end
  local sign = hi >= 2 ^ 31 and -1 or 1
  if e == (single and 255 or 2047) then
    if m == 0 then return sign * huge end
    return 0 / 0
  end
  if e == 0 then return sign * ldexp(m, 1 - bias - mbits) end
  return sign * ldexp(m + 2 ^ mbits, e - bias - mbits)
end

local function encode_integer(n)
  if n >= 0 then
    if n <= 127 then return char(n) end
    if n <= 0xff then return '\204' .. char(n) end
    if n <= 0xffff then return '\205' .. be(n, 2) end
    if n <= 0xffffffff then return '\206' .. be(n, 4) end
    return '\207' .. be(n, 8)
  end
  if n >= -32 then return char(256 + n) end
  if n >= -128 then return '\208' .. be(n, 1) end
  if n >= -32768 then return '\209' .. be(n, 2) end
  if n >= -2147483648 then return '\210' .. be(n, 4) end
  return '\211' .. be(n, 8)
end

local function encode_number(n)
  if n == floor(n) and n ~= huge and n ~= -huge and n >= -2 ^ 63 and n < 2 ^ 63 then
    return encode_integer(n)
  end
  local f = float_bytes(n, true)
  if float_value(f, 1, true) == n then return '\202' .. f end
  return '\203' .. float_bytes(n, false)
end

local function encode_string(s)
  local n = #s
  if n < 32 then return char(0xa0 + n) .. s end
  if n <= 0xff then return '\217' .. char(n) .. s end
  if n <= 0xffff then return '\218' .. be(n, 2) .. s end
  return '\219' .. be(n, 4) .. s
end

local encode
local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= 'number' or k <= 0 or floor(k) ~= k then return false end
    if k > max then max = k end
    count = count + 1
  end
  return max == count, max
end

local function encode_table(t, level, out)
  local array, n = is_array(t)
  if array then
    if n < 16 then out[#out + 1] = char(0x90 + n)
    elseif n <= 0xffff then out[#out + 1] = '\220' .. be(n, 2)
    else out[#out + 1] = '\221' .. be(n, 4) end
    for i = 1, n do encode(rawget(t, i), level + 1, out) end
  else
    local count = 0
    for _ in next, t do count = count + 1 end
    if count < 16 then out[#out + 1] = char(0x80 + count)
    elseif count <= 0xffff then out[#out + 1] = '\222' .. be(count, 2)
    else out[#out + 1] = '\223' .. be(count, 4) end
    for k, v in next, t do
      encode(k, level + 1, out)
      encode(v, level + 1, out)
    end
  end
end

encode = function(v, level, out)
  local t = type(v)
  if t == 'table' and level == MAX_NESTING then t = 'nil' end
  if t == 'string' then out[#out + 1] = encode_string(v)
  elseif t == 'number' then out[#out + 1] = encode_number(v)
  elseif t == 'boolean' then out[#out + 1] = v and '\195' or '\194'
  elseif t == 'table' then encode_table(v, level, out)
  else out[#out + 1] = '\192' end
end

local function pack(...)
  local n = select('#', ...)
  if n == 0 then error('MessagePack pack needs input.', 2) end
  local out = {}
  for i = 1, n do encode((select(i, ...)), 0, out) end
  return concat(out)
end

-- Decoding: returns the value and the index after it; raises 'eof' or 'bad' for damaged input.
local decode
local function uint(s, i, size)
  if i + size - 1 > #s then error('eof', 0) end
  local n = 0
  for k = i, i + size - 1 do n = n * 256 + byte(s, k) end
  return n
end
local function int(s, i, size)
  local n = uint(s, i, size)
  if n >= 2 ^ (8 * size - 1) then n = n - 2 ^ (8 * size) end
  return n
end
local function bytes(s, i, n)
  if i + n - 1 > #s then error('eof', 0) end
  return sub(s, i, i + n - 1), i + n
end
local function array(s, i, n)
  local t = {}
  for k = 1, n do t[k], i = decode(s, i) end
  return t, i
end
local function map(s, i, n)
  local t = {}
  for _ = 1, n do
    local k, v
    k, i = decode(s, i)
    v, i = decode(s, i)
    if k ~= nil then t[k] = v end
  end
  return t, i
end

decode = function(s, i)
  local c = byte(s, i)
  if c == nil then error('eof', 0) end
  i = i + 1
  if c <= 0x7f then return c, i end
  if c >= 0xe0 then return c - 256, i end
  if c >= 0xa0 and c <= 0xbf then return bytes(s, i, c - 0xa0) end
  if c >= 0x90 and c <= 0x9f then return array(s, i, c - 0x90) end
  if c >= 0x80 and c <= 0x8f then return map(s, i, c - 0x80) end
  if c == 0xc0 then return nil, i end
  if c == 0xc2 then return false, i end
  if c == 0xc3 then return true, i end
  if c == 0xca then if i + 3 > #s then error('eof', 0) end return float_value(s, i, true), i + 4 end
  if c == 0xcb then if i + 7 > #s then error('eof', 0) end return float_value(s, i, false), i + 8 end
  if c == 0xcc then return uint(s, i, 1), i + 1 end
  if c == 0xcd then return uint(s, i, 2), i + 2 end
  if c == 0xce then return uint(s, i, 4), i + 4 end
  if c == 0xcf then return uint(s, i, 8), i + 8 end
  if c == 0xd0 then return int(s, i, 1), i + 1 end
  if c == 0xd1 then return int(s, i, 2), i + 2 end
  if c == 0xd2 then return int(s, i, 4), i + 4 end
  if c == 0xd3 then return int(s, i, 8), i + 8 end
  if c == 0xd9 or c == 0xc4 then return bytes(s, i + 1, uint(s, i, 1)) end
  if c == 0xda or c == 0xc5 then return bytes(s, i + 2, uint(s, i, 2)) end
  if c == 0xdb or c == 0xc6 then return bytes(s, i + 4, uint(s, i, 4)) end
  if c == 0xdc then return array(s, i + 2, uint(s, i, 2)) end
  if c == 0xdd then return array(s, i + 4, uint(s, i, 4)) end
  if c == 0xde then return map(s, i + 2, uint(s, i, 2)) end
  if c == 0xdf then return map(s, i + 4, uint(s, i, 4)) end
  error('bad', 0)
end

-- Decodes up to `limit` values (0: all) from byte `offset`; with `with_offset`, the next offset (-1 at
-- the end) comes first.
local function unpack_full(s, limit, offset, with_offset)
  if type(s) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(s) .. ")", 3) end
  local len = #s
  if offset < 0 or limit < 0 then
    error('Invalid request to unpack with offset of ' .. offset .. ' and limit of ' .. len .. '.', 3)
  elseif offset > len then
    error('Start offset ' .. offset .. ' greater than input length ' .. len .. '.', 3)
  end
  if limit == 0 then limit = huge end
  local results, n, i = {}, 0, offset + 1
  while i <= len and n < limit do
    local ok, v, nxt = pcall(decode, s, i)
    if not ok then
      if v == 'eof' then error('Missing bytes in input.', 3) end
      if v == 'bad' then error('Bad data format in input.', 3) end
      error(v, 0)
    end
    n = n + 1
    results[n] = v
    i = nxt
  end
  if with_offset then
    return (i > len) and -1 or (i - 1), unpack(results, 1, n)
  end
  return unpack(results, 1, n)
end

return {
  pack = pack,
  unpack = function(s) return unpack_full(s, 0, 0, false) end,
  unpack_one = function(s, offset) return unpack_full(s, 1, offset or 0, true) end,
  unpack_limit = function(s, limit, offset) return unpack_full(s, limit or 0, offset or 0, true) end,
  _NAME = 'cmsgpack',
  _VERSION = 'lua-cmsgpack 0.4.0',
}
