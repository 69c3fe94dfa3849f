/**
 * Abuse suite (spec engine.md §25.2: a script can never hang, crash or exhaust the engine). For every language:
 * endless work, runaway recursion and huge allocations each end in a bounded ScriptRuntimeError, and ordinary
 * scripts in every language keep working afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Json } from '../model/types.js';
import { ScriptRuntimeError, type ScriptPort } from '../ports/scripts.js';
import { createScriptPort } from './index.js';

const TIMEOUT = 'script timeout exceeded (200 ms)';
const MEMORY = 'script memory limit exceeded (33554432 bytes)';

interface Abuse {
  readonly name: string;
  readonly script: string;
  /** Exact message, or undefined when any ScriptRuntimeError is acceptable (e.g. stack versus time). */
  readonly message?: string;
  readonly document?: Json;
}

const ABUSE: Record<string, readonly Abuse[]> = {
  ale: [
    { name: 'long computation', script: '(let [f (fn [s n] (if (= n 0) 0 (s s (- n 1))))] (map (fn [x] (f f 900)) (range 1000000)))', message: TIMEOUT },
    { name: 'self-application', script: '((fn [f] (f f)) (fn [f] (f f)))', message: 'stack overflow' },
    { name: 'huge range', script: '(count (range 1e9))', message: MEMORY },
    { name: 'runaway concatenation', script: '(reduce (fn [s x] (str s s)) "abcdefgh" (range 64))', message: MEMORY },
    { name: 'shared structure expanding', script: '(reduce (fn [acc x] [acc acc]) [] (range 64))' },
    { name: 'shared structure printed', script: '(str (reduce (fn [acc x] [acc acc]) [] (range 64)))' },
    { name: 'shared structure compared', script: '(let [a (reduce (fn [acc x] [acc acc]) [] (range 64)) b (reduce (fn [acc x] [acc acc]) [] (range 64))] (= a b))', message: TIMEOUT },
  ],
  lua: [
    { name: 'infinite loop', script: 'while true do end', message: TIMEOUT },
    { name: 'loop hidden in pcall', script: 'while true do pcall(function() while true do end end) end', message: TIMEOUT },
    { name: 'deep recursion', script: 'local function f(n) return 1 + f(n + 1) end return f(1)' },
    { name: 'C-stack recursion', script: 'local function f() return string.gsub("a", "a", f) end return f()' },
    { name: 'metamethod recursion', script: 'local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k] end return t.x' },
    { name: 'huge string', script: 'return string.rep("x", 1e9)', message: MEMORY },
    { name: 'growing table', script: 'local t = {} local s = string.rep("y", 1e6) for i = 1, 1e9 do t[i] = s .. i end' },
    { name: 'memory error swallowed by pcall', script: 'while true do pcall(string.rep, "x", 1e9) end' },
    { name: 'shared structure expanding', script: 'local t = {} for i = 1, 64 do t = {t, t} end return t' },
    { name: 'backtracking pattern', script: 'return string.find(string.rep("a", 5000), ".-.-.-.-b")', message: TIMEOUT },
    { name: 'huge table move', script: 'return table.move({}, 1, 1e15, 1, {})', message: TIMEOUT },
    { name: 'shared string expanding', script: 'local s, t = string.rep("z", 1e6), {} for i = 1, 1000 do t[i] = s end return t', message: MEMORY },
  ],
  js: [
    { name: 'infinite loop', script: 'while (true) {}', message: TIMEOUT },
    { name: 'loop with catch and finally', script: 'for (;;) { try { for (;;) {} } catch (e) {} finally { continue } }', message: TIMEOUT },
    { name: 'deep recursion', script: 'function f(n) { return f(n + 1) + 1 } return f(0)' },
    { name: 'deeply nested source', script: 'eval("(".repeat(100000) + "1" + ")".repeat(100000))' },
    { name: 'deep structure serialised', script: 'let a = []; for (let i = 0; i < 1e5; i++) a = [a]; return a' },
    { name: 'catastrophic regex', script: '/(a|a)*b/.test("a".repeat(40))', message: TIMEOUT },
    { name: 'huge string', script: '"x".repeat(1e9)', message: MEMORY },
    { name: 'growing array', script: 'const a = []; for (;;) a.push(new Array(1000).fill(a.length))' },
    { name: 'shared structure expanding', script: 'let t = []; for (let i = 0; i < 64; i++) t = [t, t]; return t' },
    { name: 'native loop over a sparse array', script: 'new Array(1e9).join("").length', message: TIMEOUT },
    { name: 'native loop over a huge array-like', script: 'Array.prototype.indexOf.call({length: 2 ** 53 - 1}, 1)', message: TIMEOUT },
  ],
  jpath: [
    { name: 'nested filters', script: '$[?$[?$[?@ == -1]]]', message: TIMEOUT, document: Array.from({ length: 3000 }, (_, i) => i) },
    { name: 'catastrophic pattern', script: '$[?match(@, "(a|a)*b")]', document: ['a'.repeat(100_000)], message: undefined },
    {
      // 8^6 × 10 ≈ 2.6 million nodes: past the node bound of the memory limit (524 288 at 32 MiB) however fast the
      // machine, if the time limit does not end it first.
      name: 'node explosion',
      script: '$[*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*][*,*,*,*,*,*,*,*]',
      document: [[[[[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]]]]],
    },
  ],
};

const NORMAL: Record<string, string> = {
  ale: '{:sum (+ a b)}',
  lua: 'return {sum = a + b}',
  js: '({sum: a + b})',
  jpath: '$.a',
};

let port: ScriptPort & { close(): void };
before(async () => {
  port = await createScriptPort({ timeoutMs: 200, memoryLimitBytes: 32 * 1024 * 1024 });
});
after(() => port.close());

const normalScriptsWork = (): void => {
  for (const language of ['ale', 'lua', 'js']) {
    assert.deepEqual(port.runStep({ language, script: NORMAL[language]! }, ['a', 'b'], { a: 1, b: 2 }), { sum: 3 }, language);
  }
  assert.equal(port.map({ language: 'jpath', script: NORMAL.jpath! }, ['a'], { a: 1 }), 1);
};

for (const [language, cases] of Object.entries(ABUSE)) {
  describe(`abuse: ${language}`, () => {
    for (const abuse of cases) {
      it(`ends "${abuse.name}" with a bounded script error and stays healthy`, () => {
        const config = { language, script: abuse.script };
        const attempt = (): unknown =>
          language === 'jpath' ? port.map(config, [], {}, abuse.document ?? null) : port.runStep(config, [], {});
        assert.throws(attempt, (err: unknown) => {
          assert.ok(err instanceof ScriptRuntimeError, `${abuse.name}: ${String(err)}`);
          if (abuse.message !== undefined) assert.equal(err.message, abuse.message);
          return true;
        });
        normalScriptsWork();
      });
    }
  });
}
