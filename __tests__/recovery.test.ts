import { describe, expect, it } from '@jest/globals';
import { splitCanary } from '../src/run/canary.js';
import type { BulkResult, Delivery } from '../src/model/domain.js';
import { ApiError, InputError } from '../src/model/errors.js';
import { sendBatches, type Redeliver } from '../src/run/send.js';
import { parseEventActions, readSettings } from '../src/settings/inputs.js';
import type { InputReader } from '../src/settings/settings.js';
import { describePace, Pace, pacedBatchSize, pacePlan, roughDuration } from '../src/run/pace.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { listAllPages } from '../src/hindsite/paging.js';
import { planBatches, type Batch } from '../src/model/batches.js';
import { render, failureOf } from '../src/report/render.js';
import type { RunResult } from '../src/run/result.js';
import { caught } from './support/caught.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';
import { joinSent } from '../src/run/send.js';

describe('Pace', () => {
  it('starts a call once the calls before it had their share of the minute', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(600, clock);
    const starts: number[] = [];
    for (const size of [20, 20, 10, 20]) {
      expect(await pace.start(size)).toBe(true);
      starts.push(clock.now());
    }
    // 600 per minute is 10 per second: 20 IDs take 2 s of it, 10 IDs 1 s.
    expect(starts).toEqual([0, 2000, 4000, 5000]);
  });

  it('is shared by concurrent callers, in the order they asked', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    const starts: [string, number][] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        await pace.start(5);
        starts.push([name, clock.now()]);
      }),
    );
    expect(starts).toEqual([
      ['a', 0],
      ['b', 5000],
      ['c', 10_000],
    ]);
  });

  it('does not catch up in a burst after a pause (a slow reply, the canary’s wait)', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    await pace.start(2);
    clock.advance(60_000);
    await pace.start(2);
    const resumed = clock.now();
    await pace.start(2);
    expect(clock.now() - resumed).toBe(2000);
  });

  it('gives up waiting when the signal ends, booking nothing', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    await pace.start(10);
    const stop = new AbortController();
    const waiting = pace.start(10, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    expect(await pace.start(10, stop.signal)).toBe(false);
    // The next caller gets the slot the abandoned ones would have had.
    expect(await pace.start(10)).toBe(true);
    expect(clock.now()).toBe(10_000);
  });

  it('reads the next allowed time again after every wake, so a hold set while waiting holds', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    await pace.start(2);
    const waiting = pace.start(2).then(() => clock.now());
    // While the second call waits for its turn at 2 s, the server asks for 10 s from 1 s on.
    await clock.sleep(1000);
    pace.holdUntil(11_000);
    expect(await waiting).toBe(11_000);
  });

  it('lets an older batch’s turn go before newer ones already waiting', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    await pace.start(2, undefined, 1);
    pace.holdUntil(10_000);
    const order: number[] = [];
    const newer = [3, 4].map((rank) => pace.start(2, undefined, rank).then(() => order.push(rank)));
    await clock.sleep(500);
    const older = pace.start(2, undefined, 2).then(() => order.push(2));
    await Promise.all([...newer, older]);
    expect(order).toEqual([2, 3, 4]);
  });

  it('starts no call while a check goes on, and goes on at the pace when it ends, failed or not', async () => {
    const clock = new VirtualClock(0);
    const pace = new Pace(60, clock);
    await pace.start(2);
    for (const outcome of ['resolve', 'reject'] as const) {
      let end = (): void => undefined;
      const checking = new Promise<void>((resolve, reject) => {
        end = outcome === 'resolve' ? resolve : () => reject(new Error('list refused'));
      });
      pace.holdWhile(checking);
      pace.holdWhile(checking);
      const starts: number[] = [];
      const waiting = [1, 2].map((rank) =>
        pace.start(2, undefined, rank).then(() => starts.push(clock.now())),
      );
      // The check takes 30 s: the turns due meanwhile wait for it.
      const heldFrom = clock.now();
      await clock.sleep(30_000);
      expect(starts).toEqual([]);
      end();
      await checking.catch(() => undefined);
      await Promise.all(waiting);
      expect(starts).toEqual([heldFrom + 30_000, heldFrom + 32_000]);
    }
  });
});

describe('paced bulk calls', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const batches = (): Batch[] => {
    const plan = planBatches(ids, { batchSize: 2, maxDeliveries: 10 });
    return plan.kind === 'batches' ? plan.batches : [];
  };
  /** Sends a..f in calls of 2 at 60 a minute, 4 calls at a time; `redeliver` answers each call. */
  async function send(redeliver: Redeliver, cancel?: AbortSignal): Promise<string[][]> {
    const clock = new VirtualClock(0);
    const sent: string[][] = [];
    const ledger = new RedeliveryLedger(ids);
    await sendBatches(
      batches(),
      (batchIds, label, signal) => {
        sent.push(batchIds);
        return redeliver(batchIds, label, signal);
      },
      ledger,
      { concurrency: 4, log: new RecordingLogger(), clock, pace: new Pace(60, clock), cancel },
    );
    ledger.close('unsent');
    expect(ledger.snapshot().unsent).toEqual(ids.slice(sent.flat().length));
    return sent;
  }
  const created = async (batchIds: string[]): Promise<BulkResult> => ({
    created: batchIds.map((id) => ({ id: `new_${id}`, response: null })),
    droppedIds: [],
  });

  it('sends every call in its turn', async () => {
    expect(await send(created)).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  it('starts none of the calls waiting for their turn after a failure', async () => {
    const refused = async (): Promise<BulkResult> => {
      throw new ApiError('HTTP 422', 'refused', 422);
    };
    expect(await send(refused)).toEqual([ids.slice(0, 2)]);
  });

  it('starts none of them once the job is cancelled', async () => {
    const cancel = new AbortController();
    const cancelling = async (batchIds: string[]): Promise<BulkResult> => {
      cancel.abort('SIGTERM');
      return created(batchIds);
    };
    expect(await send(cancelling, cancel.signal)).toEqual([ids.slice(0, 2)]);
  });
});

describe('pace plan', () => {
  it.each([
    [100, undefined, 100],
    [100, 600, 20], // 2 s of 10 per second
    [100, 6000, 100], // batch-size is smaller than 2 s of the pace
    [100, 10, 1], // one ID a call at the least, every 6 s
    [5, 90, 3],
  ])('shrinks batch-size %i at max-rate %s to %i IDs a call', (batchSize, rate, expected) => {
    expect(pacedBatchSize(batchSize, rate)).toBe(expected);
  });

  it('expects the last call to start when every call before it had its time', () => {
    const plan = planBatches(
      Array.from({ length: 1200 }, (_, i) => `d${i}`),
      {
        batchSize: 20,
        maxDeliveries: 5000,
      },
    );
    if (plan.kind !== 'batches') throw new Error('over the cap');
    expect(pacePlan(600, 100, plan.batches)).toEqual({
      perMinute: 600,
      batchSize: 20,
      shrunk: true,
      expectedMs: 118_000,
    });
    expect(pacePlan(6000, 100, [{ ids: ['a'] }])).toMatchObject({ shrunk: false, expectedMs: 0 });
  });

  it.each([
    [0, '0 s'],
    [40_400, '40 s'],
    [118_000, '2 min'],
    [3_900_000, '65 min'],
    [7_500_000, '2 h 5 min'],
  ])('says %i ms as "%s"', (ms, text) => {
    expect(roughDuration(ms)).toBe(text);
  });
});

describe('splitCanary', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

  it('gives the canary its own calls first, keeping the run’s numbers and positions', () => {
    const { ids: canary, canary: first, rest } = splitCanary(ids, 3, [], 2);
    expect(canary).toEqual(['a', 'b', 'c']);
    expect(first).toEqual([
      { number: 1, start: 0, ids: ['a', 'b'] },
      { number: 2, start: 2, ids: ['c'] },
    ]);
    expect(rest).toEqual([
      { number: 3, start: 3, ids: ['d', 'e'] },
      { number: 4, start: 5, ids: ['f', 'g'] },
    ]);
  });

  it('keeps the planned batches without a canary, and sends everything as the canary when it is larger', () => {
    const planned = [{ number: 1, start: 0, ids }];
    expect(splitCanary(ids, 0, planned, 100)).toEqual({ ids: [], canary: [], rest: planned });
    const all = splitCanary(ids, 50, planned, 100);
    expect(all.ids).toEqual(ids);
    expect(all.rest).toEqual([]);
  });

  it('joins what the canary’s calls and the rest’s created, for the wait over both', () => {
    const joined = joinSent(
      {
        failures: [],
        earliestCreatedAtMs: 5,
        createdWebhooks: new Set(['wh']),
        createdEvents: new Map([['n1', 'e1']]),
      },
      {
        failures: [],
        earliestCreatedAtMs: undefined,
        createdWebhooks: new Set(['wh']),
        createdEvents: new Map([['n2', 'e2']]),
      },
    );
    expect(joined.earliestCreatedAtMs).toBe(5);
    expect([...joined.createdWebhooks]).toEqual(['wh']);
    expect([...joined.createdEvents.keys()]).toEqual(['n1', 'n2']);
  });
});

const reader = (values: Record<string, string>): InputReader => ({
  get: (name) => values[name] ?? '',
  readIdsFile: () => 'dlv_1',
  now: () => new Date('2026-11-29T12:00:00Z'),
});
/** Settings of a discovering run with these inputs. */
const settings = (values: Record<string, string>) =>
  readSettings(reader({ 'access-token': 'tok', since: '24h', ...values }));

describe('inputs: event-action', () => {
  it('reads event-action as a comma- or newline-separated list, trimmed and de-duplicated', () => {
    expect(settings({}).source).toMatchObject({ kind: 'discovery', eventActions: undefined });
    expect(parseEventActions('')).toBeUndefined();
    expect(parseEventActions(' form_completed,report_export_completed\n form_completed ,')).toEqual(
      ['form_completed', 'report_export_completed'],
    );
    expect(settings({ 'event-action': 'form_completed' }).source).toMatchObject({
      eventActions: ['form_completed'],
    });
  });

  it.each([
    [',\n,', /lists no event action/],
    ['form_completed, form completed', /item 2 is not an event action/],
    ['a="b"', /item 1 is not an event action/],
  ])('refuses event-action %j', (value, reason) => {
    const error = caught(InputError, () => parseEventActions(value));
    expect(error.input).toBe('event-action');
    expect(error.message).toMatch(reason);
  });

  it.each([['delivery-ids'], ['delivery-ids-file']])(
    'refuses event-action with %s: the action cannot see their event action',
    (source) => {
      const error = caught(InputError, () =>
        readSettings(
          reader({ 'access-token': 'tok', [source]: 'dlv_1', 'event-action': 'form_completed' }),
        ),
      );
      expect(error.input).toBe('event-action');
      expect(error.message).toContain(`IDs given in ${source}`);
    },
  );
});

describe('inputs: max-rate and canary', () => {
  it('has no pace and no canary by default', () => {
    const read = settings({});
    expect(read.maxRatePerMinute).toBeUndefined();
    expect(read.canary).toBe(0);
  });

  it('reads max-rate and canary as whole numbers', () => {
    expect(settings({ 'max-rate': '600', canary: '5' })).toMatchObject({
      maxRatePerMinute: 600,
      canary: 5,
    });
  });

  it.each([
    ['max-rate', '0', 'an integer from 1 to 1000000'],
    ['max-rate', '2.5', 'an integer from 1 to 1000000'],
    ['max-rate', 'fast', 'an integer from 1 to 1000000'],
    ['canary', '-1', 'an integer from 0 to 1000'],
    ['canary', '1001', 'an integer from 0 to 1000'],
  ])('refuses %s: %j, naming the input', (input, value, allowed) => {
    const error = caught(InputError, () => settings({ [input]: value }));
    expect(error.input).toBe(input);
    expect(error.message).toContain(`Input ${input} must be ${allowed}`);
  });
});

describe('the event-action filter on pages', () => {
  const row = (id: string, eventAction: string): Delivery => ({ id, eventAction, response: null });

  it('counts a row left out once, even when a shifting page shows it twice', async () => {
    const pages = [[row('a', 'keep'), row('b', 'drop')], [row('b', 'drop'), row('c', 'drop')], []];
    const { deliveries, leftOut } = await listAllPages(async (page) => pages[page - 1] ?? [], 1, {
      keep: (delivery) => delivery.eventAction === 'keep',
    });
    expect(deliveries.map((delivery) => delivery.id)).toEqual(['a']);
    expect(leftOut).toBe(2);
  });
});

describe('rendering the canary', () => {
  const canaryRun = (fields: Partial<RunResult>): RunResult => ({
    canary: { ids: ['d1', 'd2'], outcome: 'unproven' },
    verdict: { kind: 'canary-refused', timeoutMs: 600_000 },
    ...fields,
  });

  it('says when the canary showed nothing because HINDSITE created no delivery for it', () => {
    expect(failureOf(canaryRun({}))).toBe(
      'The canary showed nothing about the receiver: HINDSITE dropped its 2 deliveries (dropped-ids); check the IDs, then re-run.',
    );
  });

  it('says when polling for the canary failed', () => {
    const settle = {
      completedIds: [],
      failingIds: [],
      unsettledIds: ['n1'],
      final: new Map(),
      duplicates: [],
      error: 'HTTP 500',
    };
    expect(failureOf(canaryRun({ settle }))).toMatch(
      /^The canary did not show that the receiver is back: 1 new delivery had not settled when polling failed; check the receiver, then re-run\./,
    );
    // The polling error itself is a detail, for the log and the summary.
    const rendered = render(canaryRun({ settle }));
    expect(rendered.log).toEqual(['Polling the new deliveries failed: HTTP 500.']);
    expect(rendered.summary).toContain('Polling the new deliveries failed: HTTP 500.');
  });

  it.each([
    [
      'passed',
      'redelivered first; every new delivery of it completed, so the run went on to the 1 other delivery',
    ],
    [
      'unproven',
      'redelivered first; it did not show that the receiver is back, so the 1 other delivery was not sent',
    ],
    [
      'stopped',
      'redelivered first; the run stopped while it was sent, so the 1 other delivery was not sent',
    ],
    ['planned', 'to be redelivered first; the run stopped before it was sent'],
  ] as const)('summarises a canary whose outcome is %s', (outcome, text) => {
    const { summary } = render({
      selection: {
        source: { kind: 'delivery-ids', ids: ['d1', 'd2'] },
        ids: ['d1', 'd2'],
        discoveredCount: 0,
        skippedCount: 0,
        pagesRead: 0,
        known: new Map(),
      },
      canary: { ids: ['d1'], outcome },
      verdict: { kind: 'ok' },
    });
    expect(summary).toContain(`**Canary:** 1 delivery (the first IDs given) ${text}.`);
  });
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

describe('the expected duration', () => {
  it('reads as words for one delivery', () => {
    const plan = planBatches(['a'], { batchSize: 20, maxDeliveries: 10 });
    const batches = plan.kind === 'batches' ? plan.batches : [];
    expect(describePace(pacePlan(600, 100, batches), 1)).toBe(
      'at most 600 redeliveries per minute (bulk calls shrunk to 20 IDs): 1 delivery goes out at once',
    );
  });
});
