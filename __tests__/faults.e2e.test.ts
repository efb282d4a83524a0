import { describe, expect, it } from '@jest/globals';
import {
  errorLines,
  expectAccounted,
  expectAllOutputsSet,
  expectNoSecretLeaks,
  json,
  inProcess,
  type Runner,
} from './support/runner.js';
import { ADMIN, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

const bulk = (): { at: number; ids: string[] }[] => world.bulkCalls();

describe('surviving faults', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it('waits the Retry-After seconds of a 429, then retries', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', status: 429, headers: { 'retry-after': '1' } });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    const calls = bulk();
    expect(calls).toHaveLength(2);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(run.stdout).toMatch(
      /Bulk redelivery \(batch 1 of 1\): HTTP 429; attempt 1 of 3, retrying in 1\.0 s \(Retry-After\)\./,
    );
    expect(run.outputs['created-count']).toBe('2');
    expectAccounted(run, ids, ids);
  });

  it('waits until the Retry-After date of a 429, then retries', async () => {
    const ids = world.seed(1);
    const retryAt = new Date(Math.ceil((world.clock.now() + 2000) / 1000) * 1000);
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': retryAt.toUTCString() },
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    const calls = bulk();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at ?? 0).toBeGreaterThanOrEqual(retryAt.getTime() - 50);
  });

  it('retries a 429 twice, then succeeds', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 429, times: 2 });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(bulk()).toHaveLength(3);
    expect(run.stdout.match(/HTTP 429; attempt \d of 3, retrying in \d+\.\d s\./g)).toHaveLength(2);
    expect(world.sandbox.deliveries()).toHaveLength(6);
    expectAccounted(run, ids, ids);
  });

  it('gives up on a 429 that never ends after exactly max-attempts calls', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': '0' },
      times: Infinity,
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(bulk()).toHaveLength(3);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Bulk redelivery \(batch 1 of 1\) failed: HTTP 429 Too Many Requests.*after 3 attempts.*nothing was redelivered.* Send refused-ids again once the cause is fixed\.$/,
      ),
    ]);
    expect(run.stdout).toContain(
      '2 IDs were refused and not redelivered (refused-ids): safe to send again once the cause is fixed.',
    );
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
    expectAccounted(run, ids, []);
  });

  it('retries the token exchange through a 503 and a reset connection', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'token', status: 503 });
    world.sandbox.inject({ route: 'token', reset: true });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('token')).toHaveLength(3);
    expect(run.stdout).toMatch(/Token exchange: HTTP 503; attempt 1 of 3/);
    expect(run.stdout).toMatch(
      /Token exchange: POST \/oauth\/token lost its connection \(ECONNRESET\); attempt 2 of 3/,
    );
    expectNoSecretLeaks(run, [ADMIN.clientSecret]);
  });

  it('keeps the first batch, does not re-send the second after a 500, and reports the third unsent', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 500, skip: 1, afterHandling: true });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '1',
      concurrency: '1',
    });
    expect(run.code).toBe(1);
    expectAllOutputsSet(run);
    expect(bulk().map((call) => call.ids)).toEqual([[ids[0]], [ids[1]]]);
    expect(run.outputs['created-count']).toBe('1');
    expect(json(run.outputs['failed-ids'])).toEqual([ids[1]]);
    expect(json(run.outputs['unsent-ids'])).toEqual([ids[2]]);
    expectAccounted(run, ids, [ids[0] as string]);
    expect(run.summary).toContain(`### Failed: outcome unknown (1)`);
    expect(run.summary).toContain(`### Unsent (1)`);
    expect(run.summary).not.toContain('### Failed: refused');
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /batch 2 of 3\) failed: HTTP 500 Internal Server Error.*outcome is unknown.* Check outcome-unknown-ids in HINDSITE before sending them again; send unsent-ids again\.$/,
      ),
    ]);
    // Where each ID stands: in the log, before the error, and in the summary.
    expect(run.stdout).toContain(
      '1 redelivery created. 1 ID may have been redelivered (outcome-unknown-ids): check them in HINDSITE before sending them again. 1 ID was never sent (unsent-ids): safe to send again.',
    );
  });

  it('gives up on a stalled response at timeout-seconds and exits promptly', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', delayMs: 60_000, afterHandling: true });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'timeout-seconds': '1',
    });
    expect(run.code).toBe(1);
    expect(bulk()).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(/did not complete within 1 s\. The outcome is unknown/);
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
  });

  it('renews a token the API refuses (401) once, and repeats the call once', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', status: 401, body: '{"error":"invalid_token"}' });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('token')).toHaveLength(2);
    expect(bulk()).toHaveLength(2);
    const tokens = world.sandbox
      .requestsTo('bulk')
      .map((request) => request.headers['authorization']);
    expect(tokens[0]).not.toBe(tokens[1]);
    for (const token of tokens) {
      expect(run.stdout).toContain(`::add-mask::${(token as string).replace('Bearer ', '')}`);
    }
    expectNoSecretLeaks(
      run,
      tokens.map((token) => (token as string).replace('Bearer ', '')),
    );
    expect(run.outputs['created-count']).toBe('2');
  });

  it('fails on a 401 with access-token, saying there is nothing to renew', async () => {
    const ids = world.seed(1);
    const run = await runInWorld({
      'api-url': world.sandbox.url,
      'access-token': 'expired-token-123',
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toMatch(
      /HTTP 401 Unauthorized.*access-token was refused.*nothing to renew it with/,
    );
    expect(world.sandbox.requestsTo('token')).toHaveLength(0);
    expectNoSecretLeaks(run, ['expired-token-123']);
  });

  it('does not re-send after a truncated 2xx body: the outcome is unknown', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', truncate: true });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(bulk()).toHaveLength(1);
    expect(world.sandbox.deliveries()).toHaveLength(4);
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
    expect(errorLines(run)[0]).toMatch(
      /lost its connection.*outcome is unknown.*Check outcome-unknown-ids in HINDSITE before sending them again\.$/,
    );
    expect(run.stdout).toContain('2 IDs may have been redelivered (outcome-unknown-ids)');
  });

  it('retries a 503 from the list endpoint during discovery', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'list', status: 503 });
    const run = await runInWorld({ ...world.inputs, since: '1h', concurrency: '1' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/List deliveries \(page 1\): HTTP 503; attempt 1 of 3/);
    expect([...(json(run.outputs['selected-ids']) as string[])].sort()).toEqual([...ids].sort());
  });

  it('does not retry a 422, and says what the server said', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({
      route: 'bulk',
      status: 422,
      body: '{"error":"delivery_ids must be strings"}',
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(bulk()).toHaveLength(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /HTTP 422 Unprocessable Entity: delivery_ids must be strings\. The request was refused and not retried\. Send refused-ids again once the cause is fixed\.$/,
      ),
    ]);
    expectAccounted(run, ids, []);
    expect(run.summary).toContain('### Failed: refused (2)');
    expect(run.summary).not.toContain('### Failed: outcome unknown');
  });

  it('fails with the callback time when Retry-After is over 60 s', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({ route: 'bulk', status: 429, headers: { 'retry-after': '120' } });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(bulk()).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(
      /asked to be called back at \d{4}-\d\d-\d\dT[\d:.]+Z \(in 120 s\)/,
    );
  });

  it('leaves every ID unsent when the credentials are refused', async () => {
    const ids = world.seed(3);
    const run = await runInWorld({
      ...world.inputs,
      'client-secret': 'not-the-secret',
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(1);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectAccounted(run, ids, []);
  });
});
