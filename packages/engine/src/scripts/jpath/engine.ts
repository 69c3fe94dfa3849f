/**
 * The jpath language engine (spec engine.md §25.5): RFC 9535 queries through json-p3, plus the filter shorthand (a
 * logical expression tested with `$` and `@` bound to the document). Evaluation is lazy and guarded: every filter
 * evaluation and every produced node counts against the time and memory limits, and `match()`/`search()` use a
 * linear-time matcher. Never evaluates anything but the compiled query; never mutates the document.
 */
import { JSONPathEnvironment, jsonpath, type JSONValue } from 'json-p3';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import type { LanguageEngine } from '../language.js';
import {
  deadlineFrom,
  isHostStackOverflow,
  memoryError,
  pastDeadline,
  STACK_OVERFLOW,
  timeoutError,
  type ScriptLimits,
} from '../limits.js';
import { guardExpressions, type Guard } from './guard.js';
import { patternFunctions } from './pattern-functions.js';

export type JpathProgram =
  | { readonly kind: 'query'; readonly query: jsonpath.JSONPathQuery }
  | { readonly kind: 'test'; readonly expression: jsonpath.expressions.LogicalExpression };

/** Approximate bytes held per produced node, for the memory limit. */
const NODE_BYTES = 64;
const TICKS_PER_CLOCK_CHECK = 128;

export const NO_MATCHES = 'jpath produced no matches';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class JpathEngine implements LanguageEngine<JpathProgram> {
  private readonly environment = new JSONPathEnvironment();
  private readonly guard: Guard = { tick: () => this.tick() };
  private deadline = 0;
  private ticks = 0;
  /** jpath cannot be the language of a script step (engine.md §25.5). */
  readonly runStep = undefined;

  constructor(private readonly limits: ScriptLimits) {
    for (const [name, fn] of patternFunctions(this.guard)) this.environment.functionRegister.set(name, fn);
  }

  private tick(): void {
    this.ticks += 1;
    if (this.ticks % TICKS_PER_CLOCK_CHECK === 0 && pastDeadline(this.deadline)) throw timeoutError(this.limits);
  }

  private guarded<T>(fn: () => T): T {
    this.deadline = deadlineFrom(this.limits);
    try {
      return fn();
    } catch (err) {
      if (err instanceof ScriptRuntimeError) throw err;
      if (isHostStackOverflow(err)) throw new ScriptRuntimeError(STACK_OVERFLOW);
      throw new ScriptRuntimeError(message(err));
    }
  }

  compile(source: string): JpathProgram {
    this.deadline = deadlineFrom(this.limits);
    let queryError: unknown;
    try {
      const query = this.environment.compile(source);
      guardExpressions(query, this.guard);
      return { kind: 'query', query };
    } catch (err) {
      if (isHostStackOverflow(err)) throw new ScriptCompileError(STACK_OVERFLOW);
      queryError = err;
    }
    let shorthandError: unknown;
    try {
      const wrapped = this.environment.compile(`$[?${source}]`);
      const segment = wrapped.segments.length === 1 ? wrapped.segments[0] : undefined;
      const selector = segment?.selectors.length === 1 ? segment.selectors[0] : undefined;
      // `$[?…]` can only start with a child segment; one segment holding one filter means the source was exactly
      // one logical expression (anything else, e.g. `@.a][?@.b` or `@.a, 1`, adds segments or selectors).
      if (selector instanceof jsonpath.selectors.FilterSelector) {
        guardExpressions(wrapped, this.guard);
        return { kind: 'test', expression: selector.expression };
      }
    } catch (err) {
      if (isHostStackOverflow(err)) throw new ScriptCompileError(STACK_OVERFLOW);
      shorthandError = err;
    }
    const reported = source.trimStart().startsWith('$') || shorthandError === undefined ? queryError : shorthandError;
    throw new ScriptCompileError(message(reported));
  }

  private shorthand(expression: jsonpath.expressions.LogicalExpression, document: Json): boolean {
    const value = document as JSONValue;
    return expression.evaluate({ environment: this.environment, currentValue: value, rootValue: value });
  }

  test(program: JpathProgram, _args: Args, document: Json): boolean {
    return this.guarded(() => {
      if (program.kind === 'test') return this.shorthand(program.expression, document);
      return program.query.lazyQuery(document as JSONValue).next().done !== true;
    });
  }

  map(program: JpathProgram, _args: Args, document: Json): Json {
    return this.guarded(() => {
      if (program.kind === 'test') return this.shorthand(program.expression, document);
      const values: Json[] = [];
      const maxNodes = Math.floor(this.limits.memoryLimitBytes / NODE_BYTES);
      for (const node of program.query.lazyQuery(document as JSONValue)) {
        this.tick();
        if (values.length >= maxNodes) throw memoryError(this.limits);
        values.push(node.value as Json);
      }
      if (values.length === 0) throw new ScriptRuntimeError(NO_MATCHES);
      return values.length === 1 ? values[0]! : values;
    });
  }

  close(): void {}
}
