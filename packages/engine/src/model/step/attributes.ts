/**
 * Small read-only questions about a step's attributes (spec model.md §3.1) that validation, compilation and the
 * runtime share: name order, runtime inputs, input/output names and URL placeholders.
 * Pure: never mutates a step, never touches I/O.
 */
import type { AttributeSpec, Step } from '../types.js';
import { AttributeRole, innerName, isInputRole } from '../types.js';

/** Ascending name order (UTF-16 code units), the order every check visits attributes in. */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A step's attributes in ascending name order. */
export const sortedAttributes = (step: Pick<Step, 'attributes'>): [string, AttributeSpec][] =>
  Object.entries(step.attributes).sort(([a], [b]) => compareNames(a, b));

/** Runtime inputs are required, optional, const and meta attributes (model.md §3.1). */
export const isRuntimeInputRole = (role: AttributeRole): boolean => role !== AttributeRole.output;

/**
 * Inner names of the runtime inputs (what a step receives and what its scripts see), in attribute-name order,
 * without duplicates. Const and meta attributes are never mapped, so theirs is the attribute name.
 */
export const runtimeInputs = (step: Pick<Step, 'attributes'>): string[] => {
  const names: string[] = [];
  for (const [name, spec] of sortedAttributes(step)) {
    if (!isRuntimeInputRole(spec.role)) continue;
    const inner = innerName(name, spec);
    if (!names.includes(inner)) names.push(inner);
  }
  return names;
};

/** Required and optional attribute names, sorted. */
export const inputNames = (step: Pick<Step, 'attributes'>): string[] =>
  sortedAttributes(step)
    .filter(([, spec]) => isInputRole(spec.role))
    .map(([name]) => name);

/** Output attribute names, sorted. */
export const outputNames = (step: Pick<Step, 'attributes'>): string[] =>
  sortedAttributes(step)
    .filter(([, spec]) => spec.role === AttributeRole.output)
    .map(([name]) => name);

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** Names of the `{name}` placeholders of a URL template, in order of first appearance, without duplicates. */
export const placeholders = (template: string): string[] => {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
};

/** Sets an own, enumerable member even for names such as `__proto__` (plain assignment would hit the setter). */
export const setEntry = <V>(target: Record<string, V>, key: string, value: V): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};
