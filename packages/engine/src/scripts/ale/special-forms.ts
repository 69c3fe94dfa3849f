/**
 * Ale special forms (spec engine.md §25.3): if, when, unless, cond, and, or, do, let, let*, fn, lambda and quote.
 * Checks each form's shape at compile time (errors name line and column) and builds its evaluation closure.
 */
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { compileError, type CollectionForm, type Form } from './reader.js';
import { CLOSURE_BYTES } from './runtime.js';
import { FunctionScope, type Compiler, type Node } from './scope.js';
import { AleFunction, AleList, isTruthy, Keyword, type Value } from './values.js';

type ListForm = CollectionForm;
type SpecialForm = (form: ListForm, args: readonly Form[], scope: FunctionScope) => Node;
export type SpecialForms = ReadonlyMap<string, SpecialForm>;

export const SPECIAL_FORM_NAMES: readonly string[] = [
  'if', 'when', 'unless', 'cond', 'and', 'or', 'do', 'let', 'let*', 'fn', 'lambda', 'quote',
];

const symbolName = (form: Form, what: string): string => {
  if (form.kind !== 'symbol') throw compileError(`${what} must be a symbol`, form.pos);
  return form.name;
};

const sequenceItems = (form: Form | undefined, what: string, at: Form): readonly Form[] => {
  if (form === undefined || (form.kind !== 'vector' && form.kind !== 'list')) {
    throw compileError(`${what} must be a vector or list`, form?.pos ?? at.pos);
  }
  return form.items;
};

/** `[n1 e1 n2 e2 …]` or `([n1 e1] [n2 e2] …)` (either bracket style for the outer and inner sequences). */
const letPairs = (form: ListForm, bindings: Form | undefined): Array<[string, Form]> => {
  const items = sequenceItems(bindings, 'let bindings', form);
  const paired =
    items.length > 0 && items.every((i) => (i.kind === 'vector' || i.kind === 'list') && i.items.length === 2);
  if (paired) {
    return items.map((i) => {
      const [name, value] = (i as ListForm).items as [Form, Form];
      return [symbolName(name, 'let binding name'), value];
    });
  }
  if (items.length % 2 !== 0) throw compileError('let bindings need a name and a value each', bindings!.pos);
  const pairs: Array<[string, Form]> = [];
  for (let i = 0; i < items.length; i += 2) pairs.push([symbolName(items[i]!, 'let binding name'), items[i + 1]!]);
  return pairs;
};

/** The value a quoted form denotes: symbols become their names as strings, `()` null. */
const quoted = (form: Form): Value => {
  switch (form.kind) {
    case 'literal':
      return form.value;
    case 'keyword':
      return new Keyword(form.name);
    case 'symbol':
      return form.name;
    case 'list':
      return form.items.length === 0 ? null : new AleList(form.items.map(quoted));
    case 'vector':
      return form.items.map(quoted);
    case 'object': {
      if (form.items.length % 2 !== 0) throw compileError('object literal needs an even number of forms', form.pos);
      const out = new Map<string, Value>();
      for (let i = 0; i < form.items.length; i += 2) {
        const key = form.items[i]!;
        if (key.kind === 'keyword') out.set(key.name, quoted(form.items[i + 1]!));
        else if (key.kind === 'literal' && typeof key.value === 'string') out.set(key.value, quoted(form.items[i + 1]!));
        else throw compileError('quoted object keys must be keywords or strings', key.pos);
      }
      return out;
    }
  }
};

const closure = (c: Compiler, name: string, form: ListForm, args: readonly Form[], scope: FunctionScope): Node => {
  const params = sequenceItems(args[0], `${name} parameters`, form).map((p) => symbolName(p, `${name} parameter`));
  if (new Set(params).size !== params.length) throw compileError(`${name}: duplicate parameter name`, form.pos);
  const inner = new FunctionScope(scope);
  for (const p of params) inner.declare(p);
  const body = c.body(args.slice(1), inner);
  const size = inner.size;
  const arity = params.length;
  return (frame, rt) => {
    rt.allocate(CLOSURE_BYTES);
    return new AleFunction(name, (callArgs, callRt) => {
      if (callArgs.length !== arity) {
        throw new ScriptRuntimeError(`${name}: expected ${arity} arguments, got ${callArgs.length}`);
      }
      callRt.enter();
      const slots = new Array<Value>(size);
      for (let i = 0; i < arity; i += 1) slots[i] = callArgs[i]!;
      const result = body({ slots, parent: frame }, callRt);
      callRt.leave();
      return result;
    });
  };
};

const conditional = (c: Compiler, negate: boolean) => (form: ListForm, args: readonly Form[], scope: FunctionScope) => {
  if (args.length === 0) throw compileError(`${negate ? 'unless' : 'when'}: missing condition`, form.pos);
  const test = c.node(args[0]!, scope);
  const body = c.body(args.slice(1), scope);
  return ((frame, rt) => (isTruthy(test(frame, rt)) !== negate ? body(frame, rt) : null)) as Node;
};

export const specialForms = (c: Compiler): SpecialForms => {
  const forms = new Map<string, SpecialForm>();
  forms.set('if', (form, args, scope) => {
    if (args.length < 2 || args.length > 3) throw compileError('if: expected a condition and 1 or 2 branches', form.pos);
    const [test, then, otherwise] = args.map((a) => c.node(a, scope));
    return (frame, rt) =>
      isTruthy(test!(frame, rt)) ? then!(frame, rt) : otherwise === undefined ? null : otherwise(frame, rt);
  });
  forms.set('when', conditional(c, false));
  forms.set('unless', conditional(c, true));
  forms.set('cond', (form, args, scope) => {
    if (args.length % 2 !== 0) throw compileError('cond: expected condition/expression pairs', form.pos);
    const nodes = args.map((a) => c.node(a, scope));
    return (frame, rt) => {
      for (let i = 0; i < nodes.length; i += 2) if (isTruthy(nodes[i]!(frame, rt))) return nodes[i + 1]!(frame, rt);
      return null;
    };
  });
  forms.set('and', (_form, args, scope) => {
    const nodes = args.map((a) => c.node(a, scope));
    return (frame, rt) => {
      let value: Value = true;
      for (const n of nodes) if (!isTruthy((value = n(frame, rt)))) return value;
      return value;
    };
  });
  forms.set('or', (_form, args, scope) => {
    const nodes = args.map((a) => c.node(a, scope));
    return (frame, rt) => {
      let value: Value = null;
      for (const n of nodes) if (isTruthy((value = n(frame, rt)))) return value;
      return value;
    };
  });
  forms.set('do', (_form, args, scope) => c.body(args, scope));
  const letForm: SpecialForm = (form, args, scope) => {
    const mark = scope.mark();
    const steps = letPairs(form, args[0]).map(([name, valueForm]) => {
      const value = c.node(valueForm, scope);
      return { slot: scope.declare(name), value };
    });
    const body = c.body(args.slice(1), scope);
    scope.release(mark);
    return (frame, rt) => {
      for (const step of steps) frame.slots[step.slot] = step.value(frame, rt);
      return body(frame, rt);
    };
  };
  forms.set('let', letForm);
  forms.set('let*', letForm);
  forms.set('fn', (form, args, scope) => closure(c, 'fn', form, args, scope));
  forms.set('lambda', (form, args, scope) => closure(c, 'lambda', form, args, scope));
  forms.set('quote', (form, args) => {
    if (args.length !== 1) throw compileError('quote: expected exactly one form', form.pos);
    const value = quoted(args[0]!);
    return () => value;
  });
  return forms;
};
