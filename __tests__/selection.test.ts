import { describe, expect, it } from '@jest/globals';
import type { Delivery, ListFilters } from '../src/model/domain.js';
import { ApiError } from '../src/model/errors.js';
import { listAllPages, MAX_DISCOVERY_PAGES, MAX_DISCOVERY_ROWS } from '../src/hindsite/paging.js';
import { jsonListWithin, shortList } from '../src/report/render.js';
import { newestPerEventInState, selectDeliveries } from '../src/run/selection.js';
import { classify, pollFilters, waitForSettle } from '../src/run/settle.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

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

  it('fails rather than hold more rows than its bound, whatever the page size', async () => {
    let pagesAsked = 0;
    const error = await listAllPages(
      async (page) => {
        pagesAsked++;
        return Array.from({ length: 400 }, (_, i) =>
          row(`r${page}-${i}`, `e${page}-${i}`, 'errored', 1),
        );
      },
      2,
      { maxRows: 1000 },
    ).catch((caught: unknown) => caught);
    expect((error as ApiError).message).toMatch(/read 1000 deliveries without reaching the end/);
    expect(pagesAsked).toBeLessThanOrEqual(4);
    expect(MAX_DISCOVERY_ROWS).toBe(250_000);
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
