import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxDelivery } from '../sandbox/index.js';
import { errorLines, expectAllOutputsSet, json, inProcess, type Runner } from './support/runner.js';
import { startWorld, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

const HOUR = 3_600_000;
let world: World;
beforeEach(async () => {
  world = await startWorld({ pageSize: 3 });
});
afterEach(async () => {
  await world.sandbox.close();
});

const at = (hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string =>
  world.seedAt(hoursAgo, fields);
const bulkBodies = (): string[][] => world.bulkCalls().map((call) => call.ids);
const listPages = (): string[] =>
  world.sandbox.requestsTo('list').map((request) => request.query['page'] ?? '');

describe('selecting deliveries', () => {
  const runInWorld: Runner = inProcess(() => world.clock);
  it('discovers errored deliveries in a window spanning pages, leaving older and completed ones', async () => {
    const since = new Date(Date.now() - 10 * HOUR);
    at(12); // before the window
    at(11, { state: 'errored' }); // before the window
    const wanted = [at(9), at(8), at(6), at(5), at(2)];
    at(7, { state: 'completed' });
    at(4, { state: 'completed' });
    at(3, { state: 'retrying' });
    const run = await runInWorld({ ...world.inputs, since: since.toISOString() });

    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    expect(json(run.outputs['selected-ids'])).toEqual(wanted);
    expect(run.outputs['selected-count']).toBe('5');
    expect(run.outputs['skipped-count']).toBe('3');
    // What discovery found in the window: the 5 selected and the 3 skipped.
    expect(run.outputs['requested-count']).toBe('8');
    expect(run.outputs['created-count']).toBe('5');
    expect(bulkBodies().flat()).toEqual(wanted);
    const queries = world.sandbox.requestsTo('list').map((request) => request.query);
    expect(
      queries.every(
        (query) =>
          // Compared as times: a whole second is sent without its '.000'.
          Date.parse(query['since'] ?? '') === since.getTime() &&
          !('state' in query) &&
          !('webhook_id' in query),
      ),
    ).toBe(true);
    // 8 rows at 3 a page: page 4 is the first empty one; pages fetched ahead stay within concurrency.
    const pages = listPages().map(Number);
    expect(pages).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(Math.max(...pages)).toBeLessThanOrEqual(4 + 4 - 1);
    expect(run.summary).toMatch(
      /discovery through the list API: state `errored`.*all webhooks, created since/,
    );
    expect(run.summary).toContain('| Deliveries found | 8 |');
    expect(run.summary).toMatch(/\| Skipped .* \| 3 \|/);
    expect(run.summary).toContain('| Selected | 5 |');
    // Discovered originals are paired with their new deliveries by event, not by position.
    expect(run.summary).not.toContain('_Original_ is the ID at the same position');
  });

  it('reads exactly full pages up to the first empty one', async () => {
    const wanted = [at(6), at(5), at(4), at(3), at(2), at(1)];
    const run = await runInWorld({ ...world.inputs, since: '7h', concurrency: '1' });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual(wanted);
    expect(listPages()).toEqual(['1', '2', '3']);
  });

  it('selects the same at concurrency 4 as one page at a time when pages past the end fail', async () => {
    const wanted = [at(2), at(1)];
    // Pages 3 and up (past the first empty page, 2) answer 500: a sequential walk never asks.
    world.sandbox.inject({
      route: 'list',
      status: 500,
      times: Infinity,
      when: (request) => Number(request.query['page']) >= 3,
    });
    const concurrent = await runInWorld({
      ...world.inputs,
      since: '3h',
      concurrency: '4',
      'dry-run': 'true',
    });
    const sequential = await runInWorld({
      ...world.inputs,
      since: '3h',
      concurrency: '1',
      'dry-run': 'true',
    });
    expect([concurrent.code, sequential.code]).toEqual([0, 0]);
    expect(json(concurrent.outputs['selected-ids'])).toEqual(wanted);
    expect(concurrent.outputs['selected-ids']).toBe(sequential.outputs['selected-ids']);
    expect(concurrent.durationMs).toBeLessThan(sequential.durationMs + 500);
  });

  it('discovers only the deliveries of webhook-id', async () => {
    const mine = [at(3, { webhookId: 'wh_orders' }), at(2, { webhookId: 'wh_orders' })];
    at(1, { webhookId: 'wh_reports' });
    const run = await runInWorld({ ...world.inputs, 'webhook-id': 'wh_orders' });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual(mine);
    expect(
      world.sandbox
        .requestsTo('list')
        .every(
          (request) => request.query['webhook_id'] === 'wh_orders' && !('since' in request.query),
        ),
    ).toBe(true);
    expect(run.summary).toContain('webhook `wh_orders`');
  });

  it('retries each event once, only when its newest delivery errored', async () => {
    at(9, { eventId: 'evt_completed_later' });
    at(8, { eventId: 'evt_completed_later', state: 'completed' });
    at(7, { eventId: 'evt_in_flight' });
    at(6, { eventId: 'evt_in_flight', state: 'in_progress' });
    at(5, { eventId: 'evt_retrying' });
    at(4, { eventId: 'evt_retrying', state: 'retrying' });
    at(3, { eventId: 'evt_errored_twice' });
    const newest = at(2, { eventId: 'evt_errored_twice' });
    const run = await runInWorld({ ...world.inputs, since: '10h' });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual([newest]);
    expect(run.outputs['skipped-count']).toBe('7');
    expect(bulkBodies()).toEqual([[newest]]);
  });

  it('sends nothing the second time the same job runs', async () => {
    const wanted = [at(3), at(2)];
    const first = await runInWorld({ ...world.inputs, since: '4h' });
    expect(json(first.outputs['selected-ids'])).toEqual(wanted);
    const second = await runInWorld({ ...world.inputs, since: '4h' });
    expect(second.code).toBe(0);
    expect(second.outputs['selected-count']).toBe('0');
    expect(second.outputs['created-count']).toBe('0');
    expect(second.outputs['skipped-count']).toBe('4');
    expect(bulkBodies()).toEqual([wanted]);
  });

  it('dry run with discovery selects and reports, and sends no redelivery', async () => {
    const wanted = [at(2), at(1)];
    const run = await runInWorld({ ...world.inputs, since: '3h', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual(wanted);
    expect(run.outputs['created-count']).toBe('0');
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(run.summary).toContain('📝 Dry run: 2 deliveries to approve; nothing was sent.');
    expect(run.summary).toContain('### Would be redelivered');
    for (const list of ['created-ids', 'dropped-ids', 'failed-ids', 'unsent-ids']) {
      expect([list, run.outputs[list]]).toEqual([list, '[]']);
    }
    for (const id of wanted) expect(run.summary).toContain(`| ${id} |`);
  });

  it('dry run with explicit IDs only looks them up in the list, and plans each once', async () => {
    const [a, b] = [at(2), at(1)];
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': [a, b, a].join(),
      'dry-run': 'true',
    });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual([a, b]);
    expect(run.outputs['selected-count']).toBe('2');
    expect(world.sandbox.requests.map((request) => request.route)).not.toContain('bulk');
    expect(world.sandbox.requestsTo('list')).not.toHaveLength(0);
  });

  it('fails before sending anything when more than max-deliveries would be retried', async () => {
    at(3);
    at(2);
    at(1);
    const run = await runInWorld({ ...world.inputs, since: '4h', 'max-deliveries': '2' });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      '::error::3 deliveries were selected, more than max-deliveries (2), so nothing was sent: narrow the selection, or raise max-deliveries to at least 3.',
    ]);
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(run.outputs['selected-count']).toBe('3');
    // Blocked by the user's own limit: not "unsent, safe to send again" (a follow-up step that
    // resends unsent-ids would bypass the cap).
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(json(run.outputs['failed-ids'])).toEqual([]);
    expect(run.summary).toContain('### Blocked by max-deliveries (3)');
    const report = JSON.parse(readFileSync(run.outputs['report-file'] as string, 'utf8')) as {
      blocked: string[];
    };
    expect(report.blocked).toEqual(json(run.outputs['selected-ids']));
  });

  it('reads a relative since as a time back from now', async () => {
    // "Now" is the world's clock, which only a wait moves: no real time comes into it.
    const before = world.clock.now();
    at(1);
    const run = await runInWorld({ ...world.inputs, since: '90m' });
    expect(run.code).toBe(0);
    const since = Date.parse(world.sandbox.requestsTo('list')[0]?.query['since'] ?? '');
    expect(since).toBeGreaterThanOrEqual(before - 90 * 60_000 - 1000);
    expect(since).toBeLessThanOrEqual(world.clock.now() - 90 * 60_000 + 1000);
    expect(run.outputs['selected-count']).toBe('1');
  });

  it('succeeds with zero counts and no bulk call when nothing needs a retry', async () => {
    at(1, { state: 'completed' });
    const run = await runInWorld({ ...world.inputs, since: '2h' });
    expect(run.code).toBe(0);
    expect(errorLines(run)).toEqual([]);
    expect(run.outputs['selected-count']).toBe('0');
    expect(run.outputs['created-count']).toBe('0');
    expect(run.outputs['selected-ids']).toBe('[]');
    expect(world.sandbox.requestsTo('bulk')).toHaveLength(0);
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
  });

  it('redelivers the IDs in delivery-ids-file', async () => {
    const ids = [at(1), at(2)];
    const file = join(scratchDir('ids-'), 'ids.txt');
    writeFileSync(file, `${ids[0]}\n${ids[1]}\n${ids[0]}\n`);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids-file': file });
    expect(run.code).toBe(0);
    expect(bulkBodies()).toEqual([ids]);
    expect(run.summary).toContain(`IDs from the file \`${file}\``);
  });

  it.each([
    ['an unreadable since', { since: 'last tuesday' }, /Input since must be an ISO 8601 date-time/],
    [
      'an unknown state',
      { since: '1d', state: 'failed' },
      /Input state must be one of errored, retrying, completed, pending, in_progress/,
    ],
    [
      'a missing delivery-ids-file',
      { 'delivery-ids-file': '/nonexistent/ids.txt' },
      /delivery-ids-file names a file that cannot be read \(ENOENT\)/,
    ],
    [
      'a non-positive max-deliveries',
      { since: '1d', 'max-deliveries': '0' },
      /max-deliveries must be an integer of at least 1/,
    ],
    ['no source', { state: 'errored' }, /No deliveries to retry/],
    ['two sources', { 'delivery-ids': 'a', since: '1d' }, /Set exactly one source of deliveries/],
  ])('fails on %s before any request', async (_name, overrides, message) => {
    const run = await runInWorld({ ...world.inputs, ...overrides });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([expect.stringMatching(message)]);
    expect(world.sandbox.requests).toHaveLength(0);
  });
});

describe('selecting from a server that lies', () => {
  const runInWorld: Runner = inProcess(() => world.clock);

  it('refuses a discovered ID that is not shaped like one, before sending anything', async () => {
    world.sandbox.inject({
      route: 'list',
      status: 200,
      times: Infinity,
      when: (request) => request.query['page'] === '1',
      body: JSON.stringify({
        webhook_deliveries: [
          {
            id: 'a`](https://evil.example)\n# x',
            state: 'errored',
            event_id: 'e1',
            webhook_id: 'w',
            created_at: new Date(world.clock.now() - 1000).toISOString(),
          },
        ],
      }),
    });
    const run = await runInWorld({ ...world.inputs, since: '1h' });
    expect(run.code).toBe(1);
    expect(world.bulkCalls()).toHaveLength(0);
    expect(errorLines(run)[0]).toMatch(
      /List deliveries \(page 1\) failed: HTTP 200 with a body that is not the documented JSON/,
    );
  });
});
