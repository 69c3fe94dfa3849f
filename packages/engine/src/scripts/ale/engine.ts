/**
 * The Ale language engine (spec engine.md §25.3): reads and analyses a source once per (source, variables) and
 * evaluates the compiled program with a fresh runtime guard per run. Owns no state between runs; never touches the
 * host beyond the values it is given.
 */
import type { Args, Json } from '../../model/types.js';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import type { ValueLanguage } from '../language.js';
import { deadlineFrom, isHostStackOverflow, STACK_OVERFLOW, type ScriptLimits } from '../limits.js';
import { argument } from '../variables.js';
import { Analyser } from './analyse.js';
import { fromJson, toJson } from './convert.js';
import { createCore, type CoreLibrary } from './core.js';
import { isSymbolName, readForms } from './reader.js';
import { AleRuntime } from './runtime.js';
import { FunctionScope, type Node } from './scope.js';
import { SPECIAL_FORM_NAMES } from './special-forms.js';
import type { Value } from './values.js';

export interface AleProgram {
  readonly body: Node;
  readonly frameSize: number;
  /** The variables bound, in sorted order (invalid names and special-form names are left out). */
  readonly variables: readonly string[];
}

/** A variable is bound when its name reads as an Ale symbol and is not a special-form name. */
export const isAleIdentifier = (name: string): boolean => isSymbolName(name) && !SPECIAL_FORM_NAMES.includes(name);

/** Runs `fn` converting host stack exhaustion into the script error `stack overflow`. */
const guarded = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (err) {
    if (isHostStackOverflow(err)) throw new ScriptRuntimeError(STACK_OVERFLOW);
    throw err;
  }
};

export class AleEngine implements ValueLanguage<AleProgram> {
  private readonly core: CoreLibrary = createCore();

  constructor(private readonly limits: ScriptLimits) {}

  compile(source: string, variables: readonly string[]): AleProgram {
    const bound = variables.filter(isAleIdentifier);
    const rt = new AleRuntime(this.limits, deadlineFrom(this.limits));
    const checkClock = (): void => rt.tick();
    return guarded(() => {
      const forms = readForms(source, checkClock);
      const scope = new FunctionScope(undefined);
      const body = new Analyser(this.core, bound, checkClock).body(forms, scope);
      return { body, frameSize: scope.size, variables: bound };
    });
  }

  private run(program: AleProgram, args: Args): { result: Value; rt: AleRuntime } {
    const deadline = deadlineFrom(this.limits);
    return guarded(() => {
      const setup = new AleRuntime(this.limits, deadline);
      const values = program.variables.map((name) => fromJson(argument(args, name), setup));
      const rt = new AleRuntime(this.limits, deadline, values);
      const result = program.body({ slots: new Array<Value>(program.frameSize), parent: undefined }, rt);
      return { result, rt };
    });
  }

  value(program: AleProgram, args: Args): Json {
    const { result, rt } = this.run(program, args);
    return guarded(() => toJson(result, rt));
  }

  /** Result truthiness for predicates and matches: true unless the result is exactly false. */
  truth(program: AleProgram, args: Args): boolean {
    return this.run(program, args).result !== false;
  }

  close(): void {}
}
