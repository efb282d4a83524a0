/**
 * The wire format of HINDSITE's replies, as the action reads it: every field name and shape it
 * relies on is here, once. Anything that does not match is "not the documented reply", never a
 * guess.
 */
import {
  DELIVERY_STATES,
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

// ISO 8601 / RFC 3339, as the docs' `format: date-time` says (Date.parse alone takes far more).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export const WIRE_TYPES: Readonly<Record<WireType, (value: unknown) => boolean>> = {
  'delivery ID': (value) => typeof value === 'string' && isDeliveryId(value),
  'non-empty string': (value) => typeof value === 'string' && value.length > 0,
  string: (value) => typeof value === 'string',
  integer: (value) => Number.isInteger(value),
  'positive integer': (value) => Number.isInteger(value) && (value as number) > 0,
  'date-time': (value) =>
    typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
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
 * One shared copy of each webhook, action, state and error name: on 100,000 deliveries, a copy per
 * row would be most of the memory the action uses.
 */
const interned = new Map<string, string>();
function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size < 10_000) interned.set(text, text);
  return text;
}

function parseDelivery(value: unknown): Delivery | undefined {
  // An ID that is not shaped like one is not the documented reply: it could carry markup into the
  // summary, or be sent back in a bulk call.
  if (!isObject(value) || !WIRE_TYPES['delivery ID'](value[DELIVERY_FIELDS.id])) return undefined;
  const text = (key: string): string | undefined =>
    typeof value[key] === 'string' ? (value[key] as string) : undefined;
  const shared = (key: string): string | undefined => {
    const found = text(key);
    return found === undefined ? undefined : intern(found);
  };
  const response = value[DELIVERY_FIELDS.response];
  return {
    id: value[DELIVERY_FIELDS.id] as string,
    webhookId: shared(DELIVERY_FIELDS.webhookId),
    eventId: text(DELIVERY_FIELDS.eventId),
    eventAction: shared(DELIVERY_FIELDS.eventAction),
    state: shared(DELIVERY_FIELDS.state),
    response: isObject(response) ? parseResponse(response) : null,
    createdAt: text(DELIVERY_FIELDS.createdAt),
  };
}

/** The last HTTP response of a delivery, in whichever of RESPONSE_FIELDS' spellings it comes. */
function parseResponse(value: Record<string, unknown>): Delivery['response'] {
  const first = (keys: readonly string[], type: 'number' | 'string'): unknown =>
    keys.map((key) => value[key]).find((found) => typeof found === type);
  const code = first(RESPONSE_FIELDS.code, 'number');
  const error = first(RESPONSE_FIELDS.error, 'string');
  return {
    code: typeof code === 'number' ? code : null,
    error: typeof error === 'string' ? intern(error) : null,
  };
}

function parseDeliveries(value: unknown): Delivery[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const deliveries: Delivery[] = [];
  for (const item of value) {
    const delivery = parseDelivery(item);
    if (!delivery) return undefined;
    deliveries.push(delivery);
  }
  return deliveries;
}

export function parseListReply(body: unknown): Delivery[] | undefined {
  return isObject(body) ? parseDeliveries(body[REPLY_FIELDS.deliveries]) : undefined;
}

export function parseBulkReply(body: unknown): BulkResult | undefined {
  if (!isObject(body)) return undefined;
  const created = parseDeliveries(body[REPLY_FIELDS.deliveries]);
  if (!created) return undefined;
  const meta = body[REPLY_FIELDS.meta];
  const dropped = isObject(meta) ? meta[REPLY_FIELDS.droppedIds] : undefined;
  // Without the list, an ID HINDSITE dropped is one the reply does not account for: the ledger
  // reports it as outcome unknown, never as done.
  if (dropped === undefined || dropped === null) return { created, droppedIds: [] };
  if (!WIRE_TYPES['array of strings'](dropped)) return undefined;
  return { created, droppedIds: dropped as string[] };
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
