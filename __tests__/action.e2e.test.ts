import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorLines,
  expectAccounted,
  expectAllOutputsSet,
  expectNoSecretLeaks,
  json,
  inProcess,
  runInProcess,
  type Runner,
} from './support/runner.js';
import { ADMIN, OTHER_ORG, VIEWER, useWorld, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

let world: World;
useWorld((started) => (world = started));

const SECRETS = [ADMIN.clientSecret, VIEWER.clientSecret];
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const bulkBodies = (): string[][] => world.bulkCalls().map((call) => call.ids);

describe('the action, run as a runner runs it', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it('redelivers IDs given with mixed separators and duplicates, once each', async () => {
    const [a, b, c] = world.seed(3);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ` ${a}, ${b}\n${c} ${a}\n\n` });

    expect(run.code).toBe(0);
    expect(errorLines(run)).toEqual([]);
    expectAllOutputsSet(run);
    expect(run.outputs['requested-count']).toBe('3');
    expect(run.outputs['created-count']).toBe('3');
    const createdIds = json(run.outputs['created-ids']) as string[];
    expect(createdIds).toHaveLength(3);
    expect(createdIds.map((id) => world.sandbox.delivery(id)?.redeliveryOf)).toEqual([a, b, c]);
    expect(run.outputs['dropped-count']).toBe('0');
    expect(run.outputs['dropped-ids']).toBe('[]');
    expect(run.outputs['failed-ids']).toBe('[]');
    expect(run.outputs['unsent-ids']).toBe('[]');
    expect(bulkBodies()).toEqual([[a, b, c]]);

    const [token] = world.sandbox.requestsTo('token');
    expect(token?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: ADMIN.clientId,
      client_secret: ADMIN.clientSecret,
    });
    const issued = (
      world.sandbox.requestsTo('bulk')[0]?.headers['authorization'] as string
    ).replace('Bearer ', '');
    expect(run.stdout).toContain(`::add-mask::${ADMIN.clientSecret}`);
    expect(run.stdout).toContain(`::add-mask::${issued}`);
    expect(run.stdout.indexOf(`::add-mask::${ADMIN.clientSecret}`)).toBe(0);
    // The first log line names the version: the first thing support asks.
    const logLines = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(logLines[0]).toBe(`hindsite-redeliver-action ${PACKAGE_VERSION}`);
    expectNoSecretLeaks(run, [...SECRETS, issued]);

    expect(run.summary).toContain('## HINDSITE webhook redelivery');
    expect(run.summary).toContain('| Redeliveries created | 3 |');
    for (const id of createdIds) expect(run.summary).toContain(`| ${id} |`);
    expect(run.summary).toMatch(
      /\| Original \| New delivery \| Event \| Action \| Webhook \| State \| Response \|/,
    );
    expect(run.summary).toContain('_Original_ is the ID at the same position in the request');
    const report = JSON.parse(readFileSync(run.outputs['report-file'] as string, 'utf8')) as {
      created: unknown[];
    };
    expect(run.outputs['report-file']?.startsWith(run.runnerTemp)).toBe(true);
    expect(report.created).toHaveLength(3);
  });

  it('reads a JSON array of IDs', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': JSON.stringify([...ids, ids[0]]),
    });
    expect(run.code).toBe(0);
    expect(run.outputs['requested-count']).toBe('2');
    expect(bulkBodies()).toEqual([ids]);
  });

  it('splits into batches of batch-size and sums the results', async () => {
    const ids = world.seed(5);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(','),
      'batch-size': '2',
    });
    expect(run.code).toBe(0);
    expect(bulkBodies()).toHaveLength(3);
    expect(bulkBodies().flat().sort()).toEqual([...ids].sort());
    expect(run.outputs['created-count']).toBe('5');
    expect(json(run.outputs['created-ids'])).toHaveLength(5);
    // One line per bulk call, folded, then the totals.
    expect(run.stdout).toMatch(
      /::group::Redelivering 5 deliveries in 3 bulk calls of up to 2 IDs, up to 4 at a time\n(Batch \d\/3: .*\n){3}::endgroup::\nBulk redelivery: 5 created, 0 dropped, 0 failed, 0 unsent, of 5 IDs\./,
    );
    expectAccounted(run, ids, ids);
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
  });

  it('uses access-token as it is, without an exchange, and masks it', async () => {
    const ids = world.seed(1);
    const token = world.sandbox.issueToken(ADMIN.clientId);
    const run = await runInWorld({
      'api-url': world.sandbox.url,
      'access-token': token,
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('token')).toHaveLength(0);
    expect(world.sandbox.requestsTo('bulk')[0]?.headers['authorization']).toBe(`Bearer ${token}`);
    expect(run.stdout.startsWith(`::add-mask::${token}`)).toBe(true);
    expectNoSecretLeaks(run, [token]);
  });

  it('reports dropped IDs with a warning and succeeds by default', async () => {
    const [mine] = world.seed(1);
    const foreign = world.sandbox.seedDelivery({ organisationId: OTHER_ORG }).id;
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': `${mine} ${foreign} dlv_nope`,
    });
    expect(run.code).toBe(0);
    expect(run.outputs['created-count']).toBe('1');
    expect(run.outputs['dropped-count']).toBe('2');
    expect(json(run.outputs['dropped-ids'])).toEqual([foreign, 'dlv_nope']);
    expect(run.stdout).toMatch(
      new RegExp(`::warning::HINDSITE dropped 2 delivery IDs.*${foreign}, dlv_nope`),
    );
    expect(run.summary).toContain('### Dropped (2)');
    expectAccounted(run, [mine as string, foreign, 'dlv_nope'], [mine as string]);
  });

  it('fails after setting every output when fail-on-dropped is true', async () => {
    const [mine] = world.seed(1);
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': `${mine} dlv_nope`,
      'fail-on-dropped': 'true',
    });
    expect(run.code).toBe(1);
    expectAllOutputsSet(run);
    expect(run.outputs['created-count']).toBe('1');
    expect(json(run.outputs['dropped-ids'])).toEqual(['dlv_nope']);
    expect(errorLines(run)).toEqual([
      '::error::HINDSITE dropped 1 delivery ID and fail-on-dropped is true: check dropped-ids (they do not exist or belong to another organisation).',
    ]);
    // The warning names them.
    expect(run.stdout).toMatch(/^::warning::HINDSITE dropped 1 delivery ID: .*: dlv_nope$/m);
  });

  it('fails on 403 saying the credentials are not an organisation admin', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'client-id': VIEWER.clientId,
      'client-secret': VIEWER.clientSecret,
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/HTTP 403.*not an admin of the HINDSITE organisation/);
    expectAllOutputsSet(run);
    expect(json(run.outputs['failed-ids'])).toEqual(ids);
    expect(run.outputs['created-count']).toBe('0');
    expect(world.sandbox.deliveries()).toHaveLength(2);
    expectNoSecretLeaks(run, SECRETS);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails on a bad secret with the server’s error, before any redelivery', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({
      ...world.inputs,
      'client-secret': 'wrong-secret-value',
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Token exchange failed: HTTP 401 Unauthorized: invalid_client: Client authentication failed.*Check client-id and client-secret/,
      ),
    ]);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectNoSecretLeaks(run, ['wrong-secret-value']);
  });

  it('never prints a secret that the server echoes back', async () => {
    const ids = world.seed(1);
    world.sandbox.inject({
      route: 'token',
      status: 400,
      body: JSON.stringify({
        error: 'invalid_request',
        error_description: `bad client_secret=${encodeURIComponent(ADMIN.clientSecret)} (${ADMIN.clientSecret})`,
      }),
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toContain('bad client_secret=*** (***)');
    expectNoSecretLeaks(run, SECRETS);
  });

  it('fails on an HTML 502 with the status and a short excerpt, never a stack trace', async () => {
    const ids = world.seed(3);
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
    world.sandbox.inject({
      route: 'bulk',
      status: 502,
      body: html,
      headers: { 'content-type': 'text/html' },
    });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '1',
      concurrency: '1',
    });
    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /HTTP 502 Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx\. The outcome is unknown/,
    );
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expectAllOutputsSet(run);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(1);
    expect(json(run.outputs['failed-ids'])).toEqual([ids[0]]);
    expect(json(run.outputs['unsent-ids'])).toEqual([ids[1], ids[2]]);
    expectAccounted(run, ids, []);
  });
});

describe('runner files', () => {
  it('warns and names no report file when the report cannot be written', async () => {
    const ids = world.seed(1);
    const blocker = join(scratchDir('temp-'), 'not-a-dir');
    writeFileSync(blocker, '');
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() }, world.clock, {
      env: { RUNNER_TEMP: blocker },
    });
    expect(run.code).toBe(0);
    expect(run.outputs['report-file']).toBe('');
    expect(run.stdout).toMatch(/::warning::Could not write the report file in .*not-a-dir: EEXIST/);
    expect(run.outputs['created-count']).toBe('1');
  });

  it('fails with a clear message, not a stack trace, when the summary cannot be written', async () => {
    const ids = world.seed(1);
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() }, world.clock, {
      env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' },
    });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::Could not write the step's outputs or summary: ENOENT/),
    ]);
    expect(run.outputs['created-count']).toBe('1');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('input errors fail before any request, with one ::error:: naming the input', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it.each([
    ['missing credentials', { 'client-id': '', 'client-secret': '' }, /client-id is required/],
    ['no IDs', { 'delivery-ids': '' }, /No deliveries to retry/],
    [
      'plain http to a non-loopback host',
      { 'api-url': 'http://hindsite.example.com' },
      /api-url must use https:\/\//,
    ],
    [
      'a malformed JSON list',
      { 'delivery-ids': '["a",' },
      /delivery-ids starts with "\[" but is not a valid JSON array/,
    ],
    ['a bad batch-size', { 'batch-size': '5000' }, /batch-size must be an integer from 1 to 1000/],
    [
      'a non-boolean fail-on-dropped',
      { 'fail-on-dropped': 'maybe' },
      /fail-on-dropped must be true or false/,
    ],
    [
      'an api-url that is not a URL',
      { 'api-url': 'hindsite' },
      /api-url must be an absolute https:\/\/ URL/,
    ],
  ])('%s', async (_name, overrides, message) => {
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': 'dlv_1', ...overrides });
    expect(run.code).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(world.sandbox.requests).toHaveLength(0);
    expectAllOutputsSet(run);
    expect(run.outputs['created-count']).toBe('0');
    expectNoSecretLeaks(run, SECRETS);
  });
});
