-- The bit library (LuaBitOp's API) on 32-bit integers, as Redis scripts see it: arguments are brought to
-- 32 bits by rounding and wrapping, results are signed.
local floor = math.floor
local TWO32, TWO31 = 4294967296, 2147483648

local function unsigned(x)
  x = tonumber(x) or error("bad argument (number expected)", 3)
  local f = floor(x)
  local d = x - f
  if d > 0.5 or (d == 0.5 and f % 2 == 1) then f = f + 1 end
  return f % TWO32
end

local function signed(u)
  if u >= TWO31 then return u - TWO32 end
  return u
end

-- Combines two unsigned values bit by bit with op(a_bit, b_bit) -> 0 or 1.
local function combine(a, b, op)
  local r, p = 0, 1
  for _ = 1, 32 do
    local x, y = a % 2, b % 2
    r = r + op(x, y) * p
    a, b, p = (a - x) / 2, (b - y) / 2, p * 2
  end
  return r
end
local function AND(x, y) return x * y end
local function OR(x, y) return (x + y > 0) and 1 or 0 end
local function XOR(x, y) return (x + y) % 2 end

local function fold(op, first, ...)
  local r = unsigned(first)
  for i = 1, select('#', ...) do
    r = combine(r, unsigned((select(i, ...))), op)
  end
  return signed(r)
end

local function shift_count(n) return unsigned(n) % 32 end

return {
  tobit = function(x) return signed(unsigned(x)) end,
  bnot = function(x) return signed(TWO32 - 1 - unsigned(x)) end,
  band = function(...) return fold(AND, ...) end,
  bor = function(...) return fold(OR, ...) end,
  bxor = function(...) return fold(XOR, ...) end,
  lshift = function(x, n) return signed((unsigned(x) * 2 ^ shift_count(n)) % TWO32) end,
  rshift = function(x, n) return signed(floor(unsigned(x) / 2 ^ shift_count(n))) end,
  arshift = function(x, n) return floor(signed(unsigned(x)) / 2 ^ shift_count(n)) end,
  rol = function(x, n)
    local u, s = unsigned(x), shift_count(n)
    return signed((u * 2 ^ s) % TWO32 + floor(u / 2 ^ (32 - s)))
  end,
  ror = function(x, n)
    local u, s = unsigned(x), shift_count(n)
    return signed(floor(u / 2 ^ s) + (u * 2 ^ (32 - s)) % TWO32)
  end,
  bswap = function(x)
    local u = unsigned(x)
    local b0, b1, b2, b3 = u % 256, floor(u / 256) % 256, floor(u / 65536) % 256, floor(u / 16777216)
    return signed(((b0 * 256 + b1) * 256 + b2) * 256 + b3)
  end,
  tohex = function(x, n)
    n = n == nil and 8 or signed(unsigned(n))
    local digits = '0123456789abcdef'
    if n < 0 then n = -n; digits = '0123456789ABCDEF' end
    if n > 8 then n = 8 end
    local u, out = unsigned(x), {}
    for i = n, 1, -1 do
      local d = u % 16
      out[i] = string.sub(digits, d + 1, d + 1)
      u = (u - d) / 16
    end
    return table.concat(out)
  end,
}
