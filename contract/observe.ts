/**
 * How the contract suite compares a reply with an assumption of contract/assumptions.ts, and says what it saw.
 * Values are described by their shape ("a string", "an integer (7200)"), never quoted, except
 * where they are names from a short documented list (a delivery state, the token type): a token
 * or an ID must not end up in a table that people paste into issues.
 */
import { DELIVERY_STATES } from '../src/model/domain.js';
import { WIRE_TYPES, type WireType } from '../src/hindsite/wire.js';
import { isObject } from '../src/model/json.js';
import {
  pathText,
  type FieldAssumption,
  type StatusAssumption,
  type WireAssumption,
} from './assumptions.js';
import type { Exchange } from './http.js';

export type Result = 'confirmed' | 'differs' | 'not checked';

export interface Outcome {
  result: Result;
  observed: string;
}

export const confirmed = (observed: string): Outcome => ({ result: 'confirmed', observed });
export const differs = (observed: string): Outcome => ({ result: 'differs', observed });
export const notChecked = (observed: string): Outcome => ({ result: 'not checked', observed });

const TYPE_WORDS: Record<WireType, string> = {
  'delivery ID': 'a delivery ID (printable ASCII, at most 128 characters, no spaces, = or quotes)',
  ID: 'an ID (printable ASCII, at most 128 characters, no spaces, = or quotes)',
  'non-empty string': 'a non-empty string',
  string: 'a string',
  integer: 'an integer',
  'positive integer': 'a positive integer',
  'date-time': 'an ISO 8601 date-time',
  'delivery state': `one of ${DELIVERY_STATES.join(', ')}`,
  Bearer: '"Bearer" (any case)',
  array: 'an array',
  'array of strings': 'an array of strings',
  object: 'an object',
  'object or null': 'an object or null',
};

/** What the action expects, in words. */
export function expectsOf(assumption: WireAssumption): string {
  if (assumption.kind === 'behaviour') return assumption.expects;
  if (assumption.kind === 'status') {
    if (assumption.statuses === '2xx') return 'a 2xx status';
    return `HTTP ${assumption.statuses.join(' or ')}`;
  }
  const every = assumption.path.includes('[]') ? ', in every row' : '';
  return `${TYPE_WORDS[assumption.type]}${every}`;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** "a JSON object (keys: error, error_description)", or what the body is when it is not JSON. */
export function bodyShape(exchange: Exchange): string {
  if (exchange.body !== undefined) return describe(exchange.body);
  if (exchange.text.length === 0) return 'an empty body';
  const type = exchange.contentType.split(';')[0]?.trim() || 'no content type';
  return `a body that is not JSON (${type}, ${exchange.text.length} bytes)`;
}

/** "HTTP 401, a JSON object (keys: error)", or why there was no reply. */
export function replyText(exchange: Exchange): string {
  if (exchange.status === 0) return `no reply: ${exchange.error ?? 'unknown error'}`;
  return `HTTP ${exchange.status}, ${bodyShape(exchange)}`;
}

export function observeStatus(exchange: Exchange, assumption: StatusAssumption): Outcome {
  if (exchange.status === 0) return notChecked(replyText(exchange));
  const expected = assumption.statuses;
  const holds =
    expected === '2xx' ? isSuccess(exchange.status) : expected.includes(exchange.status);
  // A success's body is checked row by row; an error's shape is the open question.
  const observed = isSuccess(exchange.status) ? `HTTP ${exchange.status}` : replyText(exchange);
  return holds ? confirmed(observed) : differs(observed);
}

/** Checks one field assumption against a JSON body; `[]` checks every element of the array. */
export function observeField(body: unknown, assumption: FieldAssumption): Outcome {
  const { path, type } = assumption;
  const rows = path.indexOf('[]');
  if (rows < 0) {
    const value = valueAt(body, path);
    const observed = describe(value, type);
    return WIRE_TYPES[type](value) ? confirmed(observed) : differs(observed);
  }
  const list = valueAt(body, path.slice(0, rows));
  if (!Array.isArray(list)) {
    return notChecked(`no rows: ${pathText(path.slice(0, rows))} is ${describe(list)}`);
  }
  if (list.length === 0) return notChecked('no rows in the reply');
  const rest = path.slice(rows + 1);
  const all = new Map<string, number>();
  const wrong = new Map<string, number>();
  for (const row of list) {
    const value = valueAt(row, rest);
    const text = describe(value, type);
    all.set(text, (all.get(text) ?? 0) + 1);
    if (!WIRE_TYPES[type](value)) wrong.set(text, (wrong.get(text) ?? 0) + 1);
  }
  const counted = (groups: Map<string, number>): string =>
    [...groups]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([text, count]) => `${text} in ${count}`)
      .join(', ');
  const rowsText = `${list.length} row${list.length === 1 ? '' : 's'}`;
  if (wrong.size > 0) return differs(`${counted(wrong)} of ${rowsText}`);
  const [only] = all.keys();
  if (all.size === 1)
    return confirmed(`${only} in ${list.length === 1 ? 'the' : 'all'} ${rowsText}`);
  return confirmed(`${counted(all)} (${rowsText})`);
}

function valueAt(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value;
}

/** A value's shape in a few words; only short names from documented lists are quoted. */
export function describe(value: unknown, type?: WireType): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if ((type === 'Bearer' || type === 'delivery state') && value.length <= 40) {
      return JSON.stringify(value);
    }
    if (value.length === 0) return 'an empty string';
    if (type === 'date-time') {
      return WIRE_TYPES['date-time'](value)
        ? 'an ISO 8601 date-time'
        : 'a string that is not an ISO 8601 date-time';
    }
    return 'a string';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `an integer (${value})` : `a number (${value})`;
  }
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array';
    const strings = value.every((item) => typeof item === 'string');
    const noun = strings ? (value.length === 1 ? ' string' : ' strings') : '';
    return `an array of ${value.length}${noun}`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const more = keys.length > 8 ? ', …' : '';
    return `an object (keys: ${keys.slice(0, 8).join(', ')}${more})`;
  }
  return typeof value;
}
