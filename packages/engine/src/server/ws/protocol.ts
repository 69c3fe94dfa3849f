/**
 * Client → server messages (spec websocket.md §3), decoded into commands or an error frame description.
 * A non-empty string `data.sub_id` selects the multi-subscription form; otherwise the single-aggregate form.
 * Pure: no I/O, no session state.
 */
import type { Name } from './names.js';

export const WsErrorCode = {
  invalidMessage: 'invalid-message',
  unknownType: 'unknown-type',
  invalidSubscription: 'invalid-subscription',
  tooManySubscriptions: 'too-many-subscriptions',
  stateUnavailable: 'state-unavailable',
} as const;
export type WsErrorCode = (typeof WsErrorCode)[keyof typeof WsErrorCode];

export type ClientMessage =
  | { kind: 'subscribe-multi'; subId: string; names: Name[]; includeState: boolean; eventTypes: string[] }
  | { kind: 'subscribe-single'; name: Name; eventTypes: string[] }
  | { kind: 'unsubscribe-multi'; subId: string }
  | { kind: 'unsubscribe-single'; name: Name }
  | { kind: 'unsubscribe-all-single' }
  | { kind: 'error'; code: WsErrorCode; message: string; subId?: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

class Malformed extends Error {}

const optional = <T>(data: Obj, key: string, check: (v: unknown) => v is T, what: string): T | undefined => {
  const v = data[key];
  if (v === undefined) return undefined;
  if (!check(v)) throw new Malformed(`${key} must be ${what}`);
  return v;
};

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isNameList = (v: unknown): v is string[][] => Array.isArray(v) && v.every(isStringArray);

const subscribe = (data: Obj): ClientMessage => {
  const subId = optional(data, 'sub_id', isString, 'a string');
  const aggregateIds = optional(data, 'aggregate_ids', isNameList, 'an array of string arrays');
  const aggregateId = optional(data, 'aggregate_id', isStringArray, 'an array of strings');
  const includeState = optional(data, 'include_state', isBoolean, 'a boolean');
  const eventTypes = optional(data, 'event_types', isStringArray, 'an array of strings') ?? [];
  if (subId !== undefined && subId !== '') {
    const names = aggregateIds ?? (aggregateId === undefined ? [] : [aggregateId]);
    return { kind: 'subscribe-multi', subId, names, includeState: includeState ?? false, eventTypes };
  }
  if (aggregateIds !== undefined) throw new Malformed('sub_id required with aggregate_ids');
  return { kind: 'subscribe-single', name: aggregateId ?? [], eventTypes };
};

const unsubscribe = (data: Obj): ClientMessage => {
  const subId = optional(data, 'sub_id', isString, 'a string');
  if (subId !== undefined && subId !== '') return { kind: 'unsubscribe-multi', subId };
  const aggregateId = optional(data, 'aggregate_id', isStringArray, 'an array of strings');
  if (aggregateId === undefined) return { kind: 'unsubscribe-all-single' };
  return { kind: 'unsubscribe-single', name: aggregateId };
};

export const decodeClientMessage = (text: string): ClientMessage => {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (err) {
    return { kind: 'error', code: WsErrorCode.invalidMessage, message: `invalid JSON: ${(err as Error).message}` };
  }
  if (!isObj(msg) || typeof msg.type !== 'string') {
    const message = 'message must be a JSON object with a string type';
    return { kind: 'error', code: WsErrorCode.invalidMessage, message };
  }
  if (msg.type !== 'subscribe' && msg.type !== 'unsubscribe') {
    return { kind: 'error', code: WsErrorCode.unknownType, message: `unknown message type: ${msg.type}` };
  }
  const data = msg.data ?? {};
  const subId = isObj(data) && typeof data.sub_id === 'string' && data.sub_id !== '' ? data.sub_id : undefined;
  const fail = (message: string): ClientMessage =>
    subId === undefined
      ? { kind: 'error', code: WsErrorCode.invalidSubscription, message }
      : { kind: 'error', code: WsErrorCode.invalidSubscription, message, subId };
  if (!isObj(data)) return fail('data must be an object');
  try {
    return msg.type === 'subscribe' ? subscribe(data) : unsubscribe(data);
  } catch (err) {
    if (err instanceof Malformed) return fail(err.message);
    throw err;
  }
};
