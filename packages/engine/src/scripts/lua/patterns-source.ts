/**
 * Lua pattern matching written in Lua (a port of the Lua 5.4 string library's matcher), installed by the sandbox
 * prelude as string.find / match / gmatch / gsub. The C matcher backtracks without ever reaching the instruction
 * hook, so one call could outlive the time limit by orders of magnitude; this version runs as ordinary Lua code and
 * therefore stops at the deadline. Calls that are provably cheap (no backtracking constructs, small subject × pattern)
 * still go to the C functions. Must behave exactly like the C functions otherwise.
 */
export const LUA_PATTERNS = `
do
  local byte, sub, char, tostring, type, error, select = string.byte, string.sub, string.char, tostring, type, error, select
  local concat, unpack = table.concat, table.unpack
  local find, match, gmatch, gsub = string.find, string.match, string.gmatch, string.gsub
  local MAXCCALLS, CAP_UNFINISHED, CAP_POSITION = 200, -1, -2
  local CHEAP = 1000000
  local L_ESC, PERCENT, OPEN, CLOSE, LBRACKET, RBRACKET = 37, 37, 40, 41, 91, 93
  local DOT, CARET, DOLLAR, STAR, PLUS, MINUS, QUESTION = 46, 94, 36, 42, 43, 45, 63

  -- Called directly by the public functions, so level 3 is the script that called them.
  local function checkstring(value, n, name, count)
    local t = type(value)
    if t == "string" then return value end
    if t == "number" then return tostring(value) end
    error("bad argument #" .. n .. " to '" .. name .. "' (string expected, got " .. (n > count and "no value" or t) .. ")", 3)
  end

  local tonumber, tointeger = tonumber, math.tointeger

  -- luaL_optinteger for argument #3; level 3 is the script that called the public function.
  local function checkinit(init, name)
    if init == nil then return 1 end
    local n = tonumber(init)
    if n == nil then
      error("bad argument #3 to '" .. name .. "' (number expected, got " .. type(init) .. ")", 3)
    end
    local i = tointeger(n)
    if i == nil then error("bad argument #3 to '" .. name .. "' (number has no integer representation)", 3) end
    return i
  end

  local function cheap(s, p)
    return #s * (#p + 1) <= CHEAP and not find(p, "[*+?-]") and not find(p, "%%[bf1-9]")
  end

  local function posrelat(pos, len)
    if pos > 0 then return pos end
    if pos == 0 then return 1 end
    if pos < -len then return 1 end
    return len + pos + 1
  end

  local function class(c, cl)
    local lower = cl >= 65 and cl <= 90 and cl + 32 or cl
    local res
    if lower == 97 then res = (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
    elseif lower == 99 then res = c < 32 or c == 127
    elseif lower == 100 then res = c >= 48 and c <= 57
    elseif lower == 103 then res = c >= 33 and c <= 126
    elseif lower == 108 then res = c >= 97 and c <= 122
    elseif lower == 112 then res = (c >= 33 and c <= 47) or (c >= 58 and c <= 64) or (c >= 91 and c <= 96) or (c >= 123 and c <= 126)
    elseif lower == 115 then res = c == 32 or (c >= 9 and c <= 13)
    elseif lower == 117 then res = c >= 65 and c <= 90
    elseif lower == 119 then res = (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
    elseif lower == 120 then res = (c >= 48 and c <= 57) or (c >= 65 and c <= 70) or (c >= 97 and c <= 102)
    else return cl == c end
    if cl >= 65 and cl <= 90 then return not res end
    return res
  end

  local function new_state(s, p)
    return { src = s, len = #s, pat = p, plen = #p, level = 0, depth = MAXCCALLS, init = {}, clen = {} }
  end

  local function class_end(ms, p)
    local pat = ms.pat
    local c = byte(pat, p)
    p = p + 1
    if c == L_ESC then
      if p > ms.plen then error("malformed pattern (ends with '%')", 0) end
      return p + 1
    end
    if c == LBRACKET then
      if byte(pat, p) == CARET then p = p + 1 end
      repeat
        if p > ms.plen then error("malformed pattern (missing ']')", 0) end
        local cc = byte(pat, p)
        p = p + 1
        if cc == L_ESC and p <= ms.plen then p = p + 1 end
      until byte(pat, p) == RBRACKET
      return p + 1
    end
    return p
  end

  local function bracket(ms, c, p, ec)
    local pat = ms.pat
    local sig = true
    if byte(pat, p + 1) == CARET then sig = false; p = p + 1 end
    p = p + 1
    while p < ec do
      local pc = byte(pat, p)
      if pc == L_ESC then
        p = p + 1
        if class(c, byte(pat, p)) then return sig end
      elseif byte(pat, p + 1) == MINUS and p + 2 < ec then
        if pc <= c and c <= byte(pat, p + 2) then return sig end
        p = p + 2
      elseif pc == c then
        return sig
      end
      p = p + 1
    end
    return not sig
  end

  local function single(ms, s, p, ep)
    if s > ms.len then return false end
    local c = byte(ms.src, s)
    local pc = byte(ms.pat, p)
    if pc == DOT then return true end
    if pc == L_ESC then return class(c, byte(ms.pat, p + 1)) end
    if pc == LBRACKET then return bracket(ms, c, p, ep - 1) end
    return pc == c
  end

  local do_match

  local function max_expand(ms, s, p, ep)
    local i = 0
    while single(ms, s + i, p, ep) do i = i + 1 end
    while i >= 0 do
      local res = do_match(ms, s + i, ep + 1)
      if res then return res end
      i = i - 1
    end
    return nil
  end

  local function min_expand(ms, s, p, ep)
    while true do
      local res = do_match(ms, s, ep + 1)
      if res then return res end
      if single(ms, s, p, ep) then s = s + 1 else return nil end
    end
  end

  local function start_capture(ms, s, p, what)
    local level = ms.level + 1
    ms.init[level], ms.clen[level], ms.level = s, what, level
    local res = do_match(ms, s, p)
    if not res then ms.level = ms.level - 1 end
    return res
  end

  local function end_capture(ms, s, p)
    local l
    for i = ms.level, 1, -1 do
      if ms.clen[i] == CAP_UNFINISHED then l = i; break end
    end
    if not l then error("invalid pattern capture", 0) end
    ms.clen[l] = s - ms.init[l]
    local res = do_match(ms, s, p)
    if not res then ms.clen[l] = CAP_UNFINISHED end
    return res
  end

  local function match_capture(ms, s, d)
    local l = d - 48
    if l < 1 or l > ms.level or ms.clen[l] == CAP_UNFINISHED then error("invalid capture index %" .. l, 0) end
    local len = ms.clen[l]
    if len == CAP_POSITION then return nil end
    if ms.len - s + 1 >= len and sub(ms.src, ms.init[l], ms.init[l] + len - 1) == sub(ms.src, s, s + len - 1) then
      return s + len
    end
    return nil
  end

  local function match_balance(ms, s, p)
    if p + 1 > ms.plen then error("malformed pattern (missing arguments to '%b')", 0) end
    if s > ms.len or byte(ms.src, s) ~= byte(ms.pat, p) then return nil end
    local b, e, cont = byte(ms.pat, p), byte(ms.pat, p + 1), 1
    s = s + 1
    while s <= ms.len do
      local c = byte(ms.src, s)
      if c == e then
        cont = cont - 1
        if cont == 0 then return s + 1 end
      elseif c == b then
        cont = cont + 1
      end
      s = s + 1
    end
    return nil
  end

  do_match = function(ms, s, p)
    ms.depth = ms.depth - 1
    if ms.depth == 0 then error("pattern too complex", 0) end
    local pat = ms.pat
    while true do
      if p > ms.plen then ms.depth = ms.depth + 1; return s end
      local pc = byte(pat, p)
      local default = false
      if pc == OPEN then
        local res
        if byte(pat, p + 1) == CLOSE then res = start_capture(ms, s, p + 2, CAP_POSITION)
        else res = start_capture(ms, s, p + 1, CAP_UNFINISHED) end
        ms.depth = ms.depth + 1
        return res
      elseif pc == CLOSE then
        local res = end_capture(ms, s, p + 1)
        ms.depth = ms.depth + 1
        return res
      elseif pc == DOLLAR and p + 1 > ms.plen then
        ms.depth = ms.depth + 1
        if s == ms.len + 1 then return s end
        return nil
      elseif pc == L_ESC then
        local nc = byte(pat, p + 1)
        if nc == 98 then
          s = match_balance(ms, s, p + 2)
          if not s then ms.depth = ms.depth + 1; return nil end
          p = p + 4
        elseif nc == 102 then
          p = p + 2
          if byte(pat, p) ~= LBRACKET then error("missing '[' after '%f' in pattern", 0) end
          local ep = class_end(ms, p)
          local prev = s == 1 and 0 or byte(ms.src, s - 1)
          local cur = s <= ms.len and byte(ms.src, s) or 0
          if not bracket(ms, prev, p, ep - 1) and bracket(ms, cur, p, ep - 1) then
            p = ep
          else
            ms.depth = ms.depth + 1
            return nil
          end
        elseif nc and nc >= 48 and nc <= 57 then
          s = match_capture(ms, s, nc)
          if not s then ms.depth = ms.depth + 1; return nil end
          p = p + 2
        else
          default = true
        end
      else
        default = true
      end
      if default then
        local ep = class_end(ms, p)
        local epc = byte(pat, ep)
        if not single(ms, s, p, ep) then
          if epc == STAR or epc == QUESTION or epc == MINUS then
            p = ep + 1
          else
            ms.depth = ms.depth + 1
            return nil
          end
        else
          local res
          if epc == QUESTION then
            res = do_match(ms, s + 1, ep + 1)
            if res then ms.depth = ms.depth + 1; return res end
            p = ep + 1
          elseif epc == PLUS then
            res = max_expand(ms, s + 1, p, ep)
            ms.depth = ms.depth + 1
            return res
          elseif epc == STAR then
            res = max_expand(ms, s, p, ep)
            ms.depth = ms.depth + 1
            return res
          elseif epc == MINUS then
            res = min_expand(ms, s, p, ep)
            ms.depth = ms.depth + 1
            return res
          else
            s = s + 1
            p = ep
          end
        end
      end
    end
  end

  local function capture(ms, i, s, e)
    if i > ms.level then
      if i ~= 1 then error("invalid capture index %" .. i, 0) end
      return sub(ms.src, s, e - 1)
    end
    local l = ms.clen[i]
    if l == CAP_UNFINISHED then error("unfinished capture", 0) end
    if l == CAP_POSITION then return ms.init[i] end
    return sub(ms.src, ms.init[i], ms.init[i] + l - 1)
  end

  local function captures(ms, s, e, whole)
    local n = (ms.level == 0 and whole) and 1 or ms.level
    local out = {}
    for i = 1, n do out[i] = capture(ms, i, s, e) end
    return unpack(out, 1, n)
  end

  local function reset(ms)
    ms.level, ms.depth = 0, MAXCCALLS
  end

  local function plain_find(s, p, init)
    local ls, lp = #s, #p
    if lp == 0 then return init, init - 1 end
    local first = byte(p, 1)
    for i = init, ls - lp + 1 do
      if byte(s, i) == first and sub(s, i, i + lp - 1) == p then return i, i + lp - 1 end
    end
    return nil
  end

  local function find_aux(is_find, s, p, init, plain)
    local ls = #s
    init = posrelat(init, ls)
    if init > ls + 1 then return nil end
    if is_find and (plain or not find(p, "[%^%$%*%+%?%.%(%[%%%-]")) then
      if #s * (#p + 1) <= CHEAP then return find(s, p, init, true) end
      return plain_find(s, p, init)
    end
    if cheap(s, p) then
      if is_find then return find(s, p, init) end
      return match(s, p, init)
    end
    local ms = new_state(s, p)
    local pi, anchor = 1, byte(p, 1) == CARET
    if anchor then pi = 2 end
    local s1 = init
    repeat
      reset(ms)
      local e = do_match(ms, s1, pi)
      if e then
        if is_find then return s1, e - 1, captures(ms, nil, nil, false) end
        return captures(ms, s1, e, true)
      end
      s1 = s1 + 1
    until anchor or s1 > ls + 1
    return nil
  end

  string.find = function(...)
    local s, p, init, plain = ...
    local count = select("#", ...)
    s, p = checkstring(s, 1, "find", count), checkstring(p, 2, "find", count)
    return find_aux(true, s, p, checkinit(init, "find"), plain)
  end
  string.match = function(...)
    local s, p, init = ...
    local count = select("#", ...)
    s, p = checkstring(s, 1, "match", count), checkstring(p, 2, "match", count)
    return find_aux(false, s, p, checkinit(init, "match"), false)
  end

  string.gmatch = function(...)
    local s, p, init = ...
    local count = select("#", ...)
    s = checkstring(s, 1, "gmatch", count)
    p = checkstring(p, 2, "gmatch", count)
    local ls = #s
    init = posrelat(checkinit(init, "gmatch"), ls)
    if init > ls + 1 then init = ls + 1 end
    if cheap(s, p) then return gmatch(s, p, init) end
    local ms = new_state(s, p)
    local src, lastmatch = init, nil
    return function()
      while src <= ls + 1 do
        reset(ms)
        local e = do_match(ms, src, 1)
        if e and e ~= lastmatch then
          local start = src
          src, lastmatch = e, e
          return captures(ms, start, e, true)
        end
        src = src + 1
      end
      return nil
    end
  end

  local function add_string(ms, out, s, e, repl)
    local i, l = 1, #repl
    while i <= l do
      local c = byte(repl, i)
      if c == L_ESC then
        i = i + 1
        local d = byte(repl, i)
        if d == L_ESC then
          out[#out + 1] = "%"
        elseif d and d >= 48 and d <= 57 then
          if d == 48 then out[#out + 1] = sub(ms.src, s, e - 1)
          else out[#out + 1] = tostring(capture(ms, d - 48, s, e)) end
        else
          error("invalid use of '%' in replacement string", 0)
        end
      else
        out[#out + 1] = char(c)
      end
      i = i + 1
    end
  end

  string.gsub = function(...)
    local s, p, repl, max_n = ...
    local count = select("#", ...)
    s = checkstring(s, 1, "gsub", count)
    p = checkstring(p, 2, "gsub", count)
    local rt = type(repl)
    if rt == "number" then repl = tostring(repl); rt = "string" end
    if rt ~= "string" and rt ~= "table" and rt ~= "function" then
      error("bad argument #3 to 'gsub' (string/function/table expected, got " .. (count < 3 and "no value" or rt) .. ")", 2)
    end
    if cheap(s, p) then return gsub(s, p, repl, max_n) end
    local ls = #s
    max_n = max_n == nil and ls + 1 or max_n
    local ms = new_state(s, p)
    local pi, anchor = 1, byte(p, 1) == CARET
    if anchor then pi = 2 end
    local src, lastmatch, n, out = 1, nil, 0, {}
    while n < max_n do
      reset(ms)
      local e = do_match(ms, src, pi)
      if e and e ~= lastmatch then
        n = n + 1
        if rt == "string" then
          add_string(ms, out, src, e, repl)
        else
          local value
          if rt == "table" then value = repl[capture(ms, 1, src, e)]
          else value = repl(captures(ms, src, e, true)) end
          if not value then
            out[#out + 1] = sub(s, src, e - 1)
          elseif type(value) == "string" or type(value) == "number" then
            out[#out + 1] = tostring(value)
          else
            error("invalid replacement value (a " .. type(value) .. ")", 0)
          end
        end
        src, lastmatch = e, e
      elseif src <= ls then
        out[#out + 1] = sub(s, src, src)
        src = src + 1
      else
        break
      end
      if anchor then break end
    end
    if src <= ls then out[#out + 1] = sub(s, src) end
    return concat(out), n
  end
end
`;
