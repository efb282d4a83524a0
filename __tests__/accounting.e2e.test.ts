/**
 * Never lost, never twice: replies that do not add up, events redelivered by someone else while
 * waiting, a wait whose poll stalls, and a job cancelled while waiting. In process, on the world's
 * virtual clock.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  errorLines,
  expectAccounted,
  inProcess,
  json,
  runInProcess,
  type Runner,
} from './support/runner.js';
import { ORG, useWorld, type World } from './support/world.js';
import type { ReplyRow } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

const runInWorld: Runner = inProcess(() => world.clock);

/** A 201 bulk reply with these new rows (as HINDSITE would serialise them) and dropped IDs. */
const bulkReply = (rows: ReplyRow[], dropped: string[] = []): string =>
  world.bulkReply(rows, dropped);

const report = (run: { outputs: Record<string, string> }): Record<string, unknown> =>
  JSON.parse(readFileSync(run.outputs['report-file'] as string, 'utf8')) as Record<string, unknown>;

describe('a bulk reply that does not account for the IDs sent', () => {
  it('fails when nothing is created and nothing dropped: every ID is outcome unknown', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 201, body: bulkReply([], []) });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids);
    expect(json(run.outputs['created-ids'])).toEqual([]);
    expectAccounted(run, ids, []);
    expect(errorLines(run)[0]).toMatch(
      /^::error::Bulk redelivery \(batch 1 of 1\) was answered with no new delivery and no dropped ID for 3 IDs sent: all 3 may or may not have been redelivered\. Check outcome-unknown-ids in HINDSITE before sending them again\.$/,
    );
    expect(run.stdout).toContain(
      '3 IDs may have been redelivered (outcome-unknown-ids): check them in HINDSITE before sending them again.',
    );
  });

  it('with explicit IDs, one new delivery for three leaves all three unknown', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 201, body: bulkReply([{ id: 'new_1' }], []) });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(json(run.outputs['created-ids'])).toEqual(['new_1']);
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual(ids);
    expect(errorLines(run)[0]).toMatch(
      /answered with 1 new delivery for 3 IDs sent: all 3 may or may not/,
    );
  });

  it('with discovered deliveries, attributes new rows by event and only the rest are unknown', async () => {
    const rows = [1, 2, 3].map((n) =>
      world.sandbox.seedDelivery({
        organisationId: ORG,
        state: 'errored',
        eventId: `evt_${n}`,
        webhookId: 'wh_orders',
        createdAt: new Date(world.clock.now() - n * 60_000),
      }),
    );
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: bulkReply([{ id: 'new_2', eventId: 'evt_2' }], []),
    });
    const run = await runInWorld({ ...world.inputs, since: '1h' });
    expect(run.code).toBe(1);
    const byEvent = new Map(rows.map((row) => [row.eventId, row.id]));
    // Oldest first, as they were sent.
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual([
      byEvent.get('evt_3'),
      byEvent.get('evt_1'),
    ]);
    expect(errorLines(run)[0]).toMatch(
      /for 3 IDs sent: 2 of them may or may not have been redelivered/,
    );
    const created = report(run)['created'] as { id: string; originalId?: string }[];
    expect(created).toEqual([{ id: 'new_2', originalId: byEvent.get('evt_2') }]);
  });

  it('warns, naming the batch, when more deliveries were created than IDs sent', async () => {
    const ids = world.seed(3);
    const rows = Array.from({ length: 9 }, (_, i) => ({ id: `new_${i}` }));
    world.sandbox.inject({ route: 'bulk', status: 201, body: bulkReply(rows, []) });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::Bulk redelivery batch 1 was answered with 9 new deliveries for 3 IDs sent: HINDSITE may have created duplicate deliveries/,
    );
    expect(report(run)['surplusReplies']).toEqual([
      { batch: 1, sent: 3, createdIds: rows.map((row) => row.id) },
    ]);
    expect(run.summary).toContain('HINDSITE may have created duplicate deliveries');
  });

  it('counts dropped IDs towards the account: 2 created and 1 dropped for 3 is whole', async () => {
    const ids = world.seed(2);
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': [...ids, 'dlv_nope'].join() });
    expect(run.code).toBe(0);
    expect(json(run.outputs['outcome-unknown-ids'])).toEqual([]);
    expect(json(run.outputs['dropped-ids'])).toEqual(['dlv_nope']);
  });
});

describe('waiting', () => {
  const WAIT = { wait: 'true', 'poll-interval-seconds': '5', 'wait-timeout-seconds': '60' };

  it('reports events that received another new delivery since the run started', async () => {
    world.sandbox.setSettle({ afterMs: 1000, outcome: () => 'completed' });
    const [original] = world.seed(1, { eventId: 'evt_dup', webhookId: 'wh_orders' });
    // Another run redelivered the same event a moment after this one started.
    const other = world.sandbox.seedDelivery({
      organisationId: ORG,
      state: 'completed',
      eventId: 'evt_dup',
      webhookId: 'wh_orders',
      createdAt: new Date(world.clock.now() + 500),
    });
    const run = await runInWorld({ ...world.inputs, 'delivery-ids': original as string, ...WAIT });
    expect(run.code).toBe(0);
    const [ours] = json(run.outputs['created-ids']) as string[];
    expect(run.stdout).toMatch(
      /::warning::1 event received more than one new delivery since this run started \(another run overlapping this one, or a duplicate from HINDSITE\), e\.g\. event evt_dup on webhook wh_orders/,
    );
    expect(report(run)['duplicates']).toEqual([
      { webhookId: 'wh_orders', eventId: 'evt_dup', newId: ours, otherIds: [other.id] },
    ]);
  });

  it('does not count older deliveries of the event, nor the one it retried', async () => {
    world.sandbox.setSettle({ afterMs: 1000, outcome: () => 'completed' });
    world.sandbox.seedDelivery({
      organisationId: ORG,
      state: 'errored',
      eventId: 'evt_old',
      webhookId: 'wh_orders',
      createdAt: new Date(world.clock.now() - 120_000),
    });
    const [original] = world.seed(1, {
      eventId: 'evt_old',
      webhookId: 'wh_orders',
      createdAt: new Date(world.clock.now() - 60_000),
    });
    const run = await runInWorld({ ...world.inputs, since: '1h', ...WAIT });
    expect(run.code).toBe(0);
    expect(json(run.outputs['selected-ids'])).toEqual([original]);
    expect(run.stdout).not.toMatch(/more than one new delivery/);
    expect(report(run)['duplicates']).toEqual([]);
  });

  it('bounds the whole wait by wait-timeout-seconds, a poll in flight included', async () => {
    world.sandbox.setSettle({ afterMs: 3_600_000, outcome: () => 'completed' });
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'list', delayMs: 60_000, times: Infinity });
    const started = Date.now();
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      wait: 'true',
      'poll-interval-seconds': '1',
      'wait-timeout-seconds': '1',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.code).toBe(1);
    expect(json(run.outputs['unsettled-ids'])).toEqual(json(run.outputs['created-ids']));
    expect(errorLines(run)[0]).toMatch(/2 new deliveries had not settled after 1 s/);
  });

  it('stops waiting at once when the job is cancelled, with every output written', async () => {
    world.sandbox.setSettle({ afterMs: 3_600_000, outcome: () => 'completed' });
    const ids = world.seed(2);
    const cancel = new AbortController();
    world.sandbox.inject({
      route: 'list',
      times: Infinity,
      when: () => {
        cancel.abort('SIGTERM');
        return false;
      },
    });
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join(), ...WAIT },
      world.clock,
      { cancel: cancel.signal },
    );
    expect(run.code).toBe(1);
    expect(run.outputs['created-count']).toBe('2');
    expect(errorLines(run)[0]).toMatch(/^::error::The job was cancelled \(SIGTERM\)/);
    expect(run.stdout).toMatch(/::warning::Received SIGTERM: the job is being cancelled/);
  });
});

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
});

describe('a job cancelled during its last bulk call, with wait on', () => {
  it('does not start waiting, and says it was cancelled', async () => {
    const ids = world.seed(2);
    const cancel = new AbortController();
    world.sandbox.inject({
      route: 'bulk',
      when: () => {
        cancel.abort('SIGTERM');
        return false;
      },
    });
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join(), wait: 'true', 'poll-interval-seconds': '1' },
      world.clock,
      { cancel: cancel.signal },
    );
    expect(world.sandbox.requestsTo('list')).toEqual([]);
    expect(run.outputs['created-count']).toBe('2');
    expect(run.code).toBe(1);
    expect(errorLines(run)[0]).toMatch(/^::error::The job was cancelled \(SIGTERM\)/);
  });
});

describe('a dry run of explicit IDs whose lookup fails', () => {
  it('puts every requested ID in unsent-ids: nothing was sent or planned', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'list', status: 500, times: Infinity });
    const run = await runInWorld({
      ...world.inputs,
      'delivery-ids': ids.join(),
      'dry-run': 'true',
      'max-attempts': '1',
    });
    expect(run.code).toBe(1);
    expect(world.bulkCalls()).toEqual([]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectAccounted(run, ids, []);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::List deliveries \(page 1\) failed: HTTP 500 /),
    ]);
    expect(run.summary).toContain('### Unsent (3)');
  });
});
