/**
 * Questions the planner asks about one catalog step against init or the satisfiable-name set (spec engine.md
 * §2.2–§2.6): its outputs, its inputs in name order, whether init blocks it, whether init already holds all its
 * outputs, which required inputs are unobtainable and which inputs a child flow can count on.
 * Pure and read-only: never mutates the step.
 */
import type { Args, AttributeSpec, Step } from '../model/types.js';
import { AttributeRole, CollectMode, collectOf, innerName, isInputRole } from '../model/types.js';

/** "X in init" means the key is present, whatever its value (null included). */
export const inInit = (init: Args, name: string): boolean => Object.hasOwn(init, name);

/** Attributes of a step in ascending name order. */
const sortedAttributes = (step: Step): [string, AttributeSpec][] =>
  Object.entries(step.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Output names, sorted. */
export const outputNames = (step: Step): string[] =>
  sortedAttributes(step)
    .filter(([, spec]) => spec.role === AttributeRole.output)
    .map(([name]) => name);

/** Required and optional inputs, in name order. */
export const inputAttributes = (step: Step): [string, AttributeSpec][] =>
  sortedAttributes(step).filter(([, spec]) => isInputRole(spec.role));

const requiresValue = (spec: AttributeSpec): boolean =>
  spec.role === AttributeRole.required && collectOf(spec) !== CollectMode.none;

/** Required `collect: none` inputs that have an init value (sorted); non-empty means blocked (§2.2). */
export const blockedInputs = (step: Step, init: Args): string[] =>
  sortedAttributes(step)
    .filter(([, spec]) => spec.role === AttributeRole.required && collectOf(spec) === CollectMode.none)
    .filter(([name]) => inInit(init, name))
    .map(([name]) => name);

export const isBlocked = (step: Step, init: Args): boolean => blockedInputs(step, init).length > 0;

/** True when the step has at least one output and every output is in init. */
export const outputsAllInInit = (step: Step, init: Args): boolean => {
  const outputs = outputNames(step);
  return outputs.length > 0 && outputs.every((name) => inInit(init, name));
};

/** Required inputs (collect not `none`) missing from `available`, sorted. */
export const unavailableRequired = (step: Step, available: ReadonlySet<string>): string[] =>
  sortedAttributes(step)
    .filter(([name, spec]) => requiresValue(spec) && !available.has(name))
    .map(([name]) => name);

/**
 * Inner names of a flow step's guaranteed inputs (§2.6): required with collect not `none`, const, meta, and
 * optional with a non-empty `default`. Sorted by attribute name.
 */
export const guaranteedInnerNames = (step: Step): string[] =>
  sortedAttributes(step)
    .filter(([, spec]) => {
      switch (spec.role) {
        case AttributeRole.required:
          return collectOf(spec) !== CollectMode.none;
        case AttributeRole.const:
        case AttributeRole.meta:
          return true;
        case AttributeRole.optional:
          return spec.default !== undefined && spec.default !== '';
        case AttributeRole.output:
          return false;
        default: {
          const unreachable: never = spec.role;
          throw new Error(`unknown attribute role: ${String(unreachable)}`);
        }
      }
    })
    .map(([name, spec]) => innerName(name, spec));
