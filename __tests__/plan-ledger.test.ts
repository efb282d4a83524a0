import { describe, expect, it } from '@jest/globals';
import type { BulkResult, Delivery } from '../src/client.js';
import { ApiError, PlanError } from '../src/errors.js';
import { sendBatches } from '../src/execute.js';
import { RedeliveryLedger } from '../src/ledger.js';
import type { Logger } from '../src/log.js';
import { describeFailures } from '../src/pipeline.js';
import { planBatches } from '../src/plan.js';

const quiet: Logger = {
  info: () => undefined,
  warning: () => undefined,
  debug: () => undefined,
  group: (_title, work) => work(),
};
const ids = (n: number, prefix = 'd'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const created = (batch: string[], dropped: string[] = []): BulkResult => ({
  created: batch
    .filter((id) => !dropped.includes(id))
    .map((id) => ({ id: `new-${id}`, response: null })),
  droppedIds: dropped,
});

/** Every requested ID is in exactly one bucket. */
function expectAccounted(ledger: RedeliveryLedger): void {
  const buckets = (['confirmed', 'dropped', 'failed', 'unsent'] as const).flatMap((s) =>
    ledger.idsWith(s),
  );
  expect(ledger.idsWith('pending')).toEqual([]);
  expect([...buckets].sort()).toEqual([...ledger.requested].sort());
}

describe('planBatches', () => {
  it('splits into batches of batch-size, in order', () => {
    expect(planBatches(ids(5), { batchSize: 2, maxDeliveries: 10 })).toEqual([
      { number: 1, start: 0, ids: ['d1', 'd2'] },
      { number: 2, start: 2, ids: ['d3', 'd4'] },
      { number: 3, start: 4, ids: ['d5'] },
    ]);
  });
  it('refuses a selection over the cap before anything is sent, saying how to raise it', () => {
    expect(() => planBatches(ids(11), { batchSize: 2, maxDeliveries: 10 })).toThrow(PlanError);
    expect(() => planBatches(ids(11), { batchSize: 2, maxDeliveries: 10 })).toThrow(
      /11 deliveries .* more than max-deliveries \(10\).*raise max-deliveries to at least 11/,
    );
    expect(planBatches(ids(10), { batchSize: 5, maxDeliveries: 10 })).toHaveLength(2);
  });
});

describe('RedeliveryLedger', () => {
  it('confirms sent IDs and records dropped ones, ignoring drops it did not send', () => {
    const ledger = new RedeliveryLedger(['a', 'b', 'c']);
    const { created: count, dropped } = ledger.confirm(
      { number: 1, start: 0, ids: ['a', 'b', 'c'] },
      {
        ...created(['a', 'c']),
        droppedIds: ['b', 'zzz', 'b'],
      },
    );
    expect(count).toBe(2);
    expect(dropped).toEqual(['b']);
    expect(ledger.idsWith('confirmed')).toEqual(['a', 'c']);
    expect(ledger.idsWith('dropped')).toEqual(['b']);
    expect(ledger.createdIds.map((id, i) => [id, ledger.originalIds[i]])).toEqual([
      ['new-a', 'a'],
      ['new-c', 'c'],
    ]);
  });

  it('matches new rows to originals by event when the reply does not line up with the request', () => {
    const known = new Map<string, Delivery>([
      ['a', { id: 'a', eventId: 'e1', webhookId: 'w', response: null }],
      ['b', { id: 'b', eventId: 'e2', webhookId: 'w', response: null }],
    ]);
    const ledger = new RedeliveryLedger(['a', 'b'], known);
    ledger.confirm(
      { number: 1, start: 0, ids: ['a', 'b'] },
      {
        created: [
          { id: 'n2', eventId: 'e2', webhookId: 'w', response: null },
          { id: 'n1', eventId: 'e1', webhookId: 'w', response: null },
        ],
        droppedIds: [],
      },
    );
    expect(ledger.createdIds.map((id, i) => [id, ledger.originalIds[i]])).toEqual([
      ['n2', 'b'],
      ['n1', 'a'],
    ]);
  });

  it('keeps the first new deliveries in full, the rest as IDs, and what the wait needs', () => {
    const requested = ids(150);
    const ledger = new RedeliveryLedger(requested);
    ledger.confirm(
      { number: 1, start: 0, ids: requested },
      {
        created: requested.map((id, i) => ({
          id: `new-${id}`,
          webhookId: 'wh',
          response: null,
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 150 - i)).toISOString(),
        })),
        droppedIds: [],
      },
    );
    expect(ledger.createdIds).toHaveLength(150);
    expect(ledger.createdDetails).toHaveLength(100);
    expect(ledger.createdDetails[99]).toMatchObject({
      id: 'new-d100',
      originalId: 'd100',
      webhookId: 'wh',
    });
    expect(ledger.earliestCreatedAtMs).toBe(Date.UTC(2026, 0, 1, 0, 0, 1));
    expect([...ledger.createdWebhooks]).toEqual(['wh']);
  });

  it('says when new deliveries were paired with originals by position only', () => {
    const withEvents = new Map<string, Delivery>([
      ['a', { id: 'a', eventId: 'e1', webhookId: 'w', response: null }],
    ]);
    const checked = new RedeliveryLedger(['a'], withEvents);
    checked.confirm(
      { number: 1, start: 0, ids: ['a'] },
      { created: [{ id: 'n1', eventId: 'e1', webhookId: 'w', response: null }], droppedIds: [] },
    );
    expect(checked.pairedByPositionOnly).toBe(false);
    // Discovered rows without event_id: known, but nothing to check the position against.
    const withoutEvents = new Map<string, Delivery>([['a', { id: 'a', response: null }]]);
    const unchecked = new RedeliveryLedger(['a'], withoutEvents);
    unchecked.confirm(
      { number: 1, start: 0, ids: ['a'] },
      { created: [{ id: 'n1', response: null }], droppedIds: [] },
    );
    expect(unchecked.pairedByPositionOnly).toBe(true);
  });

  it('puts a batch that never left in unsent, and a refused or doubtful one in failed', () => {
    const ledger = new RedeliveryLedger(ids(6));
    ledger.fail({ number: 1, start: 0, ids: ['d1', 'd2'] }, new ApiError('refused', 'not-sent'));
    ledger.fail({ number: 2, start: 2, ids: ['d3', 'd4'] }, new ApiError('500', 'unknown', 500));
    ledger.fail({ number: 3, start: 4, ids: ['d5'] }, new ApiError('422', 'rejected', 422));
    ledger.close();
    expect(ledger.idsWith('unsent')).toEqual(['d1', 'd2', 'd6']);
    expect(ledger.idsWith('failed')).toEqual(['d3', 'd4', 'd5']);
    expect(ledger.failures.map((f) => f.outcome)).toEqual(['unknown', 'rejected']);
    expectAccounted(ledger);
  });
});

describe('sendBatches', () => {
  it.each([1, 3, 8])('gives the same result at concurrency %i', async (concurrency) => {
    const ledger = new RedeliveryLedger(ids(25));
    const failures = await sendBatches(
      planBatches(ids(25), { batchSize: 4, maxDeliveries: 100 }),
      async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        return created(
          batch,
          batch.filter((id) => id.endsWith('7')),
        );
      },
      ledger,
      { concurrency, log: quiet },
    );
    expect(failures).toEqual([]);
    expect(ledger.idsWith('dropped')).toEqual(['d7', 'd17']);
    expect(ledger.createdIds).toHaveLength(23);
    expectAccounted(ledger);
  });

  it.each([1, 4, 16])(
    'keeps at most %i bulk calls in flight, and uses them all',
    async (concurrency) => {
      let inFlight = 0;
      let most = 0;
      const ledger = new RedeliveryLedger(ids(100));
      await sendBatches(
        planBatches(ids(100), { batchSize: 5, maxDeliveries: 100 }),
        async (batch) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          return created(batch);
        },
        ledger,
        { concurrency, log: quiet },
      );
      expect(most).toBe(concurrency);
    },
  );

  it('starts no batch after a failure; batches in flight finish; the rest are unsent', async () => {
    const started: number[] = [];
    const ledger = new RedeliveryLedger(ids(10));
    const failures = await sendBatches(
      planBatches(ids(10), { batchSize: 2, maxDeliveries: 100 }),
      async (batch, label) => {
        const index = Number(/batch (\d+)/.exec(label)?.[1]);
        started.push(index);
        if (index === 2) throw new ApiError('HTTP 500', 'unknown', 500);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return created(batch);
      },
      ledger,
      { concurrency: 2, log: quiet },
    );
    expect(failures.map((f) => f.message)).toEqual(['HTTP 500']);
    // Batches 1 and 2 start together; 2 fails at once, 1 was in flight and finishes; 3 to 5 never start.
    expect(started).toEqual([1, 2]);
    expect(ledger.idsWith('confirmed')).toEqual(['d1', 'd2']);
    expect(ledger.idsWith('failed')).toEqual(['d3', 'd4']);
    expect(ledger.idsWith('unsent')).toEqual(['d5', 'd6', 'd7', 'd8', 'd9', 'd10']);
    expectAccounted(ledger);
    expect(describeFailures('HTTP 500.', ledger)).toBe(
      'HTTP 500. 2 ID(s) may have been redelivered (outcome unknown; in failed-ids): check them in HINDSITE before sending them again. 6 ID(s) were never sent (unsent-ids): safe to send again. 2 ID(s) were handled before the failure.',
    );
  });
});
