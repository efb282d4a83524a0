/**
 * A 429's Retry-After holds the whole paced run: no call waiting for its turn goes out before the
 * hold ends (each reads the next allowed time again whenever it wakes), and the batch that got the
 * 429 keeps its place, so the deliveries still go out oldest first. In process on virtual time;
 * the Pace on its own is tested with its other tests, in recovery.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { planBatches } from '../src/model/batches.js';
import type { BulkResult } from '../src/model/domain.js';
import { ApiError } from '../src/model/errors.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { withRetries, type Attempt } from '../src/hindsite/retry.js';
import { Pace } from '../src/run/pace.js';
import { sendBatches, type Redeliver } from '../src/run/send.js';
import { RecordingLogger } from './support/logger.js';
import { inProcess, type Runner } from './support/runner.js';
import { VirtualClock } from './support/virtual-clock.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));
const runInWorld: Runner = inProcess(() => world.clock);

describe('a Retry-After during a paced run', () => {
  it.each(['3', '4'])(
    'holds the calls waiting for their turn, and the 429’d batch goes first after it (concurrency %s)',
    async (concurrency) => {
      // 60 per minute: calls of 2 IDs, one every 2 s; the second call is answered 429.
      const ids = world.seed(12);
      world.sandbox.inject({
        route: 'bulk',
        status: 429,
        headers: { 'retry-after': '10' },
        skip: 1,
      });
      const run = await runInWorld({
        ...world.inputs,
        'delivery-ids': ids.join(),
        'max-rate': '60',
        concurrency,
      });
      expect(run.code).toBe(0);
      expect(run.outputs['created-count']).toBe('12');
      const calls = world.bulkCalls();
      expect(calls[1]?.ids).toEqual(ids.slice(2, 4));
      // Virtual time moves on while a reply is on its way: the call whose turn came before the
      // 429 reached the action goes out, but no call that was still waiting for its turn then.
      const later = calls.slice(2);
      const retry = later.findIndex((call) => call.ids[0] === ids[2]);
      expect(retry).toBeGreaterThanOrEqual(0);
      expect(retry).toBeLessThanOrEqual(1);
      const before = retry === 0 ? calls[1] : later[0];
      expect((later[retry]?.at ?? 0) - (before?.at ?? 0)).toBeGreaterThanOrEqual(10_000);
      // After the hold, the 429’d batch first, then the others in order, at the pace.
      const rest = later.slice(retry);
      const firsts = rest.map((call) => call.ids[0] ?? '');
      expect(firsts.slice(1)).toEqual([...firsts.slice(1)].sort());
      rest.slice(1).forEach((call, index) => {
        expect(call.at - (rest[index]?.at ?? 0)).toBe(2000);
      });
    },
  );
});

describe('paced bulk calls and a 429 (the retry loop and the pace, without the network)', () => {
  it('at 60 per minute and 2 at a time, sends nothing in a 10 s hold, then the 429’d batch, then the rest in order', async () => {
    const clock = new VirtualClock(0);
    const log = new RecordingLogger();
    const ids = Array.from({ length: 12 }, (_, index) => `d${index + 1}`);
    const plan = planBatches(ids, { batchSize: 2, maxDeliveries: 100 });
    const batches = plan.kind === 'batches' ? plan.batches : [];
    const calls: [number, string[]][] = [];
    const redeliver: Redeliver = (batchIds, label, signals, pace) =>
      withRetries(
        label,
        { maxAttempts: 3, log, clock, pace },
        async (): Promise<Attempt<BulkResult>> => {
          calls.push([clock.now(), batchIds]);
          if (calls.length === 2) {
            const error = (): ApiError => new ApiError('HTTP 429', 'refused', 429);
            return { reason: 'HTTP 429', error, retryAfterMs: 10_000 };
          }
          const created = batchIds.map((id) => ({ id: `new_${id}`, response: null }));
          return { done: { created, droppedIds: [] } };
        },
        signals.stop,
      );
    const ledger = new RedeliveryLedger(ids);
    const outcome = await sendBatches(batches, redeliver, ledger, {
      concurrency: 2,
      log,
      clock,
      pace: new Pace(60, clock),
    });
    expect(outcome.failures).toEqual([]);
    const pair = (n: number): string[] => [`d${n}`, `d${n + 1}`];
    expect(calls).toEqual([
      [0, pair(1)],
      [2000, pair(3)],
      [12_000, pair(3)],
      [14_000, pair(5)],
      [16_000, pair(7)],
      [18_000, pair(9)],
      [20_000, pair(11)],
    ]);
  });
});
