/**
 * The wire format of HINDSITE's replies, as the action reads it: every assumption about field names
 * and shapes is here, once. Anything that does not match is "not the documented reply", never a
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
import { CUT_MARK } from '../model/redact.js';
import { printable } from '../model/text.js';

const EXCERPT_CHARS = 200;
/**
 * How much of a body is cleaned up for its text. Nothing that looks at a body's text runs over more
 * than this, so a reply of any size costs the same few microseconds (a 1 MB HTML page once held
 * the step for minutes whatever its deadline).
 */
export const TEXT_WINDOW_CHARS = 8 * 1024;

/**
 * The server's own words: OAuth/JSON error fields when present, else the start of the body as text
 * without its markup. One line, control characters escaped, at most EXCERPT_CHARS; a body that is
 * not text at all (a gzip stream) is named, not shown.
 */
export function serverText(body: string): string {
  // JSON.parse is linear and native; only what it yields is cut down before any cleanup.
  const json = parseJson(body);
  if (isObject(json)) {
    const parts = ['error', 'error_description', 'message', 'detail', 'errors']
      .map((key) => json[key])
      .filter((value) => value !== undefined && value !== null)
      .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
    if (parts.length > 0) return excerpt(parts.join(': '));
  }
  const window = cutAt(body, TEXT_WINDOW_CHARS);
  if (isBinary(window)) return `a body that is not text (${body.length} characters, not shown)`;
  return excerpt(withoutMarkup(window), window.length < body.length);
}

/** One line of at most EXCERPT_CHARS, controls escaped, ending in CUT_MARK where anything was left out. */
function excerpt(text: string, cut = false): string {
  const window = cutAt(text, TEXT_WINDOW_CHARS);
  const line = printable(window.replace(/\s+/g, ' ').trim());
  return shorten(line, cut || window.length < text.length);
}

/** At most EXCERPT_CHARS, without a final full stop (messages add their own). */
export function shorten(text: string, cut = false): string {
  if (text.length > EXCERPT_CHARS) return `${cutAt(text, EXCERPT_CHARS)}${CUT_MARK}`;
  if (cut) return `${text}${CUT_MARK}`;
  let end = text.length;
  while (end > 0 && text[end - 1] === '.') end--;
  return text.slice(0, end);
}

/** The first `max` characters, never half of a surrogate pair. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** A NUL, or more than one character in ten a control or an undecodable byte. */
function isBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const odd = text.match(/[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g)?.length ?? 0;
  return odd * 10 > text.length;
}

/**
 * The text of an HTML page: tags dropped, script and style elements dropped whole (an unclosed one
 * to the end). One pass with indexOf, no backtracking: linear whatever the markup.
 */
function withoutMarkup(html: string): string {
  const kept: string[] = [];
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open < 0) {
      kept.push(html.slice(at));
      break;
    }
    kept.push(html.slice(at, open));
    // `a < b` is text; a tag starts with a letter, `/`, `!` or `?`.
    if (!/[A-Za-z/!?]/.test(html[open + 1] ?? '')) {
      kept.push('<');
      at = open + 1;
      continue;
    }
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    kept.push(' ');
    at = close + 1;
    const name = /^[A-Za-z]+/.exec(html.slice(open + 1, open + 8))?.[0].toLowerCase();
    if (name === 'script' || name === 'style') {
      const end = indexOfIgnoringCase(html, `</${name}`, at);
      const endClose = end < 0 ? -1 : html.indexOf('>', end);
      if (endClose < 0) break;
      at = endClose + 1;
    }
  }
  return kept.join('');
}

/** `needle` (lower case) in `text` from `from` on, in any case. Linear: each `<` is looked at once. */
function indexOfIgnoringCase(text: string, needle: string, from: number): number {
  for (let at = text.indexOf('<', from); at >= 0; at = text.indexOf('<', at + 1)) {
    if (text.slice(at, at + needle.length).toLowerCase() === needle) return at;
  }
  return -1;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/*
 * The wire format. Every name the action sends or reads is written once, here: the client builds its requests and
 * parses the replies with these, and the contract suite (`npm run contract`) checks the real API
 * against the same definitions (WIRE_ASSUMPTIONS, at the end of this file).
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

export const WIRE_TYPES: Readonly<Record<WireType, (value: unknown) => boolean>> = {
  'delivery ID': (value) => typeof value === 'string' && isDeliveryId(value),
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
    // Any other shape counts as absent (see isDateTime).
    createdAt: isDateTime(value[DELIVERY_FIELDS.createdAt])
      ? (value[DELIVERY_FIELDS.createdAt] as string)
      : undefined,
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

/*
 * ─── What the action assumes about HINDSITE's replies ──────────────────────────────────────────
 * One row per assumption, each about one reply. `reliedOn` says whether a run goes wrong when the
 * real API differs (false: the action copes, and `why` says how). docs/api-assumptions.md explains
 * what the documentation confirms and leaves open; `npm run contract` checks each row.
 */

/** Which reply an assumption is about: the call, and with what credentials. */
export type WireReply =
  | 'token' // POST /oauth/token with the client's credentials
  | 'token refused' // POST /oauth/token with a wrong client secret
  | 'list' // GET the list
  | 'bad token' // GET the list with a token HINDSITE never issued
  | 'non-admin list' // GET the list as a client that is not an organisation admin
  | 'non-admin bulk' // POST the bulk call as such a client (with an empty list)
  | 'bulk'; // POST the bulk call

interface AssumptionBase {
  /** How the contract suite's table names it, e.g. `bulk: meta.dropped_ids`. */
  name: string;
  reply: WireReply;
  /** True: a run goes wrong when the API differs. False: the action copes (see `why`). */
  reliedOn: boolean;
  /** What the action does with it, or how it copes when it differs. */
  why: string;
}

/** A field of the reply's JSON body; `[]` in `path` stands for every element of an array. */
export interface FieldAssumption extends AssumptionBase {
  kind: 'field';
  path: readonly string[];
  type: WireType;
}

/** The HTTP status of the reply. */
export interface StatusAssumption extends AssumptionBase {
  kind: 'status';
  /** `2xx` for any success, else the statuses expected. */
  statuses: '2xx' | readonly number[];
}

/** What the API does, as seen across calls (filters, paging, what a redelivery creates). */
export interface BehaviourAssumption extends AssumptionBase {
  kind: 'behaviour';
  expects: string;
}

export type WireAssumption = FieldAssumption | StatusAssumption | BehaviourAssumption;

/** `webhook_deliveries[].event_id` for `['webhook_deliveries', '[]', 'event_id']`. */
export function pathText(path: readonly string[]): string {
  return path.join('.').replace(/\.\[\]/g, '[]');
}

const field = (
  reply: WireReply,
  path: readonly string[],
  type: WireType,
  reliedOn: boolean,
  why: string,
): FieldAssumption => ({
  kind: 'field',
  name: `${reply}: ${pathText(path)}`,
  reply,
  path,
  type,
  reliedOn,
  why,
});
const status = (
  reply: WireReply,
  statuses: StatusAssumption['statuses'],
  reliedOn: boolean,
  why: string,
): StatusAssumption => ({
  kind: 'status',
  name: `${reply}: HTTP status`,
  reply,
  statuses,
  reliedOn,
  why,
});
const behaviour = (
  reply: WireReply,
  what: string,
  expects: string,
  reliedOn: boolean,
  why: string,
): BehaviourAssumption => ({
  kind: 'behaviour',
  name: `${reply}: ${what}`,
  reply,
  expects,
  reliedOn,
  why,
});

/** `reliedOn` in the table: a run goes wrong when the API differs, or the action copes. */
const RELIED = true;
const HEDGED = false;

const DISPLAY_ONLY = 'Shown in the job summary only.';

/** A delivery object's fields, the same in list and bulk replies; what each is for in either. */
const DELIVERY_FIELD_USES: readonly {
  key: keyof typeof DELIVERY_FIELDS;
  type: WireType;
  list: [reliedOn: boolean, why: string];
  bulk: [reliedOn: boolean, why: string];
}[] = [
  {
    key: 'id',
    type: 'delivery ID',
    list: [
      RELIED,
      'Every selected ID is one; a row without one (or with one not shaped like an ID) makes the whole page unreadable.',
    ],
    bulk: [RELIED, 'The created-ids output; the wait looks for these IDs in the list.'],
  },
  {
    key: 'webhookId',
    type: 'string',
    list: [
      RELIED,
      'An event is retried once per webhook; the wait narrows its poll to the webhook.',
    ],
    bulk: [
      RELIED,
      'Pairs each new delivery with the ID it retries (with event_id), and narrows the wait’s poll.',
    ],
  },
  {
    key: 'eventId',
    type: 'string',
    list: [
      RELIED,
      'A redelivery keeps the event: discovery retries only the newest delivery of each event, so an event already retried is not retried again.',
    ],
    bulk: [
      RELIED,
      'Pairs each new delivery with the ID it retries, and spots a second redelivery of an event while waiting.',
    ],
  },
  {
    key: 'state',
    type: 'delivery state',
    list: [RELIED, 'Discovery selects by it (errored by default); the wait reads it.'],
    bulk: [HEDGED, 'Shown in the job summary; the wait reads states from the list.'],
  },
  {
    key: 'createdAt',
    type: 'date-time',
    list: [RELIED, 'Which delivery of an event is the newest; the window the wait polls.'],
    bulk: [
      HEDGED,
      "Narrows the window the wait polls; without it, the reply's Date header (the server's time).",
    ],
  },
  {
    key: 'eventAction',
    type: 'string',
    list: [HEDGED, DISPLAY_ONLY],
    bulk: [HEDGED, DISPLAY_ONLY],
  },
  {
    key: 'response',
    type: 'object or null',
    list: [
      HEDGED,
      `${DISPLAY_ONLY} Its fields are read as code and error, or a few other spellings.`,
    ],
    bulk: [HEDGED, DISPLAY_ONLY],
  },
];

function deliveryFields(reply: 'list' | 'bulk'): FieldAssumption[] {
  return DELIVERY_FIELD_USES.map(({ key, type, [reply]: [reliedOn, why] }) =>
    field(reply, [REPLY_FIELDS.deliveries, '[]', DELIVERY_FIELDS[key]], type, reliedOn, why),
  );
}

const NEXT_PAGE =
  'The action reads pages 1, 2, … until the first empty one; it reads no page size or page count.';

export const WIRE_ASSUMPTIONS: readonly WireAssumption[] = [
  status(
    'token',
    '2xx',
    RELIED,
    'Any 2xx is a token reply; the docs show the body, not the status.',
  ),
  field(
    'token',
    [TOKEN_FIELDS.accessToken],
    'non-empty string',
    RELIED,
    'The bearer token of every API call.',
  ),
  field(
    'token',
    [TOKEN_FIELDS.tokenType],
    'Bearer',
    RELIED,
    'Every API call sends "Authorization: Bearer <token>".',
  ),
  field(
    'token',
    [TOKEN_FIELDS.expiresIn],
    'positive integer',
    HEDGED,
    'The token is renewed a minute before it expires; 7200 s is assumed without it.',
  ),
  field(
    'token',
    [TOKEN_FIELDS.createdAt],
    'integer',
    HEDGED,
    'The lifetime counts from it (seconds since the epoch) when the clocks agree; else from the reply’s arrival.',
  ),
  behaviour(
    'token',
    'reply read by the action',
    'parseTokenReply reads the reply',
    RELIED,
    'A token reply it cannot read fails the run before anything is sent.',
  ),

  status(
    'token refused',
    [400, 401],
    HEDGED,
    'Any other status still fails the run before anything is sent; 400 and 401 get the advice to check client-id and client-secret.',
  ),
  field(
    'token refused',
    ['error'],
    'string',
    HEDGED,
    'error and error_description are quoted in the failure message; any other body is quoted as text.',
  ),

  status(
    'list',
    '2xx',
    RELIED,
    'Any 2xx is a page; anything else is retried or fails the run (see the retry table).',
  ),
  field(
    'list',
    [REPLY_FIELDS.deliveries],
    'array',
    RELIED,
    'The rows of the page; a reply without them is retried, then fails the run.',
  ),
  ...deliveryFields('list'),
  field('list', [REPLY_FIELDS.meta], 'object', HEDGED, `Not read. ${NEXT_PAGE}`),
  behaviour(
    'list',
    'reply read by the action',
    'parseListReply reads the reply',
    RELIED,
    'A page it cannot read is retried, then fails the run.',
  ),
  behaviour('list', 'page size', 'any size', HEDGED, NEXT_PAGE),
  behaviour(
    'list',
    'webhook_id filter',
    'only rows of that webhook',
    RELIED,
    'Discovery with webhook-id, and the wait, take the rows as the server filters them.',
  ),
  behaviour(
    'list',
    'state filter',
    'only rows in that state',
    HEDGED,
    'Not sent: discovery reads every state, since an event needs a retry only when its newest delivery failed.',
  ),
  behaviour(
    'list',
    'since filter',
    'only rows created at or after it',
    RELIED,
    'Discovery’s since window, and the window the wait polls, are the server’s.',
  ),
  behaviour(
    'list',
    'page parameter',
    'page=2 is the next page, not page 1 again',
    RELIED,
    NEXT_PAGE,
  ),
  behaviour(
    'list',
    'page past the end',
    'a 2xx with an empty webhook_deliveries',
    RELIED,
    `${NEXT_PAGE} An error past the end fails every discovery.`,
  ),

  status(
    'bad token',
    [401],
    RELIED,
    'A 401 makes the action obtain a new token and repeat the call once; a 403 would read as "not an admin".',
  ),
  field(
    'bad token',
    ['error'],
    'string',
    HEDGED,
    'Quoted in the failure message; any other body is quoted as text.',
  ),

  status(
    'non-admin list',
    [403],
    HEDGED,
    'A 403 fails the run with the advice to use an organisation admin’s credentials.',
  ),
  status(
    'non-admin bulk',
    [403],
    RELIED,
    'A 403 means HINDSITE refused and did nothing: the IDs are reported as refused, safe to send again.',
  ),

  status(
    'bulk',
    '2xx',
    RELIED,
    'Any 2xx (201 documented) means HINDSITE acted and the body says what it created; anything else is refused or outcome unknown.',
  ),
  field(
    'bulk',
    [REPLY_FIELDS.deliveries],
    'array',
    RELIED,
    'The new deliveries; a 2xx without them is outcome unknown, and the run fails.',
  ),
  ...deliveryFields('bulk'),
  field(
    'bulk',
    [REPLY_FIELDS.meta, REPLY_FIELDS.droppedIds],
    'array of strings',
    RELIED,
    'The IDs HINDSITE did not find (dropped-ids); without it, an ID it dropped is reported as outcome unknown and the run fails.',
  ),
  behaviour(
    'bulk',
    'reply read by the action',
    'parseBulkReply reads the reply',
    RELIED,
    'A 2xx it cannot read is outcome unknown, and the run fails.',
  ),
  behaviour(
    'bulk',
    'one new delivery per ID, the rest dropped',
    'the real ID redelivered once, the made-up ID in meta.dropped_ids',
    RELIED,
    'Each ID is confirmed from that count; IDs the reply does not account for are outcome unknown.',
  ),
  behaviour(
    'bulk',
    'new delivery keeps the event',
    'the same webhook_id and event_id as the original',
    RELIED,
    'How new deliveries are paired with their IDs, and how discovery knows an event was retried.',
  ),
  behaviour(
    'bulk',
    'new delivery is listed',
    'the new delivery is in the list afterwards',
    RELIED,
    'The wait polls the list for it, and the next discovery sees the event was retried.',
  ),
  behaviour(
    'bulk',
    'completed delivery',
    'open: redelivered or dropped',
    HEDGED,
    'Discovery selects only errored deliveries; for explicit IDs either outcome is reported as it comes.',
  ),
  behaviour(
    'bulk',
    'duplicate IDs in one call',
    'open: one or two new deliveries',
    HEDGED,
    'The action never sends an ID twice in a run: it removes duplicates first.',
  ),
];
