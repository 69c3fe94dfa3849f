/**
 * Parser for I-Regexp (RFC 9485), the pattern language of RFC 9535's `match()` and `search()`. Produces a small
 * syntax tree whose single-character tests are plain predicates over code points. Returns undefined for a pattern
 * that is not valid I-Regexp (the functions then yield false). Pure; never matches anything itself.
 */

export type CodePointTest = (cp: number) => boolean;

export type Regex =
  | { readonly t: 'empty' }
  | { readonly t: 'char'; readonly test: CodePointTest }
  | { readonly t: 'seq'; readonly items: readonly Regex[] }
  | { readonly t: 'alt'; readonly options: readonly Regex[] }
  | { readonly t: 'repeat'; readonly item: Regex; readonly min: number; readonly max: number };

const CATEGORIES = new Set([
  'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'Z', 'Zl', 'Zp', 'Zs', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'C', 'Cc', 'Cf', 'Cn', 'Co',
]);
const SINGLE_ESCAPES: Readonly<Record<string, number>> = { n: 0x0a, r: 0x0d, t: 0x09 };
const ESCAPABLE = new Set('()*+-.?[\\]^{|}');
const NOT_NORMAL = new Set('()*+.?[\\]{|}');
const MAX_REPEAT = 1000;

class Invalid extends Error {}

const categoryTest = (name: string, negate: boolean): CodePointTest => {
  if (!CATEGORIES.has(name)) throw new Invalid(name);
  const re = new RegExp(`^\\p{${name}}$`, 'u');
  return (cp) => re.test(String.fromCodePoint(cp)) !== negate;
};

class Parser {
  private i = 0;

  constructor(private readonly cps: readonly number[]) {}

  parse(): Regex {
    const re = this.alternation();
    if (this.i !== this.cps.length) throw new Invalid('trailing input');
    return re;
  }

  private peek(): string | undefined {
    const cp = this.cps[this.i];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private take(): number {
    const cp = this.cps[this.i];
    if (cp === undefined) throw new Invalid('unexpected end');
    this.i += 1;
    return cp;
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw new Invalid(`expected ${ch}`);
    this.i += 1;
  }

  private alternation(): Regex {
    const options = [this.branch()];
    while (this.peek() === '|') {
      this.i += 1;
      options.push(this.branch());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  private branch(): Regex {
    const items: Regex[] = [];
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) items.push(this.piece());
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private piece(): Regex {
    const item = this.atom();
    const ch = this.peek();
    if (ch === '*') return this.quantified(item, 0, Infinity);
    if (ch === '+') return this.quantified(item, 1, Infinity);
    if (ch === '?') return this.quantified(item, 0, 1);
    if (ch !== '{') return item;
    this.i += 1;
    const min = this.number();
    let max = min;
    if (this.peek() === ',') {
      this.i += 1;
      max = this.peek() === '}' ? Infinity : this.number();
    }
    this.expect('}');
    if (max < min || min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw new Invalid('bad range');
    return { t: 'repeat', item, min, max };
  }

  private quantified(item: Regex, min: number, max: number): Regex {
    this.i += 1;
    return { t: 'repeat', item, min, max };
  }

  private number(): number {
    let digits = '';
    for (let ch = this.peek(); ch !== undefined && ch >= '0' && ch <= '9'; ch = this.peek()) {
      digits += ch;
      this.i += 1;
    }
    if (digits === '') throw new Invalid('expected digits');
    return Number(digits);
  }

  private atom(): Regex {
    const ch = this.peek();
    if (ch === '(') {
      this.i += 1;
      const inner = this.alternation();
      this.expect(')');
      return inner;
    }
    if (ch === '.') {
      this.i += 1;
      return { t: 'char', test: (cp) => cp !== 0x0a && cp !== 0x0d };
    }
    if (ch === '[') return { t: 'char', test: this.charClassExpr() };
    if (ch === '\\') return { t: 'char', test: this.escape() };
    const cp = this.take();
    if (NOT_NORMAL.has(ch!) || (cp >= 0xd800 && cp <= 0xdfff)) throw new Invalid('not a normal character');
    return { t: 'char', test: (c) => c === cp };
  }

  /** `\p{..}`, `\P{..}` or a single-character escape. */
  private escape(): CodePointTest {
    this.expect('\\');
    const ch = this.peek();
    if (ch === 'p' || ch === 'P') {
      this.i += 1;
      this.expect('{');
      let name = '';
      for (let c = this.peek(); c !== undefined && c !== '}'; c = this.peek()) {
        name += c;
        this.i += 1;
      }
      this.expect('}');
      return categoryTest(name, ch === 'P');
    }
    const cp = this.singleEscape();
    return (c) => c === cp;
  }

  private singleEscape(): number {
    const ch = this.peek();
    if (ch === undefined) throw new Invalid('dangling escape');
    this.i += 1;
    const mapped = SINGLE_ESCAPES[ch];
    if (mapped !== undefined) return mapped;
    if (!ESCAPABLE.has(ch)) throw new Invalid('bad escape');
    return ch.codePointAt(0)!;
  }

  /** One class character (CCchar): a plain character other than `-[\]`, or a single-character escape. */
  private classChar(): number {
    if (this.peek() === '\\') {
      this.expect('\\');
      return this.singleEscape();
    }
    const cp = this.take();
    if (cp === 0x2d || cp === 0x5b || cp === 0x5c || cp === 0x5d || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new Invalid('bad class character');
    }
    return cp;
  }

  private charClassExpr(): CodePointTest {
    this.expect('[');
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i += 1;
    }
    const tests: CodePointTest[] = [];
    if (this.peek() === '-') {
      this.i += 1;
      tests.push((c) => c === 0x2d);
    }
    for (let ch = this.peek(); ch !== ']'; ch = this.peek()) {
      if (ch === undefined) throw new Invalid('unterminated class');
      if (ch === '-') {
        this.i += 1;
        if (this.peek() !== ']') throw new Invalid('misplaced -');
        tests.push((c) => c === 0x2d);
        continue;
      }
      const next = this.cps[this.i + 1];
      if (ch === '\\' && (next === 0x70 || next === 0x50)) {
        tests.push(this.escape());
        continue;
      }
      const low = this.classChar();
      if (this.peek() === '-' && this.cps[this.i + 1] !== 0x5d) {
        this.i += 1;
        const high = this.classChar();
        if (high < low) throw new Invalid('reversed range');
        tests.push((c) => c >= low && c <= high);
      } else {
        tests.push((c) => c === low);
      }
    }
    this.expect(']');
    return (cp) => tests.some((test) => test(cp)) !== negate;
  }
}

/** The syntax tree of an I-Regexp pattern, or undefined when the pattern is not valid I-Regexp. */
export const parseIRegexp = (pattern: string): Regex | undefined => {
  try {
    return new Parser(Array.from(pattern, (ch) => ch.codePointAt(0)!)).parse();
  } catch (err) {
    if (err instanceof Invalid) return undefined;
    throw err;
  }
};
