import { describe, expect, it } from '@jest/globals';
import type { Delivery, ListFilters } from '../src/model/domain.js';
import { ApiError } from '../src/model/errors.js';
import {
  heldBytes,
  listAllPages,
  MAX_DISCOVERY_PAGES,
  MAX_WALK_BYTES,
} from '../src/hindsite/paging.js';
import { selectDeliveries } from '../src/run/selection.js';
import { classify, pollFilters, waitForSettle, type SettleTarget } from '../src/run/settle.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';
import { newestPerEventInState } from '../src/run/newest.js';
import { jsonListWithin } from '../src/report/outputs.js';
import { shortList } from '../src/report/facts.js';

const row = (
  id: string,
  eventId: string,
  state: string,
  minute: number,
  webhookId = 'wh',
): Delivery => ({
  id,
  eventId,
  webhookId,
  state,
  response: null,
  createdAt: new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString(),
});

describe('newestPerEventInState', () => {
  it('retries an event once, only when its newest delivery is in the state asked for', () => {
    const deliveries = [
      row('a1', 'ea', 'errored', 1),
      row('a2', 'ea', 'completed', 5), // already redelivered and completed
      row('b1', 'eb', 'errored', 2),
      row('b2', 'eb', 'in_progress', 6), // a retry is in flight
      row('c1', 'ec', 'errored', 3),
      row('c2', 'ec', 'errored', 7), // failed twice: retry the newest once
      row('d1', 'ed', 'completed', 4),
      row('e1', 'ee', 'errored', 0),
    ];
    expect(newestPerEventInState(deliveries, 'errored').map((d) => d.id)).toEqual(['e1', 'c2']);
    // In the order the events happened: event a (first delivered at minute 1) before d (minute 4).
    expect(newestPerEventInState(deliveries, 'completed').map((d) => d.id)).toEqual(['a2', 'd1']);
  });

  it('treats each webhook’s delivery of one event separately', () => {
    const deliveries = [
      row('x1', 'e', 'errored', 1, 'wh_a'),
      row('x2', 'e', 'completed', 2, 'wh_b'),
    ];
    expect(newestPerEventInState(deliveries, 'errored').map((d) => d.id)).toEqual(['x1']);
  });

  it('does not guess the order of rows created at the same time: all must be in the state', () => {
    // A redelivery with a "smaller" ID in the same second as its errored original.
    const tied = [row('f3c1-original', 'e', 'errored', 1), row('a9b2-retry', 'e', 'pending', 1)];
    expect(newestPerEventInState(tied, 'errored')).toEqual([]);
    const bothFailed = [row('dlv_9', 'e', 'errored', 1), row('dlv_10', 'e', 'errored', 1)];
    expect(newestPerEventInState(bothFailed, 'errored').map((d) => d.id)).toEqual(['dlv_10']);
  });
});

describe('listAllPages', () => {
  // Pages answer after a little virtual time each, so that they finish out of order.
  const clock = new VirtualClock();
  const book = (pages: number, perPage: number): Delivery[][] =>
    Array.from({ length: pages }, (_, p) =>
      Array.from({ length: perPage }, (_, i) => row(`p${p + 1}-${i}`, `e${p}-${i}`, 'errored', i)),
    );
  const never = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => signal.addEventListener('abort', () => resolve()));

  it.each([1, 2, 4, 9])(
    'returns exactly what a sequential walk returns at concurrency %i',
    async (concurrency) => {
      const pages = book(7, 3);
      const requested: number[] = [];
      const { deliveries, pagesRead } = await listAllPages(async (page) => {
        requested.push(page);
        await clock.sleep((page * 7) % 5);
        return pages[page - 1] ?? [];
      }, concurrency);
      expect(deliveries.map((d) => d.id)).toEqual(pages.flat().map((d) => d.id));
      expect(pagesRead).toBe(8);
      expect(Math.max(...requested)).toBeLessThanOrEqual(8 + concurrency - 1);
    },
  );

  it('keeps exactly `concurrency` pages in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await listAllPages(async (page) => {
      most = Math.max(most, ++inFlight);
      await clock.sleep(5);
      inFlight--;
      return page <= 20 ? [row(`r${page}`, `e${page}`, 'errored', 1)] : [];
    }, 4);
    expect(most).toBe(4);
  });

  it('ignores pages after the first empty one, and rows seen twice', async () => {
    const pages = [
      [row('a', 'e1', 'errored', 1)],
      [row('a', 'e1', 'errored', 1), row('b', 'e2', 'errored', 2)],
      [],
      [row('late', 'e3', 'errored', 3)],
    ];
    const { deliveries, pagesRead } = await listAllPages(async (page) => pages[page - 1] ?? [], 4);
    expect(deliveries.map((d) => d.id)).toEqual(['a', 'b']);
    expect(pagesRead).toBe(3);
  });

  it('ignores failures past the first empty page, and abandons those pages once it is known', async () => {
    const abandoned: number[] = [];
    const { deliveries } = await listAllPages(async (page, signal) => {
      if (page === 1) {
        await clock.sleep(20);
        return [row('a', 'e1', 'errored', 1)];
      }
      if (page === 2) return [];
      // Pages past the end: one fails at once, one hangs until abandoned.
      if (page === 3) throw new Error('HTTP 500 past the end');
      await never(signal);
      abandoned.push(page);
      throw new Error('abandoned');
    }, 4);
    expect(deliveries.map((d) => d.id)).toEqual(['a']);
    expect(abandoned).toEqual([4]);
  });

  it('fails at once on a needed page, abandoning the pages after it', async () => {
    const abandoned: number[] = [];
    await expect(
      listAllPages(async (page, signal) => {
        if (page === 1) return [row('a', 'e1', 'errored', 1)];
        if (page === 2) {
          await clock.sleep(20);
          throw new Error('HTTP 400 on page 2');
        }
        await never(signal);
        abandoned.push(page);
        throw new Error('abandoned');
      }, 4),
    ).rejects.toThrow('HTTP 400 on page 2');
    // Page 1 answered at once, so pages 3 to 5 were in flight: all abandoned (else the walk
    // would never end: they only answer when abandoned).
    expect(abandoned.sort()).toEqual([3, 4, 5]);
  });

  it('fails rather than paging forever', async () => {
    const error = await listAllPages(
      async (page) => [row(`r${page}`, `e${page}`, 'errored', 1)],
      2,
      { maxPages: 5 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).outcome).toBe('not-sent');
    expect((error as ApiError).message).toMatch(/read 5 pages .* without reaching the end/);
    expect(MAX_DISCOVERY_PAGES).toBe(2000);
  });

  it('fails rather than hold more bytes than its bound, whatever the page size', async () => {
    let pagesAsked = 0;
    const error = await listAllPages(
      async (page) => {
        pagesAsked++;
        return Array.from({ length: 400 }, (_, i) =>
          row(`r${page}-${i}`, `e${page}-${i}`, 'errored', 1),
        );
      },
      2,
      { maxBytes: 512 * 1024 },
    ).catch((caught: unknown) => caught);
    expect((error as ApiError).outcome).toBe('not-sent');
    expect((error as ApiError).message).toMatch(
      /^Discovery read more than 0\.5 MiB of deliveries \(1,200 deliveries in 3 pages\) without reaching the end of the list; nothing was redelivered\./,
    );
    // 400 rows of about 570 bytes a page: the bound is passed on the 3rd page.
    expect(pagesAsked).toBeLessThanOrEqual(4);
    expect(MAX_WALK_BYTES).toBe(256 * 1024 * 1024);
  });

  it('counts bytes, not rows: one row a page of megabytes ends the walk within pages', async () => {
    let pagesAsked = 0;
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const error = await listAllPages(
      async (page) => {
        pagesAsked++;
        return [{ ...row(`r${page}`, `e${page}`, 'errored', 1), eventId: huge }];
      },
      1,
      { maxBytes: 16 * 1024 * 1024 },
    ).catch((caught: unknown) => caught);
    expect((error as ApiError).message).toMatch(
      /read more than 16 MiB of deliveries \(4 deliveries in 4 pages\)/,
    );
    expect(pagesAsked).toBe(4);
  });

  it('counts a usual delivery at about 750 bytes, two a character and the objects around them', () => {
    const usual: Delivery = {
      id: 'dlv_01HZY3K8Q2W7',
      webhookId: 'wh_orders',
      eventId: '3f2b9c1e-7a44-4b1e-9d2a-5c8e1f0a6b7d',
      eventAction: 'form_completed',
      state: 'errored',
      response: { code: 502, error: 'Bad Gateway' },
      createdAt: '2026-11-29T10:01:00.000Z',
    };
    expect(heldBytes(usual)).toBeGreaterThan(650);
    expect(heldBytes(usual)).toBeLessThan(850);
    // 250,000 of them (what the walk allowed before it counted bytes) still fit.
    expect(250_000 * heldBytes(usual)).toBeLessThan(MAX_WALK_BYTES);
  });

  it('holds the IDs of the rows it leaves out only to count them', async () => {
    const pages = (page: number): Delivery[] =>
      page > 20
        ? []
        : Array.from({ length: 500 }, (_, i) =>
            row(`left-out-${page}-${i}`, `e${i}`, 'errored', 1),
          );
    const walk = (countLeftOut: boolean): Promise<unknown> =>
      listAllPages(async (page) => pages(page), 2, {
        maxBytes: 256 * 1024,
        keep: () => false,
        countLeftOut,
      }).catch((caught: unknown) => caught);
    expect(await walk(true)).toBeInstanceOf(ApiError);
    expect(await walk(false)).toEqual({ deliveries: [], pagesRead: 21, leftOut: 0, enough: false });
  });

  it('stops when its signal aborts, abandoning the pages in flight', async () => {
    const stop = new AbortController();
    const abandoned: number[] = [];
    const walk = listAllPages(
      (page, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            abandoned.push(page);
            reject(new Error('abandoned'));
          });
          if (page === 2) stop.abort();
        }),
      2,
      { signal: stop.signal },
    );
    await expect(walk).rejects.toThrow('Listing deliveries was stopped.');
    expect(abandoned.sort()).toEqual([1, 2]);
  });

  it('fails with the first page error and stops starting pages', async () => {
    const requested: number[] = [];
    await expect(
      listAllPages(async (page) => {
        requested.push(page);
        if (page === 2) throw new Error('boom');
        return [row(`r${page}`, `e${page}`, 'errored', 1)];
      }, 1),
    ).rejects.toThrow('boom');
    expect(requested).toEqual([1, 2]);
  });
});

describe('selectDeliveries', () => {
  it('takes explicit IDs as they are, without listing', async () => {
    const selection = await selectDeliveries(
      { kind: 'delivery-ids', ids: ['b', 'a'] },
      async () => {
        throw new Error('must not list');
      },
      4,
    );
    expect(selection).toMatchObject({
      ids: ['b', 'a'],
      discoveredCount: 0,
      skippedCount: 0,
      pagesRead: 0,
    });
    expect(selection.known.size).toBe(0);
  });

  it('discovers without a state filter, then keeps the newest delivery of each event in the state', async () => {
    const pages = [
      [row('a1', 'ea', 'errored', 1), row('a2', 'ea', 'completed', 5)],
      [row('b1', 'eb', 'errored', 2)],
      [],
    ];
    const asked: ListFilters[] = [];
    const since = new Date('2026-11-29T00:00:00Z');
    const selection = await selectDeliveries(
      { kind: 'discovery', since, webhookId: 'wh', state: 'errored' },
      async (filters, page) => {
        asked.push(filters);
        return pages[page - 1] ?? [];
      },
      1,
    );
    expect(asked[0]).toEqual({ since, webhookId: 'wh' });
    expect(selection.ids).toEqual(['b1']);
    expect(selection.discoveredCount).toBe(3);
    expect(selection.skippedCount).toBe(2);
    expect(selection.pagesRead).toBe(3);
    expect([...selection.known.keys()]).toEqual(['b1']);
  });
});

describe('waitForSettle', () => {
  const target = {
    ids: ['n1', 'n2'],
    details: [{ id: 'n1', response: null }],
    filters: { webhookId: 'wh' },
    events: new Map(),
    requested: new Set<string>(),
  };

  it('polls at the interval until every new delivery has settled, on virtual time', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const log = new RecordingLogger();
    const polls: number[] = [];
    const result = await waitForSettle(
      target,
      async (filters, page) => {
        expect(filters).toEqual({ webhookId: 'wh' });
        if (page > 1) return [];
        polls.push(clock.now() - start);
        const done = polls.length >= 3;
        return [
          row('n1', 'e1', done ? 'completed' : 'pending', 1),
          row('n2', 'e2', polls.length >= 2 ? 'retrying' : 'in_progress', 1),
          row('other', 'e3', 'pending', 1),
        ];
      },
      { timeoutMs: 120_000, pollIntervalMs: 15_000, concurrency: 1, log, clock },
    );
    expect(polls).toEqual([15_000, 30_000, 45_000]);
    expect(result.completedIds).toEqual(['n1']);
    expect(result.failingIds).toEqual(['n2']);
    expect(result.unsettledIds).toEqual([]);
    expect(result.final.get('n1')?.state).toBe('completed');
    expect(result.final.has('n2')).toBe(false);
    expect(log.lines[2]).toBe(
      'Waiting for 2 new deliveries (poll 3): 1 completed, 1 failing (retrying/errored), 0 pending/in progress; 75 s left.',
    );
  });

  it('stops at the timeout, the last poll cut to the time left', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const polls: number[] = [];
    const result = await waitForSettle(
      target,
      async (_filters, page) => {
        if (page === 1) polls.push(clock.now() - start);
        return page === 1 ? [row('n1', 'e1', 'pending', 1)] : [];
      },
      {
        timeoutMs: 40_000,
        pollIntervalMs: 15_000,
        concurrency: 1,
        log: new RecordingLogger(),
        clock,
      },
    );
    expect(polls).toEqual([15_000, 30_000, 40_000]);
    expect(result.unsettledIds).toEqual(['n1', 'n2']);
    expect(result.error).toBeUndefined();
  });

  it('stops waiting, with a warning, when a poll fails', async () => {
    const log = new RecordingLogger();
    const result = await waitForSettle(
      target,
      async () => {
        throw new ApiError('List deliveries (page 1) failed: HTTP 500', 'not-sent', 500);
      },
      {
        timeoutMs: 60_000,
        pollIntervalMs: 15_000,
        concurrency: 1,
        log,
        clock: new VirtualClock(),
      },
    );
    expect(result.error).toBe('List deliveries (page 1) failed: HTTP 500');
    expect(result.unsettledIds).toEqual(['n1', 'n2']);
    expect(log.warnings).toEqual([
      'Stopped waiting for the new deliveries: List deliveries (page 1) failed: HTTP 500',
    ]);
  });
});

describe('settle helpers', () => {
  it('classifies states', () => {
    expect(
      ['completed', 'retrying', 'errored', 'pending', 'in_progress', undefined].map(classify),
    ).toEqual(['completed', 'failing', 'failing', 'unsettled', 'unsettled', 'unsettled']);
  });
  it('polls from the server’s time of the new deliveries less a margin, by webhook when there is one', () => {
    const earliest = Date.UTC(2026, 10, 29, 10, 5);
    expect(pollFilters(earliest, new Set(['wh']))).toEqual({
      since: new Date(Date.UTC(2026, 10, 29, 10, 0)),
      webhookId: 'wh',
    });
    expect(pollFilters(earliest, new Set(['a', 'b'])).webhookId).toBeUndefined();
    // Without a time from the server, the runner's clock does not narrow the window.
    expect(pollFilters(undefined, new Set([undefined]))).toEqual({
      since: undefined,
      webhookId: undefined,
    });
  });
});

describe('output helpers', () => {
  it('cuts a JSON list to what fits, and says how many were left out', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const { json, cut } = jsonListWithin(ids, 100);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(100);
    expect(JSON.parse(json)).toEqual(ids.slice(0, 1000 - cut));
    expect(JSON.parse(jsonListWithin(ids.slice(0, 10 - 0), 10_000).json)).toHaveLength(10);
    expect(jsonListWithin(ids.slice(0, 3), 10_000).cut).toBe(0);
  });
  it('shortens long lists for annotations', () => {
    expect(shortList(['a', 'b', 'c'], 2)).toBe('a, b … and 1 more');
    expect(shortList(['a'], 2)).toBe('a');
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

describe('a list that never ends', () => {
  const row = (page: number) => ({ id: `r${page}`, response: null });

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
