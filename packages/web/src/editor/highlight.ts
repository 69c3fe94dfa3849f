/**
 * Syntax highlighting for the engine's script languages (spec engine.md §25): ale, lua, jpath and js.
 * A small rule-based lexer per language; tokens always concatenate back to the exact source, so the highlighted
 * layer lines up with the textarea on top of it. Pure; no DOM.
 */

export type TokenKind =
  | 'comment'
  | 'string'
  | 'number'
  | 'keyword'
  | 'constant'
  | 'builtin'
  | 'symbol'
  | 'property'
  | 'operator'
  | 'punctuation'
  | 'variable'
  | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

type Rule = [TokenKind | ((text: string) => TokenKind), RegExp];

const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter((w) => w !== ''));

const ALE_SPECIAL = words('if when unless cond and or do let let* fn lambda');
const ALE_CONST = words('true false nil');
const ALE_CORE = words(`+ - * / mod inc dec abs min max floor ceil round = eq !eq not= < <= > >= not null? nil? boolean?
  number? string? keyword? list? vector? object? empty? str upper-case lower-case trim split join starts-with?
  ends-with? subs to-number list vector object length count first last rest nth get contains? keys vals assoc dissoc
  merge conj cons concat reverse sort distinct range map filter reduce apply`);

const LUA_KEYWORDS = words(
  'and break do else elseif end for function goto if in local not or repeat return then until while',
);
const LUA_CONST = words('true false nil');
const LUA_BUILTINS = words(`string table math utf8 coroutine pairs ipairs next type tostring tonumber select error
  assert pcall xpcall setmetatable getmetatable rawget rawset rawequal rawlen print`);

const JS_KEYWORDS = words(`break case catch class const continue default delete do else export extends finally for
  function if in instanceof let new of return switch this throw try typeof var void while yield`);
const JS_CONST = words('true false null undefined NaN Infinity');
const JS_BUILTINS = words('Object Array Math JSON String Number Boolean Date RegExp Map Set Error parseInt parseFloat');

const JPATH_FUNCTIONS = words('length count match search value');

const ALE_RULES: Rule[] = [
  ['comment', /;[^\n]*/y],
  ['string', /"(?:[^"\\]|\\.)*"?/y],
  ['number', /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y],
  ['property', /:[^\s()[\]{}";,]+/y],
  [
    (text) =>
      ALE_SPECIAL.has(text) ? 'keyword' : ALE_CONST.has(text) ? 'constant' : ALE_CORE.has(text) ? 'builtin' : 'variable',
    /[^\s()[\]{}";,]+/y,
  ],
  ['punctuation', /[()[\]{}]/y],
  ['text', /[\s,]+/y],
];

const LUA_RULES: Rule[] = [
  ['comment', /--\[(=*)\[[\s\S]*?(?:\]\1\]|$)/y],
  ['comment', /--[^\n]*/y],
  ['string', /\[(=*)\[[\s\S]*?(?:\]\1\]|$)/y],
  ['string', /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
  ['number', /0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+/y],
  [
    (text) =>
      LUA_KEYWORDS.has(text) ? 'keyword' : LUA_CONST.has(text) ? 'constant' : LUA_BUILTINS.has(text) ? 'builtin' : 'variable',
    /[A-Za-z_][A-Za-z0-9_]*/y,
  ],
  ['operator', /\.\.\.?|==|~=|<=|>=|\/\/|::|[-+*/%^#<>=~&|:]/y],
  ['punctuation', /[()[\]{}.,;]/y],
  ['text', /\s+/y],
];

const JS_RULES: Rule[] = [
  ['comment', /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/y],
  ['string', /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?/y],
  ['number', /0[xXbBoO][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?n?|\.\d+/y],
  [
    (text) =>
      JS_KEYWORDS.has(text) ? 'keyword' : JS_CONST.has(text) ? 'constant' : JS_BUILTINS.has(text) ? 'builtin' : 'variable',
    /[A-Za-z_$][A-Za-z0-9_$]*/y,
  ],
  ['operator', /=>|\?\?=?|\?\.|===|!==|==|!=|<=|>=|&&=?|\|\|=?|\*\*=?|\+\+|--|[-+*/%<>=!&|^~?:]=?/y],
  ['punctuation', /[()[\]{}.,;]/y],
  ['text', /\s+/y],
];

const JPATH_RULES: Rule[] = [
  ['keyword', /[$@]/y],
  ['string', /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?/y],
  ['number', /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y],
  ['property', /(?<=\.)[A-Za-z_][A-Za-z0-9_]*/y],
  [
    (text) => (JPATH_FUNCTIONS.has(text) ? 'builtin' : text === 'true' || text === 'false' || text === 'null' ? 'constant' : 'variable'),
    /[A-Za-z_][A-Za-z0-9_]*/y,
  ],
  ['operator', /\.\.|==|!=|<=|>=|&&|\|\||[!<>?*:]/y],
  ['punctuation', /[()[\].,]/y],
  ['text', /\s+/y],
];

const RULES: Record<string, Rule[]> = { ale: ALE_RULES, lua: LUA_RULES, js: JS_RULES, jpath: JPATH_RULES };

/** Splits source into tokens; unknown languages give one text token. Adjacent tokens of one kind are merged. */
export const tokenize = (language: string, source: string): Token[] => {
  const rules = RULES[language];
  if (rules === undefined) return source === '' ? [] : [{ kind: 'text', text: source }];
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.kind === kind) last.text += text;
    else tokens.push({ kind, text });
  };
  let pos = 0;
  while (pos < source.length) {
    let matched = false;
    for (const [kind, pattern] of rules) {
      pattern.lastIndex = pos;
      const m = pattern.exec(source);
      if (m === null || m[0] === '') continue;
      push(typeof kind === 'function' ? kind(m[0]) : kind, m[0]);
      pos += m[0].length;
      matched = true;
      break;
    }
    if (!matched) {
      push('text', source.charAt(pos));
      pos += 1;
    }
  }
  return tokens;
};

/** Languages allowed where a script is used (spec model.md §4 G). */
export const LANGUAGES_FOR = {
  body: ['ale', 'lua', 'js'],
  predicate: ['ale', 'lua', 'jpath', 'js'],
  match: ['ale', 'lua', 'jpath', 'js'],
  mapping: ['ale', 'lua', 'jpath', 'js'],
} as const;

export const LANGUAGE_LABELS: Record<string, string> = { ale: 'Ale', lua: 'Lua', jpath: 'JSONPath', js: 'JavaScript' };
