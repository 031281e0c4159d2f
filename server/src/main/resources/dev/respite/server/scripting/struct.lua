-- The struct library as Redis scripts know it (Roberto Ierusalimschy's struct API): pack, unpack and size
-- of binary records described by a format string.
local byte, char, sub, find, concat, rep = string.byte, string.char, string.sub, string.find, table.concat, string.rep
local floor, frexp, ldexp, huge = math.floor, math.frexp, math.ldexp, math.huge
local type, tonumber, error, select = type, tonumber, error, select
local MAXINTSIZE, MAXALIGN = 32, 8

-- Walks a format: calls step(option, size, padding) for each item.
local function each(fmt, step)
  local little, align, i, len, pos = true, 1, 1, #fmt, 0
  while i <= len do
    local opt = sub(fmt, i, i)
    i = i + 1
    local _, e, digits = find(fmt, '^(%d+)', i)
    local n = digits and tonumber(digits)
    if e then i = e + 1 end
    local size
    if opt == ' ' then
    elseif opt == '<' or opt == '=' then little = true
    elseif opt == '>' then little = false
    elseif opt == '!' then
      align = n or MAXALIGN
    else
      if opt == 'x' or opt == 'b' or opt == 'B' then size = 1
      elseif opt == 'h' or opt == 'H' then size = 2
      elseif opt == 'l' or opt == 'L' or opt == 'T' then size = 8
      elseif opt == 'f' then size = 4
      elseif opt == 'd' then size = 8
      elseif opt == 'i' or opt == 'I' then
        size = n or 4
        if size > MAXINTSIZE then
          error('integral size ' .. size .. ' is larger than limit of ' .. MAXINTSIZE, 3)
        end
      elseif opt == 'c' then size = n or 1
      elseif opt == 's' then size = 0
      else error("invalid format option '" .. opt .. "'", 3) end
      local pad = 0
      if size > 1 and opt ~= 'c' then
        local a = size < align and size or align
        if a % 2 ~= 0 and a ~= 1 then error('alignment must be power of 2', 3) end
        pad = (a - pos % a) % a
      end
      local consumed = step(opt, size, pad, little, n)
      pos = pos + pad + (consumed or size)
    end
  end
end

local function int_bytes(v, size, little)
  local out = {}
  for k = 1, size do
    local b = v % 256
    out[little and k or size - k + 1] = char(b)
    v = (v - b) / 256
  end
  return concat(out)
end

local function float_bytes(x, single, little)
  local ebits, mbits, bias = single and 8 or 11, single and 23 or 52, single and 127 or 1023
  local sign = 0
  if x < 0 or (x == 0 and 1 / x < 0) then sign = 1; x = -x end
  local e, m
  if x ~= x then e, m = 2 ^ ebits - 1, 2 ^ (mbits - 1)
  elseif x == huge then e, m = 2 ^ ebits - 1, 0
  elseif x == 0 then e, m = 0, 0
  else
    local f, ex = frexp(x)
    e = ex + bias - 1
    if e <= 0 then m = ldexp(f, mbits + e); e = 0 else m = (f * 2 - 1) * 2 ^ mbits end
  end
  if single then return int_bytes(((sign * 2 ^ ebits) + e) * 2 ^ mbits + m, 4, little) end
  -- 64 bits do not fit a double's mantissa: the two 32-bit halves are built apart.
  local lo = m % 2 ^ 32
  local hi = int_bytes(((sign * 2 ^ ebits) + e) * 2 ^ 20 + (m - lo) / 2 ^ 32, 4, little)
  local low = int_bytes(lo, 4, little)
  if little then return low .. hi end
  return hi .. low
end

local function read_uint(s, i, size, little)
  local n = 0
  for k = 1, size do
    n = n * 256 + byte(s, little and i + size - k or i + k - 1)
  end
  return n
end

-- An IEEE float (single) or double at s[i]; doubles are read as two 32-bit halves.
local function float_value(s, i, single, little)
  local mbits, bias, hi, m, e = single and 23 or 52, single and 127 or 1023, nil, nil, nil
  if single then
    hi = read_uint(s, i, 4, little)
    m, e = hi % 2 ^ 23, floor(hi / 2 ^ 23) % 256
  else
    hi = read_uint(s, little and i + 4 or i, 4, little)
    local lo = read_uint(s, little and i or i + 4, 4, little)
    m, e = (hi % 2 ^ 20) * 2 ^ 32 + lo, floor(hi / 2 ^ 20) % 2048
  end
  local sign = hi >= 2 ^ 31 and -1 or 1
  if e == (single and 255 or 2047) then
    if m == 0 then return sign * huge end
    return 0 / 0
  end
  if e == 0 then return sign * ldexp(m, 1 - bias - mbits) end
  return sign * ldexp(m + 2 ^ mbits, e - bias - mbits)
end

local function pack(fmt, ...)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'pack' (string expected, got " .. type(fmt) .. ")", 2) end
  local out, arg, nargs, args = {}, 1, select('#', ...), { ... }
  local function value(kind)
    local v = args[arg]
    if kind == 'number' then
      local n = tonumber(v)
      if n == nil then
        error("bad argument #" .. (arg + 1) .. " to 'pack' (number expected, got " .. (arg > nargs and 'no value' or type(v)) .. ")", 4)
      end
      v = n
    elseif type(v) ~= 'string' and type(v) ~= 'number' then
      error("bad argument #" .. (arg + 1) .. " to 'pack' (string expected, got " .. (arg > nargs and 'no value' or type(v)) .. ")", 4)
    end
    arg = arg + 1
    return v
  end
  each(fmt, function(opt, size, pad, little)
    if pad > 0 then out[#out + 1] = rep('\0', pad) end
    if opt == 'x' then
      out[#out + 1] = '\0'
    elseif opt == 'f' or opt == 'd' then
      out[#out + 1] = float_bytes(value('number'), opt == 'f', little)
    elseif opt == 'c' or opt == 's' then
      local s = tostring(value('string'))
      if opt == 's' then
        if find(s, '\0', 1, true) then error("bad argument #" .. arg .. " to 'pack' (string contains zeros)", 3) end
        out[#out + 1] = s .. '\0'
        return #s + 1
      end
      local n = size
      if n == 0 then n = #s end
      if #s < n then error("bad argument #" .. arg .. " to 'pack' (string too short)", 3) end
      out[#out + 1] = sub(s, 1, n)
      return n
    else
      local n = value('number')
      n = n >= 0 and floor(n) or -floor(-n)
      out[#out + 1] = int_bytes(n, size, little)
    end
  end)
  return concat(out)
end

local function unpack_(fmt, data, init)
  if type(fmt) ~= 'string' then error("bad argument #1 to 'unpack' (string expected, got " .. type(fmt) .. ")", 2) end
  if type(data) ~= 'string' and type(data) ~= 'number' then
    error("bad argument #2 to 'unpack' (string expected, got " .. type(data) .. ")", 2)
  end
  data = tostring(data)
  local pos = (tonumber(init) or 1) - 1
  if pos < 0 then error("bad argument #3 to 'unpack' (offset must be 1 or greater)", 2) end
  local results, n = {}, 0
  local ld = #data
  each(fmt, function(opt, size, pad, little)
    pos = pos + pad
    if opt == 's' then
      local z = find(data, '\0', pos + 1, true)
      if z == nil then error('unfinished string in data', 3) end
      n = n + 1
      results[n] = sub(data, pos + 1, z - 1)
      pos = z
      return 0
    end
    if opt == 'c' and size == 0 then
      if type(results[n]) ~= 'number' then error("format 'c0' needs a previous size", 3) end
      size = results[n]
      n = n - 1
    end
    if pos + size > ld then error("bad argument #2 to 'unpack' (data string too short)", 3) end
    if opt == 'x' then
    elseif opt == 'c' then
      n = n + 1
      results[n] = sub(data, pos + 1, pos + size)
    elseif opt == 'f' or opt == 'd' then
      n = n + 1
      results[n] = float_value(data, pos + 1, opt == 'f', little)
    else
      local v = read_uint(data, pos + 1, size, little)
      if (opt == 'b' or opt == 'h' or opt == 'l' or opt == 'i') and v >= 2 ^ (8 * size - 1) then
        v = v - 2 ^ (8 * size)
      end
      n = n + 1
      results[n] = v
    end
    pos = pos + size
    return 0
  end)
  n = n + 1
  results[n] = pos + 1
  return unpack(results, 1, n)
end

local function size(fmt)
  local total = 0
  each(fmt, function(opt, sz, pad)
    if opt == 's' or (opt == 'c' and sz == 0) then error("options 'c0' and 's' have variable size", 3) end
    total = total + pad + sz
  end)
  return total
end

return { pack = pack, unpack = unpack_, size = size }
