/**
 * Normalisation of attribute aliases (spec model.md §3.2, check A of §4): nested role objects and the flat `timeout`
 * become flat members. Attributes are visited in ascending name order; the first failure is thrown as invalid-step.
 * Never validates member values: that is check D, after identity and type checks.
 */
import { invalidStep } from '../errors.js';
import type { Json } from '../types.js';
import { compareNames } from './attributes.js';
import { jsonEqual } from './canonical-json.js';
import type { FlatAttribute, FlatMember, FlatValue, RawAttribute } from './raw.js';

/** An attribute after normalisation; `null` keeps a `null` definition for check D. */
export type NormalAttribute = [name: string, spec: FlatAttribute | null];

const asJson = (value: FlatValue): Json => value as unknown as Json;

const normaliseOne = (name: string, raw: RawAttribute): FlatAttribute => {
  for (const nested of raw.nested) {
    if (nested.name !== raw.role) throw invalidStep(`config type does not match attribute role: "${name}"`);
  }
  const { nested: nestedConfigs, timeout, ...flatMembers } = raw;
  const flat: FlatAttribute = flatMembers;
  const members = flat as Partial<Record<FlatMember, FlatValue>>;
  for (const nested of nestedConfigs) {
    for (const [key, value] of Object.entries(nested.members) as [FlatMember, FlatValue][]) {
      const current = members[key];
      if (current !== undefined && !jsonEqual(asJson(current), asJson(value))) {
        throw invalidStep(`conflicting ${key} for attribute "${name}"`);
      }
      members[key] = value;
    }
  }
  if (timeout !== undefined) {
    if (flat.deadline !== undefined && flat.deadline !== timeout) {
      throw invalidStep(`conflicting deadline for attribute "${name}"`);
    }
    flat.deadline = timeout;
  }
  return flat;
};

/** Check A: returns the attributes in ascending name order, in flat form. */
export const normaliseAttributes = (attributes: readonly [string, RawAttribute | null][]): NormalAttribute[] =>
  [...attributes]
    .sort(([a], [b]) => compareNames(a, b))
    .map(([name, raw]): NormalAttribute => [name, raw === null ? null : normaliseOne(name, raw)]);
