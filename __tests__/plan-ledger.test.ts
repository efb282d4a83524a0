import { describe, expect, it } from '@jest/globals';
import { failureOf } from '../src/report/render.js';
import type { BulkResult, Delivery } from '../src/model/domain.js';
import { ApiError } from '../src/model/errors.js';
import { sendBatches } from '../src/run/send.js';
import { Pace } from '../src/run/pace.js';
import { RedeliveryLedger, type LedgerSnapshot } from '../src/model/ledger.js';
import { planBatches, type Batch, type PlanOptions } from '../src/model/batches.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

const ids = (n: number, prefix = 'd'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const created = (batch: string[], dropped: string[] = []): BulkResult => ({
  created: batch
    .filter((id) => !dropped.includes(id))
    .map((id) => ({ id: `new-${id}`, response: null })),
  droppedIds: dropped,
});

/** The batches of a plan that is not over the cap. */
function batchesOf(selection: readonly string[], options: PlanOptions): Batch[] {
  const plan = planBatches(selection, options);
  if (plan.kind !== 'batches') throw new Error(`expected batches, got ${plan.kind}`);
  return plan.batches;
}

const STATUS_LISTS = [
  'confirmed',
  'dropped',
  'refused',
  'unknown',
  'unsent',
  'blocked',
  'planned',
  'skipped',
] as const;

/** Every requested ID is in exactly one of the status lists. */
function expectAccounted(snapshot: LedgerSnapshot): void {
  const listed = STATUS_LISTS.flatMap((status) => snapshot[status]);
  expect([...listed].sort()).toEqual([...snapshot.requested].sort());
  expect(snapshot.failed).toEqual(
    snapshot.requested.filter(
      (id) => snapshot.refused.includes(id) || snapshot.unknown.includes(id),
    ),
  );
}

const pairs = (snapshot: LedgerSnapshot): [string, string | undefined][] =>
  snapshot.createdIds.map((id) => [id, snapshot.originalOf.get(id)]);

describe('planBatches', () => {
  it('splits into batches of batch-size, in order', () => {
    expect(planBatches(ids(5), { batchSize: 2, maxDeliveries: 10 })).toEqual({
      kind: 'batches',
      batches: [
        { number: 1, start: 0, ids: ['d1', 'd2'] },
        { number: 2, start: 2, ids: ['d3', 'd4'] },
        { number: 3, start: 4, ids: ['d5'] },
      ],
    });
    expect(planBatches([], { batchSize: 2, maxDeliveries: 10 })).toEqual({
      kind: 'batches',
      batches: [],
    });
  });

  it('refuses a selection over the cap before anything is sent, saying how to raise it', () => {
    const plan = planBatches(ids(11), { batchSize: 2, maxDeliveries: 10 });
    expect(plan).toEqual({ kind: 'over-cap', selected: 11, cap: 10 });
    if (plan.kind !== 'over-cap') throw new Error('expected over-cap');
    expect(failureOf({ verdict: plan })).toMatch(
      /^11 deliveries .* more than max-deliveries \(10\), so nothing was sent: .*raise max-deliveries to at least 11\.$/,
    );
    // Exactly at the cap is allowed.
    expect(batchesOf(ids(10), { batchSize: 5, maxDeliveries: 10 })).toHaveLength(2);
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
    expect(ledger.createdCount).toBe(2);
    const snapshot = ledger.snapshot();
    expect(snapshot.confirmed).toEqual(['a', 'c']);
    expect(snapshot.dropped).toEqual(['b']);
    expect(pairs(snapshot)).toEqual([
      ['new-a', 'a'],
      ['new-c', 'c'],
    ]);
    expectAccounted(snapshot);
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
    expect(pairs(ledger.snapshot())).toEqual([
      ['n2', 'b'],
      ['n1', 'a'],
    ]);
  });

  it('lists new deliveries in batch order, whatever order the batches finished in', () => {
    const ledger = new RedeliveryLedger(ids(4));
    ledger.confirm({ number: 2, start: 2, ids: ['d3', 'd4'] }, created(['d3', 'd4']));
    ledger.confirm({ number: 1, start: 0, ids: ['d1', 'd2'] }, created(['d1', 'd2']));
    const snapshot = ledger.snapshot();
    expect(snapshot.createdIds).toEqual(['new-d1', 'new-d2', 'new-d3', 'new-d4']);
    expect(snapshot.createdIds.map((id) => snapshot.originalOf.get(id))).toEqual([
      'd1',
      'd2',
      'd3',
      'd4',
    ]);
    expect(snapshot.createdDetails.map((delivery) => delivery.id)).toEqual(snapshot.createdIds);
  });

  it('keeps the first new deliveries in full and the rest as IDs', () => {
    const requested = ids(150);
    const ledger = new RedeliveryLedger(requested);
    ledger.confirm(
      { number: 1, start: 0, ids: requested },
      {
        created: requested.map((id) => ({ id: `new-${id}`, webhookId: 'wh', response: null })),
        droppedIds: [],
      },
    );
    const snapshot = ledger.snapshot();
    expect(snapshot.createdIds).toHaveLength(150);
    expect(snapshot.createdDetails).toHaveLength(100);
    expect(snapshot.createdDetails[99]).toMatchObject({
      id: 'new-d100',
      originalId: 'd100',
      webhookId: 'wh',
    });
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
    expect(checked.snapshot().pairedByPositionOnly).toBe(false);
    // Discovered rows without event_id: known, but nothing to check the position against.
    const withoutEvents = new Map<string, Delivery>([['a', { id: 'a', response: null }]]);
    const unchecked = new RedeliveryLedger(['a'], withoutEvents);
    unchecked.confirm(
      { number: 1, start: 0, ids: ['a'] },
      { created: [{ id: 'n1', response: null }], droppedIds: [] },
    );
    expect(unchecked.snapshot().pairedByPositionOnly).toBe(true);
  });

  it('puts a batch that never left in unsent, a refused one in refused, a doubtful one in unknown', () => {
    const ledger = new RedeliveryLedger(ids(6));
    ledger.fail({ number: 1, start: 0, ids: ['d1', 'd2'] }, new ApiError('down', 'not-sent'));
    ledger.fail({ number: 2, start: 2, ids: ['d3', 'd4'] }, new ApiError('500', 'unknown', 500));
    ledger.fail({ number: 3, start: 4, ids: ['d5'] }, new ApiError('422', 'refused', 422));
    ledger.close('unsent');
    const snapshot = ledger.snapshot();
    expect(snapshot.unsent).toEqual(['d1', 'd2', 'd6']);
    expect(snapshot.unknown).toEqual(['d3', 'd4']);
    expect(snapshot.refused).toEqual(['d5']);
    expect(snapshot.failed).toEqual(['d3', 'd4', 'd5']);
    // Only calls that reached HINDSITE are failures to report.
    expect(snapshot.failures).toEqual([
      { ids: ['d3', 'd4'], outcome: 'unknown', message: '500' },
      { ids: ['d5'], outcome: 'refused', message: '422' },
    ]);
    expectAccounted(snapshot);
  });

  it.each(['unsent', 'blocked', 'planned'] as const)(
    'closes what was never settled as %s, and leaves settled IDs alone',
    (reason) => {
      const ledger = new RedeliveryLedger(ids(4));
      ledger.confirm({ number: 1, start: 0, ids: ['d1'] }, created(['d1']));
      ledger.fail({ number: 2, start: 1, ids: ['d2'] }, new ApiError('500', 'unknown', 500));
      ledger.close(reason);
      const snapshot = ledger.snapshot();
      expect(snapshot.confirmed).toEqual(['d1']);
      expect(snapshot.unknown).toEqual(['d2']);
      expect(snapshot[reason]).toEqual(['d3', 'd4']);
      for (const other of ['unsent', 'blocked', 'planned'] as const) {
        if (other !== reason) expect(snapshot[other]).toEqual([]);
      }
      expectAccounted(snapshot);
    },
  );

  it('reports IDs not yet settled as unsent in a snapshot taken before it is closed', () => {
    const ledger = new RedeliveryLedger(ids(3));
    ledger.confirm({ number: 1, start: 0, ids: ['d1'] }, created(['d1']));
    const snapshot = ledger.snapshot();
    expect(snapshot.unsent).toEqual(['d2', 'd3']);
    expectAccounted(snapshot);
  });
});

describe('sendBatches', () => {
  // Bulk calls that take a little (virtual) time each, so that they finish out of order.
  const clock = new VirtualClock();

  it.each([1, 3, 8])('gives the same result at concurrency %i', async (concurrency) => {
    const ledger = new RedeliveryLedger(ids(25));
    const outcome = await sendBatches(
      batchesOf(ids(25), { batchSize: 4, maxDeliveries: 100 }),
      async (batch) => {
        await clock.sleep((Number(batch[0]?.slice(1)) * 7) % 5);
        return created(
          batch,
          batch.filter((id) => id.endsWith('7')),
        );
      },
      ledger,
      { concurrency, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    expect(outcome.failures).toEqual([]);
    const snapshot = ledger.snapshot();
    expect(snapshot.dropped).toEqual(['d7', 'd17']);
    expect(snapshot.createdIds).toEqual(
      ids(25)
        .filter((id) => !id.endsWith('7'))
        .map((id) => `new-${id}`),
    );
    expectAccounted(snapshot);
    expect(snapshot.unsent).toEqual([]);
  });

  it.each([1, 4, 16])(
    'keeps at most %i bulk calls in flight, and uses them all',
    async (concurrency) => {
      let inFlight = 0;
      let most = 0;
      const ledger = new RedeliveryLedger(ids(100));
      await sendBatches(
        batchesOf(ids(100), { batchSize: 5, maxDeliveries: 100 }),
        async (batch) => {
          most = Math.max(most, ++inFlight);
          await clock.sleep(2);
          inFlight--;
          return created(batch);
        },
        ledger,
        { concurrency, log: new RecordingLogger(), clock: new VirtualClock() },
      );
      expect(most).toBe(concurrency);
    },
  );

  it('logs one line per bulk call', async () => {
    const log = new RecordingLogger();
    await sendBatches(
      batchesOf(['a', 'b', 'c'], { batchSize: 2, maxDeliveries: 10 }),
      async (batch) =>
        created(
          batch,
          batch.filter((id) => id === 'c'),
        ),
      new RedeliveryLedger(['a', 'b', 'c']),
      { concurrency: 1, log, clock: new VirtualClock() },
    );
    expect(log.lines).toEqual([
      'Batch 1/2: 2 IDs sent, 2 redeliveries created, 0 dropped.',
      'Batch 2/2: 1 ID sent, 0 redeliveries created, 1 dropped.',
    ]);
  });

  it('says where the new deliveries are, for the wait', async () => {
    const requested = ids(6);
    const outcome = await sendBatches(
      batchesOf(requested, { batchSize: 3, maxDeliveries: 10 }),
      async (batch) => ({
        created: batch.map((id, i) => ({
          id: `new-${id}`,
          webhookId: id === 'd6' ? 'wh_b' : 'wh_a',
          response: null,
          // The second batch's rows are older; one row has no (readable) created_at.
          createdAt:
            id === 'd2'
              ? 'not a date'
              : new Date(Date.UTC(2026, 0, 1, 0, batch[0] === 'd1' ? 10 : 5, i)).toISOString(),
        })),
        droppedIds: [],
      }),
      new RedeliveryLedger(requested),
      { concurrency: 2, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    expect(outcome.earliestCreatedAtMs).toBe(Date.UTC(2026, 0, 1, 0, 5, 0));
    expect([...outcome.createdWebhooks].sort()).toEqual(['wh_a', 'wh_b']);
  });

  it('keeps at most two webhooks, and none without created deliveries', async () => {
    const outcome = await sendBatches(
      batchesOf(ids(3), { batchSize: 1, maxDeliveries: 10 }),
      async (batch) => ({
        created: [{ id: `new-${batch[0]}`, webhookId: `wh-${batch[0]}`, response: null }],
        droppedIds: [],
      }),
      new RedeliveryLedger(ids(3)),
      { concurrency: 1, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    expect([...outcome.createdWebhooks]).toEqual(['wh-d1', 'wh-d2']);
    expect(outcome.earliestCreatedAtMs).toBeUndefined();
    const none = await sendBatches(
      batchesOf(['x'], { batchSize: 1, maxDeliveries: 10 }),
      async () => ({ created: [], droppedIds: ['x'] }),
      new RedeliveryLedger(['x']),
      { concurrency: 1, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    expect(none.createdWebhooks.size).toBe(0);
  });

  it('starts no batch after a failure; batches in flight finish; the rest stay for the caller to close', async () => {
    const started: number[] = [];
    const ledger = new RedeliveryLedger(ids(10));
    const outcome = await sendBatches(
      batchesOf(ids(10), { batchSize: 2, maxDeliveries: 100 }),
      async (batch, label) => {
        const index = Number(/batch (\d+)/.exec(label)?.[1]);
        started.push(index);
        if (index === 2) throw new ApiError('HTTP 500.', 'unknown', 500);
        await clock.sleep(20);
        return created(batch);
      },
      ledger,
      { concurrency: 2, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    expect(outcome.failures.map((f) => f.message)).toEqual(['HTTP 500.']);
    // Batches 1 and 2 start together; 2 fails at once, 1 was in flight and finishes; 3 to 5 never start.
    expect(started).toEqual([1, 2]);
    // sendBatches does not close the ledger: what never started is still pending, and the
    // pipeline decides what it becomes.
    ledger.close('unsent');
    const snapshot = ledger.snapshot();
    expect(snapshot.confirmed).toEqual(['d1', 'd2']);
    expect(snapshot.unknown).toEqual(['d3', 'd4']);
    expect(snapshot.unsent).toEqual(['d5', 'd6', 'd7', 'd8', 'd9', 'd10']);
    expectAccounted(snapshot);
    const [first] = outcome.failures;
    if (!first) throw new Error('expected a failure');
    expect(failureOf({ ledger: snapshot, verdict: { kind: 'batches-failed', first } })).toBe(
      'HTTP 500. Check outcome-unknown-ids in HINDSITE before sending them again; send unsent-ids again.',
    );
  });

  it('leaves the batches it never started pending (it does not close the ledger)', async () => {
    const ledger = new RedeliveryLedger(ids(4));
    await sendBatches(
      batchesOf(ids(4), { batchSize: 2, maxDeliveries: 10 }),
      async () => {
        throw new ApiError('refused', 'refused', 422);
      },
      ledger,
      { concurrency: 1, log: new RecordingLogger(), clock: new VirtualClock() },
    );
    // Only pending IDs move on close: a reason of the caller's choosing shows which they are.
    ledger.close('blocked');
    const snapshot = ledger.snapshot();
    expect(snapshot.refused).toEqual(['d1', 'd2']);
    expect(snapshot.blocked).toEqual(['d3', 'd4']);
  });

  it('does not swallow an error that is not an ApiError (a bug)', async () => {
    await expect(
      sendBatches(
        batchesOf(ids(2), { batchSize: 1, maxDeliveries: 10 }),
        async () => {
          throw new TypeError('bug');
        },
        new RedeliveryLedger(ids(2)),
        { concurrency: 1, log: new RecordingLogger(), clock: new VirtualClock() },
      ),
    ).rejects.toThrow('bug');
  });
});

describe('cancelled before the work starts', () => {
  const cancelled = (): AbortSignal => {
    const cancel = new AbortController();
    cancel.abort('SIGTERM');
    return cancel.signal;
  };

  it('sendBatches starts no bulk call, and every ID stays unsent', async () => {
    const plan = planBatches(['a', 'b', 'c'], { batchSize: 2, maxDeliveries: 10 });
    if (plan.kind !== 'batches') throw new Error('expected batches');
    const ledger = new RedeliveryLedger(['a', 'b', 'c']);
    let calls = 0;
    const outcome = await sendBatches(
      plan.batches,
      async () => {
        calls++;
        return { created: [], droppedIds: [] };
      },
      ledger,
      {
        concurrency: 2,
        log: new RecordingLogger(),
        clock: new VirtualClock(),
        cancel: cancelled(),
      },
    );
    expect(calls).toBe(0);
    expect(outcome.failures).toEqual([]);
    expect(ledger.snapshot().unsent).toEqual(['a', 'b', 'c']);
  });
});

describe('a paced retry whose check skipped an ID, when the run stops before it goes out', () => {
  it('keeps that ID skipped: only what the retry would have carried is refused', async () => {
    const clock = new VirtualClock();
    const ledger = new RedeliveryLedger(['a', 'b']);
    const cancel = new AbortController();
    let due = false;
    const refused = new ApiError('HTTP 429', 'refused', 429);
    const outcome = await sendBatches(
      batchesOf(['a', 'b'], { batchSize: 2, maxDeliveries: 10 }),
      // A 429, then (as the client does) the retry's turn; no turn: the last error.
      async (_batch, _label, _signals, pace) => {
        due = true;
        pace?.hold(1000);
        if (await pace?.turn()) throw new Error('the retry was not to go out');
        throw refused;
      },
      ledger,
      {
        concurrency: 1,
        log: new RecordingLogger(),
        clock,
        cancel: cancel.signal,
        pace: new Pace(60, clock),
        // The check before the retry finds a's event changed; the job is cancelled meanwhile.
        check: {
          get due() {
            return due;
          },
          checking: false,
          check: async () => {
            due = false;
            cancel.abort('SIGINT');
            return new Set(['a']);
          },
        },
      },
    );
    expect(outcome.failures).toEqual([refused]);
    const snapshot = ledger.snapshot();
    expect(snapshot.skipped).toEqual(['a']);
    expect(snapshot.refused).toEqual(['b']);
    expectAccounted(snapshot);
  });
});
