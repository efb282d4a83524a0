/**
 * What a hostile review of pacing and the canary found, fixed: retries keep the pace (and a 429's
 * Retry-After holds every call), a bug stops the calls waiting for their turn, a cancel during the
 * canary's wait says so, undated events go last, and the wording of one delivery and of a plan's
 * canary.
 */
import { describe, expect, it } from '@jest/globals';
import type { BulkResult } from '../src/model/domain.js';
import { sendBatches } from '../src/run/send.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { describePace, Pace, pacePlan } from '../src/run/pace.js';
import { planBatches, type Batch } from '../src/model/batches.js';
import { newestPerEventInState } from '../src/run/selection.js';
import { RecordingLogger } from './support/logger.js';
import { inProcess, json, runInProcess, type Runner } from './support/runner.js';
import { VirtualClock } from './support/virtual-clock.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
const runInWorld: Runner = inProcess(() => world.clock);

/** The most IDs that calls HINDSITE acted on carried within any window of `windowMs`. */
function busiest(windowMs: number, calls: { at: number; ids: string[] }[]): number {
  return Math.max(
    ...calls.map((from) =>
      calls
        .filter((call) => call.at >= from.at && call.at < from.at + windowMs)
        .reduce((sum, call) => sum + call.ids.length, 0),
    ),
  );
}

describe('retries keep the pace', () => {
  it.each([
    ['seconds', () => '10'],
    ['an HTTP date', () => new Date(world.clock.now() + 10_000).toUTCString()],
  ])(
    'after a 429 with Retry-After as %s, no 10 s holds more than its allowance and one call',
    async (_how, retryAfter) => {
      const ids = world.seed(400);
      world.sandbox.inject({
        route: 'bulk',
        status: 429,
        headers: { 'retry-after': retryAfter() },
        times: 5,
      });
      const run = await runInWorld({
        ...world.inputs,
        'delivery-ids': ids.join(),
        'max-rate': '600',
        concurrency: '16',
        // The 429'd batch keeps its place (oldest first), so it meets the next 429s itself.
        'max-attempts': '6',
      });
      expect(run.code).toBe(0);
      // The first 5 requests were answered 429: nothing was redelivered by them.
      const acted = world.bulkCalls().slice(5);
      expect(busiest(10_000, acted)).toBeLessThanOrEqual(100 + 20);
      expect(busiest(2_000, acted)).toBeLessThanOrEqual(20 + 20);
      expect(run.outputs['created-count']).toBe('400');
    },
  );
});

describe('a bug in one paced call', () => {
  it('stops the calls waiting for their turn', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plan = planBatches(ids, { batchSize: 2, maxDeliveries: 10 });
    const batches: Batch[] = plan.kind === 'batches' ? plan.batches : [];
    const clock = new VirtualClock(0);
    const sent: string[][] = [];
    const ledger = new RedeliveryLedger(ids);
    const error = await sendBatches(
      batches,
      async (batchIds): Promise<BulkResult> => {
        sent.push(batchIds);
        if (batchIds[0] === 'a') throw new TypeError('bug in reply handling');
        return {
          created: batchIds.map((id) => ({ id: `new_${id}`, response: null })),
          droppedIds: [],
        };
      },
      ledger,
      { concurrency: 4, log: new RecordingLogger(), clock, pace: new Pace(60, clock) },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(sent).toEqual([['a', 'b']]);
  });
});

describe('the canary', () => {
  it('when the job is cancelled during its wait, says so rather than "not proven"', async () => {
    const ids = world.seed(5);
    world.sandbox.setSettle({ afterMs: 60_000, outcome: () => 'completed' });
    const controller = new AbortController();
    world.sandbox.inject({
      route: 'list',
      when: () => {
        controller.abort('SIGINT');
        return false;
      },
    });
    const run = await runInProcess(
      { ...world.inputs, 'delivery-ids': ids.join(), canary: '2', 'poll-interval-seconds': '1' },
      world.clock,
      { cancel: controller.signal },
    );
    expect(run.code).toBe(1);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids.slice(2));
    expect(run.stdout).toContain('Canary: the job was cancelled while waiting');
    expect(run.stdout).not.toMatch(/failed again, \d+ not settled/);
    expect(run.summary).not.toContain('it did not show that the receiver is back');
  });

  it('with a plan file, is the oldest events of the plan', async () => {
    const HOUR = 3_600_000;
    for (const hours of [3, 2, 1]) {
      world.sandbox.seedDelivery({
        organisationId: 'org_acme',
        state: 'errored',
        createdAt: new Date(world.clock.now() - hours * HOUR),
      });
    }
    world.sandbox.setSettle({ afterMs: 300, outcome: () => 'completed' });
    const dry = await runInWorld({
      ...world.inputs,
      since: '4h',
      concurrency: '1',
      'dry-run': 'true',
    });
    const run = await runInWorld({
      ...world.inputs,
      'plan-file': dry.outputs['plan-file'] ?? '',
      'plan-digest': dry.outputs['plan-digest'] ?? '',
      canary: '1',
      'poll-interval-seconds': '1',
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain('(the oldest events of the plan)');
  });
});

describe('oldest first', () => {
  it('puts an event without a readable created_at last, not first', () => {
    const rows = [
      {
        id: 'd1',
        eventId: 'e1',
        webhookId: 'w',
        state: 'errored',
        response: null,
        createdAt: '2026-01-01T00:00:00Z',
      },
      { id: 'd2', eventId: 'e2', webhookId: 'w', state: 'errored', response: null },
    ];
    expect(newestPerEventInState(rows, 'errored').map((delivery) => delivery.id)).toEqual([
      'd1',
      'd2',
    ]);
  });
});

describe('the expected duration', () => {
  it('reads as words for one delivery', () => {
    const plan = planBatches(['a'], { batchSize: 20, maxDeliveries: 10 });
    const batches = plan.kind === 'batches' ? plan.batches : [];
    expect(describePace(pacePlan(600, 100, batches), 1)).toBe(
      'at most 600 redeliveries per minute (bulk calls shrunk to 20 IDs): 1 delivery goes out at once',
    );
  });
});
