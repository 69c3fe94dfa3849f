/**
 * The Lua prelude run once in every fresh Lua state (spec engine.md §25.4 sandbox). It strips the host-reaching
 * libraries, hides the string metatable, and returns the function that builds a brand-new global environment for
 * each evaluation, so no state survives between runs even though the Lua state is reused:
 * - every evaluation gets its own `_ENV` with shallow copies of string/table/math/utf8/coroutine;
 * - `pcall`, `xpcall`, `coroutine.resume` and `coroutine.close` re-raise a tripped time or memory limit (the guard);
 * - `setmetatable` refuses `__gc`, so no code from one evaluation can run during a later one;
 * - `print` and `warn` do nothing;
 * - string.find / match / gmatch / gsub are the hook-interruptible versions of patterns-source.ts, and
 *   table.move moves large ranges in Lua, so no library call can loop past the deadline in native code.
 */
import { LUA_PATTERNS } from './patterns-source.js';

export const SANDBOX_PRELUDE = `
local guard = ...
${LUA_PATTERNS}
do
  local move, tointeger, maxinteger, error = table.move, math.tointeger, math.maxinteger, error
  table.move = function(a1, f, e, t, a2)
    local fi, ei, ti = tointeger(f), tointeger(e), tointeger(t)
    if not fi or not ei or not ti or ei < fi or ei - fi < 100000 then return move(a1, f, e, t, a2) end
    move(a1, 1, 0, 1, a2)
    local dest = a2 == nil and a1 or a2
    local n = ei - fi + 1
    if ti > maxinteger - n + 1 then error("bad argument #4 to 'move' (destination wrap around)", 2) end
    if ti > ei or ti <= fi or (a2 ~= nil and a1 ~= dest) then
      for i = 0, n - 1 do dest[ti + i] = a1[fi + i] end
    else
      for i = n - 1, 0, -1 do dest[ti + i] = a1[fi + i] end
    end
    return dest
  end
end
local rawpcall, rawxpcall, rawsetmetatable = pcall, xpcall, setmetatable
local rawresume, rawclose = coroutine.resume, coroutine.close
local rawget, next, type, error = rawget, next, type, error
local reseed = math.randomseed
local function pass(...) guard() return ... end
local function nothing() end
local base = {
  assert = assert, error = error, getmetatable = getmetatable, ipairs = ipairs, next = next, pairs = pairs,
  rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = rawset, select = select, tonumber = tonumber,
  tostring = tostring, type = type, _VERSION = _VERSION, print = nothing, warn = nothing,
  pcall = function(...) return pass(rawpcall(...)) end,
  xpcall = function(...) return pass(rawxpcall(...)) end,
  setmetatable = function(t, mt)
    if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
      error("__gc metamethods are not supported", 2)
    end
    return rawsetmetatable(t, mt)
  end,
}
string.dump = nil
local coroutines = {}
for k, v in next, coroutine do coroutines[k] = v end
coroutines.resume = function(...) return pass(rawresume(...)) end
coroutines.close = function(...) return pass(rawclose(...)) end
local libraries = { string = string, table = table, math = math, utf8 = utf8, coroutine = coroutines }
local stringMeta = getmetatable("")
stringMeta.__metatable = false
io, os, debug, package, require, dofile, loadfile, load, collectgarbage = nil, nil, nil, nil, nil, nil, nil, nil, nil
return function()
  local env = {}
  for k, v in next, base do env[k] = v end
  for name, library in next, libraries do
    local copy = {}
    for k, v in next, library do copy[k] = v end
    env[name] = copy
  end
  env._G = env
  stringMeta.__index = env.string
  reseed()
  return env
end
`;
