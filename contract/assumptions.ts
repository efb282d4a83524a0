/**
 * What the action assumes about HINDSITE's replies, one row per assumption, each about one reply.
 * `reliedOn` says whether a run goes wrong when the real API differs (false: the action copes, and
 * `why` says how). docs/api-assumptions.md explains what the documentation confirms and leaves
 * open; `npm run contract` checks each row. The rows name fields and types by the action's own
 * definitions (src/hindsite/wire.ts), so the suite checks what the action reads, not a copy; the
 * table itself is not part of the action.
 */
import {
  DELIVERY_FIELDS,
  REPLY_FIELDS,
  TOKEN_FIELDS,
  type WireType,
} from '../src/hindsite/wire.js';

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
    type: 'ID',
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
    type: 'ID',
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
    'IDs compared exactly',
    'a re-cased or zero-padded webhook_id finds no row of that webhook',
    HEDGED,
    'IDs are sent byte for byte and only exact duplicates are removed. The webhook_id filter is the only lookup by ID the API has: if it finds variants, delivery IDs may be compared alike, and two spellings of one ID given to the action would be two redeliveries.',
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
