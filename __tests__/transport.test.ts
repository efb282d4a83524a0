/**
 * One HTTP attempt against servers and proxies that misbehave: what each failure means (was any
 * byte of the request written?), that a deadline or an abandon settles the attempt whatever it is
 * doing and ends what it holds, and that an IPv6 loopback api-url connects; which connections are
 * pooled (never through a proxy), and an attempt stopped for two reasons at once. In process, real
 * time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import dns from 'node:dns';
import { Agent as HttpsAgent } from 'node:https';
import { createServer, type Server } from 'node:net';
import { realDeadline } from '../src/model/clock.js';
import {
  ConnectionPool,
  MAX_BODY_BYTES,
  send,
  TransportError,
  transportError,
  type AttemptState,
  type HttpRequest,
} from '../src/hindsite/http.js';
import {
  CA,
  eventually,
  IPV6_LOOPBACK,
  startSilentProxy,
  startTlsBreaker,
} from './support/hostile.js';
import { json, runInProcess } from './support/runner.js';
import { VirtualClock } from './support/virtual-clock.js';
import { ADMIN, startWorld, useWorld, type World } from './support/world.js';

const clock = { deadline: realDeadline };

/**
 * The TransportError an attempt ends with; fails the test if it settles otherwise or hangs. The
 * bound only tells a hang from an end: each attempt here ends in well under a second.
 */
async function failureOf(attempt: Promise<unknown>, withinMs = 10_000): Promise<TransportError> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((done) => {
    timer = setTimeout(() => done(`still pending after ${withinMs} ms`), withinMs);
  });
  try {
    const outcome = await Promise.race([
      attempt.then(
        () => 'succeeded',
        (error: unknown) => error,
      ),
      hung,
    ]);
    if (outcome instanceof TransportError) return outcome;
    throw new Error(`expected a TransportError, got: ${String(outcome)}`);
  } finally {
    clearTimeout(timer);
  }
}

describe('what a failed attempt means', () => {
  const request = {
    method: 'POST',
    url: new URL('https://hindsite.example.test/api/v2/webhook_deliveries/redeliveries'),
    timeoutMs: 2000,
  } as const;
  const error = (code: string, message = code): Error =>
    Object.assign(new Error(message), { code });
  const connected: AttemptState = { established: true };
  const connecting: AttemptState = { established: false };

  it.each([
    [
      'refused',
      error('ECONNREFUSED'),
      connecting,
      'not-connected',
      /could not connect \(ECONNREFUSED\)/,
    ],
    [
      'no such host',
      error('ENOTFOUND'),
      connecting,
      'not-connected',
      /could not connect \(ENOTFOUND\)/,
    ],
    [
      'reset during the handshake',
      error('ECONNRESET'),
      connecting,
      'not-connected',
      /could not connect/,
    ],
    [
      'untrusted certificate',
      error('DEPTH_ZERO_SELF_SIGNED_CERT'),
      connecting,
      'tls-handshake',
      /could not connect securely: the TLS handshake failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    ],
    [
      'bad TLS record before the handshake',
      error('ERR_SSL_WRONG_VERSION_NUMBER'),
      connecting,
      'tls-handshake',
      /TLS handshake failed/,
    ],
    [
      'bad TLS record after the handshake',
      error('ERR_SSL_WRONG_VERSION_NUMBER'),
      connected,
      'connection-lost',
      /lost its connection \(ERR_SSL_WRONG_VERSION_NUMBER\)/,
    ],
    [
      'reset after connecting',
      error('ECONNRESET'),
      connected,
      'connection-lost',
      /lost its connection \(ECONNRESET\)/,
    ],
    [
      'a proxy refusing the tunnel',
      error('ECONNRESET', 'tunneling socket could not be established, statusCode=407'),
      connecting,
      'not-connected',
      /could not connect \(tunneling socket could not be established, statusCode=407\)/,
    ],
    [
      'a reply over the limit',
      error('EBODYTOOLARGE'),
      connected,
      'connection-lost',
      /got a reply larger than 16 MiB/,
    ],
  ] as const)('%s', (_, cause, state, failure, message) => {
    const result = transportError(cause, state, { request });
    expect(result.failure).toBe(failure);
    expect(result.message).toMatch(message);
    expect(result.message).toMatch(/^POST \/api\/v2\/webhook_deliveries\/redeliveries /);
  });

  it.each([
    [{ established: true, stopped: 'deadline' }, 'timeout', 'did not complete within 2 s'],
    [{ established: false, stopped: 'deadline' }, 'not-connected', 'could not connect within 2 s'],
    [
      { established: true, stopped: 'abandoned' },
      'connection-lost',
      'was abandoned after it was sent',
    ],
    [
      { established: false, stopped: 'abandoned' },
      'not-connected',
      'was abandoned before it was sent',
    ],
  ] as const)('stopped %j: %s', (state, failure, message) => {
    // Whatever error the stopped request surfaced, how it was stopped decides.
    const result = transportError(error('ABORT_ERR'), state, { request });
    expect(result.failure).toBe(failure);
    expect(result.message).toBe(`POST /api/v2/webhook_deliveries/redeliveries ${message}`);
  });

  it('names the proxy when the tunnel was not made', () => {
    const state: AttemptState = { established: false, stopped: 'deadline' };
    const result = transportError(undefined, state, {
      request,
      proxy: 'http://proxy.internal:3128',
    });
    expect(result.message).toMatch(
      /could not connect through the proxy http:\/\/proxy\.internal:3128 within 2 s$/,
    );
  });
});

describe('send() against servers that misbehave', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.sandbox.close();
  });

  const bulk = (url: string, ids: string[], overrides: Partial<HttpRequest> = {}): HttpRequest => ({
    method: 'POST',
    url: new URL(`${url}/api/v2/webhook_deliveries/redeliveries`),
    headers: {
      authorization: `Bearer ${world.sandbox.issueToken(ADMIN.clientId)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ delivery_ids: ids }),
    timeoutMs: 2000,
    ...overrides,
  });

  it('a TLS error after the server read the request is a lost connection, not "never sent"', async () => {
    const ids = world.seed(2);
    const breaker = await startTlsBreaker(
      Number(new URL(world.sandbox.url).port),
      /^POST \/api\/v2\/webhook_deliveries\/redeliveries /,
    );
    const agent = new HttpsAgent({ ca: CA });
    try {
      const error = await failureOf(
        send(bulk(`https://localhost:${breaker.port}`, ids), clock, { agentFor: () => agent }),
      );
      expect(error.failure).toBe('connection-lost');
      expect(error.message).toMatch(/lost its connection \(ERR_SSL_/);
      // It did act: the batch must not be called unsent.
      expect(world.bulkCalls()).toEqual([{ at: expect.any(Number), ids }]);
    } finally {
      agent.destroy();
      await breaker.close();
    }
  });

  it('a TLS connection reset before its handshake completed sent nothing', async () => {
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    try {
      const error = await failureOf(send(bulk(`https://localhost:${port}`, ['a']), clock));
      expect(error.failure).toBe('not-connected');
      expect(error.message).toMatch(/could not connect \(ECONNRESET\)/);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('a connection not made before the deadline sent nothing (slow DNS)', async () => {
    const original = dns.lookup;
    dns.lookup = ((...args: Parameters<typeof dns.lookup>) => {
      setTimeout(() => (original as (...a: unknown[]) => void)(...args), 500);
    }) as typeof dns.lookup;
    try {
      const url = world.sandbox.url.replace('127.0.0.1', 'localhost');
      const error = await failureOf(send(bulk(url, ['a'], { timeoutMs: 150 }), clock));
      expect(error.failure).toBe('not-connected');
      expect(error.message).toMatch(/could not connect within 0\.15 s$/);
    } finally {
      dns.lookup = original;
    }
    expect(world.bulkCalls()).toEqual([]);
  });

  it('an abandon after the server read the request is a lost connection, not a timeout', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', delayMs: Infinity });
    const caller = new AbortController();
    const attempt = send(bulk(world.sandbox.url, ids, { signal: caller.signal }), clock);
    expect(await eventually(() => world.sandbox.requestsTo('bulk').length === 1)).toBe(true);
    caller.abort();
    const error = await failureOf(attempt);
    expect(error.failure).toBe('connection-lost');
    expect(error.message).toMatch(/was abandoned after it was sent$/);
  });

  it('reads at most MAX_BODY_BYTES of a reply, and says so', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n');
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk));
        };
        socket.on('drain', pump);
        pump();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    try {
      const error = await failureOf(send(bulk(`http://127.0.0.1:${port}`, ['a']), clock));
      expect(error.failure).toBe('connection-lost');
      expect(error.message).toMatch(`got a reply larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
      expect(MAX_BODY_BYTES).toBeLessThanOrEqual(16 * 1024 * 1024);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('the deadline covers reading a reply that trickles', async () => {
    let dripped = 0;
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
        const drip = setInterval(
          () => (socket.destroyed ? clearInterval(drip) : socket.write('x', () => dripped++)),
          20,
        );
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    try {
      const error = await failureOf(
        send(bulk(`http://127.0.0.1:${port}`, ['a'], { timeoutMs: 200 }), clock),
      );
      expect(error.failure).toBe('timeout');
      // It ended at the deadline, while the body (20 s at this pace) was still coming.
      expect(dripped).toBeGreaterThan(0);
      expect(dripped).toBeLessThan(1000);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('send() through a proxy that never answers CONNECT', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ['https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'])
      delete process.env[name];
  });
  afterEach(() => {
    delete process.env['HTTPS_PROXY'];
    Object.assign(process.env, saved);
  });

  const token = (signal?: AbortSignal): HttpRequest => ({
    method: 'POST',
    url: new URL('https://hindsite.example.test/oauth/token'),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
    timeoutMs: 200,
    signal,
  });

  it('settles at the deadline, says it could not connect, and lets go of the proxy', async () => {
    const proxy = await startSilentProxy();
    process.env['HTTPS_PROXY'] = `http://user:pa55@127.0.0.1:${proxy.port}`;
    try {
      // Only the deadline can end it: the proxy never answers.
      const error = await failureOf(send(token(), clock));
      expect(error.failure).toBe('not-connected');
      expect(error.message).toBe(
        `POST /oauth/token could not connect through the proxy http://127.0.0.1:${proxy.port} within 0.2 s`,
      );
      expect(proxy.accepted()).toBe(1);
      expect(await eventually(() => proxy.open() === 0)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('settles at once when abandoned while the tunnel is being made: nothing was sent', async () => {
    const proxy = await startSilentProxy();
    process.env['HTTPS_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    const caller = new AbortController();
    try {
      const attempt = send({ ...token(caller.signal), timeoutMs: 5000 }, clock);
      expect(await eventually(() => proxy.accepted() === 1)).toBe(true);
      caller.abort();
      const error = await failureOf(attempt);
      expect(error.failure).toBe('not-connected');
      // Abandoned, not stopped at its 5 s deadline: it settled at once.
      expect(error.message).toBe('POST /oauth/token was abandoned before it was sent');
      expect(await eventually(() => proxy.open() === 0)).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe('IPv6 loopback', () => {
  const itWithIpv6 = IPV6_LOOPBACK ? it : it.skip;
  itWithIpv6(
    `redelivers through api-url http://[::1]:PORT${IPV6_LOOPBACK ? '' : ' (skipped: this machine has no ::1 interface)'}`,
    async () => {
      const world = await startWorld({ host: '::1' });
      try {
        expect(world.sandbox.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
        const ids = world.seed(2);
        const run = await runInProcess(
          { ...world.inputs, 'delivery-ids': ids.join() },
          world.clock,
        );
        expect(run.code).toBe(0);
        expect(run.outputs['created-count']).toBe('2');
        expect(json(run.outputs['unsent-ids'])).toEqual([]);
        expect(world.bulkCalls().map((call) => call.ids)).toEqual([ids]);
      } finally {
        await world.sandbox.close();
      }
    },
  );
});

describe('ConnectionPool', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      delete process.env[name];
    }
    Object.assign(process.env, saved);
  });

  it('pools https connections in an https agent of their own, kept from call to call', () => {
    const pool = new ConnectionPool(new VirtualClock());
    try {
      const https = pool.agentFor(new URL('https://hindsite.example.test/oauth/token'));
      expect(https).toBeInstanceOf(HttpsAgent);
      expect(pool.agentFor(new URL('https://hindsite.example.test/api/v2/x'))).toBe(https);
      expect(pool.agentFor(new URL('http://127.0.0.1:8080/oauth/token'))).not.toBe(https);
    } finally {
      pool.close();
    }
  });

  it('pools nothing through a proxy: the proxy client brings its own agent', () => {
    for (const name of ['NO_PROXY', 'no_proxy', 'https_proxy']) delete process.env[name];
    process.env['HTTPS_PROXY'] = 'http://proxy.internal:3128';
    const pool = new ConnectionPool(new VirtualClock());
    try {
      expect(pool.agentFor(new URL('https://hindsite.example.test/oauth/token'))).toBeUndefined();
    } finally {
      pool.close();
    }
  });
});

describe('transportError of an error without a code', () => {
  const url = new URL('https://hindsite.example.test/oauth/token');
  const request = { method: 'POST', url, timeoutMs: 5000 } as const;

  it.each([
    [
      'a lost connection, by its message',
      new Error('socket hang up'),
      true,
      'connection-lost',
      'POST /oauth/token lost its connection (socket hang up)',
    ],
    [
      'no connection, by its message',
      new Error('getaddrinfo failed'),
      false,
      'not-connected',
      'POST /oauth/token could not connect (getaddrinfo failed)',
    ],
    [
      'a code without a message',
      { code: 'ECONNREFUSED' },
      false,
      'not-connected',
      'POST /oauth/token could not connect (ECONNREFUSED)',
    ],
  ] as const)('describes %s', (_, error, established, failure, message) => {
    const result = transportError(error, { established }, { request });
    expect(result.failure).toBe(failure);
    expect(result.message).toBe(message);
  });

  it('counts nothing thrown at all, before connecting, as not connected', () => {
    expect(transportError(undefined, { established: false }, { request }).failure).toBe(
      'not-connected',
    );
  });
});

describe('send() stopped for two reasons at once', () => {
  let world: World;
  useWorld((started) => (world = started));
  let expire: () => void = () => undefined;
  const clock = {
    deadline: (_ms: number, onExpiry: () => void) => {
      expire = onExpiry;
      return () => undefined;
    },
  };
  beforeEach(() => {
    expire = () => undefined;
  });

  it('fails for the first reason: abandoned, then the deadline passing changes nothing', async () => {
    const abandon = new AbortController();
    world.sandbox.inject({
      route: 'token',
      when: () => {
        // The request has reached the server: the connection is established.
        abandon.abort();
        expire();
        return false;
      },
    });
    const attempt = send(
      {
        method: 'POST',
        url: new URL(`${world.sandbox.url}/oauth/token`),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        timeoutMs: 5000,
        signal: abandon.signal,
      },
      clock,
    );
    const error = await attempt.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({
      failure: 'connection-lost',
      message: 'POST /oauth/token was abandoned after it was sent',
    });
  });
});
