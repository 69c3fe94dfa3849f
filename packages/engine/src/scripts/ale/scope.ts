/**
 * Compile-time scopes and run-time frames of Ale: each function body (and the program) owns numbered slots; `let`
 * and parameters push bindings that shadow earlier ones. Closures capture their defining frame. No evaluation here.
 */
import type { Form } from './reader.js';
import type { AleRuntime } from './runtime.js';
import type { Value } from './values.js';

export interface Frame {
  readonly slots: Value[];
  readonly parent: Frame | undefined;
}

export type Node = (frame: Frame, rt: AleRuntime) => Value;

/** What special forms need from the analyser. */
export interface Compiler {
  node(form: Form, scope: FunctionScope): Node;
  body(forms: readonly Form[], scope: FunctionScope): Node;
}

/** Names bound in one function body (or the program): a stack of let/parameter bindings over numbered slots. */
export class FunctionScope {
  size = 0;
  private readonly bindings: Array<{ name: string; slot: number }> = [];

  constructor(readonly parent: FunctionScope | undefined) {}

  declare(name: string): number {
    const slot = this.size;
    this.size += 1;
    this.bindings.push({ name, slot });
    return slot;
  }

  mark(): number {
    return this.bindings.length;
  }

  release(mark: number): void {
    this.bindings.length = mark;
  }

  find(name: string): number | undefined {
    for (let i = this.bindings.length - 1; i >= 0; i -= 1) {
      const binding = this.bindings[i]!;
      if (binding.name === name) return binding.slot;
    }
    return undefined;
  }
}

export const evaluateAll = (nodes: readonly Node[], frame: Frame, rt: AleRuntime): Value[] => {
  const out = new Array<Value>(nodes.length);
  for (let i = 0; i < nodes.length; i += 1) out[i] = nodes[i]!(frame, rt);
  return out;
};
