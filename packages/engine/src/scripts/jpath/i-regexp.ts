/**
 * Linear-time I-Regexp matching for jpath's `match()` (whole string) and `search()` (any substring): the pattern is
 * compiled to a Thompson NFA and simulated over the code points in lockstep, so no pattern can backtrack
 * exponentially. Work is reported through `tick` so the caller's time limit applies. Pure.
 */
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { parseIRegexp, type CodePointTest, type Regex } from './i-regexp-parse.js';

const MAX_STATES = 50_000;

interface State {
  /** Single-character test (consuming state); absent for split and match states. */
  test?: CodePointTest;
  out: number;
  out2: number;
}

const MATCH = -1;

class NfaBuilder {
  readonly states: State[] = [];

  private add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new ScriptRuntimeError('jpath pattern too complex');
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Builds `re` so that it continues with state `next`; returns its start state. */
  build(re: Regex, next: number): number {
    switch (re.t) {
      case 'empty':
        return next;
      case 'char':
        return this.add({ test: re.test, out: next, out2: next });
      case 'seq':
        return re.items.reduceRight((n, item) => this.build(item, n), next);
      case 'alt':
        return re.options
          .map((option) => this.build(option, next))
          .reduceRight((rest, start) => this.add({ out: start, out2: rest }));
      case 'repeat':
        return this.repeat(re.item, re.min, re.max, next);
    }
  }

  private repeat(item: Regex, min: number, max: number, next: number): number {
    let tail = next;
    if (max === Infinity) {
      const loop = this.add({ out: next, out2: next });
      this.states[loop]!.out = this.build(item, loop);
      tail = loop;
    } else {
      for (let i = min; i < max; i += 1) tail = this.add({ out: this.build(item, tail), out2: next });
    }
    for (let i = 0; i < min; i += 1) tail = this.build(item, tail);
    return tail;
  }
}

export class CompiledPattern {
  private readonly seen: Int32Array;
  private generation = 0;

  constructor(
    private readonly states: readonly State[],
    private readonly start: number,
  ) {
    this.seen = new Int32Array(states.length);
  }

  /** Adds `state` and everything reachable from it without consuming input; true when MATCH is reachable. */
  private close(list: number[], state: number): boolean {
    let matched = false;
    const pending = [state];
    for (let s = pending.pop(); s !== undefined; s = pending.pop()) {
      if (s === MATCH) {
        matched = true;
        continue;
      }
      if (this.seen[s] === this.generation) continue;
      this.seen[s] = this.generation;
      const st = this.states[s]!;
      if (st.test !== undefined) list.push(s);
      else pending.push(st.out2, st.out);
    }
    return matched;
  }

  /** Whole-string match (`anchored`) or substring search; `tick` is called once per code point consumed. */
  run(input: string, anchored: boolean, tick: () => void): boolean {
    this.generation += 1;
    let current: number[] = [];
    let matched = this.close(current, this.start);
    if (matched && !anchored) return true;
    for (const ch of input) {
      if (current.length === 0 && anchored) return false;
      tick();
      const cp = ch.codePointAt(0)!;
      this.generation += 1;
      const next: number[] = [];
      matched = false;
      for (const s of current) {
        const st = this.states[s]!;
        if (st.test!(cp) && this.close(next, st.out)) matched = true;
      }
      if (!anchored && this.close(next, this.start)) matched = true;
      if (matched && !anchored) return true;
      current = next;
    }
    return matched;
  }
}

/** Compiles an I-Regexp pattern, or returns undefined when it is not valid I-Regexp. */
export const compilePattern = (pattern: string): CompiledPattern | undefined => {
  const re = parseIRegexp(pattern);
  if (re === undefined) return undefined;
  const builder = new NfaBuilder();
  const start = builder.build(re, MATCH);
  return new CompiledPattern(builder.states, start);
};
