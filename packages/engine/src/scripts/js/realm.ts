/**
 * One locked-down QuickJS realm: a runtime with the memory cap, stack cap and deadline interrupt, one context with
 * the prelude's kit, and a bounded cache of compiled script functions (frozen, so they hold no state). Evaluations
 * run through the kit; the realm reports when it must be discarded (limit hit, pending jobs, dirty global object).
 *
 * Invariant: every handle the realm creates is disposed before the realm is, so QuickJS never sees a leak.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import { LRUCache } from 'lru-cache';
import { REALM_PRELUDE } from './realm-source.js';

/** QuickJS stack cap: deep enough for ordinary recursion, shallow enough to stay inside the host's native stack. */
const MAX_STACK_BYTES = 32 * 1024;

export interface VmFailure {
  readonly kind: 'failure';
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

export type KitResult = { readonly kind: 'ok'; readonly text: string } | VmFailure;

export class Realm {
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly kit: QuickJSHandle;
  private readonly compileFn: QuickJSHandle;
  private readonly runFn: QuickJSHandle;
  private readonly functions: LRUCache<number, QuickJSHandle>;
  private deadline = Infinity;
  /** Set when the interrupt handler stopped the current call. */
  interrupted = false;

  constructor(module: QuickJSWASMModule, capacity: number) {
    this.runtime = module.newRuntime();
    this.runtime.setMaxStackSize(MAX_STACK_BYTES);
    this.runtime.setInterruptHandler(() => {
      if (performance.now() <= this.deadline) return false;
      this.interrupted = true;
      return true;
    });
    this.context = this.runtime.newContext();
    const kit = this.context.evalCode(REALM_PRELUDE, 'prelude.js', { type: 'global' });
    if (kit.error !== undefined) {
      const failure = JSON.stringify(this.context.dump(kit.error));
      kit.error.dispose();
      this.context.dispose();
      this.runtime.dispose();
      throw new Error(`JavaScript realm prelude failed: ${failure}`);
    }
    this.kit = kit.value;
    this.compileFn = this.context.getProp(this.kit, 'compile');
    this.runFn = this.context.getProp(this.kit, 'run');
    this.functions = new LRUCache<number, QuickJSHandle>({ max: capacity, dispose: (handle) => handle.dispose() });
  }

  /** Caps the runtime's memory at what it uses now plus `allowance` bytes. */
  capMemory(allowance: number): void {
    const usage = this.runtime.computeMemoryUsage();
    const field = this.context.getProp(usage, 'memory_used_size');
    const used = this.context.getNumber(field);
    field.dispose();
    usage.dispose();
    this.runtime.setMemoryLimit(Math.min(used + allowance, 0xffff_ffff));
  }

  arm(deadline: number): void {
    this.deadline = deadline;
    this.interrupted = false;
  }

  disarm(): void {
    this.deadline = Infinity;
  }

  private failure(error: QuickJSHandle): VmFailure {
    const dumped: unknown = this.context.dump(error);
    error.dispose();
    const fields = typeof dumped === 'object' && dumped !== null ? (dumped as Record<string, unknown>) : {};
    return {
      kind: 'failure',
      name: typeof fields.name === 'string' ? fields.name : '',
      message: typeof fields.message === 'string' ? fields.message : String(dumped),
      stack: typeof fields.stack === 'string' ? fields.stack : '',
    };
  }

  hasFunction(id: number): boolean {
    return this.functions.has(id);
  }

  /** Compiles `source` with `params` into a cached function; returns the VM's failure when it does not compile. */
  instantiate(id: number, params: string, source: string): VmFailure | undefined {
    const paramsHandle = this.context.newString(params);
    const sourceHandle = this.context.newString(source);
    const result = this.context.callFunction(this.compileFn, this.context.undefined, paramsHandle, sourceHandle);
    paramsHandle.dispose();
    sourceHandle.dispose();
    if (result.error !== undefined) return this.failure(result.error);
    this.functions.set(id, result.value);
    return undefined;
  }

  /** Runs the cached function `id` with JSON-encoded arguments; mode 0 = JSON result, 1 = truthiness. */
  run(id: number, argsJson: string, mode: 0 | 1): KitResult {
    const fn = this.functions.get(id);
    if (fn === undefined) throw new Error(`function ${id} is not instantiated in this realm`);
    const argsHandle = this.context.newString(argsJson);
    const modeHandle = this.context.newNumber(mode);
    const result = this.context.callFunction(this.runFn, this.context.undefined, fn, argsHandle, modeHandle);
    argsHandle.dispose();
    modeHandle.dispose();
    if (result.error !== undefined) return this.failure(result.error);
    const text = this.context.getString(result.value);
    result.value.dispose();
    return { kind: 'ok', text };
  }

  hasPendingJobs(): boolean {
    return this.runtime.hasPendingJob();
  }

  dispose(): void {
    this.functions.clear();
    this.compileFn.dispose();
    this.runFn.dispose();
    this.kit.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}
