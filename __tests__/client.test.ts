import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import dns from 'node:dns';
import { createServer } from 'node:net';
import { HindsiteClient, type ClientOptions } from '../src/hindsite/client.js';
import { ApiError } from '../src/model/errors.js';
import { send, TransportError } from '../src/hindsite/http.js';
import { Redactor } from '../src/model/redact.js';
import { serverText } from '../src/hindsite/server-text.js';
import { parseListReply } from '../src/hindsite/wire.js';
import type { Clock } from '../src/model/clock.js';
import { until } from './support/timers.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';
import { ADMIN, startWorld, VIEWER, type World } from './support/world.js';

const START = Date.parse('2026-11-29T12:00:00Z');

let world: World;
let clock: VirtualClock;
let log: RecordingLogger;
let tokens: string[];

beforeEach(async () => {
  // Real HTTP to the sandbox; the sandbox and the client share virtual time, so that waits between
  // attempts cost nothing and a token's life can be fast-forwarded. Jitter is 0: backoffs are exact.
  clock = new VirtualClock(START, 0);
  world = await startWorld({ clock });
  log = new RecordingLogger();
  tokens = [];
});
afterEach(async () => {
  await world.sandbox.close();
});

function client(overrides: Partial<ClientOptions> = {}): HindsiteClient {
  const redactor = new Redactor();
  redactor.add(ADMIN.clientSecret);
  return new HindsiteClient({
    apiUrl: new URL(world.sandbox.url),
    credentials: { kind: 'client-credentials', ...ADMIN },
    maxAttempts: 3,
    timeoutMs: 2000,
    log,
    clock,
    redactor,
    onToken: (token) => tokens.push(token),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

const bulkCalls = (): number => world.sandbox.requestsTo('bulk').length;
const realWait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('token exchange', () => {
  it('exchanges once, hands the token over for masking first, and reuses it', async () => {
    const ids = world.seed(2);
    const hindsite = client();
    await hindsite.redeliver([ids[0] as string], 'one');
    await hindsite.redeliver([ids[1] as string], 'two');
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
    expect(tokens).toHaveLength(1);
    expect(world.sandbox.requestsTo('bulk')[0]?.headers['authorization']).toBe(
      `Bearer ${tokens[0]}`,
    );
  });

  it('reuses a connection while calls keep coming, and never one idle for long', async () => {
    const ids = world.seed(4);
    const hindsite = client();
    for (const id of ids.slice(0, 3)) await hindsite.redeliver([id], 'b');
    // Real idle time (the virtual clock stands still): the socket's own idle timer closes it.
    await realWait(700);
    await hindsite.redeliver([ids[3] as string], 'b');
    hindsite.close();
    const connections = world.sandbox.requests.map((request) => request.connection);
    // Token, then 3 bulk calls on that same connection; after 700 ms idle, a new one.
    expect(connections).toEqual([1, 1, 1, 1, 2]);
  });

  it('does not reuse a connection that went stale while the event loop was busy', async () => {
    const ids = world.seed(2);
    const hindsite = client();
    await hindsite.redeliver([ids[0] as string], 'b');
    // As if the event loop had been busy for 700 ms: the pool's idle timer could not fire, and
    // only the pool's check at reuse, by the clock, can tell the connection is stale.
    clock.advance(700);
    await hindsite.redeliver([ids[1] as string], 'b');
    hindsite.close();
    expect(world.sandbox.requests.map((request) => request.connection)).toEqual([1, 1, 2]);
  });

  it('gives a new pooled connection the whole deadline to connect (slow DNS)', async () => {
    const ids = world.seed(1);
    const original = dns.lookup;
    // Every name lookup takes 700 ms (real): longer than the pool's idle limit of 500 ms, well
    // within the deadline.
    dns.lookup = ((...args: Parameters<typeof dns.lookup>) => {
      setTimeout(() => (original as (...a: unknown[]) => void)(...args), 700);
    }) as typeof dns.lookup;
    try {
      const hindsite = client({
        apiUrl: new URL(world.sandbox.url.replace('127.0.0.1', 'localhost')),
      });
      expect((await hindsite.redeliver(ids, 'b')).created).toHaveLength(1);
      hindsite.close();
    } finally {
      dns.lookup = original;
    }
  });

  it('sends nothing for a call abandoned before it starts', async () => {
    const error = await send(
      {
        method: 'GET',
        url: new URL(`${world.sandbox.url}/api/v2/webhook_deliveries`),
        headers: {},
        timeoutMs: 5000,
        signal: AbortSignal.abort(),
      },
      clock,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect(world.sandbox.requests).toHaveLength(0);
  });

  it('retries 503 and a reset connection, then succeeds', async () => {
    world.sandbox.inject({ route: 'token', status: 503 });
    world.sandbox.inject({ route: 'token', reset: true });
    await client().authenticate();
    expect(world.sandbox.requestsTo('token')).toHaveLength(3);
    expect(clock.waits).toEqual([500, 1000]);
    expect(clock.now()).toBe(START + 1500);
    expect(log.lines[0]).toMatch(/^Token exchange: HTTP 503; attempt 1 of 3, retrying in 0.5 s\.$/);
    expect(log.lines[1]).toMatch(
      /^Token exchange: POST \/oauth\/token lost its connection \(ECONNRESET\); attempt 2 of 3, retrying in 1.0 s\.$/,
    );
  });

  it('does not retry a refused secret, and says what to check', async () => {
    const error = await failure(
      client({
        credentials: { kind: 'client-credentials', clientId: ADMIN.clientId, clientSecret: 'nope' },
      }).authenticate(),
    );
    expect(error.status).toBe(401);
    expect(error.outcome).toBe('not-sent');
    expect(error.message).toMatch(
      /^Token exchange failed: HTTP 401 Unauthorized: invalid_client: Client authentication failed.*Check client-id and client-secret/,
    );
    expect(error.message).not.toMatch(/attempt/);
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
    expect(clock.waits).toEqual([]);
  });

  it('says what to check for each refusal of the token endpoint', async () => {
    world.sandbox.inject({
      route: 'token',
      status: 403,
      body: '{"error":"unauthorized_client","error_description":"Not allowed."}',
    });
    const forbidden = await failure(client().authenticate());
    expect(forbidden.message).toBe(
      'Token exchange failed: HTTP 403 Forbidden: unauthorized_client: Not allowed. The client is not allowed to obtain tokens: ask HINDSITE support for the credentials of an organisation admin.',
    );
    world.sandbox.inject({ route: 'token', status: 404, body: 'Not Found' });
    expect((await failure(client().authenticate())).message).toMatch(
      /HTTP 404 Not Found: Not Found\. No token endpoint there: check api-url/,
    );
  });

  it('never shows the values of a 2xx token reply it cannot read', async () => {
    world.sandbox.inject({
      route: 'token',
      status: 200,
      body: '{"accessToken":"live-bearer-value","tokenType":"Bearer"}',
      times: 3,
    });
    const error = await failure(client().authenticate());
    expect(error.message).toBe(
      'Token exchange failed: HTTP 200 but the reply has no access_token (fields: accessToken, tokenType) after 3 attempts. The token endpoint answered without a usable token.',
    );
    expect([error.message, ...log.lines].join('\n')).not.toContain('live-bearer-value');
  });

  it('redacts an echoed secret before shortening the server text, so no part of it shows', async () => {
    const secret = ADMIN.clientSecret;
    world.sandbox.inject({
      route: 'token',
      status: 400,
      body: JSON.stringify({
        error: 'invalid_request',
        error_description: `${'x'.repeat(160)} bad secret ${secret}`,
      }),
    });
    const error = await failure(client().authenticate());
    expect(error.message).toContain('bad secret *');
    expect(error.message).not.toContain(secret.slice(0, 6));
  });

  it('fails on a 2xx without an access_token after retrying', async () => {
    world.sandbox.inject({
      route: 'token',
      status: 200,
      body: '{"token_type":"Bearer"}',
      times: 3,
    });
    const error = await failure(client().authenticate());
    expect(error.message).toMatch(
      /HTTP 200 but the reply has no access_token.* after 3 attempts\./,
    );
    expect(world.sandbox.requestsTo('token')).toHaveLength(3);
    expect(clock.waits).toHaveLength(2);
  });

  it('keeps the path prefix of api-url', async () => {
    const error = await failure(
      client({ apiUrl: new URL(`${world.sandbox.url}/prefix/`), maxAttempts: 1 }).authenticate(),
    );
    expect(world.sandbox.requests[0]?.path).toBe('/prefix/oauth/token');
    expect(error.status).toBe(404);
  });
});

describe('list deliveries', () => {
  it('sends the filters as documented query parameters', async () => {
    world.seed(3, { webhookId: 'wh_1' });
    const rows = await client().listDeliveries(
      { since: new Date('2026-01-02T03:04:05Z'), webhookId: 'wh_1', state: 'errored' },
      1,
    );
    expect(rows).toHaveLength(3);
    expect(world.sandbox.requestsTo('list')[0]?.query).toEqual({
      webhook_id: 'wh_1',
      state: 'errored',
      since: '2026-01-02T03:04:05Z',
      page: '1',
    });
  });

  it('retries 503, a truncated body and a non-JSON 2xx (reading is safe to repeat)', async () => {
    world.seed(1);
    world.sandbox.inject({ route: 'list', status: 503 });
    world.sandbox.inject({ route: 'list', truncate: true });
    expect(await client().listDeliveries({}, 1)).toHaveLength(1);
    expect(world.sandbox.requestsTo('list')).toHaveLength(3);
    world.sandbox.inject({
      route: 'list',
      status: 200,
      body: '<html>maintenance</html>',
      times: 3,
    });
    const error = await failure(client().listDeliveries({}, 1));
    expect(error.outcome).toBe('not-sent');
    expect(error.message).toMatch(
      /HTTP 200 with a body that is not the documented JSON \(maintenance\) after 3 attempts\. HINDSITE may be unavailable/,
    );
    expect(world.sandbox.requestsTo('list')).toHaveLength(6);
  });

  it('retries a 500: reading is safe to repeat', async () => {
    world.seed(1);
    world.sandbox.inject({ route: 'list', status: 500, times: 2 });
    expect(await client().listDeliveries({}, 1)).toHaveLength(1);
    expect(world.sandbox.requestsTo('list')).toHaveLength(3);
  });

  it('does not retry a 422', async () => {
    world.sandbox.inject({ route: 'list', status: 422, body: '{"error":"bad filter"}' });
    const error = await failure(client().listDeliveries({}, 1));
    expect(error.message).toMatch(
      /HTTP 422 Unprocessable Entity: bad filter\. The request was refused and not retried\./,
    );
    expect(world.sandbox.requestsTo('list')).toHaveLength(1);
  });
});

describe('bulk redelivery: repeated only where the server certainly did not act', () => {
  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', status: 429, headers: { 'retry-after': '2' } });
    // Read after the first wait of 2 s: 3 s from then.
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': new Date(START + 5000).toUTCString() },
    });
    const result = await client().redeliver(ids, 'b');
    expect(result.created).toHaveLength(1);
    expect(bulkCalls()).toBe(3);
    expect(clock.waits).toEqual([2000, 3000]);
    expect(log.lines[0]).toMatch(/HTTP 429; attempt 1 of 3, retrying in 2.0 s \(Retry-After\)/);
    expect(log.lines[1]).toMatch(/HTTP 429; attempt 2 of 3, retrying in 3.0 s \(Retry-After\)/);
  });

  it('retries 429 twice, then succeeds', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', status: 429, times: 2 });
    expect((await client().redeliver(ids, 'b')).created).toHaveLength(2);
    expect(bulkCalls()).toBe(3);
    expect(world.sandbox.deliveries()).toHaveLength(4);
  });

  it('never repeats a 503: a gateway may have answered it after HINDSITE acted', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', status: 503, afterHandling: true });
    const error = await failure(client().redeliver(ids, 'b'));
    expect(bulkCalls()).toBe(1);
    expect(error.outcome).toBe('unknown');
    expect(error.message).toMatch(/HTTP 503 .*may have created redeliveries/);
    // The origin did act: two new rows, one call.
    expect(world.sandbox.deliveries()).toHaveLength(4);
  });

  it('gives up on 429 after exactly max-attempts calls', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', status: 429, times: Infinity });
    const error = await failure(client({ maxAttempts: 4 }).redeliver(ids, 'b'));
    expect(bulkCalls()).toBe(4);
    expect(error.outcome).toBe('refused');
    expect(error.message).toMatch(
      /HTTP 429 Too Many Requests.* after 4 attempts\..*nothing was redelivered/,
    );
  });

  it('refuses to wait more than 60 s and says when to come back', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', status: 429, headers: { 'retry-after': '3600' } });
    const error = await failure(client().redeliver(ids, 'b'));
    expect(bulkCalls()).toBe(1);
    expect(error.outcome).toBe('refused');
    expect(error.message).toMatch(
      /HTTP 429 .*Try again later\. The server asked to be called back at 2026-11-29T13:00:00\.000Z \(in 3600 s\)/,
    );
    expect(error.message).not.toMatch(/attempt/);
    expect(clock.waits).toEqual([]);
  });

  it.each([500, 502, 504])('does not repeat a %i: the outcome is unknown', async (status) => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', status, afterHandling: true });
    const error = await failure(client().redeliver(ids, 'b'));
    expect(error.outcome).toBe('unknown');
    expect(error.status).toBe(status);
    expect(bulkCalls()).toBe(1);
    expect(world.sandbox.deliveries()).toHaveLength(2);
  });

  it('does not repeat after a reset, a truncated 2xx or a 2xx that is not JSON', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', reset: true, afterHandling: true });
    expect((await failure(client().redeliver(ids, 'b'))).message).toMatch(
      /lost its connection.*outcome is unknown/,
    );
    world.sandbox.inject({ route: 'bulk', truncate: true });
    expect((await failure(client().redeliver(ids, 'b'))).outcome).toBe('unknown');
    world.sandbox.inject({ route: 'bulk', status: 201, body: 'Created', afterHandling: true });
    expect((await failure(client().redeliver(ids, 'b'))).message).toMatch(
      /HTTP 201 with a body that is not the documented JSON \(Created\)/,
    );
    expect(bulkCalls()).toBe(3);
    expect(clock.waits).toEqual([]);
  });

  it('stops a stalled call at the deadline and does not repeat it', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', delayMs: 10_000 });
    // Deadlines are real time, also on a virtual clock; here they are held, and the test lets
    // the bulk call's pass once the server has the call and is stalling it.
    const deadlines: { ms: number; pass: () => void; cancelled: boolean }[] = [];
    const held: Clock = {
      now: () => clock.now(),
      random: () => clock.random(),
      sleep: (ms, signal) => clock.sleep(ms, signal),
      deadline: (ms, onExpiry) => {
        const deadline = { ms, pass: onExpiry, cancelled: false };
        deadlines.push(deadline);
        return () => (deadline.cancelled = true);
      },
    };
    const call = failure(client({ timeoutMs: 300, clock: held }).redeliver(ids, 'b'));
    await until(() => bulkCalls() === 1);
    const pending = deadlines.filter((deadline) => !deadline.cancelled);
    expect(pending.map((deadline) => deadline.ms)).toEqual([300]);
    pending[0]?.pass();
    const error = await call;
    expect(error.outcome).toBe('unknown');
    expect(error.message).toMatch(/did not complete within 0.3 s\. The outcome is unknown/);
    expect(bulkCalls()).toBe(1);
  });

  it('does not repeat a 422', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({
      route: 'bulk',
      status: 422,
      body: '{"error":"delivery_ids is invalid"}',
    });
    const error = await failure(client().redeliver(ids, 'b'));
    expect(error.outcome).toBe('refused');
    expect(error.message).toMatch(/HTTP 422.*delivery_ids is invalid/);
    expect(bulkCalls()).toBe(1);
  });

  it('retries a refused connection (nothing was sent), then reports the batch as not sent', async () => {
    const port = await freePort();
    const error = await failure(
      client({
        apiUrl: new URL(`http://127.0.0.1:${port}`),
        credentials: { kind: 'access-token', accessToken: 't' },
      }).redeliver(['a'], 'b'),
    );
    expect(error.outcome).toBe('not-sent');
    expect(clock.waits).toEqual([500, 1000]);
    expect(error.message).toMatch(
      /could not connect \(ECONNREFUSED\) after 3 attempts\. Check api-url and that HINDSITE is reachable/,
    );
  });

  it('renews a token before it expires, by the clock, without a refused call', async () => {
    const ids = world.seed(3);
    const hindsite = client();
    await hindsite.redeliver([ids[0] as string], 'one');
    clock.advance(2 * 3600_000 - 90_000); // more than a minute before the 2-hour lifetime ends
    await hindsite.redeliver([ids[1] as string], 'two');
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
    clock.advance(60_000); // now within a minute of it
    await hindsite.redeliver([ids[2] as string], 'three');
    expect(world.sandbox.requestsTo('token')).toHaveLength(2);
    expect(tokens).toHaveLength(2);
    expect(bulkCalls()).toBe(3);
    expect(log.lines.some((line) => line.includes('401'))).toBe(false);
  });

  it('renews an expired token once and repeats the call once', async () => {
    const ids = world.seed(2);
    const hindsite = client();
    await hindsite.redeliver([ids[0] as string], 'one');
    world.sandbox.expireTokens();
    await hindsite.redeliver([ids[1] as string], 'two');
    expect(world.sandbox.requestsTo('token')).toHaveLength(2);
    expect(bulkCalls()).toBe(3);
    expect(tokens).toHaveLength(2);
    expect(
      log.lines.some((line) => /HTTP 401, the token was refused; obtaining a new one/.test(line)),
    ).toBe(true);
  });

  it('fails on 401 with access-token: there is nothing to renew', async () => {
    const error = await failure(
      client({ credentials: { kind: 'access-token', accessToken: 'stale' } }).redeliver(['a'], 'b'),
    );
    expect(error.status).toBe(401);
    expect(error.outcome).toBe('refused');
    expect(error.message).toMatch(/access-token was refused .* nothing to renew it with/);
    expect(world.sandbox.requestsTo('token')).toHaveLength(0);
  });

  it('fails when even a new token is refused', async () => {
    world.sandbox.inject({ route: 'bulk', status: 401, times: 2 });
    const error = await failure(client().redeliver(['a'], 'b'));
    expect(error.message).toMatch(/even with a newly issued token/);
    expect(error.outcome).toBe('refused');
    expect(bulkCalls()).toBe(2);
  });

  it('says the credentials are not an admin on 403', async () => {
    const error = await failure(
      client({ credentials: { kind: 'client-credentials', ...VIEWER } }).redeliver(['a'], 'b'),
    );
    expect(error.status).toBe(403);
    expect(error.outcome).toBe('refused');
    expect(error.message).toMatch(/not an admin of the HINDSITE organisation/);
  });
});

describe('parseListReply', () => {
  it('reads the documented response fields, and common other spellings of them', () => {
    const rows = parseListReply({
      webhook_deliveries: [
        { id: 'a', response: { code: 500, error: null } },
        { id: 'b', response: { status_code: 502, error_message: 'Bad Gateway' } },
        { id: 'c', response: null },
      ],
      meta: {},
    });
    expect(rows?.map((row) => row.response)).toEqual([
      { code: 500, error: null },
      { code: 502, error: 'Bad Gateway' },
      null,
    ]);
    expect(parseListReply({ webhook_deliveries: [{ no_id: true }] })).toBeUndefined();
    expect(parseListReply({ meta: {} })).toBeUndefined();
  });
});

describe('serverText', () => {
  it('prefers the OAuth/JSON error fields, else strips markup, and keeps it short', () => {
    expect(serverText('{"error":"invalid_client","error_description":"nope"}')).toBe(
      'invalid_client: nope',
    );
    expect(serverText('{"errors":["a","b"]}')).toBe('["a","b"]');
    expect(serverText('<html><style>x{}</style><h1>Oops</h1>\n<p>down</p></html>')).toBe(
      'Oops down',
    );
    expect(serverText('x'.repeat(300))).toHaveLength(201);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
