/**
 * Lua patterns in the sandbox (patterns-source.ts): results must equal Lua's own C string library for find, match,
 * gmatch and gsub across the pattern language — and a backtracking pattern must stop at the time limit instead of
 * running for minutes. The reference is an unsandboxed wasmoon engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LuaFactory, type LuaEngine as Reference } from 'wasmoon';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { LuaEngine } from './engine.js';

let engine: LuaEngine;
let reference: Reference;
before(async () => {
  engine = await LuaEngine.create({ timeoutMs: 200, memoryLimitBytes: 8 * 1024 * 1024 }, 16);
  reference = await new LuaFactory().createEngine();
});
after(() => {
  engine.close();
  reference.global.close();
});

/** Lua that renders every outcome of `call` (values or error text without position) as one string. */
const render = (call: string): string => `
local function show(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[#out + 1] = type(v) .. ":" .. tostring(v)
  end
  return table.concat(out, "|")
end
local function run()
  ${call}
end
local ok, a, b, c, d, e = pcall(run)
if ok then return "ok " .. (a or "") end
return "error " .. tostring(a):gsub("^[^:]*:%d+: ", "")`;

const subjects = ['hello world', ' trim me  ', 'key=value; k2=v2', 'a,b,,c', '(nested (parens) here)', 'THE (quick) fox', '', 'aaa', 'x1y22z333'];
const patterns = [
  'o', 'l+', 'l*', 'l-o', 'o?w', '^h', 'd$', '^%s*(.-)%s*$', '(%w+)=(%w+)', '[^,]*', '%b()', '%f[%a]%a+', '()ll()',
  '(l)(l)', '%d+', '[%a_][%w_]*', '[a-f]+', '[^%s]+', '.-', '(a*(.))%2', '(h)(e)(l)(l)(o)', '%u+', '[%]]', '%.', 'x*$',
  '[0-9]-z', '(%d)%1', '', '^', '$', '%w-%d',
];
const badPatterns = ['[a', '%', '(()', '%b', '%f', '(%1)', 'a)', '%g('];

const bothAgree = (call: string): void => {
  const ours = engine.value(engine.compile(render(call), []), {});
  const theirs: unknown = reference.doStringSync(render(call));
  assert.equal(ours, theirs, call);
};

describe('Lua patterns match the C string library', () => {
  it('string.find with captures, anchors and init positions', () => {
    for (const s of subjects) {
      for (const p of patterns) {
        bothAgree(`return show(string.find(${JSON.stringify(s)}, ${JSON.stringify(p)}))`);
        bothAgree(`return show(string.find(${JSON.stringify(s)}, ${JSON.stringify(p)}, 3))`);
        bothAgree(`return show(string.find(${JSON.stringify(s)}, ${JSON.stringify(p)}, -4))`);
      }
    }
  });

  it('string.match and method syntax', () => {
    for (const s of subjects) {
      for (const p of patterns) bothAgree(`return show((${JSON.stringify(s)}):match(${JSON.stringify(p)}))`);
    }
  });

  it('string.gmatch', () => {
    for (const s of subjects) {
      for (const p of patterns) {
        bothAgree(`local out = {} for a, b in string.gmatch(${JSON.stringify(s)}, ${JSON.stringify(p)}) do out[#out + 1] = show(a, b) end return table.concat(out, ";")`);
      }
    }
  });

  it('string.gsub with string, table and function replacements and a limit', () => {
    for (const s of subjects) {
      for (const p of patterns) {
        const q = `${JSON.stringify(s)}, ${JSON.stringify(p)}`;
        bothAgree(`return show(string.gsub(${q}, "<%0>"))`);
        bothAgree(`return show(string.gsub(${q}, "%1", 2))`);
        bothAgree(`return show(string.gsub(${q}, {hello = "HI", l = false, o = 0}))`);
        bothAgree(`return show(string.gsub(${q}, function(a, b) if a == "" then return nil end return "[" .. a .. tostring(b) .. "]" end))`);
      }
    }
  });

  it('reports the same errors for malformed patterns and replacements', () => {
    for (const p of badPatterns) {
      bothAgree(`return show(string.find("hello (x)", ${JSON.stringify(p)}))`);
      bothAgree(`return show(string.gsub("hello", ${JSON.stringify(p)}, "x"))`);
    }
    bothAgree('return show(string.gsub("hello", "l", "%9"))');
    bothAgree('return show(string.gsub("hello", "l", "%x"))');
    bothAgree('return show(string.gsub("hello", "(l)", {l = {}}))');
    bothAgree('return show(string.find(nil, "x"))');
    bothAgree('return show(string.find("x"))');
    bothAgree('return show(string.gsub("x", "x"))');
    bothAgree('return show(string.match(12345, 3))');
    bothAgree('return show(string.find("abcabc", "b", "3"))');
    bothAgree('return show(string.find("abcabc", "b+", "x"))');
    bothAgree('return show(string.find("abcabc", "b+", 2.5))');
    bothAgree('return show(string.find("abcabc", "b+", 2.0))');
  });

  it('plain find ignores magic characters', () => {
    bothAgree('return show(string.find("a.b*c", ".b*", 1, true))');
    bothAgree('return show(string.find("a.b*c", "", 10, true))');
  });
});

describe('table.move in the sandbox', () => {
  it('moves like the C library, forwards, backwards and into another table', () => {
    bothAgree('local t = {1, 2, 3, 4, 5} table.move(t, 1, 3, 3) return table.concat(t, ",")');
    bothAgree('local t = {1, 2, 3, 4, 5} table.move(t, 2, 5, 1) return table.concat(t, ",")');
    bothAgree('local t = table.move({1, 2, 3}, 1, 3, 2, {9}) return table.concat(t, ",")');
    bothAgree('return show(table.move({}, 1, math.maxinteger, 2))');
    bothAgree('return show(table.move({}, "x", 2, 1))');
    bothAgree('local t = {} for i = 1, 200000 do t[i] = i end table.move(t, 1, 200000, 2) return t[2] + t[200001]');
  });

  it('stops a huge move at the deadline', () => {
    const source = 'return table.move({}, 1, 1e15, 1, {})';
    assert.throws(() => engine.value(engine.compile(source, []), {}), new ScriptRuntimeError('script timeout exceeded (200 ms)'));
  });
});

describe('Lua patterns and the time limit', () => {
  it('stops a backtracking pattern at the deadline', () => {
    const source = 'return string.find(string.rep("a", 2000), ".-.-.-.-b")';
    assert.throws(() => engine.value(engine.compile(source, []), {}), new ScriptRuntimeError('script timeout exceeded (200 ms)'));
    assert.equal(engine.value(engine.compile('return ("a@b"):find("@")', []), {}), 2);
  });

  it('stops a long plain search at the deadline', () => {
    const source = 'local s = string.rep("a", 3000000) local p = string.rep("a", 2000) .. "b" return s:find(p, 1, true)';
    assert.throws(() => engine.value(engine.compile(source, []), {}), ScriptRuntimeError);
  });
});
