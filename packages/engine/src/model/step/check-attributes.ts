/**
 * Attribute validation (spec model.md §4 D and E) over normalised, name-ordered attributes: roles, types, which
 * modifiers each role allows, collect modes, mappings, defaults, deadlines, const values, meta keys and inner-name
 * uniqueness. Throws invalid-step with the spec's exact message; the first failure wins.
 * Never compiles scripts (check G) and never fills defaults.
 */
import { invalidStep } from '../errors.js';
import { AttributeRole, AttributeType, CollectMode } from '../types.js';
import { MAX_DURATION_MS } from './check-step.js';
import type { NormalAttribute } from './normalise.js';
import type { FlatAttribute, FlatMember } from './raw.js';

const isOneOf = <T extends string>(table: Record<string, T>, value: string): value is T =>
  (Object.values(table) as string[]).includes(value);

const { required, optional, const: constant, meta, output } = AttributeRole;

/** model.md §3.1: the roles each modifier is allowed on, in the table's order. */
const ALLOWED_ROLES: [FlatMember, AttributeRole[]][] = [
  ['mapping', [required, optional, output]],
  ['for_each', [required, optional]],
  ['collect', [required, optional]],
  ['match', [required]],
  ['default', [optional, constant]],
  ['deadline', [optional]],
  ['key', [meta]],
];

/** A modifier counts as set when it is present with a non-zero value. */
const isSet = (spec: FlatAttribute, member: FlatMember): boolean => {
  switch (member) {
    case 'mapping':
    case 'match':
      return spec[member] !== undefined;
    case 'for_each':
      return spec.for_each === true;
    case 'deadline':
      return (spec.deadline ?? 0) !== 0;
    case 'collect':
    case 'default':
    case 'key':
      return (spec[member] ?? '') !== '';
    default: {
      const never: never = member;
      throw new Error(`unknown attribute member ${String(never)}`);
    }
  }
};

const TYPE_REASON: Record<AttributeType, string> = {
  string: 'must be a valid JSON string',
  number: 'must be a valid number',
  boolean: 'must be "true" or "false"',
  object: 'must be valid JSON object',
  array: 'must be valid JSON array',
  null: 'must be "null"',
  any: 'must be valid JSON',
};

const fitsType = (value: unknown, type: AttributeType): boolean => {
  switch (type) {
    case AttributeType.string:
      return typeof value === 'string';
    case AttributeType.number:
      return typeof value === 'number';
    case AttributeType.boolean:
      return typeof value === 'boolean';
    case AttributeType.object:
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case AttributeType.array:
      return Array.isArray(value);
    case AttributeType.null:
      return value === null;
    case AttributeType.any:
      return true;
    default: {
      const never: never = type;
      throw new Error(`unknown attribute type ${String(never)}`);
    }
  }
};

/** Why `text` is not an acceptable default/const value for `type`, or undefined when it is. */
export const defaultValueProblem = (text: string, type: AttributeType | undefined): string | undefined => {
  const declared = type ?? AttributeType.any;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return TYPE_REASON[declared];
  }
  return fitsType(value, declared) ? undefined : TYPE_REASON[declared];
};

const checkDefault = (name: string, text: string, type: AttributeType | undefined): void => {
  const why = defaultValueProblem(text, type);
  if (why !== undefined) throw invalidStep(`invalid default value for type for attribute "${name}": ${why}`);
};

const checkOne = (name: string, spec: FlatAttribute | null): void => {
  if (name === '') throw invalidStep('argument name empty');
  if (spec === null) throw invalidStep('attribute has nil definition');
  const role = spec.role ?? '';
  if (!isOneOf(AttributeRole, role)) throw invalidStep(`invalid attribute role: ${role} for attribute "${name}"`);
  const rawType = spec.type ?? '';
  if (rawType !== '' && !isOneOf(AttributeType, rawType)) {
    throw invalidStep(`invalid attribute type: ${rawType} for attribute "${name}"`);
  }
  const type = rawType === '' ? undefined : (rawType as AttributeType);
  for (const [member, roles] of ALLOWED_ROLES) {
    if (isSet(spec, member) && !roles.includes(role)) {
      throw invalidStep(`${member} not allowed for ${role} attribute "${name}"`);
    }
  }
  if (spec.for_each === true && type !== undefined && type !== AttributeType.array && type !== AttributeType.any) {
    throw invalidStep(`for_each processing requires an array attribute type: type ${type} for attribute "${name}"`);
  }
  const collect = spec.collect ?? '';
  if (collect !== '' && !isOneOf(CollectMode, collect)) {
    throw invalidStep(`invalid input collect: ${collect} for attribute "${name}"`);
  }
  if (spec.mapping !== undefined && !spec.mapping.name && spec.mapping.script === undefined) {
    throw invalidStep(`invalid attribute mapping: "${name}"`);
  }
  switch (role) {
    case optional: {
      if (isSet(spec, 'default')) checkDefault(name, spec.default ?? '', type);
      const deadline = spec.deadline ?? 0;
      if (deadline < 0 || deadline > MAX_DURATION_MS) {
        throw invalidStep(
          `deadline must be between 0 and 1 year in milliseconds: deadline ${deadline} for attribute "${name}"`,
        );
      }
      return;
    }
    case constant:
      if (!isSet(spec, 'default')) {
        throw invalidStep(`const value required for const attribute: const for attribute "${name}"`);
      }
      checkDefault(name, spec.default ?? '', type);
      return;
    case meta:
      if (!isSet(spec, 'key')) throw invalidStep(`meta key required for meta attribute: meta for attribute "${name}"`);
      return;
    default:
      return;
  }
};

/** Check E: inner names are distinct among runtime inputs and, separately, among outputs. */
const checkInnerNames = (attributes: readonly [string, FlatAttribute][]): void => {
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const [name, spec] of attributes) {
    const inner = spec.mapping?.name || name;
    const seen = spec.role === output ? outputs : inputs;
    if (seen.has(inner)) throw invalidStep(`duplicate mapped parameter name: "${inner}"`);
    seen.add(inner);
  }
};

/** Checks D and E over name-ordered attributes; returns them with `null` definitions ruled out. */
export const checkAttributes = (attributes: readonly NormalAttribute[]): [string, FlatAttribute][] => {
  const checked: [string, FlatAttribute][] = [];
  for (const [name, spec] of attributes) {
    checkOne(name, spec);
    if (spec !== null) checked.push([name, spec]);
  }
  checkInnerNames(checked);
  return checked;
};
