import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  DEMO_FAILING_EVENT,
  DEMO_ORGANISATION,
  DEMO_SETTLE_MS,
  HindsiteSandbox,
  seedDemo,
  type DeliveryJson,
  type SandboxClient,
  type SandboxOptions,
} from '../sandbox/index.js';
import { fakeTimeouts, until } from './support/timers.js';
import { VirtualClock } from './support/virtual-clock.js';

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

const ADMIN: SandboxClient = {
  clientId: 'admin-client',
  clientSecret: 'admin-secret',
  organisationId: 'org_a',
  admin: true,
};
const VIEWER: SandboxClient = {
  clientId: 'viewer-client',
  clientSecret: 'viewer-secret',
  organisationId: 'org_a',
  admin: false,
};
const OTHER: SandboxClient = {
  clientId: 'other-client',
  clientSecret: 'other-secret',
  organisationId: 'org_b',
  admin: true,
};
const T0 = Date.parse('2025-01-15T12:00:00.000Z');
const LIST = '/api/v2/webhook_deliveries';
const BULK = '/api/v2/webhook_deliveries/redeliveries';

interface ListBody {
  webhook_deliveries: DeliveryJson[];
  meta: { page: number };
}
interface BulkBody {
  webhook_deliveries: DeliveryJson[];
  meta: { requested_count: number; created_count: number; dropped_ids: string[] };
}
interface ErrorBody {
  error: string;
  error_description?: string;
}

interface Harness {
  sandbox: HindsiteSandbox;
  token: string;
  clock: VirtualClock;
}

/** Starts a sandbox with the three clients and a controllable clock, runs `fn`, always closes. */
async function withSandbox(
  options: SandboxOptions,
  fn: (h: Harness) => Promise<void>,
): Promise<void> {
  const clock = new VirtualClock(T0);
  const sandbox = await HindsiteSandbox.start({ clock, ...options });
  try {
    for (const client of [ADMIN, VIEWER, OTHER]) sandbox.addClient(client);
    await fn({ sandbox, token: sandbox.issueToken(ADMIN.clientId), clock });
  } finally {
    await sandbox.close();
  }
}

interface Result<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function call<T = unknown>(
  sandbox: HindsiteSandbox,
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<Result<T>> {
  const { token, json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await fetch(`${sandbox.url}${path}`, {
    ...rest,
    headers,
    ...(json !== undefined ? { method: 'POST', body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as T, text };
}

function bulk(h: Harness, ids: unknown, token = h.token): Promise<Result<BulkBody>> {
  return call<BulkBody>(h.sandbox, BULK, { token, json: { delivery_ids: ids } });
}

function list(h: Harness, query = '', token = h.token): Promise<Result<ListBody>> {
  return call<ListBody>(h.sandbox, `${LIST}${query}`, { token });
}

function tokenRequest(
  sandbox: HindsiteSandbox,
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
): Promise<Result<Record<string, unknown>>> {
  return call(sandbox, '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
  });
}

/** Sends raw bytes over TCP and returns everything received until the server closes. */
function rawExchange(url: string, request: string): Promise<{ data: string; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ data: Buffer.concat(chunks).toString(), error: e.code ?? e.message }),
    );
    socket.on('close', () => resolve({ data: Buffer.concat(chunks).toString() }));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// OAuth token endpoint
// ------------------------------------------------------------------------------------------------

describe('POST /oauth/token', () => {
  it('issues a Doorkeeper-shaped bearer token that works on the API', () =>
    withSandbox({}, async (h) => {
      const res = await tokenRequest(h.sandbox, {
        grant_type: 'client_credentials',
        client_id: ADMIN.clientId,
        client_secret: ADMIN.clientSecret,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 7200,
        created_at: Math.floor(T0 / 1000),
      });
      const listed = await list(h, '', res.body.access_token as string);
      expect(listed.status).toBe(200);
    }));

  it('accepts a charset parameter on the form content type', () =>
    withSandbox({}, async (h) => {
      const res = await tokenRequest(
        h.sandbox,
        {
          grant_type: 'client_credentials',
          client_id: OTHER.clientId,
          client_secret: OTHER.clientSecret,
        },
        'application/x-www-form-urlencoded; charset=UTF-8',
      );
      expect(res.status).toBe(200);
    }));

  it('rejects bad requests with the OAuth error codes', () =>
    withSandbox({}, async (h) => {
      const good = { client_id: ADMIN.clientId, client_secret: ADMIN.clientSecret };
      const json = await call<ErrorBody>(h.sandbox, '/oauth/token', {
        json: { grant_type: 'client_credentials', ...good },
      });
      expect(json.status).toBe(400);
      expect(json.body.error).toBe('invalid_request');

      const missing = await tokenRequest(h.sandbox, good);
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');

      const grant = await tokenRequest(h.sandbox, { grant_type: 'password', ...good });
      expect(grant.status).toBe(400);
      expect(grant.body.error).toBe('unsupported_grant_type');
    }));

  it('answers 401 invalid_client for unknown clients, wrong or missing secrets', () =>
    withSandbox({}, async (h) => {
      const cases: Record<string, string>[] = [
        { client_id: 'nobody', client_secret: ADMIN.clientSecret },
        { client_id: ADMIN.clientId, client_secret: 'wrong' },
        { client_id: ADMIN.clientId },
        {},
      ];
      for (const credentials of cases) {
        const res = await tokenRequest(h.sandbox, {
          grant_type: 'client_credentials',
          ...credentials,
        });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          error: 'invalid_client',
          error_description:
            'Client authentication failed due to unknown client, no client authentication ' +
            'included, or unsupported authentication method.',
        });
        expect(res.headers.get('www-authenticate')).toMatch(
          /^Bearer realm="Doorkeeper", error="invalid_client", /,
        );
      }
    }));

  it('answers 405 to other methods', () =>
    withSandbox({}, async (h) => {
      const res = await call<ErrorBody>(h.sandbox, '/oauth/token');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.body.error).toBe('method_not_allowed');
    }));
});

// ------------------------------------------------------------------------------------------------
// Bearer authentication and admin check
// ------------------------------------------------------------------------------------------------

describe('API authentication', () => {
  const invalidToken = { error: 'invalid_token', error_description: 'The access token is invalid' };

  it('answers 401 invalid_token on every API route without a valid token', () =>
    withSandbox({}, async (h) => {
      const id = h.sandbox.seedDelivery({ organisationId: 'org_a' }).id;
      const attempts: Array<RequestInit & { token?: string; json?: unknown; path: string }> = [
        { path: LIST },
        { path: LIST, token: 'not-a-token' },
        { path: LIST, headers: { authorization: `Basic ${h.token}` } },
        { path: BULK, json: { delivery_ids: [id] } },
        { path: BULK, json: { delivery_ids: [id] }, token: 'nope' },
      ];
      for (const { path, ...init } of attempts) {
        const res = await call<ErrorBody>(h.sandbox, path, init);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(invalidToken);
        expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      }
      // Nothing was redelivered by the rejected calls.
      expect(h.sandbox.deliveries()).toHaveLength(1);
    }));

  it('accepts a case-insensitive Bearer scheme', () =>
    withSandbox({}, async (h) => {
      const res = await call(h.sandbox, LIST, { headers: { authorization: `bearer ${h.token}` } });
      expect(res.status).toBe(200);
    }));

  it('invalidates every token on expireTokens()', () =>
    withSandbox({}, async (h) => {
      expect((await list(h)).status).toBe(200);
      h.sandbox.expireTokens();
      const res = await list(h);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(invalidToken);
    }));

  it('expires tokens by the sandbox clock', () =>
    withSandbox({}, async (h) => {
      const shortLived = h.sandbox.issueToken(ADMIN.clientId, 60);
      h.clock.advance(59_999);
      expect((await list(h, '', shortLived)).status).toBe(200);
      h.clock.advance(1);
      expect((await list(h, '', shortLived)).status).toBe(401);
      // Tokens from /oauth/token live 7200 s.
      const res = await tokenRequest(h.sandbox, {
        grant_type: 'client_credentials',
        client_id: ADMIN.clientId,
        client_secret: ADMIN.clientSecret,
      });
      const issued = res.body.access_token as string;
      h.clock.advance(7_199_000);
      expect((await list(h, '', issued)).status).toBe(200);
      h.clock.advance(1000);
      expect((await list(h, '', issued)).status).toBe(401);
    }));

  it('answers 403 to a non-admin caller on every API route, without acting', () =>
    withSandbox({}, async (h) => {
      const id = h.sandbox.seedDelivery({ organisationId: 'org_a' }).id;
      const viewer = h.sandbox.issueToken(VIEWER.clientId);
      const forbidden = {
        error: 'forbidden',
        error_description: 'Caller is not an admin in the organisation',
      };
      expect((await list(h, '', viewer)).body).toEqual(forbidden);
      const bulkRes = await bulk(h, [id], viewer);
      expect(bulkRes.status).toBe(403);
      expect(bulkRes.body).toEqual(forbidden);
      expect(h.sandbox.deliveries()).toHaveLength(1);
    }));

  it('refuses to mint tokens for unknown clients', () =>
    withSandbox({}, async (h) => {
      expect(() => h.sandbox.issueToken('ghost')).toThrow('unknown client ghost');
    }));
});

// ------------------------------------------------------------------------------------------------
// List
// ------------------------------------------------------------------------------------------------

describe('GET /api/v2/webhook_deliveries', () => {
  it('serialises deliveries in the documented shape', () =>
    withSandbox({}, async (h) => {
      h.sandbox.seedDelivery({
        organisationId: 'org_a',
        webhookId: 'wh_1',
        eventId: 'evt_1',
        eventAction: 'report_export_completed',
        state: 'errored',
        response: { code: null, error: 'dns_lookup_failed' },
        createdAt: new Date(T0 - 60_000),
        updatedAt: new Date(T0 - 30_000),
        redeliveryOf: 'dlv_secret',
      });
      const res = await list(h);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        webhook_deliveries: [
          {
            id: 'dlv_000001',
            webhook_id: 'wh_1',
            event_id: 'evt_1',
            event_action: 'report_export_completed',
            state: 'errored',
            response: { code: null, error: 'dns_lookup_failed' },
            created_at: '2025-01-15T11:59:00.000Z',
            updated_at: '2025-01-15T11:59:30.000Z',
          },
        ],
        meta: { page: 1 },
      });
      expect(res.text).not.toContain('redelivery');
    }));

  it('fills seed defaults that match the state', () =>
    withSandbox({}, async (h) => {
      const errored = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const completed = h.sandbox.seedDelivery({ organisationId: 'org_a', state: 'completed' });
      const pending = h.sandbox.seedDelivery({ organisationId: 'org_a', state: 'pending' });
      expect(errored).toMatchObject({
        id: 'dlv_000001',
        webhookId: 'wh_default',
        eventAction: 'form_completed',
        state: 'errored',
        response: { code: 500, error: null },
        createdAt: new Date(T0),
        updatedAt: new Date(T0),
      });
      expect(completed.response).toEqual({ code: 200, error: null });
      expect(pending.response).toBeNull();
      expect(new Set([errored.eventId, completed.eventId, pending.eventId]).size).toBe(3);
      expect(() => h.sandbox.seedDelivery({ organisationId: 'org_a', id: errored.id })).toThrow(
        'already exists',
      );
      // Generated IDs skip ones a test seeded explicitly.
      h.sandbox.seedDelivery({ organisationId: 'org_a', id: 'dlv_000004' });
      expect(h.sandbox.seedDelivery({ organisationId: 'org_a' }).id).toBe('dlv_000005');
    }));

  it("returns only the caller's organisation", () =>
    withSandbox({}, async (h) => {
      const mine = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.seedDelivery({ organisationId: 'org_b' });
      const res = await list(h);
      expect(res.body.webhook_deliveries.map((d) => d.id)).toEqual([mine.id]);
      const other = await list(h, '', h.sandbox.issueToken(OTHER.clientId));
      expect(other.body.webhook_deliveries.map((d) => d.id)).not.toContain(mine.id);
      // An organisation with no rows at all lists nothing.
      h.sandbox.addClient({ ...ADMIN, clientId: 'empty', organisationId: 'org_empty' });
      const empty = await list(h, '', h.sandbox.issueToken('empty'));
      expect(empty.body).toEqual({ webhook_deliveries: [], meta: { page: 1 } });
    }));

  it('orders newest first, ties broken by id descending, whatever the seed order', () =>
    withSandbox({}, async (h) => {
      const at = (min: number): Date => new Date(T0 - min * 60_000);
      for (const [id, min] of [
        ['dlv_b', 5],
        ['dlv_d', 1],
        ['dlv_a', 5],
        ['dlv_c', 10],
        ['dlv_e', 1],
      ] as const) {
        h.sandbox.seedDelivery({ organisationId: 'org_a', id, createdAt: at(min) });
      }
      const res = await list(h);
      expect(res.body.webhook_deliveries.map((d) => d.id)).toEqual([
        'dlv_e',
        'dlv_d',
        'dlv_b',
        'dlv_a',
        'dlv_c',
      ]);
    }));

  it('paginates by page number; a page past the end is empty', () =>
    withSandbox({ pageSize: 3 }, async (h) => {
      for (let i = 0; i < 7; i++) {
        h.sandbox.seedDelivery({ organisationId: 'org_a', createdAt: new Date(T0 - i * 1000) });
      }
      const pages: string[][] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await list(h, `?page=${page}`);
        expect(res.body.meta).toEqual({ page });
        pages.push(res.body.webhook_deliveries.map((d) => d.id));
      }
      expect(pages).toEqual([
        ['dlv_000001', 'dlv_000002', 'dlv_000003'],
        ['dlv_000004', 'dlv_000005', 'dlv_000006'],
        ['dlv_000007'],
        [],
      ]);
    }));

  it('filters by webhook_id, state and since (inclusive), alone and combined', () =>
    withSandbox({ pageSize: 2 }, async (h) => {
      const seed = (webhookId: string, state: 'errored' | 'completed', minAgo: number): string =>
        h.sandbox.seedDelivery({
          organisationId: 'org_a',
          webhookId,
          state,
          createdAt: new Date(T0 - minAgo * 60_000),
        }).id;
      const e1 = seed('wh_1', 'errored', 50);
      const c1 = seed('wh_1', 'completed', 40);
      const e2 = seed('wh_2', 'errored', 30);
      const e3 = seed('wh_1', 'errored', 20);
      const e4 = seed('wh_1', 'errored', 10);
      const ids = async (query: string): Promise<string[]> =>
        (await list(h, query)).body.webhook_deliveries.map((d) => d.id);

      expect(await ids('?webhook_id=wh_1')).toEqual([e4, e3]);
      expect(await ids('?webhook_id=wh_1&page=2')).toEqual([c1, e1]);
      expect(await ids('?state=errored&page=2')).toEqual([e2, e1]);
      expect(await ids('?state=completed')).toEqual([c1]);
      expect(await ids('?state=pending')).toEqual([]);
      expect(await ids('?webhook_id=wh_1&state=errored&page=2')).toEqual([e1]);
      expect(await ids('?webhook_id=wh_none')).toEqual([]);
      // Exactly 30 minutes ago is included; offsets and fractions are honoured.
      expect(await ids('?since=2025-01-15T11:30:00Z')).toEqual([e4, e3]);
      expect(await ids('?since=2025-01-15T11:30:00Z&page=2')).toEqual([e2]);
      expect(await ids(`?since=${encodeURIComponent('2025-01-15T12:30:00.000+01:00')}`)).toEqual([
        e4,
        e3,
      ]);
      expect(await ids('?since=2025-01-15T11:30:00.001Z')).toEqual([e4, e3]);
      expect(await ids('?since=2025-01-15T11:30:00.001Z&page=2')).toEqual([]);
      expect(await ids('?since=2025-01-15T11:45Z&state=errored&webhook_id=wh_1')).toEqual([e4]);
      // Unknown parameters are ignored.
      expect(await ids('?per_page=100&state=completed')).toEqual([c1]);
    }));

  it('answers 400 to invalid state, since and page values', () =>
    withSandbox({}, async (h) => {
      const bad = [
        'state=failed',
        'state=',
        'state=ERRORED',
        'since=yesterday',
        'since=2025-01-15',
        'since=2025-01-15T10:00:00',
        'since=2025-02-30T10:00:00Z',
        'since=2025-01-15T24:00:00Z',
        'since=2025-01-15T10:00:61Z',
        'since=2025-01-15T10:00:00%2B25:00',
        // An unencoded "+" decodes to a space: a classic client bug the sandbox must expose.
        'since=2025-01-15T10:00:00+01:00',
        'since=',
        'page=0',
        'page=-1',
        'page=1.5',
        'page=1e2',
        'page=two',
        'page=',
        'page=1&page=2',
        'state=errored&state=completed',
      ];
      for (const query of bad) {
        const res = await call<ErrorBody>(h.sandbox, `${LIST}?${query}`, { token: h.token });
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error).toBe('invalid_parameter');
        expect(res.body.error_description).toMatch(/state|since|page/);
      }
      const leap = await list(h, '?since=2024-02-29T00:00:00-05:30');
      expect(leap.status).toBe(200);
    }));

  it('answers 405 to POST', () =>
    withSandbox({}, async (h) => {
      const res = await call(h.sandbox, LIST, { method: 'POST', token: h.token });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    }));
});

// ------------------------------------------------------------------------------------------------
// Bulk redelivery
// ------------------------------------------------------------------------------------------------

describe('POST /api/v2/webhook_deliveries/redeliveries', () => {
  it('creates one new pending row per ID, in request order, leaving originals untouched', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({
        organisationId: 'org_a',
        webhookId: 'wh_1',
        eventId: 'evt_a',
        eventAction: 'report_export_completed',
        createdAt: new Date(T0 - 3_600_000),
      });
      const b = h.sandbox.seedDelivery({ organisationId: 'org_a', state: 'completed' });
      const foreign = h.sandbox.seedDelivery({ organisationId: 'org_b' });
      const before = structuredClone(h.sandbox.deliveries());
      h.clock.advance(5000);

      const res = await bulk(h, [b.id, 'dlv_missing', a.id, foreign.id]);
      expect(res.status).toBe(201);
      expect(res.body.meta).toEqual({
        requested_count: 4,
        created_count: 2,
        dropped_ids: ['dlv_missing', foreign.id],
      });
      const now = new Date(T0 + 5000).toISOString();
      expect(res.body.webhook_deliveries).toEqual([
        {
          id: 'dlv_000004',
          webhook_id: b.webhookId,
          event_id: b.eventId,
          event_action: b.eventAction,
          state: 'pending',
          response: null,
          created_at: now,
          updated_at: now,
        },
        {
          id: 'dlv_000005',
          webhook_id: 'wh_1',
          event_id: 'evt_a',
          event_action: 'report_export_completed',
          state: 'pending',
          response: null,
          created_at: now,
          updated_at: now,
        },
      ]);
      expect(h.sandbox.delivery('dlv_000005')?.redeliveryOf).toBe(a.id);
      expect(h.sandbox.deliveries().slice(0, 3)).toEqual(before);
      // The new rows are listed first (newest), the originals still read errored/completed.
      const listed = await list(h);
      expect(listed.body.webhook_deliveries.map((d) => [d.id, d.state])).toEqual([
        ['dlv_000005', 'pending'],
        ['dlv_000004', 'pending'],
        [b.id, 'completed'],
        [a.id, 'errored'],
      ]);
    }));

  it('creates a row per occurrence of a duplicated ID', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const res = await bulk(h, [a.id, a.id]);
      expect(res.body.meta.created_count).toBe(2);
      expect(new Set(res.body.webhook_deliveries.map((d) => d.id)).size).toBe(2);
    }));

  it('drops everything for a caller from another organisation', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const res = await bulk(h, [a.id], h.sandbox.issueToken(OTHER.clientId));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        webhook_deliveries: [],
        meta: { requested_count: 1, created_count: 0, dropped_ids: [a.id] },
      });
    }));

  it('accepts 1000 IDs and refuses 1001', () =>
    withSandbox({}, async (h) => {
      const ids = Array.from({ length: 1001 }, (_, i) => `dlv_missing_${i}`);
      const ok = await bulk(h, ids.slice(0, 1000));
      expect(ok.status).toBe(201);
      expect(ok.body.meta.dropped_ids).toHaveLength(1000);
      const tooMany = await call<ErrorBody>(h.sandbox, BULK, {
        token: h.token,
        json: { delivery_ids: ids },
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.error).toBe('delivery_ids must contain at most 1000 IDs (got 1001)');
    }));

  it('answers 415 unless the body is declared as JSON', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const body = JSON.stringify({ delivery_ids: [a.id] });
      for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
        const res = await call<ErrorBody>(h.sandbox, BULK, {
          method: 'POST',
          token: h.token,
          headers,
          body,
        });
        expect(res.status).toBe(415);
        expect(res.body.error).toBe('unsupported_media_type');
      }
      const withCharset = await call(h.sandbox, BULK, {
        method: 'POST',
        token: h.token,
        headers: { 'content-type': 'Application/JSON; charset=utf-8' },
        body,
      });
      expect(withCharset.status).toBe(201);
    }));

  it('answers 422 saying what is wrong with the body', () =>
    withSandbox({}, async (h) => {
      const cases: Array<[string, string]> = [
        ['', 'request body is not valid JSON'],
        ['{"delivery_ids": [', 'request body is not valid JSON'],
        ['["dlv_1"]', 'request body must be a JSON object'],
        ['null', 'request body must be a JSON object'],
        ['{}', 'delivery_ids is required'],
        ['{"delivery_ids": "dlv_1"}', 'delivery_ids must be an array of strings'],
        ['{"delivery_ids": ["dlv_1", 2]}', 'delivery_ids[1] must be a string'],
        ['{"delivery_ids": []}', 'delivery_ids must not be empty'],
      ];
      for (const [body, error] of cases) {
        const res = await call<ErrorBody>(h.sandbox, BULK, {
          method: 'POST',
          token: h.token,
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect({ body, status: res.status, error: res.body.error }).toEqual({
          body,
          status: 422,
          error,
        });
      }
    }));

  it('answers 405 to GET', () =>
    withSandbox({}, async (h) => {
      expect((await call(h.sandbox, BULK, { token: h.token })).status).toBe(405);
    }));
});

// ------------------------------------------------------------------------------------------------
// Transport-level behaviour
// ------------------------------------------------------------------------------------------------

describe('transport', () => {
  it('answers 404 JSON to unknown paths, including delivery paths the action does not use', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      for (const path of [
        '/',
        // The documented single-delivery retry is not served: the action never calls it.
        `/api/v2/webhook_deliveries/${a.id}/redeliveries`,
        '/api/v2/webhook_deliveries/dlv_1',
        '/api/v2/webhook_deliveries/',
        '/api/v2/webhook_deliveries//redeliveries',
        '/api/v2/webhook_deliveries/%E0%A4%A/redeliveries',
        '/api/v1/webhook_deliveries',
      ]) {
        const res = await call<ErrorBody>(h.sandbox, path, { method: 'POST', token: h.token });
        expect({ path, status: res.status, error: res.body.error }).toEqual({
          path,
          status: 404,
          error: 'not_found',
        });
      }
      expect(h.sandbox.requests.every((r) => r.route === 'unknown')).toBe(true);
    }));

  it('answers 413 to bodies over 20 MB', () =>
    withSandbox({}, async (h) => {
      const res = await call<ErrorBody>(h.sandbox, BULK, {
        method: 'POST',
        token: h.token,
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(20 * 1024 * 1024 + 1),
      });
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('payload_too_large');
    }));

  it('records every request in arrival order, timed by the sandbox clock', () =>
    withSandbox({}, async (h) => {
      await list(h, '?state=errored&page=2&state=completed');
      h.clock.advance(90_000);
      await bulk(h, ['x']);
      h.clock.advance(1);
      await call(h.sandbox, '/nowhere?a=1');
      expect(h.sandbox.requests.map((r) => [r.route, r.method, r.path])).toEqual([
        ['list', 'GET', LIST],
        ['bulk', 'POST', BULK],
        ['unknown', 'GET', '/nowhere'],
      ]);
      const [listed, posted] = h.sandbox.requests;
      expect(listed?.query).toEqual({ state: 'errored', page: '2' });
      expect(listed?.headers.authorization).toBe(`Bearer ${h.token}`);
      expect(h.sandbox.requests.map((r) => r.at)).toEqual([T0, T0 + 90_000, T0 + 90_001]);
      expect(posted?.body).toBe('{"delivery_ids":["x"]}');
      expect(posted?.headers['content-type']).toBe('application/json');
      expect(h.sandbox.requestsTo('bulk')).toEqual([posted]);
      expect(h.sandbox.requestsTo('token')).toEqual([]);
    }));

  it('serves through its handler on a server of its user, without listening itself', async () => {
    const sandbox = HindsiteSandbox.create({ clock: new VirtualClock(T0) });
    sandbox.addClient(ADMIN);
    const server = createServer(sandbox.handler);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${LIST}`;
    const auth = { authorization: `Bearer ${sandbox.issueToken(ADMIN.clientId)}` };
    try {
      expect(sandbox.url).toBe('');
      sandbox.seedDelivery({ organisationId: 'org_a' });
      const res = await fetch(url, { headers: auth });
      expect(res.status).toBe(200);
      expect(((await res.json()) as ListBody).webhook_deliveries).toHaveLength(1);
      expect(sandbox.requests).toEqual([
        expect.objectContaining({ route: 'list', at: T0, connection: 1 }),
      ]);
      // close() ends a stalled request on that server too, and drops the ones after it.
      sandbox.inject({ route: 'list', delayMs: Infinity });
      const stalled = fetch(url, { headers: auth });
      while (sandbox.requests.length < 2) await sleep(5);
      await sandbox.close();
      await expect(stalled).rejects.toThrow();
      await expect(fetch(url, { headers: auth })).rejects.toThrow();
      expect(sandbox.requests).toHaveLength(2);
    } finally {
      await sandbox.close();
      await new Promise((done) => server.close(done));
    }
  });

  it('binds to loopback and reports its URL without a trailing slash', () =>
    withSandbox({}, async (h) => {
      expect(h.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }));

  it('supports an IPv6 loopback host', async () => {
    const sandbox = await HindsiteSandbox.start({ host: '::1' });
    try {
      expect(sandbox.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${sandbox.url}/`)).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });

  it('rejects invalid options', async () => {
    await expect(HindsiteSandbox.start({ pageSize: 0 })).rejects.toThrow('pageSize');
    await expect(HindsiteSandbox.start({ latencyMs: -1 })).rejects.toThrow('latencyMs');
  });

  it('fails to start on a port already in use', () =>
    withSandbox({}, async (h) => {
      const port = Number(new URL(h.sandbox.url).port);
      await expect(HindsiteSandbox.start({ port })).rejects.toThrow('EADDRINUSE');
    }));

  it('closes promptly despite keep-alive sockets and stalled requests; close is idempotent', async () => {
    const sandbox = await HindsiteSandbox.start({ latencyMs: 60_000 });
    sandbox.addClient(ADMIN);
    const token = sandbox.issueToken(ADMIN.clientId);
    // A keep-alive connection left idle by fetch, and a request stuck in the latency wait.
    sandbox.setLatency(0);
    expect(
      (await fetch(`${sandbox.url}${LIST}`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(200);
    sandbox.setLatency(60_000);
    const stuck = fetch(`${sandbox.url}${LIST}`, { headers: { authorization: `Bearer ${token}` } });
    await sleep(50);
    const started = Date.now();
    await Promise.all([sandbox.close(), sandbox.close()]);
    // Well before the stalled request's 60 s latency, or the idle socket's 5 s keep-alive.
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(stuck).rejects.toThrow();
    await expect(fetch(`${sandbox.url}/`)).rejects.toThrow();
  });
});

// ------------------------------------------------------------------------------------------------
// Settling
// ------------------------------------------------------------------------------------------------

describe('settling of redeliveries', () => {
  it('keeps new rows pending by default', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const res = await bulk(h, [a.id]);
      h.clock.advance(86_400_000);
      expect(h.sandbox.delivery(res.body.webhook_deliveries[0]!.id)?.state).toBe('pending');
    }));

  it('settles lazily by the clock to each outcome, with matching responses', () =>
    withSandbox({}, async (h) => {
      const outcomes = ['completed', 'errored', 'retrying', 'never'] as const;
      const seen: unknown[] = [];
      h.sandbox.setSettle({
        afterMs: 1500,
        outcome: (d) => {
          seen.push(d);
          return outcomes[Number(d.eventId.slice(-1)) - 1]!;
        },
      });
      const originals = [1, 2, 3, 4].map((n) =>
        h.sandbox.seedDelivery({ organisationId: 'org_a', eventId: `evt_${n}`, webhookId: 'wh_s' }),
      );
      const created = (
        await bulk(
          h,
          originals.map((o) => o.id),
        )
      ).body.webhook_deliveries;
      const newIds = created.map((d) => d.id);
      expect(created.every((d) => d.state === 'pending')).toBe(true);

      h.clock.advance(1499);
      expect((await list(h, '?state=pending')).body.webhook_deliveries).toHaveLength(4);
      expect(seen).toEqual([]);

      h.clock.advance(1);
      const settled = (await list(h, '?webhook_id=wh_s')).body.webhook_deliveries.slice(0, 4);
      const byId = new Map(settled.map((d) => [d.id, d]));
      const expected = [
        ['completed', { code: 200, error: null }],
        ['errored', { code: 500, error: null }],
        ['retrying', { code: 500, error: null }],
        ['in_progress', null],
      ] as const;
      newIds.forEach((id, i) => {
        expect(byId.get(id)).toMatchObject({
          state: expected[i]![0],
          response: expected[i]![1],
          updated_at: new Date(T0 + 1500).toISOString(),
        });
      });
      expect(seen).toHaveLength(4);
      expect(seen).toContainEqual({
        originalId: originals[0]!.id,
        newId: newIds[0],
        eventId: 'evt_1',
        webhookId: 'wh_s',
      });
      // Outcomes are fixed once taken: the policy is not asked again.
      h.clock.advance(60_000);
      await list(h);
      expect(h.sandbox.deliveries()).toHaveLength(8);
      expect(seen).toHaveLength(4);
      expect(
        (await list(h, '?state=in_progress')).body.webhook_deliveries.map((d) => d.id),
      ).toEqual([newIds[3]]);
    }));

  it('lets the state filter see settled states', () =>
    withSandbox({ settle: { afterMs: 0, outcome: () => 'completed' } }, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const created = (await bulk(h, [a.id])).body.webhook_deliveries[0]!;
      // The bulk reply shows the row as just created, before it had a chance to settle.
      expect(created.state).toBe('pending');
      const completed = await list(h, '?state=completed');
      expect(completed.body.webhook_deliveries.map((d) => d.id)).toEqual([created.id]);
    }));

  it('only settles redeliveries, and stops when the policy is removed', () =>
    withSandbox({ settle: { afterMs: 10, outcome: () => 'completed' } }, async (h) => {
      const stuck = h.sandbox.seedDelivery({ organisationId: 'org_a', state: 'pending' });
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      const created = (await bulk(h, [a.id])).body.webhook_deliveries[0]!;
      h.sandbox.setSettle(undefined);
      h.clock.advance(1000);
      expect(h.sandbox.delivery(created.id)?.state).toBe('pending');
      h.sandbox.setSettle({ afterMs: 10, outcome: () => 'errored' });
      expect(h.sandbox.delivery(created.id)?.state).toBe('errored');
      expect(h.sandbox.delivery(stuck.id)?.state).toBe('pending');
      expect(h.sandbox.delivery('dlv_nope')).toBeUndefined();
    }));

  it('answers 500 if the settle policy throws', () =>
    withSandbox(
      {
        settle: {
          afterMs: 0,
          outcome: () => {
            throw new Error('policy exploded');
          },
        },
      },
      async (h) => {
        const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
        await bulk(h, [a.id]);
        const res = await call<ErrorBody>(h.sandbox, LIST, { token: h.token });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'internal_error', error_description: 'policy exploded' });
      },
    ));
});

// ------------------------------------------------------------------------------------------------
// Fault injection and latency
// ------------------------------------------------------------------------------------------------

describe('fault injection', () => {
  it('replies with a canned status and headers without acting', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', status: 429, headers: { 'Retry-After': '2' } });
      const limited = await call<ErrorBody>(h.sandbox, BULK, {
        token: h.token,
        json: { delivery_ids: [a.id] },
      });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(limited.body.error).toBe('sandbox_fault');
      expect(h.sandbox.deliveries()).toHaveLength(1);
      // The fault applied once: the next call is real.
      expect((await bulk(h, [a.id])).status).toBe(201);
      expect(h.sandbox.deliveries()).toHaveLength(2);
    }));

  it('sends a raw canned body (status defaults to 500)', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({
        route: 'token',
        body: '<html>Bad gateway</html>',
        headers: { 'Content-Type': 'text/html' },
      });
      h.sandbox.inject({ route: 'token', status: 502, body: 'upstream' });
      const first = await fetch(`${h.sandbox.url}/oauth/token`, { method: 'POST' });
      expect(first.status).toBe(500);
      expect(first.headers.get('content-type')).toBe('text/html');
      expect(await first.text()).toBe('<html>Bad gateway</html>');
      const second = await fetch(`${h.sandbox.url}/oauth/token`, { method: 'POST' });
      expect([second.status, await second.text()]).toEqual([502, 'upstream']);
      expect((await fetch(`${h.sandbox.url}/oauth/token`, { method: 'POST' })).status).toBe(400);
    }));

  it('applies faults per route, in queue order, for `times` requests', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({ route: 'list', status: 503, times: 2 });
      h.sandbox.inject({ route: 'list', status: 504 });
      h.sandbox.inject({ route: 'bulk', status: 500, times: Infinity });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await list(h)).status);
      expect(statuses).toEqual([503, 503, 504, 200]);
      for (let i = 0; i < 3; i++) expect((await bulk(h, ['x'])).status).toBe(500);
      h.sandbox.clearFaults();
      expect((await bulk(h, ['x'])).status).toBe(201);
      expect(() => h.sandbox.inject({ route: 'list', times: 0 })).toThrow('times');
      expect(() => h.sandbox.inject({ route: 'list', delayMs: -5 })).toThrow('delayMs');
    }));

  it('lets `skip` matching requests through before a fault applies', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({ route: 'list', status: 500, skip: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await list(h)).status);
      expect(statuses).toEqual([200, 200, 500, 200]);
    }));

  it('applies a fault only to the requests its `when` matches', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({
        route: 'list',
        status: 500,
        times: Infinity,
        when: (r) => r.query['page'] === '2',
      });
      const statuses: number[] = [];
      for (const page of [1, 2, 3, 2]) statuses.push((await list(h, `?page=${page}`)).status);
      expect(statuses).toEqual([200, 500, 200, 500]);
    }));

  it('adds headers to the real reply when no status or body is given', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({ route: 'list', headers: { 'X-RateLimit-Remaining': '0' } });
      const res = await list(h);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(res.body.meta).toEqual({ page: 1 });
    }));

  it('delays real and canned replies by delayMs', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({ route: 'list', delayMs: 200 });
      h.sandbox.inject({ route: 'list', delayMs: 200, status: 503 });
      // The delay is a timer; on fake timeouts, each reply comes exactly when 200 ms have passed.
      fakeTimeouts();
      try {
        for (const status of [200, 503]) {
          const reply = list(h);
          await until(() => jest.getTimerCount() === 1);
          await jest.advanceTimersByTimeAsync(199);
          expect(jest.getTimerCount()).toBe(1);
          await jest.advanceTimersByTimeAsync(1);
          expect((await reply).status).toBe(status);
        }
      } finally {
        jest.useRealTimers();
      }
      // Delays are timers, whatever the sandbox clock: it has not moved.
      expect(h.sandbox.now()).toBe(T0);
      expect(h.sandbox.requests.map((r) => r.at)).toEqual([T0, T0]);
    }));

  it('does not act on a stalled request the client abandoned (without afterHandling)', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', delayMs: 300 });
      const abandoned = fetch(`${h.sandbox.url}${BULK}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ delivery_ids: [a.id] }),
        signal: AbortSignal.timeout(50),
      });
      await expect(abandoned).rejects.toThrow();
      await sleep(400);
      expect(h.sandbox.deliveries()).toHaveLength(1);
      expect(h.sandbox.requestsTo('bulk')).toHaveLength(1);
    }));

  it('acts before stalling with afterHandling', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', delayMs: 5000, afterHandling: true });
      const abandoned = fetch(`${h.sandbox.url}${BULK}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ delivery_ids: [a.id] }),
        signal: AbortSignal.timeout(100),
      });
      await expect(abandoned).rejects.toThrow();
      expect(h.sandbox.deliveries()).toHaveLength(2);
    }));

  it('returns a canned error after acting with afterHandling', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', status: 502, afterHandling: true });
      const res = await bulk(h, [a.id]);
      expect(res.status).toBe(502);
      expect(h.sandbox.deliveries()).toHaveLength(2);
    }));

  it('rewrites the real reply with rewrite: the handler acts, status replaced if given', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({
        route: 'bulk',
        status: 200,
        rewrite: (body) => ({ deliveries: (body as BulkBody).webhook_deliveries }),
      });
      const res = await bulk(h, [a.id]);
      const body = res.body as unknown as Record<string, DeliveryJson[]>;
      expect(res.status).toBe(200);
      expect(Object.keys(body)).toEqual(['deliveries']);
      expect(body['deliveries']?.[0]?.event_id).toBe(a.eventId);
      expect(h.sandbox.deliveries()).toHaveLength(2);
      h.sandbox.inject({ route: 'list', rewrite: () => ({ changed: true }) });
      expect((await list(h)).body).toEqual({ changed: true });
      expect(() => h.sandbox.inject({ route: 'list', body: 'x', rewrite: (b) => b })).toThrow(
        /exclude each other/,
      );
    }));

  it('resets the connection without acting', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', reset: true });
      await expect(bulk(h, [a.id])).rejects.toThrow();
      expect(h.sandbox.deliveries()).toHaveLength(1);
      const raw = await rawExchange(
        h.sandbox.url,
        `GET ${LIST} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(raw.data).toContain('HTTP/1.1 401');
      h.sandbox.inject({ route: 'list', reset: true });
      const reset = await rawExchange(
        h.sandbox.url,
        `GET ${LIST} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(reset).toEqual({ data: '', error: 'ECONNRESET' });
    }));

  it('resets the connection after acting with afterHandling', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', reset: true, afterHandling: true, delayMs: 20 });
      await expect(bulk(h, [a.id])).rejects.toThrow();
      expect(h.sandbox.deliveries()).toHaveLength(2);
    }));

  it('truncates the real reply: full Content-Length, half the body, then closes', () =>
    withSandbox({}, async (h) => {
      const a = h.sandbox.seedDelivery({ organisationId: 'org_a' });
      h.sandbox.inject({ route: 'bulk', truncate: true });
      await expect(bulk(h, [a.id])).rejects.toThrow();
      // The real handler ran: the row exists even though the client never saw the reply.
      expect(h.sandbox.deliveries()).toHaveLength(2);

      h.sandbox.inject({ route: 'list', truncate: true });
      const raw = await rawExchange(
        h.sandbox.url,
        `GET ${LIST} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${h.token}\r\n\r\n`,
      );
      const [head, body] = raw.data.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      expect(length).toBeGreaterThan(100);
      expect(Buffer.byteLength(body)).toBe(Math.floor(length / 2));
    }));

  it('truncates a canned reply too', () =>
    withSandbox({}, async (h) => {
      h.sandbox.inject({ route: 'token', status: 503, body: '0123456789', truncate: true });
      const raw = await rawExchange(
        h.sandbox.url,
        'POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      expect(raw.data).toMatch(/^HTTP\/1\.1 503/);
      expect(raw.data).toMatch(/content-length: 10\r\n/i);
      expect(raw.data.endsWith('\r\n\r\n01234')).toBe(true);
    }));

  it('stalls forever with delayMs Infinity until close()', async () => {
    const sandbox = await HindsiteSandbox.start();
    sandbox.inject({ route: 'token', delayMs: Infinity, status: 500 });
    const stalled = fetch(`${sandbox.url}/oauth/token`, { method: 'POST' });
    await until(() => sandbox.requestsTo('token').length > 0);
    expect(sandbox.requestsTo('token')).toHaveLength(1);
    await sandbox.close();
    await expect(stalled).rejects.toThrow();
  });

  it('adds latency to the served routes only', () =>
    withSandbox({ latencyMs: 150 }, async (h) => {
      // On fake timeouts: a served route waits for exactly its latency, the others for nothing.
      fakeTimeouts();
      try {
        const served = list(h);
        await until(() => jest.getTimerCount() === 1);
        await jest.advanceTimersByTimeAsync(149);
        expect(jest.getTimerCount()).toBe(1);
        // An unknown route is answered while the served one still waits, with no time passing.
        expect((await call(h.sandbox, '/unknown')).status).toBe(404);
        await jest.advanceTimersByTimeAsync(1);
        expect((await served).status).toBe(200);
        h.sandbox.setLatency(0);
        expect((await list(h)).status).toBe(200);
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        jest.useRealTimers();
      }
      expect(() => h.sandbox.setLatency(Number.NaN)).toThrow('latencyMs');
    }));
});

// ------------------------------------------------------------------------------------------------
// Demo seed
// ------------------------------------------------------------------------------------------------

describe('seedDemo', () => {
  const clock = new VirtualClock(T0);
  let sandbox: HindsiteSandbox;
  let demo: ReturnType<typeof seedDemo>;
  let token: string;

  beforeAll(async () => {
    sandbox = await HindsiteSandbox.start({ clock });
    demo = seedDemo(sandbox);
    const res = await tokenRequest(sandbox, {
      grant_type: 'client_credentials',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
    });
    token = res.body.access_token as string;
  });
  afterAll(() => sandbox.close());

  it('seeds a realistic org_acme over the last 24 hours', async () => {
    const res = await call<ListBody>(sandbox, LIST, { token });
    const rows = res.body.webhook_deliveries;
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThanOrEqual(14);
    expect(rows.every((d) => T0 - Date.parse(d.created_at) <= 86_400_000)).toBe(true);
    expect(new Set(rows.map((d) => d.webhook_id))).toEqual(new Set(['wh_orders', 'wh_reports']));
    const states = rows.map((d) => d.state);
    expect(states.filter((s) => s === 'retrying')).toHaveLength(1);
    expect(states.filter((s) => s === 'completed').length).toBeGreaterThanOrEqual(2);
    const codes = rows
      .filter((d) => d.state === 'errored')
      .map((d) => d.response?.code ?? d.response?.error);
    expect(codes).toEqual(expect.arrayContaining([500, 502, 'connection_timeout']));
    // One event errored, was already redelivered, and the newer row completed.
    const byEvent = new Map<string, DeliveryJson[]>();
    for (const d of rows) byEvent.set(d.event_id, [...(byEvent.get(d.event_id) ?? []), d]);
    const redelivered = [...byEvent.values()].filter((ds) => ds.length === 2);
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]!.map((d) => d.state)).toEqual(['completed', 'errored']);
  });

  it('reports the errored deliveries a correct run should retry, newest first', async () => {
    const errored = await call<ListBody>(sandbox, `${LIST}?state=errored`, { token });
    const erroredRows = errored.body.webhook_deliveries;
    expect(demo.erroredIds.length).toBeGreaterThanOrEqual(3);
    // Every errored row except the one whose event already completed on a newer row.
    expect(erroredRows.map((d) => d.id).filter((id) => demo.erroredIds.includes(id))).toEqual(
      demo.erroredIds,
    );
    expect(erroredRows).toHaveLength(demo.erroredIds.length + 1);
  });

  it('refuses the non-admin client and scopes out the foreign IDs', async () => {
    const viewer = await tokenRequest(sandbox, {
      grant_type: 'client_credentials',
      client_id: demo.nonAdminClientId,
      client_secret: demo.nonAdminClientSecret,
    });
    expect(viewer.status).toBe(200);
    const denied = await call(sandbox, LIST, { token: viewer.body.access_token as string });
    expect(denied.status).toBe(403);

    expect(demo.foreignIds.length).toBeGreaterThanOrEqual(2);
    expect(
      demo.foreignIds.every((id) => sandbox.delivery(id)?.organisationId !== DEMO_ORGANISATION),
    ).toBe(true);
    const dropped = await call<BulkBody>(sandbox, BULK, {
      token,
      json: { delivery_ids: demo.foreignIds },
    });
    expect(dropped.body.meta.dropped_ids).toEqual(demo.foreignIds);
  });

  it('settles redeliveries after ~1.5 s: completed, except one event that errors again', async () => {
    const res = await call<BulkBody>(sandbox, BULK, {
      token,
      json: { delivery_ids: demo.erroredIds },
    });
    const created = res.body.webhook_deliveries;
    expect(created).toHaveLength(demo.erroredIds.length);
    clock.advance(DEMO_SETTLE_MS - 1);
    expect(created.every((d) => sandbox.delivery(d.id)?.state === 'pending')).toBe(true);
    clock.advance(1);
    const settled = created.map((d) => [d.event_id, sandbox.delivery(d.id)?.state]);
    expect(settled.filter(([, state]) => state === 'errored')).toEqual([
      [DEMO_FAILING_EVENT, 'errored'],
    ]);
    expect(settled.filter(([, state]) => state === 'completed')).toHaveLength(created.length - 1);
  });
});

// ------------------------------------------------------------------------------------------------
// Performance: the benchmark seeds 100k rows and sends 1000-ID batches
// ------------------------------------------------------------------------------------------------

describe('performance', () => {
  it('handles 100,000 rows, 1000-ID bulk calls and list pages in milliseconds', () =>
    withSandbox({ pageSize: 100 }, async (h) => {
      const ids: string[] = [];
      // Shuffled creation times force the one-off sort on the first list call.
      for (let i = 0; i < 100_000; i++) {
        const minutesAgo = (i * 7919) % 100_000;
        ids.push(
          h.sandbox.seedDelivery({
            organisationId: i % 10 === 0 ? 'org_b' : 'org_a',
            webhookId: `wh_${i % 5}`,
            state: i % 3 === 0 ? 'completed' : 'errored',
            createdAt: new Date(T0 - minutesAgo * 60_000),
          }).id,
        );
      }
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
        const started = performance.now();
        const result = await fn();
        return [result, performance.now() - started];
      };
      const [first, firstMs] = await timed(() => list(h));
      expect(first.body.webhook_deliveries).toHaveLength(100);
      const times = first.body.webhook_deliveries.map((d) => Date.parse(d.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const [deep, deepMs] = await timed(() => list(h, '?state=errored&webhook_id=wh_3&page=50'));
      expect(deep.body.webhook_deliveries).toHaveLength(100);
      const [past, pastMs] = await timed(() => list(h, '?page=100000'));
      expect(past.body.webhook_deliveries).toEqual([]);

      const batch = ids.slice(0, 1000);
      const [bulkRes, bulkMs] = await timed(() => bulk(h, batch));
      expect(bulkRes.body.meta.created_count).toBe(900);
      expect(bulkRes.body.meta.dropped_ids).toHaveLength(100);
      const [after, afterMs] = await timed(() => list(h));
      expect(after.body.webhook_deliveries[0]!.state).toBe('pending');

      // Generous bounds (CI noise on a shared machine); in practice each is a few milliseconds,
      // and a scan that is quadratic in the rows would take minutes.
      for (const ms of [firstMs, deepMs, pastMs, bulkMs, afterMs]) expect(ms).toBeLessThan(5000);
    }));
});
