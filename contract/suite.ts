/**
 * The contract suite: calls the API as the action does and checks every assumption of
 * WIRE_ASSUMPTIONS (contract/assumptions.ts) against the replies.
 *
 * Read-only unless a delivery ID is given. The calls it makes without one: two token exchanges
 * (the client's credentials, then a made-up secret), list pages (page 1, page 2, one page with
 * each filter, one with each other spelling of the filtered webhook_id, a page far past the end
 * and, only when that one has rows, the page after it, and page 1 with a made-up token) and, with a member client (one that is not an organisation admin),
 * its token exchange, page 1 of the list and one bulk call with an EMPTY list of IDs. That last
 * call is made only when the member's list call was refused with 403: the documented bulk call
 * creates one delivery per ID of the caller's organisation, so an empty list has nothing it could
 * redeliver, and a caller the list refuses is, by the docs, one the bulk call refuses too. It is
 * not made in a run that redelivers, so that a run never makes more than one call to the bulk
 * route.
 *
 * With a delivery ID: one bulk call carrying that ID and one made-up ID, then list pages to find
 * the new delivery. Never another spelling of the ID: if the API resolved it to the same delivery,
 * the call would redeliver it twice.
 */
import { randomBytes } from 'node:crypto';
import { DELIVERY_STATES } from '../src/model/domain.js';
import type { Redactor } from '../src/model/redact.js';
import {
  DELIVERY_FIELDS,
  listQuery,
  parseBulkReply,
  parseListReply,
  parseTokenReply,
  REPLY_FIELDS,
} from '../src/hindsite/wire.js';
import { isObject } from '../src/model/json.js';
import { WIRE_ASSUMPTIONS, type WireAssumption, type WireReply } from './assumptions.js';
import { ContractHttp, type Exchange, type LoggedRequest } from './http.js';
import {
  confirmed,
  differs,
  expectsOf,
  isSuccess,
  notChecked,
  observeField,
  observeStatus,
  replyText,
  type Outcome,
  type Result,
} from './observe.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface SuiteOptions {
  apiUrl: URL;
  admin: ClientCredentials;
  /** A client of the same organisation that is not an admin: the 403 checks. */
  member?: ClientCredentials;
  /** Make the one bulk call, with this ID and a made-up one. */
  redeliverId?: string;
  timeoutMs: number;
  /** Secrets and issued tokens are added to it as they appear. */
  redactor: Redactor;
  /** Waits between looks for the new delivery in the list (default: real time). */
  sleep?: (ms: number) => Promise<void>;
}

/** One row of the report: an assumption, and what was seen of it. */
export interface Row {
  name: string;
  reliedOn: boolean;
  expects: string;
  observed: string;
  result: Result;
  why: string;
}

export interface SuiteResult {
  rows: Row[];
  requests: LoggedRequest[];
  /** Why the suite stopped before checking anything beyond the token exchange. */
  fatal?: string;
}

/** A page number no list reaches: 10,000 pages of any plausible size. */
export const PAST_THE_END_PAGE = 10_000;
/** Pages read to find the delivery to redeliver (its original fields), and then its new row. */
const SEARCH_PAGES = 5;
/** Looks for the new delivery in the list, a second apart. */
const LISTED_LOOKS = 3;
/** The new row is searched from this long before its created_at (clocks differ). */
const CLOCK_SKEW_MS = 5 * 60_000;

type RawRow = Record<string, unknown>;

const madeUp = (prefix: string): string => `${prefix}-${randomBytes(12).toString('hex')}`;

/** The outcome of every assumption, by name; each name must be one of WIRE_ASSUMPTIONS. */
class Outcomes {
  private readonly byName = new Map<string, Outcome>();

  set(name: string, outcome: Outcome): void {
    if (!WIRE_ASSUMPTIONS.some((assumption) => assumption.name === name)) {
      throw new Error(`No assumption named "${name}" in WIRE_ASSUMPTIONS`);
    }
    if (!this.byName.has(name)) this.byName.set(name, outcome);
  }

  /** The status and field assumptions of a reply. */
  reply(reply: WireReply, exchange: Exchange): void {
    const success = reply === 'token' || reply === 'list' || reply === 'bulk';
    for (const assumption of of(reply)) {
      if (assumption.kind === 'status')
        this.set(assumption.name, observeStatus(exchange, assumption));
      if (assumption.kind !== 'field') continue;
      const readable =
        exchange.status !== 0 &&
        (success ? isSuccess(exchange.status) : !isSuccess(exchange.status));
      this.set(
        assumption.name,
        readable ? observeField(exchange.body, assumption) : notChecked(replyText(exchange)),
      );
    }
  }

  /** Every assumption of the reply not decided yet is not checked, for `reason`. */
  skip(reply: WireReply, reason: string): void {
    for (const assumption of of(reply)) this.set(assumption.name, notChecked(reason));
  }

  rows(): Row[] {
    return WIRE_ASSUMPTIONS.map((assumption) => ({
      name: assumption.name,
      reliedOn: assumption.reliedOn,
      expects: expectsOf(assumption),
      ...(this.byName.get(assumption.name) ?? notChecked('not reached')),
      why: assumption.why,
    }));
  }
}

const of = (reply: WireReply): WireAssumption[] =>
  WIRE_ASSUMPTIONS.filter((assumption) => assumption.reply === reply);

function rowsOf(exchange: Exchange): RawRow[] | undefined {
  if (!isSuccess(exchange.status) || !isObject(exchange.body)) return undefined;
  const rows = exchange.body[REPLY_FIELDS.deliveries];
  return Array.isArray(rows) ? rows.filter(isObject) : undefined;
}

const text = (row: RawRow | undefined, key: string): string | undefined =>
  row && typeof row[key] === 'string' ? row[key] : undefined;
const idOf = (row: RawRow): string | undefined => text(row, DELIVERY_FIELDS.id);
const timeOf = (row: RawRow): number => Date.parse(text(row, DELIVERY_FIELDS.createdAt) ?? '');
const plural = (count: number, word: string, words = `${word}s`): string =>
  `${count} ${count === 1 ? word : words}`;

/**
 * The value to filter by: one that some rows have and others do not, where there is one, so that
 * a filter the server ignores shows.
 */
function telling(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values)
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1]);
  return (byCount.find(([, count]) => count < values.length) ?? byCount[0])?.[0];
}

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const { admin, member, redeliverId, redactor } = options;
  redactor.add(admin.clientSecret);
  redactor.add(member?.clientSecret);
  const http = new ContractHttp(options.apiUrl, options.timeoutMs, redactor);
  const outcomes = new Outcomes();
  const finish = (fatal?: string): SuiteResult => {
    if (fatal)
      for (const assumption of WIRE_ASSUMPTIONS)
        outcomes.set(assumption.name, notChecked(`not reached: ${fatal}`));
    return { rows: outcomes.rows(), requests: http.log, fatal };
  };

  // The client's token: nothing else can be checked without it.
  const tokenReply = await http.token(admin.clientId, admin.clientSecret, 'admin');
  if (!isSuccess(tokenReply.status)) {
    const fatal =
      tokenReply.status === 0
        ? `the token exchange got ${replyText(tokenReply)}`
        : `the token exchange was refused (${replyText(tokenReply)}): check the client ID and secret`;
    return finish(fatal);
  }
  outcomes.reply('token', tokenReply);
  const token = parseTokenReply(tokenReply.body);
  outcomes.set(
    'token: reply read by the action',
    token ? confirmed('read') : differs(`not read: ${replyText(tokenReply)}`),
  );
  if (!token) return finish('the token reply has no usable access_token');

  outcomes.reply(
    'token refused',
    await http.token(admin.clientId, madeUp('wrong-secret'), 'wrong secret'),
  );

  const pages = await checkList(http, token.accessToken, outcomes);
  outcomes.reply(
    'bad token',
    await http.list(madeUp('made-up-token'), listQuery({}, 1), 'made-up token'),
  );

  if (!member) {
    const reason =
      'needs HINDSITE_MEMBER_CLIENT_ID and HINDSITE_MEMBER_CLIENT_SECRET (a client that is not an admin)';
    outcomes.skip('non-admin list', reason);
    outcomes.skip('non-admin bulk', reason);
  } else {
    await checkMember(http, member, outcomes, redeliverId !== undefined);
  }

  if (redeliverId === undefined) {
    outcomes.skip('bulk', 'needs --allow-redeliver ID');
  } else {
    outcomes.set(
      'bulk: duplicate IDs in one call',
      notChecked('it would take a second redelivery of one delivery'),
    );
    await checkBulk(
      http,
      token.accessToken,
      redeliverId,
      pages,
      outcomes,
      options.sleep ?? realSleep,
    );
  }
  return finish();
}

/** Page 1, its fields, the page parameter and the filters; returns the rows seen, page by page. */
async function checkList(
  http: ContractHttp,
  token: string,
  outcomes: Outcomes,
): Promise<RawRow[][]> {
  const page1 = await http.list(token, listQuery({}, 1), 'admin');
  outcomes.reply('list', page1);
  if (isSuccess(page1.status)) {
    outcomes.set(
      'list: reply read by the action',
      parseListReply(page1.body) ? confirmed('read') : differs(`not read: ${replyText(page1)}`),
    );
  }
  const rows = rowsOf(page1);
  if (!rows) {
    outcomes.skip('list', `page 1 was ${replyText(page1)}`);
    return [];
  }
  if (rows.length === 0) {
    outcomes.skip('list', 'page 1 is empty: the organisation has no deliveries to check against');
    return [rows];
  }

  const page2 = await http.list(token, listQuery({}, 2), 'admin');
  const rows2 = rowsOf(page2);
  if (!rows2) {
    outcomes.set('list: page parameter', differs(`page 2 was ${replyText(page2)}`));
  } else {
    const ids1 = rows.map(idOf).join('\n');
    const repeated = rows2.length > 0 && rows2.map(idOf).join('\n') === ids1;
    outcomes.set(
      'list: page parameter',
      repeated
        ? differs(`page 2 repeats page 1 (${plural(rows.length, 'row')})`)
        : confirmed(`page 2: ${plural(rows2.length, 'row')}, not those of page 1`),
    );
    outcomes.set(
      'list: page size',
      confirmed(
        rows2.length > 0
          ? `${plural(rows.length, 'row')} a page (page 2: ${rows2.length})`
          : `page 1 holds all ${plural(rows.length, 'row')}`,
      ),
    );
  }

  await checkFilters(http, token, rows, outcomes);

  outcomes.set(
    'list: page past the end',
    await checkPastTheEnd(http, token, [...rows, ...(rows2 ?? [])]),
  );
  return [rows, rows2 ?? []];
}

/**
 * Page PAST_THE_END_PAGE, and the page after it when it has rows. Rows there that page 1 or 2
 * showed, or a next page that repeats it, are a server that serves a page it has for one past the
 * end: the action, which reads until an empty page, would never stop. Only new rows on both (a
 * list that long) leave it open.
 */
async function checkPastTheEnd(
  http: ContractHttp,
  token: string,
  seen: RawRow[],
): Promise<Outcome> {
  const unreadable = (exchange: Exchange, page: number): Outcome =>
    exchange.status === 0
      ? notChecked(replyText(exchange))
      : differs(`page ${page}: ${replyText(exchange)}`);
  const clamped = 'the server serves a page it has for one past the end';
  const idsOf = (rows: RawRow[]): string[] =>
    rows.map(idOf).filter((id): id is string => id !== undefined);
  const seenIds = new Set(idsOf(seen));

  const past = await http.list(token, listQuery({}, PAST_THE_END_PAGE), 'admin');
  const pastRows = rowsOf(past);
  if (!pastRows) return unreadable(past, PAST_THE_END_PAGE);
  if (pastRows.length === 0)
    return confirmed(`page ${PAST_THE_END_PAGE}: HTTP ${past.status}, no rows`);
  const pastIds = idsOf(pastRows);
  if (pastIds.some((id) => seenIds.has(id)))
    return differs(`page ${PAST_THE_END_PAGE} repeats rows of page 1 or 2: ${clamped}`);

  const nextPage = PAST_THE_END_PAGE + 1;
  const next = await http.list(token, listQuery({}, nextPage), 'admin');
  const nextRows = rowsOf(next);
  if (!nextRows) return unreadable(next, nextPage);
  const nextIds = idsOf(nextRows);
  if (nextIds.length > 0 && nextIds.join('\n') === pastIds.join('\n'))
    return differs(`page ${nextPage} repeats page ${PAST_THE_END_PAGE}: ${clamped}`);
  if (nextIds.some((id) => seenIds.has(id)))
    return differs(`page ${nextPage} repeats rows of page 1 or 2: ${clamped}`);
  return notChecked(`page ${PAST_THE_END_PAGE} still has rows: the list is longer than that`);
}

async function checkFilters(
  http: ContractHttp,
  token: string,
  rows: RawRow[],
  outcomes: Outcomes,
): Promise<void> {
  /** One filtered page; whether the filter held (confirmed). */
  const filtered = async (
    name: string,
    filter: Parameters<typeof listQuery>[0],
    fits: (row: RawRow) => boolean,
    onPage1: number,
    what: string,
  ): Promise<boolean> => {
    const reply = await http.list(token, listQuery(filter, 1), 'admin');
    const found = rowsOf(reply);
    if (!found) {
      outcomes.set(
        name,
        reply.status === 0 ? notChecked(replyText(reply)) : differs(replyText(reply)),
      );
      return false;
    }
    const misfits = found.filter((row) => !fits(row)).length;
    const context = `(page 1 without it: ${onPage1} of ${rows.length})`;
    if (misfits > 0)
      outcomes.set(
        name,
        differs(`${misfits} of ${plural(found.length, 'row')} ${what.replace('all ', 'not ')}`),
      );
    // Page 1 shows rows that fit: a filter that returns none of them drops rows the action needs.
    else if (found.length === 0)
      outcomes.set(
        name,
        onPage1 > 0
          ? differs(`no rows came back ${context}`)
          : notChecked(`no rows came back ${context}`),
      );
    else outcomes.set(name, confirmed(`${plural(found.length, 'row')}, ${what} ${context}`));
    return misfits === 0 && found.length > 0;
  };

  const webhookId = telling(rows.map((row) => text(row, DELIVERY_FIELDS.webhookId)));
  if (webhookId === undefined) {
    outcomes.set('list: webhook_id filter', notChecked('no row on page 1 has a webhook_id'));
    outcomes.set('list: IDs compared exactly', notChecked('no row on page 1 has a webhook_id'));
  } else {
    const isIt = (row: RawRow): boolean => text(row, DELIVERY_FIELDS.webhookId) === webhookId;
    const held = await filtered(
      'list: webhook_id filter',
      { webhookId },
      isIt,
      rows.filter(isIt).length,
      'all of that webhook',
    );
    outcomes.set(
      'list: IDs compared exactly',
      held
        ? await checkExactIds(http, token, webhookId)
        : notChecked('the webhook_id filter itself did not hold'),
    );
  }

  const states = rows.map((row) => text(row, DELIVERY_FIELDS.state));
  const state =
    telling(
      states.filter((value) =>
        (DELIVERY_STATES as readonly (string | undefined)[]).includes(value),
      ),
    ) ?? 'errored';
  const inState = (row: RawRow): boolean => text(row, DELIVERY_FIELDS.state) === state;
  await filtered(
    'list: state filter',
    { state: state as (typeof DELIVERY_STATES)[number] },
    inState,
    rows.filter(inState).length,
    `all ${state}`,
  );

  const times = rows
    .map(timeOf)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const middle = times[Math.floor(times.length / 2)];
  if (middle === undefined) {
    outcomes.set('list: since filter', notChecked('no row on page 1 has a readable created_at'));
  } else {
    // Whole seconds, as the action sends it: rows of that very second are at or after it.
    const since = Math.floor(middle / 1000) * 1000;
    const after = (row: RawRow): boolean => timeOf(row) >= since;
    const expected = rows.filter(after).length;
    const name = 'list: since filter';
    await filtered(name, { since: new Date(since) }, after, expected, 'all created at or after it');
  }
}

/**
 * Other spellings of an ID that a server comparing IDs loosely would take for it: its letters in
 * the other case, and its first number with a leading zero. Only those that differ from it.
 */
export function otherSpellings(id: string): [what: string, spelling: string][] {
  const recased = id.replace(/[a-z]/gi, (letter) =>
    letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase(),
  );
  const padded = id.replace(/\d+/, (digits) => `0${digits}`);
  return [
    ['re-cased', recased],
    ['zero-padded', padded],
  ].filter((spelling): spelling is [string, string] => spelling[1] !== id);
}

/**
 * Whether the list finds a webhook's rows under another spelling of its ID: page 1 filtered by
 * each. The webhook_id filter is the API's only lookup by ID (there is none for a delivery), so it
 * shows how the server compares IDs, read-only. A spelling refused with a 4xx finds nothing.
 */
async function checkExactIds(
  http: ContractHttp,
  token: string,
  webhookId: string,
): Promise<Outcome> {
  const spellings = otherSpellings(webhookId);
  if (spellings.length === 0) {
    return notChecked('the webhook_id has no letter or digit to spell otherwise');
  }
  const seen: string[] = [];
  let found = false;
  for (const [what, spelling] of spellings) {
    const reply = await http.list(token, listQuery({ webhookId: spelling }, 1), 'admin');
    const listed = rowsOf(reply);
    if (!listed && (reply.status === 0 || reply.status >= 500)) {
      return notChecked(`${what}: ${replyText(reply)}`);
    }
    const same = (listed ?? []).filter(
      (row) => text(row, DELIVERY_FIELDS.webhookId) === webhookId,
    ).length;
    found ||= same > 0;
    seen.push(
      `${what}: ${listed ? (same > 0 ? `${plural(same, 'row')} of that webhook` : 'no row of it') : `HTTP ${reply.status}`}`,
    );
  }
  if (!spellings.some(([what]) => what === 'zero-padded'))
    seen.push('zero-padded: no digit to pad');
  if (!spellings.some(([what]) => what === 're-cased')) seen.push('re-cased: no letter');
  return found ? differs(seen.join('; ')) : confirmed(seen.join('; '));
}

/** The member's 403s: the list first, and the bulk call (empty) only once the list refused it. */
async function checkMember(
  http: ContractHttp,
  member: ClientCredentials,
  outcomes: Outcomes,
  redelivering: boolean,
): Promise<void> {
  const tokenReply = await http.token(member.clientId, member.clientSecret, 'member');
  const token = isSuccess(tokenReply.status) ? parseTokenReply(tokenReply.body) : undefined;
  if (!token) {
    const reason = `the member's token exchange got ${replyText(tokenReply)}`;
    outcomes.skip('non-admin list', reason);
    outcomes.skip('non-admin bulk', reason);
    return;
  }
  const list = await http.list(token.accessToken, listQuery({}, 1), 'member');
  outcomes.reply('non-admin list', list);
  if (redelivering) {
    outcomes.skip(
      'non-admin bulk',
      'not sent: a run with --allow-redeliver makes one bulk call, the redelivery',
    );
    return;
  }
  if (list.status !== 403) {
    outcomes.skip(
      'non-admin bulk',
      `not sent: the member's list call got HTTP ${list.status}, not 403, so an empty bulk call might not be refused`,
    );
    return;
  }
  const bulk = await http.bulk(token.accessToken, [], 'member');
  if (bulk.status === 400 || bulk.status === 422) {
    outcomes.skip(
      'non-admin bulk',
      `${replyText(bulk)}: the empty list was refused before the caller was checked`,
    );
    return;
  }
  outcomes.reply('non-admin bulk', bulk);
}

/** The one bulk call: the real ID and a made-up one; then the new delivery in the list. */
async function checkBulk(
  http: ContractHttp,
  token: string,
  id: string,
  pages: RawRow[][],
  outcomes: Outcomes,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  const original = await findDelivery(http, token, id, pages);
  const fakeId = madeUp('contract-check-no-such-delivery');
  const callStarted = Date.now();
  const reply = await http.bulk(token, [id, fakeId], 'admin');
  outcomes.reply('bulk', reply);
  if (!isSuccess(reply.status)) {
    outcomes.skip('bulk', `the bulk call got ${replyText(reply)}`);
    return;
  }
  outcomes.set(
    'bulk: reply read by the action',
    parseBulkReply(reply.body) ? confirmed('read') : differs(`not read: ${replyText(reply)}`),
  );
  const created = rowsOf(reply) ?? [];
  const meta = isObject(reply.body) ? reply.body[REPLY_FIELDS.meta] : undefined;
  const droppedValue = isObject(meta) ? meta[REPLY_FIELDS.droppedIds] : undefined;
  const dropped = Array.isArray(droppedValue)
    ? droppedValue.filter((item) => typeof item === 'string')
    : undefined;
  const realDropped = dropped?.includes(id) ?? false;
  const droppedText =
    dropped === undefined
      ? 'no meta.dropped_ids'
      : `dropped: ${[realDropped && 'the real ID', dropped.includes(fakeId) && 'the made-up ID'].filter(Boolean).join(' and ') || 'none'}`;
  const observed = `${plural(created.length, 'new delivery', 'new deliveries')}; ${droppedText}`;
  const accounted =
    dropped !== undefined && dropped.includes(fakeId) && created.length === (realDropped ? 0 : 1);
  outcomes.set(
    'bulk: one new delivery per ID, the rest dropped',
    accounted ? confirmed(observed) : differs(observed),
  );

  const originalState = text(original, DELIVERY_FIELDS.state);
  outcomes.set(
    'bulk: completed delivery',
    !original
      ? notChecked(
          `the ID's state is unknown: it is not on the first ${SEARCH_PAGES} pages of the list`,
        )
      : originalState !== 'completed'
        ? notChecked(`the ID given is ${originalState ?? 'of an unknown state'}, not completed`)
        : confirmed(realDropped ? 'dropped' : created.length > 0 ? 'redelivered' : 'neither'),
  );

  const [row] = created;
  if (created.length !== 1 || !row) {
    outcomes.skip(
      'bulk',
      `the bulk call created ${plural(created.length, 'delivery', 'deliveries')}, not one`,
    );
    return;
  }
  if (!original) {
    outcomes.set(
      'bulk: new delivery keeps the event',
      notChecked(`the original is not on the first ${SEARCH_PAGES} pages of the list`),
    );
  } else {
    const same = [DELIVERY_FIELDS.webhookId, DELIVERY_FIELDS.eventId].filter(
      (key) => text(row, key) !== undefined && text(row, key) === text(original, key),
    );
    outcomes.set(
      'bulk: new delivery keeps the event',
      same.length === 2
        ? confirmed('same webhook_id and event_id')
        : differs(`same: ${same.join(', ') || 'neither webhook_id nor event_id'}`),
    );
  }
  const newId = idOf(row);
  if (newId === undefined) {
    outcomes.set('bulk: new delivery is listed', notChecked('the new delivery has no id'));
    return;
  }
  const createdAt = timeOf(row);
  const since =
    Math.floor(((Number.isFinite(createdAt) ? createdAt : callStarted) - CLOCK_SKEW_MS) / 1000) *
    1000;
  const webhookId = text(row, DELIVERY_FIELDS.webhookId);
  for (let look = 1; look <= LISTED_LOOKS; look++) {
    const page = await findOnPages(http, token, newId, { since: new Date(since), webhookId });
    if (page !== undefined) {
      outcomes.set(
        'bulk: new delivery is listed',
        confirmed(`on page ${page} of the list since its created_at`),
      );
      return;
    }
    if (look < LISTED_LOOKS) await sleep(1000);
  }
  outcomes.set(
    'bulk: new delivery is listed',
    differs(
      `not on the first ${SEARCH_PAGES} pages of the list since its created_at, after ${LISTED_LOOKS} looks`,
    ),
  );
}

/** The row of `id` on the pages already read, else on the next ones up to SEARCH_PAGES. */
async function findDelivery(
  http: ContractHttp,
  token: string,
  id: string,
  pages: RawRow[][],
): Promise<RawRow | undefined> {
  const seen = pages.flat().find((row) => idOf(row) === id);
  if (seen || pages.length === 0 || pages.some((rows) => rows.length === 0)) return seen;
  for (let page = pages.length + 1; page <= SEARCH_PAGES; page++) {
    const rows = rowsOf(await http.list(token, listQuery({}, page), 'admin'));
    const found = rows?.find((row) => idOf(row) === id);
    if (found || !rows || rows.length === 0) return found;
  }
  return undefined;
}

/** The page (1 to SEARCH_PAGES) on which `id` is listed under `filters`, if any. */
async function findOnPages(
  http: ContractHttp,
  token: string,
  id: string,
  filters: Parameters<typeof listQuery>[0],
): Promise<number | undefined> {
  for (let page = 1; page <= SEARCH_PAGES; page++) {
    const rows = rowsOf(await http.list(token, listQuery(filters, page), 'admin'));
    if (rows?.some((row) => idOf(row) === id)) return page;
    if (!rows || rows.length === 0) return undefined;
  }
  return undefined;
}

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
