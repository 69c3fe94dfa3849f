/**
 * The JavaScript prelude evaluated once in every new QuickJS context (spec engine.md §25.6, §25.2 "no state survives
 * between evaluations"). It locks the realm down so one context can serve many evaluations without leaking state:
 * - every intrinsic reachable from the global object (and those only reachable through syntax) is frozen, after the
 *   properties most often assigned on instances (`toString`, `constructor`, `name`, `message`, …) were turned into
 *   accessors that define an own property on the instance instead of failing;
 * - the global object's own properties become read-only; anything a script adds to it is deleted after the run, and
 *   a global object whose shape cannot be restored makes the run "dirty" (the host then discards the context);
 * - the host talks to the realm only through the kit it returns, which captured every built-in it uses beforehand.
 *
 * Kit protocol: compile(params, source) → function (throws the SyntaxError of the statement form when neither form
 * compiles); run(fn, argsJson, mode) → string: optional '!' (dirty) then 'v' + JSON | 't' | 'f' | 'e' + message.
 */
export const REALM_PRELUDE = String.raw`(function () {
  "use strict";
  const G = globalThis;
  const { freeze, getPrototypeOf, isExtensible, defineProperty, getOwnPropertyDescriptor } = Object;
  const { ownKeys, apply, deleteProperty } = Reflect;
  const hasOwn = Object.hasOwn;
  const stringify = JSON.stringify, parse = JSON.parse;
  const PromiseCtor = Promise, NumberCtor = Number, ErrorCtor = Error, TypeErrorCtor = TypeError;
  const SyntaxErrorCtor = SyntaxError;
  const numberValueOf = Number.prototype.valueOf;
  const finite = Number.isFinite;
  const StringCtor = String;
  const evaluate = G.eval;
  const SetCtor = Set;
  const setHas = Set.prototype.has, setAdd = Set.prototype.add;
  const arrayPush = Array.prototype.push, arrayPop = Array.prototype.pop;

  const enable = (target, key) => {
    const desc = getOwnPropertyDescriptor(target, key);
    if (desc === undefined || !("value" in desc)) return;
    const value = desc.value;
    defineProperty(target, key, {
      get() { return value; },
      set(next) {
        if (this === target) throw new TypeErrorCtor("Cannot assign to read only property '" + StringCtor(key) + "'");
        if (hasOwn(this, key)) this[key] = next;
        else defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  };
  for (const key of ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf",
    "propertyIsEnumerable", "toLocaleString"]) enable(Object.prototype, key);
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
    typeof InternalError === "function" ? InternalError : Error, AggregateError]) {
    for (const key of ["constructor", "name", "message", "toString"]) enable(E.prototype, key);
  }
  enable(Function.prototype, "toString");

  const hidden = [
    getPrototypeOf(function* () {}), getPrototypeOf(async function () {}), getPrototypeOf(async function* () {}),
    getPrototypeOf((function* () {})()), getPrototypeOf((async function* () {})()),
    getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map().entries()), getPrototypeOf(new Set().values()),
    getPrototypeOf(""[Symbol.iterator]()), getPrototypeOf(/x/[Symbol.matchAll]("")), getPrototypeOf(Int8Array),
  ];
  if (typeof Iterator === "function" && typeof Iterator.from === "function") {
    hidden.push(getPrototypeOf(Iterator.from({ next() { return { done: true }; } })));
    if (typeof Iterator.prototype.map === "function") hidden.push(getPrototypeOf([].values().map((x) => x)));
  }
  const seen = new SetCtor();
  const pending = [];
  for (const key of ownKeys(G)) {
    const desc = getOwnPropertyDescriptor(G, key);
    apply(arrayPush, pending, [desc.value, desc.get, desc.set]);
  }
  apply(arrayPush, pending, hidden);
  while (pending.length > 0) {
    const item = apply(arrayPop, pending, []);
    if ((typeof item !== "object" && typeof item !== "function") || item === null || item === G) continue;
    if (apply(setHas, seen, [item])) continue;
    apply(setAdd, seen, [item]);
    for (const key of ownKeys(item)) {
      const desc = getOwnPropertyDescriptor(item, key);
      apply(arrayPush, pending, [desc.value, desc.get, desc.set]);
    }
    apply(arrayPush, pending, [getPrototypeOf(item)]);
    freeze(item);
  }
  for (const key of ownKeys(G)) {
    const desc = getOwnPropertyDescriptor(G, key);
    if (desc.configurable || desc.writable) {
      defineProperty(G, key, "value" in desc ? { writable: false, configurable: false } : { configurable: false });
    }
  }
  const globalCount = ownKeys(G).length;
  const globalProto = getPrototypeOf(G);
  const originals = new SetCtor(ownKeys(G));

  const restore = () => {
    let clean = getPrototypeOf(G) === globalProto && isExtensible(G);
    const keys = ownKeys(G);
    if (keys.length !== globalCount) {
      for (const key of keys) {
        if (!apply(setHas, originals, [key]) && !deleteProperty(G, key)) clean = false;
      }
    }
    return clean;
  };

  const seal = (fn) => {
    if (typeof fn !== "function") throw new TypeErrorCtor("script did not compile to a function");
    const prototype = hasOwn(fn, "prototype") ? fn.prototype : undefined;
    freeze(fn);
    if (prototype !== undefined && prototype !== null) freeze(prototype);
    return fn;
  };
  const compile = (params, source) => {
    try {
      try {
        return seal(evaluate("(function (" + params + ") { return (" + source + "\n); })"));
      } catch (error) {
        if (!(error instanceof SyntaxErrorCtor)) throw error;
      }
      return seal(evaluate("(function (" + params + ") {\n" + source + "\n})"));
    } finally {
      restore();
    }
  };

  const replacer = (_key, value) => {
    if (typeof value === "number") {
      if (!finite(value)) throw new TypeErrorCtor("result contains a non-finite number (" + value + ")");
    } else if (typeof value === "bigint") {
      throw new TypeErrorCtor("result contains a BigInt");
    } else if (value instanceof PromiseCtor) {
      throw new TypeErrorCtor("result contains a Promise");
    } else if (value instanceof NumberCtor && !finite(apply(numberValueOf, value, []))) {
      throw new TypeErrorCtor("result contains a non-finite number");
    }
    return value;
  };
  const toJson = (result) => {
    if (result === undefined) return "null";
    const type = typeof result;
    if (type === "function" || type === "symbol") throw new TypeErrorCtor("cannot convert a " + type + " result to JSON");
    const text = stringify(result, replacer);
    return text === undefined ? "null" : text;
  };
  const describe = (error) => {
    try {
      if (error instanceof ErrorCtor) {
        const name = StringCtor(error.name), message = StringCtor(error.message);
        return name === "Error" ? message : name + ": " + message;
      }
      if (typeof error === "object" && error !== null && typeof error.message === "string") return error.message;
      return StringCtor(error);
    } catch (inner) {
      return "uncaught exception";
    }
  };
  const run = (fn, argsJson, mode) => {
    let out;
    try {
      const result = apply(fn, undefined, parse(argsJson));
      if (mode === 1) out = result ? "t" : "f";
      else {
        try {
          out = "v" + toJson(result);
        } catch (error) {
          out = "e" + (error instanceof TypeErrorCtor ? StringCtor(error.message) : describe(error));
        }
      }
    } catch (error) {
      out = "e" + describe(error);
    }
    return (restore() ? "" : "!") + out;
  };
  return freeze({ compile, run });
})()`;
