/**
 * The bundle itself, spawned as a runner spawns it, where the bundle is what is under test: that it
 * starts, masks before it prints, exits with the right code and promptly (no connection or timer
 * holding the process), and prints no stack for an expected failure. Every other scenario runs in
 * process on virtual time.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUNDLE } from '../scripts/step.js';
import { PROXIED_CA_FILE, PROXIED_HOST, startTunnelProxy } from './support/proxy.js';
import {
  errorLines,
  expectAccounted,
  expectAllOutputsSet,
  expectNoSecretLeaks,
  json,
  runBundle,
} from './support/runner.js';
import { ADMIN, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

describe('the bundled action', () => {
  it('masks first, redelivers, sets every output, and exits 0 at once', async () => {
    const ids = world.seed(3);
    const run = await runBundle({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    // Ends with its work: no pooled connection waits for the server's 5 s keep-alive timeout.
    expect(run.durationMs).toBeLessThan(3000);
    expect(run.stdout.indexOf(`::add-mask::${ADMIN.clientSecret}`)).toBe(0);
    const issued = (
      world.sandbox.requestsTo('bulk')[0]?.headers['authorization'] as string
    ).replace('Bearer ', '');
    expect(run.stdout).toContain(`::add-mask::${issued}`);
    expectNoSecretLeaks(run, [ADMIN.clientSecret, issued]);
    expectAllOutputsSet(run);
    expectAccounted(run, ids, ids);
    expect(run.outputs['created-count']).toBe('3');
    expect(run.summary).toContain('| Redeliveries created | 3 |');
    // A path on the runner means nothing after the job: the summary says how to keep the file.
    expect(run.summary).toMatch(
      /report file \(the `report-file` output\); .*actions\/upload-artifact/,
    );
  });

  it('fails an input error with exit 1, one ::error:: line, no stack and no request', async () => {
    const run = await runBundle({ ...world.inputs, 'delivery-ids': 'dlv_1', 'batch-size': '0' });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::Input batch-size must be an integer from 1 to 1000/),
    ]);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    for (const route of ['token', 'list', 'bulk'] as const) {
      expect(world.sandbox.requestsTo(route)).toHaveLength(0);
    }
    expectAllOutputsSet(run);
  });

  it('fails a bulk call that failed mid-run with exit 1 and every ID accounted for', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 500, skip: 1 });
    const run = await runBundle({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '1',
      concurrency: '1',
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(json(run.outputs['failed-ids'])).toEqual([ids[1]]);
    expect(json(run.outputs['unsent-ids'])).toEqual([ids[2]]);
    expectAccounted(run, ids, [ids[0] as string]);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('never re-sends a batch after a 503 from a gateway: HINDSITE may have acted', async () => {
    const ids = world.seed(2);
    // The origin creates the deliveries, then the gateway in front of it answers 503.
    world.sandbox.inject({ route: 'bulk', status: 503, afterHandling: true, times: Infinity });
    const run = await runBundle({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(world.bulkCalls()).toHaveLength(1);
    expect(world.sandbox.deliveries()).toHaveLength(4);
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids);
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(errorLines(run)[0]).toMatch(/HTTP 503 .*outcome is unknown/);
  });

  it('refuses a list page over 2 MiB without holding it, well under 300 MB', async () => {
    const page = (size: number): string =>
      JSON.stringify({
        webhook_deliveries: Array.from({ length: size }, (_, i) => ({
          id: `dlv_${i}_${Math.random().toString(36).slice(2, 10)}`,
          webhook_id: 'wh_orders',
          event_id: `evt_${i}`,
          event_action: 'form_completed',
          state: 'errored',
          response: { code: 500, error: 'Internal Server Error' },
          created_at: '2026-11-30T08:00:00Z',
        })),
      });
    // Pages of 20,000 rows (over the 2 MiB a page may have), forever.
    world.sandbox.inject({ route: 'list', status: 200, body: page(20_000), times: Infinity });
    // One attempt: a retry reads the same page again after a real backoff (2.5 s), and tells
    // nothing more about memory.
    const big = await runBundle({
      ...world.inputs,
      since: '24h',
      'dry-run': 'true',
      'max-attempts': '1',
    });
    expect(big.code).toBe(1);
    expect(errorLines(big)[0]).toMatch(/got a reply larger than 2 MiB/);
    // Measured (a bound on a reading of 0 would prove nothing), and under the bound.
    expect(big.peakRssBytes).toBeGreaterThan(0);
    expect(big.peakRssBytes).toBeLessThan(300 * 1024 * 1024);
  });

  it('redelivers through the HTTPS proxy a runner names: http-client tunnels, the stub is never used', async () => {
    const ids = world.seed(3);
    const proxy = await startTunnelProxy(Number(new URL(world.sandbox.url).port));
    try {
      const run = await runBundle(
        { ...world.inputs, 'api-url': `https://${PROXIED_HOST}`, 'delivery-ids': ids.join() },
        {
          env: {
            HTTPS_PROXY: `http://runner:proxy-pa55@127.0.0.1:${proxy.port}`,
            NODE_EXTRA_CA_CERTS: PROXIED_CA_FILE,
          },
        },
      );
      expect(run.code).toBe(0);
      expect(run.outputs['created-count']).toBe('3');
      expectAccounted(run, ids, ids);
      // Both calls went through the proxy (a tunnel each: http-client keeps none alive through a
      // proxy), with the proxy's credentials; the sandbox is reached no other way.
      const tunnel = {
        target: `${PROXIED_HOST}:443`,
        authorization: `Basic ${Buffer.from('runner:proxy-pa55').toString('base64')}`,
      };
      expect(proxy.connects()).toEqual([tunnel, tunnel]);
      expect(world.sandbox.requestsTo('token')).toHaveLength(1);
      expect(world.bulkCalls().map((call) => call.ids)).toEqual([ids]);
      rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
    } finally {
      await proxy.close();
    }
  });

  it('carries the undici stub, not undici: nothing of it to compile or evaluate at start', () => {
    const bundle = readFileSync(BUNDLE, 'utf8');
    // undici alone was 77% of a 1.27 MB bundle; the action's own code and the rest are ~340 kB.
    expect(bundle.length).toBeLessThan(500_000);
    // Every undici error code starts so (UND_ERR_CONNECT_TIMEOUT, ...): none is left.
    expect(bundle).not.toContain('UND_ERR_');
    // http-client's ProxyAgent path is dead code here: the action's own transport (hindsite/http.ts)
    // makes every request, and only @actions/core's OIDC helper reaches HttpClient. The bundler
    // keeps no undici at all, not even the stub (undici-stub.test.ts checks the stub throws).
    expect(bundle).not.toMatch(/class ProxyAgent\b/);
  });
});
