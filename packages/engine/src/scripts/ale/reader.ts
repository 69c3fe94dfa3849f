/**
 * Ale reader (spec engine.md §25.3 "Lexical syntax"): turns source text into forms with their line and column.
 * Owns tokenising and nesting only; never resolves symbols and never evaluates. Every error is a ScriptCompileError
 * naming the position.
 */
import { ScriptCompileError } from '../../ports/scripts.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type Form =
  | { readonly kind: 'literal'; readonly value: null | boolean | number | string; readonly pos: Position }
  | { readonly kind: 'keyword'; readonly name: string; readonly pos: Position }
  | { readonly kind: 'symbol'; readonly name: string; readonly pos: Position }
  | CollectionForm;

export interface CollectionForm {
  readonly kind: 'list' | 'vector' | 'object';
  readonly items: readonly Form[];
  readonly pos: Position;
}

export const positionText = (pos: Position): string => `line ${pos.line}, column ${pos.column}`;

export const compileError = (message: string, pos: Position): ScriptCompileError =>
  new ScriptCompileError(`${message} (${positionText(pos)})`);

const MAX_NESTING = 256;
const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const KINDS: Readonly<Record<string, 'list' | 'vector' | 'object'>> = { '(': 'list', '[': 'vector', '{': 'object' };
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r' };

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === ',';
const isDelimiter = (ch: string): boolean => isWhitespace(ch) || '()[]{}";'.includes(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** True when `name` reads back as a symbol (not a number, keyword or literal). */
export const isSymbolName = (name: string): boolean => {
  if (name === '' || name === 'true' || name === 'false' || name === 'nil') return false;
  for (const ch of name) if (isDelimiter(ch)) return false;
  const first = name[0]!;
  if (first === ':' || isDigit(first)) return false;
  return !((first === '-' || first === '+') && isDigit(name[1]));
};

class Reader {
  private index = 0;
  private line = 1;
  private column = 1;

  constructor(
    private readonly text: string,
    private readonly checkClock: () => void,
  ) {}

  readAll(): Form[] {
    const forms: Form[] = [];
    for (;;) {
      this.skipSpace();
      if (this.index >= this.text.length) return forms;
      const ch = this.text[this.index]!;
      if (ch === ')' || ch === ']' || ch === '}') throw compileError(`unexpected '${ch}'`, this.here());
      forms.push(this.readForm(0));
    }
  }

  private here(): Position {
    return { line: this.line, column: this.column };
  }

  private advance(): string {
    const ch = this.text[this.index]!;
    this.index += 1;
    if (ch === '\n') {
      this.line += 1;
      this.column = 1;
    } else {
      this.column += 1;
    }
    return ch;
  }

  private skipSpace(): void {
    while (this.index < this.text.length) {
      const ch = this.text[this.index]!;
      if (isWhitespace(ch)) this.advance();
      else if (ch === ';') while (this.index < this.text.length && this.text[this.index] !== '\n') this.advance();
      else return;
    }
  }

  private readForm(depth: number): Form {
    this.checkClock();
    const pos = this.here();
    const ch = this.text[this.index]!;
    const closer = CLOSERS[ch];
    if (closer !== undefined) return this.readCollection(KINDS[ch]!, closer, pos, depth);
    if (ch === '"') return { kind: 'literal', value: this.readString(pos), pos };
    return this.readAtom(pos);
  }

  private readCollection(kind: 'list' | 'vector' | 'object', closer: string, pos: Position, depth: number): Form {
    if (depth >= MAX_NESTING) throw compileError(`forms nested deeper than ${MAX_NESTING} levels`, pos);
    this.advance();
    const items: Form[] = [];
    for (;;) {
      this.skipSpace();
      if (this.index >= this.text.length) throw compileError(`unterminated ${kind}: missing '${closer}'`, pos);
      const ch = this.text[this.index]!;
      if (ch === closer) {
        this.advance();
        return { kind, items, pos };
      }
      if (ch === ')' || ch === ']' || ch === '}') throw compileError(`unexpected '${ch}'`, this.here());
      items.push(this.readForm(depth + 1));
    }
  }

  private readString(pos: Position): string {
    this.advance();
    let out = '';
    for (;;) {
      if (this.index >= this.text.length) throw compileError('unterminated string', pos);
      const ch = this.advance();
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const escapePos = this.here();
      if (this.index >= this.text.length) throw compileError('unterminated string', pos);
      const code = this.advance();
      const simple = ESCAPES[code];
      if (simple !== undefined) {
        out += simple;
      } else if (code === 'u') {
        const hex = this.text.slice(this.index, this.index + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw compileError('invalid \\u escape: expected four hex digits', escapePos);
        for (let i = 0; i < 4; i += 1) this.advance();
        out += String.fromCharCode(parseInt(hex, 16));
      } else {
        throw compileError(`invalid escape \\${code} in string`, escapePos);
      }
    }
  }

  private readAtom(pos: Position): Form {
    const start = this.index;
    while (this.index < this.text.length && !isDelimiter(this.text[this.index]!)) this.advance();
    const token = this.text.slice(start, this.index);
    const first = token[0]!;
    if (isDigit(first) || ((first === '-' || first === '+') && isDigit(token[1]))) {
      if (!NUMBER.test(token)) throw compileError(`invalid number: ${token}`, pos);
      return { kind: 'literal', value: Number(token), pos };
    }
    if (first === ':') {
      if (token.length === 1) throw compileError('keyword without a name', pos);
      return { kind: 'keyword', name: token.slice(1), pos };
    }
    if (token === 'true') return { kind: 'literal', value: true, pos };
    if (token === 'false') return { kind: 'literal', value: false, pos };
    if (token === 'nil') return { kind: 'literal', value: null, pos };
    return { kind: 'symbol', name: token, pos };
  }
}

/** Reads every form of `text`; `checkClock` is called once per form so a compile honours the time limit. */
export const readForms = (text: string, checkClock: () => void): Form[] => {
  const forms = new Reader(text, checkClock).readAll();
  if (forms.length === 0) throw new ScriptCompileError('empty script: expected at least one form');
  return forms;
};
