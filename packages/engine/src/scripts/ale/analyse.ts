/**
 * Ale analyser (spec engine.md §25.3 "Evaluation" and "Special forms"): resolves every symbol at compile time to a
 * local slot, a script variable or a core function (else `unbound symbol: <name>`), checks the shape of special
 * forms and turns forms into evaluation closures. Never evaluates a script.
 */
import type { CoreLibrary } from './core.js';
import { expectKey, invoke } from './core-support.js';
import { compileError, type CollectionForm, type Form } from './reader.js';
import { evaluateAll, type Compiler, type FunctionScope, type Node } from './scope.js';
import { specialForms, type SpecialForms } from './special-forms.js';
import { Keyword, type Value } from './values.js';

const localNode = (depth: number, slot: number): Node => {
  if (depth === 0) return (frame) => frame.slots[slot] as Value;
  if (depth === 1) return (frame) => frame.parent!.slots[slot] as Value;
  return (frame) => {
    let f = frame;
    for (let i = 0; i < depth; i += 1) f = f.parent!;
    return f.slots[slot] as Value;
  };
};

export class Analyser implements Compiler {
  private readonly variableIndex: ReadonlyMap<string, number>;
  private readonly special: SpecialForms;

  constructor(
    private readonly core: CoreLibrary,
    variables: readonly string[],
    private readonly checkClock: () => void,
  ) {
    this.variableIndex = new Map(variables.map((name, i) => [name, i]));
    this.special = specialForms(this);
  }

  node(form: Form, scope: FunctionScope): Node {
    this.checkClock();
    switch (form.kind) {
      case 'literal': {
        const value = form.value;
        return () => value;
      }
      case 'keyword': {
        const keyword = new Keyword(form.name);
        return () => keyword;
      }
      case 'symbol':
        return this.symbol(form.name, form, scope);
      case 'vector': {
        const items = form.items.map((item) => this.node(item, scope));
        return (frame, rt) => {
          rt.allocateSlots(items.length);
          return evaluateAll(items, frame, rt);
        };
      }
      case 'object':
        return this.objectLiteral(form, scope);
      case 'list':
        return this.list(form, scope);
    }
  }

  /** A sequence of forms evaluated in order; the value of the last (null when empty). */
  body(forms: readonly Form[], scope: FunctionScope): Node {
    const nodes = forms.map((f) => this.node(f, scope));
    if (nodes.length === 0) return () => null;
    if (nodes.length === 1) return nodes[0]!;
    return (frame, rt) => {
      let value: Value = null;
      for (const n of nodes) value = n(frame, rt);
      return value;
    };
  }

  private symbol(name: string, form: Form, scope: FunctionScope): Node {
    let depth = 0;
    for (let s: FunctionScope | undefined = scope; s !== undefined; s = s.parent, depth += 1) {
      const slot = s.find(name);
      if (slot !== undefined) return localNode(depth, slot);
    }
    const index = this.variableIndex.get(name);
    if (index !== undefined) return (_frame, rt) => rt.variables[index] as Value;
    const core = this.core.get(name);
    if (core !== undefined) return () => core;
    throw compileError(`unbound symbol: ${name}`, form.pos);
  }

  private objectLiteral(form: CollectionForm, scope: FunctionScope): Node {
    if (form.items.length % 2 !== 0) throw compileError('object literal needs an even number of forms', form.pos);
    const keys: Node[] = [];
    const values: Node[] = [];
    for (let i = 0; i < form.items.length; i += 2) {
      keys.push(this.node(form.items[i]!, scope));
      values.push(this.node(form.items[i + 1]!, scope));
    }
    return (frame, rt) => {
      rt.allocateSlots(keys.length * 2);
      const out = new Map<string, Value>();
      for (let i = 0; i < keys.length; i += 1) {
        out.set(expectKey('object literal', keys[i]!(frame, rt)), values[i]!(frame, rt));
      }
      return out;
    };
  }

  private list(form: CollectionForm, scope: FunctionScope): Node {
    const [head, ...rest] = form.items;
    if (head === undefined) return () => null;
    if (head.kind === 'symbol') {
      const special = this.special.get(head.name);
      if (special !== undefined) return special(form, rest, scope);
      const local = this.isLocalOrVariable(head.name, scope);
      const core = local ? undefined : this.core.get(head.name);
      if (core !== undefined) {
        const args = rest.map((f) => this.node(f, scope));
        return (frame, rt) => {
          rt.tick();
          return core.call(evaluateAll(args, frame, rt), rt);
        };
      }
    }
    if (head.kind === 'keyword' && (rest.length < 1 || rest.length > 2)) {
      throw compileError(`keyword lookup :${head.name} takes 1 or 2 arguments`, form.pos);
    }
    const callee = this.node(head, scope);
    const args = rest.map((f) => this.node(f, scope));
    return (frame, rt) => {
      const fn = callee(frame, rt);
      return invoke(fn, evaluateAll(args, frame, rt), rt);
    };
  }

  private isLocalOrVariable(name: string, scope: FunctionScope): boolean {
    for (let s: FunctionScope | undefined = scope; s !== undefined; s = s.parent) {
      if (s.find(name) !== undefined) return true;
    }
    return this.variableIndex.has(name);
  }
}
