/**
 * Defects a hostile review found, each reproduced at the level a user meets it (in process, on the
 * world's virtual clock, against the sandbox), and fixed.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/model/errors.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { listAllPages } from '../src/hindsite/paging.js';
import { render } from '../src/report/render.js';
import type { Selection } from '../src/run/selection.js';
import {
  errorLines,
  expectAccounted,
  inProcess,
  json,
  runInProcess,
  type Runner,
} from './support/runner.js';
import { useWorld, type World } from './support/world.js';
import type { ReplyRow } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
const runInWorld: Runner = inProcess(() => world.clock);

const row = (page: number) => ({ id: `r${page}`, response: null });

const bulkReply = (rows: ReplyRow[]): string => world.bulkReply(rows);

describe('never lost, never twice, under a lying or unlucky server', () => {
  it('a huge Retry-After on one batch does not turn a batch in flight into "unsent"', async () => {
    const ids = world.seed(4);
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': '99999999999999' },
      when: (request) => request.body.includes(ids[0] as string),
    });
    world.sandbox.inject({
      route: 'bulk',
      delayMs: 200,
      afterHandling: true,
      when: (request) => request.body.includes(ids[2] as string),
    });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '2',
      concurrency: '2',
    });
    expect(run.code).toBe(1);
    expect(json(run.outputs['unsent-ids'])).toEqual([]);
    expect(json(run.outputs['refused-ids'])).toEqual(ids.slice(0, 2));
    expect(run.outputs['created-count']).toBe('2');
    expect(errorLines(run)[0]).toMatch(/asked to be called back at a time too far away to name/);
    expectAccounted(run, ids, ids.slice(2));
  });

  it('after a cancel, no retry of a bulk call starts', async () => {
    const ids = world.seed(2);
    const cancel = new AbortController();
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': '1' },
      when: () => {
        cancel.abort('SIGINT');
        return true;
      },
    });
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() }, world.clock, {
      cancel: cancel.signal,
    });
    expect(world.bulkCalls()).toHaveLength(1);
    expect(run.code).toBe(1);
    // The 429 said nothing was done: safe to send again.
    expect(json(run.outputs['refused-ids'])).toEqual(ids);
  });

  it('after a cancel, a refused token is not renewed to send the bulk call again', async () => {
    const ids = world.seed(2);
    const cancel = new AbortController();
    world.sandbox.inject({
      route: 'bulk',
      status: 401,
      when: () => {
        cancel.abort('SIGTERM');
        return true;
      },
    });
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() }, world.clock, {
      cancel: cancel.signal,
    });
    expect(world.bulkCalls()).toHaveLength(1);
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
    expect(run.code).toBe(1);
    // A 401 says nothing was done: safe to send again.
    expect(json(run.outputs['refused-ids'])).toEqual(ids);
  });

  it('does not trust a reply that lists a requested ID as a new delivery', async () => {
    const ids = world.seed(4);
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: bulkReply([{ id: ids[2] as string }, { id: ids[3] as string }]),
    });
    world.sandbox.inject({ route: 'bulk', status: 403 });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'batch-size': '2',
      concurrency: '1',
    });
    expect(run.code).toBe(1);
    expect(json(run.outputs['created-ids'])).toEqual([]);
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids.slice(0, 2));
    expect(errorLines(run)[0]).toMatch(/a reply that lists a requested delivery as a new one/);
    expectAccounted(run, ids, []);
  });

  it('does not trust a reply that lists the same new delivery twice', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: bulkReply([{ id: 'dlv_new' }, { id: 'dlv_new' }]),
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(run.outputs['created-count']).toBe('0');
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids);
  });

  it('with discovery, new rows for the wrong events do not confirm the others', async () => {
    const seeded = world.seed(3, { createdAt: new Date(world.clock.now() - 3_600_000) });
    const first = world.sandbox.delivery(seeded[0] as string);
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: bulkReply(
        [0, 1, 2].map((n) => ({
          id: `dlv_x${n}`,
          eventId: first?.eventId,
          webhookId: first?.webhookId,
        })),
      ),
    });
    const run = await runInWorld({ ...world.inputs, since: '2h' });
    expect(run.code).toBe(1);
    expect((json(run.outputs['outcome-unknown-ids']) as string[]).sort()).toEqual(
      seeded.slice(1).sort(),
    );
  });

  it('trusts the count when the bulk reply carries no events (the docs do not promise them)', async () => {
    const seeded = world.seed(2, { createdAt: new Date(world.clock.now() - 3_600_000) });
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: JSON.stringify({
        webhook_deliveries: [{ id: 'dlv_n1' }, { id: 'dlv_n2' }],
        meta: { dropped_ids: [] },
      }),
    });
    const run = await runInWorld({ ...world.inputs, since: '2h' });
    expect(run.code).toBe(0);
    expectAccounted(run, seeded, seeded);
  });

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

describe('a list that never ends', () => {
  it('is a failed poll while waiting, not "nothing was redelivered"', async () => {
    const error = await listAllPages(async (page) => [row(page)], 2, {
      maxPages: 3,
      purpose: 'wait',
    }).then(
      () => undefined,
      (caught: unknown) => caught as ApiError,
    );
    expect(error?.message).toBe(
      'Polling the new deliveries read 3 pages of deliveries without reaching the end of the list',
    );
  });
});

describe('outputs cut to fit', () => {
  it('keep failed-ids the union of the refused-ids and outcome-unknown-ids that are shown', () => {
    const ids = Array.from({ length: 30_000 }, (_, i) => `d${String(i).padStart(20, '0')}`);
    const ledger = new RedeliveryLedger(ids);
    for (let start = 0; start < ids.length; start += 1000) {
      const batch = { number: start / 1000 + 1, start, ids: ids.slice(start, start + 1000) };
      const outcome = (start / 1000) % 2 === 0 ? 'refused' : 'unknown';
      ledger.fail(batch, new ApiError('x', outcome));
    }
    ledger.close('unsent');
    const selection = {
      source: { kind: 'delivery-ids', ids },
      ids,
      known: new Map(),
    } as unknown as Selection;
    const outputs = Object.fromEntries(
      render({ selection, ledger: ledger.snapshot(), verdict: { kind: 'ok' } }).outputs,
    );
    const list = (name: string): string[] => json(outputs[name]) as string[];
    const shown = new Set([...list('refused-ids'), ...list('outcome-unknown-ids')]);
    expect(list('failed-ids').length).toBeGreaterThan(0);
    expect(list('failed-ids').length).toBeLessThan(ids.length);
    expect(list('failed-ids').filter((id) => !shown.has(id))).toEqual([]);
  });
});
