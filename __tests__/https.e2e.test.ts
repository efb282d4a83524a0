import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { HindsiteSandbox } from '../sandbox/index.js';
import { runBundledAction } from '../scripts/step.js';
import { startConnectProxy } from './support/hostile.js';
import { errorLines, expectNoSecretLeaks, json } from './support/runner.js';
import { ADMIN, worldOn, type World } from './support/world.js';

const FIXTURES = join(resolve(import.meta.dirname), 'fixtures');
const CA = join(FIXTURES, 'localhost-cert.pem');

let world: World;
let server: Server;

/** The sandbox's handler on an https server: the action talks https://localhost, as to the real API. */
beforeEach(async () => {
  const sandbox = HindsiteSandbox.create();
  server = createServer(
    { key: readFileSync(join(FIXTURES, 'localhost-key.pem')), cert: readFileSync(CA) },
    sandbox.handler,
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  world = worldOn(sandbox, `https://localhost:${(server.address() as AddressInfo).port}`);
});
afterEach(async () => {
  await world.sandbox.close();
  await new Promise((done) => server.close(done));
});

describe('the bundled action over https', () => {
  it('redelivers through TLS when the certificate is trusted', async () => {
    const ids = world.seed(2);
    const run = await runBundledAction(
      { ...world.inputs, 'delivery-ids': ids.join() },
      { env: { NODE_EXTRA_CA_CERTS: CA }, timeoutMs: 20_000 },
    );
    expect(run.code).toBe(0);
    expect(run.outputs['created-count']).toBe('2');
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
  });

  it('refuses an untrusted certificate at once, sending nothing, with a clear message', async () => {
    const ids = world.seed(2);
    const run = await runBundledAction(
      { ...world.inputs, 'delivery-ids': ids.join() },
      { timeoutMs: 20_000 },
    );
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Token exchange failed: POST \/oauth\/token could not connect securely: the TLS handshake failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      ),
    ]);
    expect(run.stdout).not.toMatch(/retrying in/);
    expect(world.sandbox.requests).toHaveLength(0);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectNoSecretLeaks(run, [ADMIN.clientSecret]);
  });

  it('redelivers through an HTTPS_PROXY tunnel, checking the certificate inside it', async () => {
    const ids = world.seed(2);
    const proxy = await startConnectProxy();
    const port = (server.address() as AddressInfo).port;
    let stepDir: string | undefined;
    try {
      const run = await runBundledAction(
        {
          ...world.inputs,
          // "localhost." is not loopback to the proxy rules, so it goes through the proxy; the
          // certificate's "localhost" still matches it.
          'api-url': `https://localhost.:${port}`,
          'delivery-ids': ids.join(),
        },
        {
          env: { NODE_EXTRA_CA_CERTS: CA, HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` },
          timeoutMs: 20_000,
        },
      );
      stepDir = dirname(run.runnerTemp);
      expect(run.code).toBe(0);
      expect(run.outputs['created-count']).toBe('2');
      // The token exchange and the bulk call (at least), each through a tunnel of its own.
      expect(world.sandbox.requests.length).toBeGreaterThanOrEqual(2);
      expect(proxy.tunnels()).toEqual(
        world.sandbox.requests.map(() => ({ target: `localhost.:${port}` })),
      );
      expect(world.bulkCalls().map((call) => call.ids)).toEqual([ids]);
    } finally {
      await proxy.close();
      if (stepDir) rmSync(stepDir, { recursive: true, force: true });
    }
  });
});
