import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize, type TokenKind } from './highlight';

const SAMPLES: Record<string, string[]> = {
  ale: [
    '{:greeting name}',
    '(let* ([subtotal (* quantity unit_price)]\n       [tax (* subtotal 0.08)])\n  {:total (+ subtotal tax)}) ; done',
    '(and (> order_total 1000) (eq customer_tier "gold\\"x"))',
    '"unterminated',
  ],
  lua: [
    'return {result = a + b}',
    '-- comment\nlocal s = [[long\nstring]] .. \'x\' return #items > 0 and items[1].status == "approved"',
    '--[==[ block\ncomment ]==] return email:find(\'@\') ~= nil',
  ],
  js: [
    'const t = a + b; return {total: t};',
    '/* c */ amount > 100 && `tpl ${x}` // end',
    '{greeting: "Hello, " + name}',
  ],
  jpath: ['$.items[?@.status == "ready"]', '$..book[0].title', '@ == "email"', 'length(@.x) > 2 && $.flag'],
};

const kinds = (language: string, source: string): [TokenKind, string][] =>
  tokenize(language, source)
    .filter((t) => t.kind !== 'text')
    .map((t) => [t.kind, t.text]);

void describe('script highlighting', () => {
  for (const [language, sources] of Object.entries(SAMPLES)) {
    void it(`reproduces ${language} source exactly from its tokens`, () => {
      for (const source of sources) assert.equal(tokenize(language, source).map((t) => t.text).join(''), source);
    });
  }

  void it('classifies Ale keywords, forms, core functions and variables', () => {
    assert.deepEqual(kinds('ale', '(if (> amount 100) :big nil) ; note'), [
      ['punctuation', '('],
      ['keyword', 'if'],
      ['punctuation', '('],
      ['builtin', '>'],
      ['variable', 'amount'],
      ['number', '100'],
      ['punctuation', ')'],
      ['property', ':big'],
      ['constant', 'nil'],
      ['punctuation', ')'],
      ['comment', '; note'],
    ]);
  });

  void it('classifies Lua, JavaScript and JSONPath tokens', () => {
    assert.deepEqual(kinds('lua', 'return x > 10 -- hi'), [
      ['keyword', 'return'],
      ['variable', 'x'],
      ['operator', '>'],
      ['number', '10'],
      ['comment', '-- hi'],
    ]);
    assert.deepEqual(kinds('js', 'return Math.max(a, 1)'), [
      ['keyword', 'return'],
      ['builtin', 'Math'],
      ['punctuation', '.'],
      ['variable', 'max'],
      ['punctuation', '('],
      ['variable', 'a'],
      ['punctuation', ','],
      ['number', '1'],
      ['punctuation', ')'],
    ]);
    assert.deepEqual(kinds('jpath', '$.schedule.eta'), [
      ['keyword', '$'],
      ['punctuation', '.'],
      ['property', 'schedule'],
      ['punctuation', '.'],
      ['property', 'eta'],
    ]);
  });

  void it('treats an unknown language as plain text', () => {
    assert.deepEqual(tokenize('cobol', 'MOVE A TO B'), [{ kind: 'text', text: 'MOVE A TO B' }]);
    assert.deepEqual(tokenize('ale', ''), []);
  });
});
