/**
 * The bundled action, run as a runner runs it, against a hostile network on loopback: a TLS server
 * that breaks the connection after the server acted, a proxy that never answers CONNECT, something
 * that keeps the event loop alive, and an IPv6 loopback api-url.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join, resolve } from 'node:path';
import { runBundledAction } from '../scripts/step.js';
import { CA_FILE, IPV6_LOOPBACK, startSilentProxy, startTlsBreaker } from './support/hostile.js';
import {
  errorLines,
  expectAccounted,
  expectNoSecretLeaks,
  json,
  runBundle,
} from './support/runner.js';
import { ADMIN, startWorld, type World } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.sandbox.close();
});

describe('the bundled action on a hostile network', () => {
  it('calls a batch outcome unknown when a TLS error ends the connection after HINDSITE read it', async () => {
    const ids = world.seed(2);
    const breaker = await startTlsBreaker(
      Number(new URL(world.sandbox.url).port),
      /^POST \/api\/v2\/webhook_deliveries\/redeliveries /,
    );
    try {
      const run = await runBundledAction(
        {
          ...world.inputs,
          'api-url': `https://localhost:${breaker.port}`,
          'delivery-ids': ids.join(),
        },
        { env: { NODE_EXTRA_CA_CERTS: CA_FILE }, timeoutMs: 20_000 },
      );
      expect(run.code).toBe(1);
      // Token and bulk call on one pooled connection: the break comes on a reused, established one.
      expect(breaker.accepted()).toBe(1);
      // HINDSITE acted once, and the batch is not offered for sending again.
      expect(world.bulkCalls().map((call) => call.ids)).toEqual([ids]);
      expect(json(run.outputs['unsent-ids'])).toEqual([]);
      expect(json(run.outputs['failed-ids'])).toEqual(ids);
      expect(errorLines(run)).toEqual([
        expect.stringMatching(
          /lost its connection \(ERR_SSL_[A-Z_]+\)\. The outcome is unknown: HINDSITE may have created redeliveries for this batch/,
        ),
      ]);
      expectAccounted(run, ids, []);
      expectNoSecretLeaks(run, [ADMIN.clientSecret]);
    } finally {
      await breaker.close();
    }
  });

  it('gives up on a proxy that never answers CONNECT at timeout-seconds, sending nothing', async () => {
    const ids = world.seed(2);
    const proxy = await startSilentProxy();
    try {
      const run = await runBundledAction(
        {
          ...world.inputs,
          // Not loopback, which would bypass the proxy; never resolved, since the proxy would.
          'api-url': 'https://hindsite.example.test',
          'delivery-ids': ids.join(),
          'timeout-seconds': '1',
          'max-attempts': '1',
        },
        { env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` }, timeoutMs: 10_000 },
      );
      expect(run.code).toBe(1);
      // One second of deadline, plus starting and ending the process.
      expect(run.durationMs).toBeLessThan(3000);
      expect(proxy.accepted()).toBe(1);
      expect(errorLines(run)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^::error::Token exchange failed: POST /oauth/token could not connect through the proxy http://127\\.0\\.0\\.1:${proxy.port} within 1 s\\.`,
          ),
        ),
      ]);
      expect(json(run.outputs['unsent-ids'])).toEqual(ids);
      expect(world.sandbox.requests).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('exits once its work is done even when something holds the event loop, with its exit code', async () => {
    const holder = join(resolve(import.meta.dirname), 'fixtures', 'hold-event-loop.mjs');
    const run = await runBundledAction(
      { ...world.inputs, 'api-url': 'http://hindsite.example.test', 'delivery-ids': 'dlv_1' },
      { env: { NODE_OPTIONS: `--import=${holder}` }, timeoutMs: 10_000 },
    );
    expect(run.code).toBe(1);
    expect(run.durationMs).toBeLessThan(3000);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::Input api-url must use https:\/\//),
    ]);
    expect(run.outputs['unsent-ids']).toBeDefined();
  });

  (IPV6_LOOPBACK ? it : it.skip)(
    `redelivers through api-url http://[::1]:PORT${IPV6_LOOPBACK ? '' : ' (skipped: this machine has no ::1 interface)'}`,
    async () => {
      const v6 = await startWorld({ host: '::1' });
      try {
        const ids = v6.seed(2);
        const run = await runBundle({ ...v6.inputs, 'delivery-ids': ids.join() });
        expect(run.code).toBe(0);
        expect(run.outputs['created-count']).toBe('2');
        expect(v6.bulkCalls().map((call) => call.ids)).toEqual([ids]);
      } finally {
        await v6.sandbox.close();
      }
    },
  );
});
