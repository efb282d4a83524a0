/**
 * The stages at their edges, each on its own: the worker pool after a failure, the token's renewal
 * time and who may drop it, discovery of rows that lack an event or a time, a walk or a wait that
 * is cancelled before it starts, and a bug that throws something other than an Error.
 */
import { describe, expect, it } from '@jest/globals';
import type { HindsiteClient } from '../src/hindsite/client.js';
import type { Delivery } from '../src/model/domain.js';
import { sendBatches } from '../src/run/send.js';
import { readSettings } from '../src/settings/inputs.js';
import { RedeliveryLedger } from '../src/model/ledger.js';
import { listAllPages } from '../src/hindsite/paging.js';
import { runPipeline } from '../src/run/pipeline.js';
import { planBatches } from '../src/model/batches.js';
import { runPool } from '../src/model/pool.js';
import { newestPerEventInState } from '../src/run/selection.js';
import { waitForSettle, type SettleTarget } from '../src/run/settle.js';
import { renewAtMs, TokenSource } from '../src/hindsite/token.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

/** A promise and the functions that settle it, for ordering work by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve = (): void => undefined;
  let reject = (_: Error): void => undefined;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('runPool', () => {
  it('stops the other workers before they take anything when work throws at once', async () => {
    const items = [1, 2, 3, 4];
    const taken: number[] = [];
    const take = (): number | undefined => {
      const item = items.shift();
      if (item !== undefined) taken.push(item);
      return item;
    };
    const bug = new TypeError('work is broken');
    await expect(
      runPool(3, take, () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(taken).toEqual([1]);
  });

  it('lets an item in flight finish after another fails, then takes nothing more', async () => {
    const items = [1, 2, 3, 4];
    const gates = new Map(items.map((item) => [item, deferred()]));
    const finished: number[] = [];
    const pool = runPool(
      2,
      () => items.shift(),
      async (item) => {
        await gates.get(item)?.promise;
        finished.push(item);
      },
    );
    let settled = false;
    void pool.catch(() => (settled = true));
    const failure = new Error('batch 1 broke');
    gates.get(1)?.reject(failure);
    await new Promise((done) => setImmediate(done));
    // The failure is not passed on while item 2 is still in flight.
    expect(settled).toBe(false);
    gates.get(2)?.resolve();
    await expect(pool).rejects.toBe(failure);
    expect(finished).toEqual([2]);
    expect(items).toEqual([3, 4]);
  });
});

describe('token renewal', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it('counts the lifetime from the server’s issue time when the clocks agree', () => {
    const issued = now - 90_000;
    const reply = { accessToken: 't', expiresInSeconds: 7200, createdAtSeconds: issued / 1000 };
    expect(renewAtMs(reply, now)).toBe(issued + 7200_000 - 60_000);
  });

  it('counts from our own time when the server’s clock is far off', () => {
    const reply = {
      accessToken: 't',
      expiresInSeconds: 7200,
      createdAtSeconds: (now + 3600_000) / 1000,
    };
    expect(renewAtMs(reply, now)).toBe(now + 7200_000 - 60_000);
  });

  it('keeps its token when told to forget another one, and drops it when told to forget it', async () => {
    const clock = new VirtualClock(now);
    let exchanges = 0;
    const tokens = new TokenSource(
      async () => ({ accessToken: `t${++exchanges}`, expiresInSeconds: 7200 }),
      clock,
    );
    expect(await tokens.bearer()).toBe('t1');
    // A call refused with an older token must not throw away the one that replaced it.
    tokens.forget('t0');
    expect(await tokens.bearer()).toBe('t1');
    expect(exchanges).toBe(1);
    tokens.forget('t1');
    expect(await tokens.bearer()).toBe('t2');
    expect(exchanges).toBe(2);
  });
});

describe('newestPerEventInState, rows that lack something', () => {
  const at = (minute: number): string => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();
  const ids = (rows: Delivery[]): string[] => rows.map((delivery) => delivery.id);

  it('treats each row without an event as an event of its own', () => {
    const rows: Delivery[] = [
      { id: 'a', state: 'errored', response: null, createdAt: at(2) },
      { id: 'b', state: 'errored', response: null, createdAt: at(1) },
      { id: 'c', state: 'completed', response: null, createdAt: at(3) },
    ];
    expect(ids(newestPerEventInState(rows, 'errored'))).toEqual(['b', 'a']);
  });

  it('counts a row without a readable created_at as the oldest of its event', () => {
    const rows: Delivery[] = [
      { id: 'r1', eventId: 'e', webhookId: 'wh', state: 'completed', response: null },
      {
        id: 'r2',
        eventId: 'e',
        webhookId: 'wh',
        state: 'errored',
        response: null,
        createdAt: at(1),
      },
      { id: 's1', eventId: 'f', webhookId: 'wh', state: 'errored', response: null, createdAt: 'x' },
    ];
    // e: the errored row is the newest. f: its only row is taken, and goes last: when an event
    // with no readable date happened is unknown, so it is not put before every dated one.
    expect(ids(newestPerEventInState(rows, 'errored'))).toEqual(['r2', 's1']);
  });

  it('picks the same row among tied ones whatever order the list returned them in', () => {
    const tied = (first: string, second: string): Delivery[] =>
      [first, second].map((id) => ({
        id,
        eventId: 'e',
        webhookId: 'wh',
        state: 'errored',
        response: null,
        createdAt: at(1),
      }));
    expect(ids(newestPerEventInState(tied('dlv_10', 'dlv_9'), 'errored'))).toEqual(['dlv_10']);
    expect(ids(newestPerEventInState(tied('dlv_9', 'dlv_10'), 'errored'))).toEqual(['dlv_10']);
  });

  it('keeps an event without a webhook apart from the same event on a webhook', () => {
    const rows: Delivery[] = [
      { id: 'x1', eventId: 'e', state: 'errored', response: null, createdAt: at(1) },
      { id: 'x2', eventId: 'e', state: 'completed', response: null, createdAt: at(2) },
      {
        id: 'y1',
        eventId: 'e',
        webhookId: 'wh',
        state: 'errored',
        response: null,
        createdAt: at(1),
      },
    ];
    expect(ids(newestPerEventInState(rows, 'errored'))).toEqual(['y1']);
  });
});

describe('cancelled before the work starts', () => {
  const cancelled = (): AbortSignal => {
    const cancel = new AbortController();
    cancel.abort('SIGTERM');
    return cancel.signal;
  };

  it('listAllPages reads no page and fails as stopped', async () => {
    let pagesAsked = 0;
    const walk = listAllPages(
      async () => {
        pagesAsked++;
        return [];
      },
      4,
      { signal: cancelled() },
    );
    await expect(walk).rejects.toMatchObject({
      message: 'Listing deliveries was stopped.',
      outcome: 'not-sent',
    });
    expect(pagesAsked).toBe(0);
  });

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

describe('waitForSettle, cut short', () => {
  const target: SettleTarget = {
    ids: ['n1', 'n2'],
    details: [],
    filters: {},
    events: new Map(),
    requested: new Set(),
  };
  const options = (clock: VirtualClock, cancel?: AbortSignal) => ({
    timeoutMs: 60_000,
    pollIntervalMs: 15_000,
    concurrency: 1,
    log: new RecordingLogger(),
    clock,
    cancel,
  });

  it('does not wait at all when the job is already cancelled', async () => {
    const clock = new VirtualClock();
    const cancel = new AbortController();
    cancel.abort('SIGINT');
    let polls = 0;
    const result = await waitForSettle(
      target,
      async () => {
        polls++;
        return [];
      },
      options(clock, cancel.signal),
    );
    expect(polls).toBe(0);
    expect(clock.waits).toEqual([]);
    expect(result.unsettledIds).toEqual(['n1', 'n2']);
  });

  it('stops without polling when the job is cancelled between polls', async () => {
    const clock = new VirtualClock();
    const cancel = new AbortController();
    let polls = 0;
    const waiting = waitForSettle(
      target,
      async () => {
        polls++;
        return [];
      },
      options(clock, cancel.signal),
    );
    // The first sleep has begun (it starts synchronously); the cancel ends it.
    cancel.abort('SIGINT');
    const result = await waiting;
    expect(clock.waits).toEqual([15_000]);
    expect(polls).toBe(0);
    expect(result.unsettledIds).toEqual(['n1', 'n2']);
    expect(result.error).toBeUndefined();
  });

  it('passes a bug in a poll on, rather than reporting it as a failed poll', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const log = new RecordingLogger();
    const waiting = waitForSettle(target, () => Promise.reject(bug), {
      ...options(new VirtualClock()),
      log,
    });
    await expect(waiting).rejects.toBe(bug);
    expect(log.warnings).toEqual([]);
  });

  it('counts as a duplicate only a newer row that names the event', async () => {
    const clock = new VirtualClock();
    const later = new Date(clock.now() + 1000).toISOString();
    const watched: SettleTarget = {
      ids: ['n1'],
      details: [],
      filters: {},
      events: new Map([['wh\u0000evt_1', { newId: 'n1', afterMs: clock.now() }]]),
      requested: new Set(['orig']),
    };
    const row = (id: string, eventId?: string): Delivery => ({
      id,
      eventId,
      webhookId: 'wh',
      state: 'completed',
      response: null,
      createdAt: later,
    });
    const result = await waitForSettle(
      watched,
      async (_filters, page) =>
        page > 1
          ? []
          : [row('n1', 'evt_1'), row('orig', 'evt_1'), row('anon'), row('dup', 'evt_1')],
      options(clock),
    );
    expect(result.completedIds).toEqual(['n1']);
    expect(result.duplicates).toEqual([
      { webhookId: 'wh', eventId: 'evt_1', newId: 'n1', otherIds: ['dup'] },
    ]);
  });
});
