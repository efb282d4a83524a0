/**
 * The wire format of HINDSITE's replies, as the action reads it: every field name and shape it
 * relies on is here, once. Anything that does not match is "not the documented reply", never a
 * guess.
 */
import {
  DELIVERY_STATES,
  isDateTime,
  isDeliveryId,
  type BulkResult,
  type Delivery,
  type ListFilters,
} from '../model/domain.js';
import { isObject } from '../model/json.js';

/*
 * The wire format. Every name the action sends or reads is written once, here: the client builds its requests and
 * parses the replies with these, and the contract suite (`npm run contract`) checks the real API
 * against the same definitions (its table of assumptions is contract/assumptions.ts, not part of
 * the action).
 */

/** The paths of the three calls, below the api-url. */
export const API_PATHS = {
  token: '/oauth/token',
  list: '/api/v2/webhook_deliveries',
  bulk: '/api/v2/webhook_deliveries/redeliveries',
} as const;

/** The list call's query parameters (the documented four, and no page size: none is documented). */
export const LIST_PARAMS = {
  webhookId: 'webhook_id',
  state: 'state',
  since: 'since',
  page: 'page',
} as const;

/** The token reply's fields. */
export const TOKEN_FIELDS = {
  accessToken: 'access_token',
  tokenType: 'token_type',
  expiresIn: 'expires_in',
  createdAt: 'created_at',
} as const;

/** The top-level fields of the list and bulk replies, and the bulk reply's `meta.dropped_ids`. */
export const REPLY_FIELDS = {
  deliveries: 'webhook_deliveries',
  meta: 'meta',
  droppedIds: 'dropped_ids',
} as const;

/** The fields of a delivery object the action reads (`updated_at` is not read). */
export const DELIVERY_FIELDS = {
  id: 'id',
  webhookId: 'webhook_id',
  eventId: 'event_id',
  eventAction: 'event_action',
  state: 'state',
  response: 'response',
  createdAt: 'created_at',
} as const;

/**
 * The spellings read for a delivery's last response, the documented one first: the list reference
 * leaves them unconfirmed, so a few common others are read too.
 */
export const RESPONSE_FIELDS = {
  code: ['code', 'status_code', 'http_status', 'status'],
  error: ['error', 'error_message', 'message'],
} as const;

/** The request of a token exchange (a form, as OAuth 2.0 has it). */
export function tokenRequestBody(clientId: string, clientSecret: string): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  }).toString();
}

/** The query of one list page. */
export function listQuery(filters: ListFilters, page: number): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.webhookId) query.set(LIST_PARAMS.webhookId, filters.webhookId);
  if (filters.state) query.set(LIST_PARAMS.state, filters.state);
  // Whole seconds as plain ISO 8601 (no .000): the form every date-time parser accepts.
  if (filters.since)
    query.set(LIST_PARAMS.since, filters.since.toISOString().replace('.000Z', 'Z'));
  query.set(LIST_PARAMS.page, String(page));
  return query;
}

/** The body of a bulk redelivery call. */
export function bulkRequestBody(deliveryIds: readonly string[]): string {
  return JSON.stringify({ delivery_ids: deliveryIds });
}

/** What a value on the wire must be for the action to read it as it does. */
export type WireType =
  | 'delivery ID'
  | 'ID'
  | 'non-empty string'
  | 'string'
  | 'integer'
  | 'positive integer'
  | 'date-time'
  | 'delivery state'
  | 'Bearer'
  | 'array'
  | 'array of strings'
  | 'object'
  | 'object or null';

export const WIRE_TYPES: Readonly<Record<WireType, (value: unknown) => boolean>> = {
  'delivery ID': (value) => typeof value === 'string' && isDeliveryId(value),
  // A webhook's or an event's ID, of the same shape as a delivery's.
  ID: (value) => typeof value === 'string' && isDeliveryId(value),
  'non-empty string': (value) => typeof value === 'string' && value.length > 0,
  string: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  'positive integer': (value) => Number.isInteger(value) && (value as number) > 0,
  'date-time': isDateTime,
  'delivery state': (value) =>
    typeof value === 'string' && (DELIVERY_STATES as readonly string[]).includes(value),
  // OAuth 2.0 token types are case-insensitive.
  Bearer: (value) => typeof value === 'string' && value.toLowerCase() === 'bearer',
  array: (value) => Array.isArray(value),
  'array of strings': (value) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string'),
  object: (value) => isObject(value),
  'object or null': (value) => value === null || isObject(value),
};

/**
 * The longest value the action reads from each string field of a delivery. Rows are held for as
 * long as a walk of the list lasts, so each of them must be of a sane size: an ID (the delivery's,
 * its webhook's and its event's) follows the action's own ID rule (printable, at most 128
 * characters); the other fields get room far beyond any value they are documented to hold. A row
 * past these is not the documented reply.
 */
export const DELIVERY_FIELD_MAX_CHARS = {
  id: 128,
  webhook_id: 128,
  event_id: 128,
  event_action: 256,
  state: 64,
  created_at: 64,
  'response.error': 4096,
} as const;

/** Why a reply is not the documented one: the field, and what is wrong with it (never its value). */
export class Malformed {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {}

  get text(): string {
    return `${this.field} ${this.problem}`;
  }
}

/** One shared copy of each webhook, action, state and error name, up to this many characters. */
const INTERNED_MAX_CHARS = 1_000_000;
const interned = new Map<string, string>();
let internedChars = 0;
/**
 * On 100,000 deliveries, a copy per row would be most of the memory the action uses. The table
 * lives as long as the process, so it is bounded by its characters, not only by its entries.
 */
function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < 10_000 && internedChars + text.length <= INTERNED_MAX_CHARS) {
    interned.set(text, text);
    internedChars += text.length;
  }
  return text;
}

const ID_WORDS = 'an ID (printable, at most 128 characters, without spaces, = or quotes)';

function readDelivery(value: unknown, at: string): Delivery | Malformed {
  if (!isObject(value)) return new Malformed(at, 'is not an object');
  // An ID that is not shaped like one is not the documented reply: it could carry markup into the
  // summary, or be sent back in a bulk call.
  const id = value[DELIVERY_FIELDS.id];
  if (!WIRE_TYPES['delivery ID'](id)) {
    const what =
      id === undefined
        ? 'is missing'
        : typeof id === 'string'
          ? `is not ${ID_WORDS}`
          : 'is not a string';
    return new Malformed(`${at}.${DELIVERY_FIELDS.id}`, what);
  }
  const texts: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  for (const key of TEXT_FIELDS) {
    const found = value[key];
    // Another type is read as absent, as it always was; only a string is held.
    if (typeof found !== 'string') continue;
    const max = DELIVERY_FIELD_MAX_CHARS[key];
    if (found.length > max) return tooLong(`${at}.${key}`, found, max);
    if (ID_FIELDS.has(key) && !isDeliveryId(found)) {
      return new Malformed(`${at}.${key}`, `is not ${ID_WORDS}`);
    }
    texts[key] = found;
  }
  const raw = value[DELIVERY_FIELDS.response];
  const response = isObject(raw) ? readResponse(raw, `${at}.${DELIVERY_FIELDS.response}`) : null;
  if (response instanceof Malformed) return response;
  const shared = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : intern(text);
  return {
    id: id as string,
    webhookId: shared(texts.webhook_id),
    eventId: texts.event_id,
    eventAction: shared(texts.event_action),
    state: shared(texts.state),
    response,
    // Any other shape counts as absent (see isDateTime).
    createdAt: isDateTime(texts.created_at) ? texts.created_at : undefined,
  };
}

/** The string fields of a delivery besides its ID, and which of them are IDs. */
const TEXT_FIELDS = [
  DELIVERY_FIELDS.webhookId,
  DELIVERY_FIELDS.eventId,
  DELIVERY_FIELDS.eventAction,
  DELIVERY_FIELDS.state,
  DELIVERY_FIELDS.createdAt,
] as const;
const ID_FIELDS: ReadonlySet<string> = new Set([
  DELIVERY_FIELDS.webhookId,
  DELIVERY_FIELDS.eventId,
]);

/** "is 2097152 characters long, more than 128": the size, never the value. */
function tooLong(field: string, value: string, max: number): Malformed {
  return new Malformed(field, `is ${value.length} characters long, more than ${max}`);
}

/** The last HTTP response of a delivery, in whichever of RESPONSE_FIELDS' spellings it comes. */
function readResponse(
  value: Record<string, unknown>,
  at: string,
): NonNullable<Delivery['response']> | Malformed {
  const first = (
    keys: readonly string[],
    type: 'number' | 'string',
  ): [string, unknown] | undefined =>
    keys
      .map((key): [string, unknown] => [key, value[key]])
      .find(([, found]) => typeof found === type);
  const code = first(RESPONSE_FIELDS.code, 'number')?.[1];
  const [errorKey, error] = first(RESPONSE_FIELDS.error, 'string') ?? [];
  const max = DELIVERY_FIELD_MAX_CHARS['response.error'];
  if (typeof error === 'string' && error.length > max) {
    return tooLong(`${at}.${errorKey}`, error, max);
  }
  return {
    code: typeof code === 'number' ? code : null,
    error: typeof error === 'string' ? intern(error) : null,
  };
}

function readDeliveries(value: unknown, at: string): Delivery[] | Malformed {
  if (!Array.isArray(value))
    return new Malformed(at, value === undefined ? 'is missing' : 'is not an array');
  const deliveries: Delivery[] = [];
  for (const [index, item] of value.entries()) {
    const delivery = readDelivery(item, `${at}[${index}]`);
    if (delivery instanceof Malformed) return delivery;
    deliveries.push(delivery);
  }
  return deliveries;
}

const wellFormed = <T>(read: T | Malformed): T | undefined =>
  read instanceof Malformed ? undefined : read;

/** A list page's deliveries, or which field makes it not the documented reply. */
export function readListReply(body: unknown): Delivery[] | Malformed {
  if (!isObject(body)) return new Malformed('the reply', 'is not a JSON object');
  return readDeliveries(body[REPLY_FIELDS.deliveries], REPLY_FIELDS.deliveries);
}

export function parseListReply(body: unknown): Delivery[] | undefined {
  return wellFormed(readListReply(body));
}

/** A bulk call's result, or which field makes it not the documented reply. */
export function readBulkReply(body: unknown): BulkResult | Malformed {
  if (!isObject(body)) return new Malformed('the reply', 'is not a JSON object');
  const created = readDeliveries(body[REPLY_FIELDS.deliveries], REPLY_FIELDS.deliveries);
  if (created instanceof Malformed) return created;
  const meta = body[REPLY_FIELDS.meta];
  const dropped = isObject(meta) ? meta[REPLY_FIELDS.droppedIds] : undefined;
  // Without the list, an ID HINDSITE dropped is one the reply does not account for: the ledger
  // reports it as outcome unknown, never as done.
  if (dropped === undefined || dropped === null) return { created, droppedIds: [] };
  if (!WIRE_TYPES['array of strings'](dropped)) {
    return new Malformed(
      `${REPLY_FIELDS.meta}.${REPLY_FIELDS.droppedIds}`,
      'is not an array of strings',
    );
  }
  return { created, droppedIds: dropped as string[] };
}

export function parseBulkReply(body: unknown): BulkResult | undefined {
  return wellFormed(readBulkReply(body));
}

/** The fields of a token reply the action uses. */
export interface TokenReply {
  accessToken: string;
  /** Lifetime in seconds (Doorkeeper's default of 7200 when absent). */
  expiresInSeconds: number;
  /** When the server issued it, in seconds since the epoch, when it says. */
  createdAtSeconds?: number;
}

export function parseTokenReply(body: unknown): TokenReply | undefined {
  if (!isObject(body)) return undefined;
  const token = body[TOKEN_FIELDS.accessToken];
  if (!WIRE_TYPES['non-empty string'](token)) return undefined;
  const expiresIn = body[TOKEN_FIELDS.expiresIn];
  const createdAt = body[TOKEN_FIELDS.createdAt];
  return {
    accessToken: token as string,
    expiresInSeconds: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200,
    createdAtSeconds: typeof createdAt === 'number' ? createdAt : undefined,
  };
}

/** The top-level field names of a reply (never their values: they may be credentials). */
export function fieldNames(body: unknown): string {
  if (!isObject(body)) return 'not a JSON object';
  return Object.keys(body).slice(0, 10).join(', ') || 'none';
}
