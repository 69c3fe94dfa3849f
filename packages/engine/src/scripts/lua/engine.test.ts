/**
 * Lua (spec engine.md §25.4): the spec's examples, binding prefix, JSON ⇄ Lua conversions, truthiness, errors,
 * every sandbox escape attempt, and isolation between evaluations that share a Lua state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { isLuaIdentifier, LuaEngine } from './engine.js';

let engine: LuaEngine;
before(async () => {
  engine = await LuaEngine.create({ timeoutMs: 200, memoryLimitBytes: 4 * 1024 * 1024 }, 64);
});
after(() => engine.close());

const vars = (args: Args): string[] => Object.keys(args).sort();
const value = (source: string, args: Args = {}): Json => engine.value(engine.compile(source, vars(args)), args);
const truth = (source: string, args: Args = {}): boolean => engine.truth(engine.compile(source, vars(args)), args);
const runtimeMessage = (source: string, args: Args = {}): string => {
  try {
    value(source, args);
  } catch (err) {
    assert.ok(err instanceof ScriptRuntimeError, String(err));
    return err.message;
  }
  assert.fail(`expected ${source} to fail`);
};

describe('Lua spec examples', () => {
  it('returns tables and values', () => {
    assert.deepEqual(value('return {result = a + b}', { a: 1, b: 2 }), { result: 3 });
    assert.deepEqual(value('return { result = (x or 0) * 3 }', { x: null }), { result: 0 });
    assert.deepEqual(value('return { result = (x or 0) * 3 }', { x: 4 }), { result: 12 });
  });

  it('evaluates the predicate examples', () => {
    assert.equal(truth('return x > 10 and y < 20', { x: 11, y: 19 }), true);
    assert.equal(truth('return value == "postal"', { value: 'postal' }), true);
    assert.equal(truth('return value.kind == "email" and value.region == "us"', { value: { kind: 'email', region: 'us' } }), true);
    assert.equal(truth('return #items > 0 and items[1].status == "approved"', { items: [{ status: 'approved' }] }), true);
    assert.equal(truth('return #items > 0 and items[1].status == "approved"', { items: [] }), false);
    assert.equal(truth("return email:find('@') ~= nil", { email: 'a@b.c' }), true);
    assert.equal(truth("return email:find('@') ~= nil", { email: 'nobody' }), false);
    const order = { total: 600, region: 'international' };
    assert.equal(truth("return order.total > 500 and order.region == 'international'", { order }), true);
    assert.equal(truth('return current_epoch < offer_expiry', { current_epoch: 5, offer_expiry: 6 }), true);
  });
});

describe('Lua binding', () => {
  it('binds each valid variable as a local, absent ones as nil', () => {
    assert.equal(engine.value(engine.compile('return missing == nil', ['missing']), {}), true);
    assert.equal(value('return select("#", ...)', { a: 1, b: 2 }), 2, 'called with one value per bound variable');
  });

  it('skips names that are not identifiers or are reserved words', () => {
    assert.ok(isLuaIdentifier('order_total'));
    for (const name of ['end', 'local', 'two words', '1st', 'a-b', '']) assert.ok(!isLuaIdentifier(name), name);
    assert.equal(engine.value(engine.compile('return 1', ['end', 'a-b']), { end: 1, 'a-b': 2 }), 1);
  });

  it('reports errors at the line of the user’s source', () => {
    assert.throws(() => engine.compile('return 1 +', ['a', 'b', 'c']), (err: unknown) => {
      assert.ok(err instanceof ScriptCompileError);
      assert.match(err.message, /^script:1: /);
      return true;
    });
    assert.match(runtimeMessage('local x = 1\nerror("boom")', { a: 1, b: 2 }), /^script:2: boom$/);
  });
});

describe('Lua conversions', () => {
  it('passes JSON in: integers, floats, strings, arrays from 1 and objects; null becomes a hole', () => {
    assert.equal(value('return math.type(n)', { n: 3 }), 'integer');
    assert.equal(value('return math.type(n)', { n: 2.5 }), 'float');
    assert.equal(value('return math.type(n)', { n: 2 ** 60 }), 'float');
    assert.equal(value('return xs[1] + xs[3]', { xs: [1, null, 3] }), 4);
    assert.equal(value('return xs[2] == nil', { xs: [1, null, 3] }), true);
    assert.equal(value('return o.a == nil and o.b', { o: { a: null, b: 'x' } }), 'x');
    assert.equal(value('return #s', { s: 'héllo' }), 6, 'strings arrive as UTF-8 bytes');
  });

  it('returns JSON: integral floats as integers, sequences as arrays, other tables as objects', () => {
    assert.equal(value('return 42.0'), 42);
    assert.equal(value('return 7 // 2'), 3);
    assert.deepEqual(value('return {1, 2, 3}'), [1, 2, 3]);
    assert.deepEqual(value('return {}'), {});
    assert.deepEqual(value('return {1, nil, 3}'), { '1': 1, '3': 3 });
    assert.deepEqual(value('return {b = 1, a = {true, "x"}, [10] = false}'), { '10': false, a: [true, 'x'], b: 1 });
    assert.equal(value('return "😀"'), '😀');
    assert.equal(value('return nil'), null);
    assert.equal(value('local x = 1'), null, 'no return is nil');
  });

  it('refuses values JSON cannot hold', () => {
    assert.match(runtimeMessage('return 1/0'), /non-finite/);
    assert.match(runtimeMessage('return 0/0'), /non-finite/);
    assert.match(runtimeMessage('return print'), /cannot convert a Lua function/);
    assert.match(runtimeMessage('return {f = print}'), /cannot convert a Lua function/);
    assert.match(runtimeMessage('return coroutine.create(print)'), /cannot convert a Lua thread/);
    assert.match(runtimeMessage('local t = {} t.self = t return t'), /contains itself/);
    assert.match(runtimeMessage('return {[{}] = 1}'), /table key/);
  });
});

describe('Lua truthiness and errors', () => {
  it('only nil and false are false; no return is false', () => {
    assert.equal(truth('return 0'), true);
    assert.equal(truth('return ""'), true);
    assert.equal(truth('return false'), false);
    assert.equal(truth('return nil'), false);
    assert.equal(truth('local x = 1'), false);
    assert.equal(truth('return print'), true, 'truthiness needs no JSON conversion');
  });

  it('turns error("boom") into a script error containing boom', () => {
    assert.match(runtimeMessage('error("boom")'), /boom/);
    assert.match(runtimeMessage('error({code = 1})'), /error object is a table value/);
  });
});

describe('Lua sandbox', () => {
  const escapes = [
    'os.execute("echo pwned")', 'io.open("/etc/passwd")', 'require("os")', 'load("return 1")()', 'dofile("/etc/passwd")',
    'loadfile("/etc/passwd")', 'debug.getinfo(1)', 'package.loaded.os', 'string.dump(print)', 'collectgarbage("count")',
    '("").dump(print)', 'getmetatable("").__index.dump(print)', '_G.os.execute("echo")', 'rawget(_G, "io").open("/")',
  ];
  for (const escape of escapes) {
    it(`refuses ${escape}`, () => {
      assert.throws(() => value(`return ${escape}`), ScriptRuntimeError);
    });
  }

  it('keeps string, table, math, utf8, coroutine and the base functions', () => {
    assert.deepEqual(
      value(`return { string.upper("a"), table.concat({1, 2}, ","), math.max(1, 2), utf8.char(72),
        type(coroutine.create(print)), tostring(1), tonumber("2"), select(2, "a", "b"), rawlen({1}) }`),
      ['A', '1,2', 2, 'H', 'thread', '1', 2, 'b', 1],
    );
    assert.equal(value('print("ignored") return 1'), 1);
  });

  it('does not let pcall, xpcall or coroutines swallow the time limit', () => {
    for (const source of [
      'while true do pcall(function() while true do end end) end',
      'while true do xpcall(function() while true do end end, function() return 1 end) end',
      'while true do coroutine.resume(coroutine.create(function() while true do end end)) end',
    ]) {
      assert.equal(runtimeMessage(source), 'script timeout exceeded (200 ms)', source);
    }
  });

  it('refuses __gc metamethods so nothing runs after an evaluation ends', () => {
    assert.match(runtimeMessage('setmetatable({}, {__gc = function() end})'), /__gc metamethods are not supported/);
  });
});

describe('Lua isolation between evaluations', () => {
  it('starts every evaluation with fresh globals and libraries', () => {
    value('leak = 1; string.upper = nil; math.pi = 3; table.extra = true; _G.other = 2 return 1');
    assert.deepEqual(value('return {leak == nil, string.upper ~= nil, math.pi > 3.14, table.extra == nil, other == nil}'), [
      true, true, true, true, true,
    ]);
  });

  it('keeps method calls on strings bound to the current evaluation’s string library', () => {
    assert.equal(value('string.shout = function(s) return s .. "!" end return ("hi"):shout()'), 'hi!');
    assert.throws(() => value('return ("hi"):shout()'), ScriptRuntimeError);
    assert.equal(value('return getmetatable("")'), false, 'the string metatable is hidden');
  });
});
