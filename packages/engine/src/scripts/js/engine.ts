/**
 * The JavaScript language engine (spec engine.md §25.6): QuickJS in WebAssembly. A source compiles in the expression
 * form `(function (<vars>) { return (<src>\n); })`, else in the statement form; evaluations run in a locked-down
 * realm (see realm-source.ts) under the deadline interrupt and the memory cap. A realm that hit a limit, kept pending
 * jobs or could not restore its global object is discarded; a module whose memory can no longer be trusted (a
 * host-level failure escaped from it) is replaced by its warm spare.
 */
import { newQuickJSWASMModule, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import type { ValueLanguage } from '../language.js';
import {
  deadlineFrom,
  isHostStackOverflow,
  memoryError,
  STACK_OVERFLOW,
  timeoutError,
  type ScriptLimits,
} from '../limits.js';
import { assertResultDepth } from '../result-depth.js';
import { argument } from '../variables.js';
import { WasmReserve } from '../wasm-reserve.js';
import { Realm, type VmFailure } from './realm.js';

export interface JsFunction {
  readonly id: number;
  readonly source: string;
  /** Bound variables in sorted order (the function's parameters). */
  readonly variables: readonly string[];
}

const RESERVED = new Set([
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'arguments',
  'eval',
]);

/** A variable is bound when its name is a JavaScript identifier and not a reserved word. */
export const isJsIdentifier = (name: string): boolean =>
  /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(name) && !RESERVED.has(name);

/** The descriptor of a script function; `id` must be unique for the lifetime of the engine(s) that run it. */
export const jsFunction = (id: number, source: string, variables: readonly string[]): JsFunction => ({
  id,
  source,
  variables: variables.filter(isJsIdentifier),
});

interface JsModule {
  readonly quickjs: QuickJSWASMModule;
  realm: Realm | undefined;
}

const OUT_OF_MEMORY = /out of memory/i;

/** `message (line L, column C)` from a QuickJS syntax error raised in the statement form (one line of prefix). */
const compileMessage = (failure: VmFailure, source: string): string => {
  const name = failure.name === '' || failure.name === 'Error' ? '' : `${failure.name}: `;
  const position = /:(\d+):(\d+)/.exec(failure.stack);
  if (position === null) return `${name}${failure.message}`;
  const line = Number(position[1]) - 1;
  if (line < 1) return `${name}${failure.message}`;
  if (line > source.split('\n').length) return `${name}${failure.message} (at the end of the script)`;
  return `${name}${failure.message} (line ${line}, column ${position[2]})`;
};

export class JsEngine implements ValueLanguage<JsFunction> {
  private nextId = 1;

  private constructor(
    private readonly limits: ScriptLimits,
    private readonly capacity: number,
    private readonly modules: WasmReserve<JsModule>,
  ) {}

  static async create(limits: ScriptLimits, capacity: number): Promise<JsEngine> {
    const modules = await WasmReserve.create<JsModule>(
      'js',
      async () => ({ quickjs: await newQuickJSWASMModule(RELEASE_SYNC), realm: undefined }),
      (module) => {
        module.realm = undefined;
      },
    );
    return new JsEngine(limits, capacity, modules);
  }

  private newRealm(module: JsModule): Realm {
    const realm = new Realm(module.quickjs, this.capacity);
    realm.capMemory(this.limits.memoryLimitBytes);
    return realm;
  }

  /** Runs `fn` in a ready realm; discards the realm when `fn` reports it tainted, the module on host failures. */
  private withRealm<T>(fn: (realm: Realm, taint: () => void) => T): T {
    const module = this.modules.get();
    let tainted = false;
    const taint = (): void => {
      tainted = true;
    };
    try {
      const realm = (module.realm ??= this.newRealm(module));
      try {
        return fn(realm, taint);
      } finally {
        realm.disarm();
        if (tainted || realm.hasPendingJobs()) {
          module.realm = undefined;
          realm.dispose();
        }
      }
    } catch (err) {
      if (err instanceof ScriptCompileError || err instanceof ScriptRuntimeError) throw err;
      module.realm = undefined;
      this.modules.discard();
      if (isHostStackOverflow(err)) throw new ScriptRuntimeError(STACK_OVERFLOW);
      throw new ScriptRuntimeError(`js runtime failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The script error for a failure that escaped the kit (interrupt, memory, uncatchable). */
  private vmError(realm: Realm, failure: VmFailure, taint: () => void): ScriptRuntimeError {
    taint();
    if (realm.interrupted) return timeoutError(this.limits);
    if (OUT_OF_MEMORY.test(failure.message)) return memoryError(this.limits);
    return new ScriptRuntimeError(failure.name === '' ? failure.message : `${failure.name}: ${failure.message}`);
  }

  private instantiate(realm: Realm, fn: JsFunction, taint: () => void): void {
    if (realm.hasFunction(fn.id)) return;
    realm.arm(deadlineFrom(this.limits));
    const failure = realm.instantiate(fn.id, fn.variables.join(', '), fn.source);
    realm.disarm();
    if (failure === undefined) {
      realm.capMemory(this.limits.memoryLimitBytes);
      return;
    }
    if (realm.interrupted || OUT_OF_MEMORY.test(failure.message)) throw this.vmError(realm, failure, taint);
    throw new ScriptCompileError(compileMessage(failure, fn.source));
  }

  compile(source: string, variables: readonly string[]): JsFunction {
    const fn = jsFunction(this.nextId, source, variables);
    this.nextId += 1;
    this.check(fn);
    return fn;
  }

  /** Compiles a descriptor made elsewhere (its id is the caller's); throws ScriptCompileError when it does not compile. */
  check(fn: JsFunction): void {
    this.withRealm((realm, taint) => this.instantiate(realm, fn, taint));
  }

  /** Runs `fn`; returns the kit's answer with the dirty marker handled. */
  private run(fn: JsFunction, args: Args, mode: 0 | 1): string {
    return this.withRealm((realm, taint) => {
      this.instantiate(realm, fn, taint);
      const argsJson = JSON.stringify(fn.variables.map((name) => argument(args, name)));
      realm.arm(deadlineFrom(this.limits));
      const result = realm.run(fn.id, argsJson, mode);
      realm.disarm();
      if (result.kind === 'failure') throw this.vmError(realm, result, taint);
      let text = result.text;
      if (text.startsWith('!')) {
        taint();
        text = text.slice(1);
      }
      if (text.startsWith('e')) {
        const message = text.slice(1);
        if (OUT_OF_MEMORY.test(message)) {
          taint();
          throw memoryError(this.limits);
        }
        throw new ScriptRuntimeError(message);
      }
      return text;
    });
  }

  value(fn: JsFunction, args: Args): Json {
    const text = this.run(fn, args, 0);
    const value = JSON.parse(text.slice(1)) as Json;
    assertResultDepth(value);
    return value;
  }

  /** JavaScript truthiness of the result (false, 0, -0, NaN, "", null and undefined are false). */
  truth(fn: JsFunction, args: Args): boolean {
    return this.run(fn, args, 1) === 't';
  }

  close(): void {
    this.modules.close();
  }
}
