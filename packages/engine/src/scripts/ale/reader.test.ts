/**
 * Ale lexical syntax (spec engine.md §25.3): whitespace and comments, numbers, strings and escapes, literals,
 * keywords, symbols, collections, and compile errors that name line and column.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScriptCompileError } from '../../ports/scripts.js';
import { isSymbolName, readForms, type Form } from './reader.js';

const read = (text: string): Form[] => readForms(text, () => {});

const only = (text: string): Form => {
  const forms = read(text);
  assert.equal(forms.length, 1);
  return forms[0]!;
};

const compileFailure = (text: string): string => {
  try {
    read(text);
  } catch (err) {
    assert.ok(err instanceof ScriptCompileError, `expected a compile error, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(text)} not to read`);
};

describe('Ale reader', () => {
  it('treats space, tab, CR, LF and commas as whitespace and skips comments to the end of the line', () => {
    const forms = read(' 1,\t2\r\n3 ; four 4\n5');
    assert.deepEqual(
      forms.map((f) => (f.kind === 'literal' ? f.value : null)),
      [1, 2, 3, 5],
    );
  });

  it('reads numbers as doubles with optional sign, fraction and exponent', () => {
    for (const [text, value] of [
      ['42', 42],
      ['-7', -7],
      ['3.25', 3.25],
      ['1e3', 1000],
      ['2.5E-2', 0.025],
      ['-0.5e+1', -5],
    ] as const) {
      assert.deepEqual(only(text), { kind: 'literal', value, pos: { line: 1, column: 1 } });
    }
  });

  it('rejects malformed numbers', () => {
    assert.match(compileFailure('1abc'), /invalid number: 1abc/);
    assert.match(compileFailure('+5'), /invalid number: \+5/);
    assert.match(compileFailure('1.'), /invalid number/);
  });

  it('reads strings with every allowed escape', () => {
    const form = only(String.raw`"q\" b\\ s\/ n\n t\t r\r u\u00e9"`);
    assert.equal(form.kind === 'literal' && form.value, 'q" b\\ s/ n\n t\t r\r ué');
  });

  it('rejects any other escape and unterminated strings with their position', () => {
    assert.equal(compileFailure(String.raw`  "a\qb"`), String.raw`invalid escape \q in string (line 1, column 6)`);
    assert.match(compileFailure(String.raw`"\u12"`), /invalid \\u escape/);
    assert.equal(compileFailure('\n  "abc'), 'unterminated string (line 2, column 3)');
  });

  it('reads true, false and nil as literals', () => {
    assert.deepEqual(
      read('true false nil').map((f) => (f.kind === 'literal' ? f.value : 'x')),
      [true, false, null],
    );
  });

  it('reads keywords and symbols', () => {
    assert.deepEqual(only(':greeting'), { kind: 'keyword', name: 'greeting', pos: { line: 1, column: 1 } });
    for (const name of ['name', 'starts-with?', '-', '+', 'not=', '!eq', 'a.b/c', '-x', 'let*']) {
      assert.deepEqual(only(name), { kind: 'symbol', name, pos: { line: 1, column: 1 } });
    }
    assert.match(compileFailure(':'), /keyword without a name/);
  });

  it('reads lists, vectors and objects with nested positions', () => {
    const form = only('(a [1 2]\n {:k "v"})');
    assert.equal(form.kind, 'list');
    const items = (form as Extract<Form, { items: unknown }>).items;
    assert.deepEqual(
      items.map((i) => i.kind),
      ['symbol', 'vector', 'object'],
    );
    assert.deepEqual(items[2]!.pos, { line: 2, column: 2 });
  });

  it('reports unbalanced brackets with line and column', () => {
    assert.equal(compileFailure('(+ 1 2'), "unterminated list: missing ')' (line 1, column 1)");
    assert.equal(compileFailure('[1 2)'), "unexpected ')' (line 1, column 5)");
    assert.equal(compileFailure('1 2\n  }'), "unexpected '}' (line 2, column 3)");
  });

  it('requires at least one form', () => {
    assert.match(compileFailure(' ; nothing here\n'), /empty script/);
  });

  it('refuses absurdly deep nesting instead of exhausting the stack', () => {
    assert.match(compileFailure('('.repeat(5000) + ')'.repeat(5000)), /nested deeper than/);
  });

  it('knows which names read back as symbols', () => {
    assert.ok(isSymbolName('amount'));
    assert.ok(isSymbolName('discount_percent'));
    for (const name of ['', '1x', '-1', ':k', 'true', 'nil', 'a b', 'a(b', 'x;y']) assert.ok(!isSymbolName(name), name);
  });
});
