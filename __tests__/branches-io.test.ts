/**
 * The edges of what the action reads and connects to: files that are not files (a FIFO, a socket),
 * a last line that is not UTF-8; which connections are pooled (never through a proxy); what a
 * failure without an error code means; and an attempt stopped for two reasons at once.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionPool, send, TransportError, transportError } from '../src/hindsite/http.js';
import { IdsFileError, readIdsFile } from '../src/settings/ids-file.js';
import { caught } from './support/caught.js';
import { VirtualClock } from './support/virtual-clock.js';
import { useWorld, type World } from './support/world.js';

const scratch = mkdtempSync(join(tmpdir(), 'branches-io-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readIdsFile on what is not a regular file', () => {
  const refusedAs = (path: string): string => caught(IdsFileError, () => readIdsFile(path)).message;

  it('refuses a FIFO without opening it (which would wait for a writer)', () => {
    const fifo = join(scratch, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(refusedAs(fifo)).toBe(
      `must be a regular file of at most 64 MiB; got a FIFO (named pipe): ${fifo}`,
    );
  });

  it('refuses a Unix socket', async () => {
    const path = join(scratch, 'ids.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(refusedAs(path)).toBe(
        `must be a regular file of at most 64 MiB; got a socket: ${path}`,
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('names the last line when it is the one that is not UTF-8 and has no newline', () => {
    const path = join(scratch, 'no-final-newline');
    writeFileSync(path, Buffer.from('dlv_1\ndlv_2\ndlv_\xff', 'latin1'));
    expect(refusedAs(path)).toBe(`must be UTF-8 text; line 3 is not: ${path}`);
  });
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
