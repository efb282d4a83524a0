/**
 * One attempt through a CONNECT proxy on loopback, as the runner's HTTPS_PROXY / HTTP_PROXY make
 * it go: the tunnel it asks for and the credentials it shows, which proxy settings it follows
 * (@actions/http-client's rules), and, for every way the tunnel can fail or break, whether any byte
 * of the request can have been written. In process, real time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { realDeadline } from '../src/model/clock.js';
import { send, TransportError, type HttpRequest } from '../src/hindsite/http.js';
import { CA_FILE, eventually, startConnectProxy, type ConnectProxy } from './support/hostile.js';
import { ADMIN, startWorld, type World } from './support/world.js';

const clock = { deadline: realDeadline };
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];
const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY'];

let world: World;
let proxy: ConnectProxy | undefined;
const saved = { ...process.env };
beforeEach(async () => {
  for (const name of [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES]) delete process.env[name];
  world = await startWorld();
});
afterEach(async () => {
  for (const name of [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES]) delete process.env[name];
  Object.assign(process.env, saved);
  await proxy?.close();
  proxy = undefined;
  await world.sandbox.close();
});

const sandboxPort = (): number => Number(new URL(world.sandbox.url).port);

/** A bulk call to `origin` (a name that is not loopback, so that it goes through the proxy). */
const bulk = (
  origin: string,
  ids: string[],
  overrides: Partial<HttpRequest> = {},
): HttpRequest => ({
  method: 'POST',
  url: new URL(`${origin}/api/v2/webhook_deliveries/redeliveries`),
  headers: {
    authorization: `Bearer ${world.sandbox.issueToken(ADMIN.clientId)}`,
    'content-type': 'application/json',
  },
  body: JSON.stringify({ delivery_ids: ids }),
  timeoutMs: 2000,
  ...overrides,
});

async function failureOf(attempt: Promise<unknown>): Promise<TransportError> {
  const outcome = await attempt.then(
    () => new Error('expected the attempt to fail'),
    (error: unknown) => error,
  );
  if (outcome instanceof TransportError) return outcome;
  throw outcome;
}

describe('send() through a CONNECT proxy', () => {
  it('asks the proxy for a tunnel to the host and port, with its credentials, and sends through it', async () => {
    proxy = await startConnectProxy();
    // Percent-encoded in the variable, decoded in the header, as @actions/http-client does.
    process.env['HTTP_PROXY'] = `http://ci%40corp:pa%3As5@127.0.0.1:${proxy.port}`;
    const ids = world.seed(2);
    const reply = await send(bulk(`http://hindsite.example.test:${sandboxPort()}`, ids), clock);
    expect(reply.status).toBe(201);
    expect(world.bulkCalls().map((call) => call.ids)).toEqual([ids]);
    expect(proxy.tunnels()).toEqual([
      {
        target: `hindsite.example.test:${sandboxPort()}`,
        authorization: `Basic ${Buffer.from('ci@corp:pa:s5').toString('base64')}`,
      },
    ]);
    const [arrived] = world.sandbox.requestsTo('bulk');
    expect(arrived?.headers['host']).toBe(`hindsite.example.test:${sandboxPort()}`);
    expect(arrived?.headers['user-agent']).toBe('hindsite-redeliver-action');
    // Nothing is pooled through a proxy: the tunnel ends with its one exchange.
    expect(await eventually(() => proxy?.open() === 0)).toBe(true);
  });

  it('goes direct to a host in NO_PROXY, and to loopback, whatever HTTP_PROXY says', async () => {
    proxy = await startConnectProxy();
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    process.env['NO_PROXY'] = 'example.test';
    const original = dns.lookup;
    // The name resolves to the sandbox, for this test only.
    dns.lookup = ((_host: string, options: unknown, callback?: unknown) => {
      const done = (typeof options === 'function' ? options : callback) as (
        ...args: unknown[]
      ) => void;
      const all = typeof options === 'object' && (options as { all?: boolean }).all;
      if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
      else done(null, '127.0.0.1', 4);
    }) as typeof dns.lookup;
    try {
      const named = await send(bulk(`http://hindsite.example.test:${sandboxPort()}`, []), clock);
      expect(named.status).toBe(422);
    } finally {
      dns.lookup = original;
    }
    const loopback = await send(bulk(world.sandbox.url, []), clock);
    expect(loopback.status).toBe(422);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(2);
    expect(proxy.accepted()).toBe(0);
  });

  it('a connection lost after the tunnel opened may have been sent', async () => {
    proxy = await startConnectProxy();
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    world.sandbox.inject({ route: 'bulk', reset: true });
    const error = await failureOf(
      send(bulk(`http://hindsite.example.test:${sandboxPort()}`, world.seed(1)), clock),
    );
    expect(error.failure).toBe('connection-lost');
    expect(error.message).toMatch(/lost its connection \((ECONNRESET|socket hang up)\)$/);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(1);
  });

  it('a deadline after the tunnel opened is a timeout: the server may have acted', async () => {
    proxy = await startConnectProxy();
    process.env['HTTP_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    world.sandbox.inject({ route: 'bulk', delayMs: Infinity });
    const error = await failureOf(
      send(
        bulk(`http://hindsite.example.test:${sandboxPort()}`, world.seed(1), { timeoutMs: 300 }),
        clock,
      ),
    );
    expect(error.failure).toBe('timeout');
    expect(error.message).toBe(
      'POST /api/v2/webhook_deliveries/redeliveries did not complete within 0.3 s',
    );
    expect(await eventually(() => proxy?.open() === 0)).toBe(true);
  });
});

describe('send() through a proxy that does not open the tunnel: nothing was sent', () => {
  const through = (port: number): RegExp =>
    new RegExp(
      `^POST /api/v2/webhook_deliveries/redeliveries could not connect through the proxy http://127\\.0\\.0\\.1:${port} \\(tunneling socket could not be established, `,
    );

  it.each([
    [
      'refuses it (407)',
      'HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n',
      'statusCode=407)',
    ],
    [
      'sends data before it is open',
      'HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200 OK\r\n\r\n',
      'the proxy sent data before the tunnel was open)',
    ],
    ['hangs up', '', 'cause=socket hang up)'],
  ])('a proxy that %s', async (_, answer, detail) => {
    proxy = await startConnectProxy(answer);
    process.env['HTTPS_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    const error = await failureOf(send(bulk('https://hindsite.example.test', ['a']), clock));
    expect(error.failure).toBe('not-connected');
    expect(error.message).toMatch(through(proxy.port));
    expect(error.message.endsWith(detail)).toBe(true);
    expect(proxy.tunnels()).toEqual([{ target: 'hindsite.example.test:443' }]);
  });

  it('a proxy that is not there', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise((done) => closed.close(done));
    process.env['HTTPS_PROXY'] = `127.0.0.1:${port}`;
    const error = await failureOf(send(bulk('https://hindsite.example.test', ['a']), clock));
    expect(error.failure).toBe('not-connected');
    expect(error.message).toMatch(through(port));
    expect(error.message).toMatch(/cause=connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  });

  it('an https proxy whose own certificate is not trusted', async () => {
    const key = readFileSync(CA_FILE.replace('cert', 'key'));
    const tlsProxy = createHttpsServer({ key, cert: readFileSync(CA_FILE) });
    await new Promise<void>((done) => tlsProxy.listen(0, '127.0.0.1', done));
    const { port } = tlsProxy.address() as AddressInfo;
    process.env['HTTPS_PROXY'] = `https://127.0.0.1:${port}`;
    try {
      const error = await failureOf(send(bulk('https://hindsite.example.test', ['a']), clock));
      expect(error.failure).toBe('not-connected');
      expect(error.message).toMatch(
        /could not connect through the proxy https:\/\/127\.0\.0\.1:\d+ \(tunneling socket could not be established, cause=self[- ]signed certificate\)$/,
      );
    } finally {
      tlsProxy.closeAllConnections();
      await new Promise((done) => tlsProxy.close(done));
    }
  });
});

describe('send() to https through a proxy tunnel', () => {
  let server: HttpsServer;
  beforeEach(async () => {
    const key = readFileSync(CA_FILE.replace('cert', 'key'));
    server = createHttpsServer({ key, cert: readFileSync(CA_FILE) }, world.sandbox.handler);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('checks the server certificate inside the tunnel: untrusted, it fails the handshake and sends nothing', async () => {
    proxy = await startConnectProxy();
    process.env['HTTPS_PROXY'] = `http://127.0.0.1:${proxy.port}`;
    const { port } = server.address() as AddressInfo;
    const error = await failureOf(
      send(bulk(`https://hindsite.example.test:${port}`, world.seed(1)), clock),
    );
    expect(error.failure).toBe('tls-handshake');
    expect(error.message).toMatch(
      /could not connect securely through the proxy http:\/\/127\.0\.0\.1:\d+: the TLS handshake failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/,
    );
    expect(proxy.tunnels()).toEqual([{ target: `hindsite.example.test:${port}` }]);
    expect(world.sandbox.requests).toHaveLength(0);
  });
});
