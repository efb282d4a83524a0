/**
 * What a dry run plans (run/lookup.ts): explicit IDs looked up in the list, as few pages as it
 * takes, and what applying could not check again left out and said.
 */
import { describe, expect, it } from '@jest/globals';
import type { Delivery, ListFilters } from '../src/model/domain.js';
import { ApiError } from '../src/model/errors.js';
import { listAllPages, type ListPage } from '../src/hindsite/paging.js';
import { describeLookup, plannable } from '../src/run/lookup.js';
import { type Selection } from '../src/run/result.js';

const row = (id: string, fields: Partial<Delivery> = {}): Delivery => ({
  id,
  eventId: `evt_${id}`,
  webhookId: 'wh',
  eventAction: 'form_completed',
  state: 'errored',
  createdAt: '2026-11-29T10:00:00.000Z',
  response: null,
  ...fields,
});

/** A list of `rows`, newest first, `size` a page; every query is recorded. */
function listOf(
  rows: Delivery[],
  size = 2,
): { listPage: ListPage; queries: [ListFilters, number][] } {
  const queries: [ListFilters, number][] = [];
  return {
    queries,
    listPage: async (filters, page) => {
      queries.push([filters, page]);
      return rows.slice((page - 1) * size, page * size);
    },
  };
}

const given = (ids: string[]): Selection => ({
  source: { kind: 'delivery-ids', ids },
  ids,
  discoveredCount: 0,
  skippedCount: 0,
  pagesRead: 0,
  known: new Map(),
});

describe('listAllPages with enough', () => {
  it('stops at the page that completes the search, whatever the pages in flight do', async () => {
    const asked: number[] = [];
    const found = new Set<string>();
    const read = await listAllPages(
      async (page) => {
        asked.push(page);
        if (page === 1) return [row('a'), row('b')];
        if (page === 2) return [row('c')];
        // Never answered on its own: abandoned once the search is complete.
        return new Promise<Delivery[]>(() => undefined);
      },
      2,
      {
        keep: (delivery) => delivery.id !== 'b',
        enough: (kept) => {
          for (const delivery of kept) found.add(delivery.id);
          return found.has('a') && found.has('c');
        },
      },
    );
    expect(read.deliveries.map((delivery) => delivery.id)).toEqual(['a', 'c']);
    expect(read.enough).toBe(true);
    expect(asked.every((page) => page <= 3)).toBe(true);
  });

  it('ignores the failure of a page it no longer needs, and still fails when stopped', async () => {
    const read = await listAllPages(
      async (page) => {
        if (page === 2) throw new ApiError('page 2 failed', 'not-sent');
        return [row(`p${page}`)];
      },
      2,
      { enough: (kept) => kept.some((delivery) => delivery.id === 'p1') },
    );
    expect(read.deliveries.map((delivery) => delivery.id)).toEqual(['p1']);
    const stopped = new AbortController();
    stopped.abort();
    const error = await listAllPages(async () => [row('a')], 1, {
      signal: stopped.signal,
      enough: () => true,
    }).catch((caughtError: unknown) => caughtError);
    expect((error as Error).message).toBe('Listing deliveries was stopped.');
  });
});

describe('plannable', () => {
  it('plans explicit IDs with their events, reading only as far as the last one', async () => {
    const rows = ['n1', 'a', 'n2', 'b', 'n3', 'n4', 'n5', 'n6'].map((id) => row(id));
    const { listPage, queries } = listOf(rows);
    const selection = await plannable(given(['b', 'a']), listPage, 1);
    expect(selection.ids).toEqual(['b', 'a']);
    expect(selection.notPlanned).toEqual([]);
    expect(selection.known.get('a')).toEqual(rows[1]);
    // The lookup: no filter, pages 1 and 2 only.
    const lookups = queries.filter(([filters]) => filters.since === undefined);
    expect(lookups.map(([, page]) => page)).toEqual([1, 2]);
    // The check, as applying will make it: since the earliest, less a minute, on the one webhook.
    expect(queries.at(-1)?.[0]).toEqual({
      since: new Date('2026-11-29T09:59:00.000Z'),
      webhookId: 'wh',
    });
    expect(describeLookup(selection)).toMatch(
      /^Looked up 2 given delivery IDs through the list API \(\d+ pages\): 2 to plan\.$/,
    );
  });

  it('leaves out what it cannot find, what has no event, and what is no longer the newest', async () => {
    const rows = [
      row('newer', {
        eventId: 'evt_old',
        createdAt: '2026-11-29T11:00:00.000Z',
        state: 'completed',
      }),
      row('old', { eventId: 'evt_old' }),
      row('no_event', { eventId: undefined }),
      row('kept'),
    ];
    const { listPage } = listOf(rows, 10);
    const selection = await plannable(given(['missing', 'old', 'no_event', 'kept']), listPage, 4);
    expect(selection.ids).toEqual(['kept']);
    expect(selection.skippedCount).toBe(3);
    expect(selection.notPlanned).toEqual([
      { id: 'missing', reason: 'not found', newestId: null, newestState: null },
      { id: 'old', reason: 'not newest', newestId: 'newer', newestState: 'completed' },
      { id: 'no_event', reason: 'unknown event', newestId: null, newestState: null },
    ]);
    expect(describeLookup(selection)).toMatch(
      /: 1 to plan, 1 not found, 1 not the newest delivery of their event, 1 listed without an event or state\.$/,
    );
  });

  it('plans nothing without a request when no ID is given', async () => {
    const selection = await plannable(
      given([]),
      () => Promise.reject(new Error('no list call expected')),
      1,
    );
    expect([selection.ids, selection.notPlanned, selection.pagesRead]).toEqual([[], [], 0]);
  });

  it('fails, naming what to do, when the list does not end before the paging limits', async () => {
    const endless: ListPage = async (_filters, page) => [row(`r${page}`)];
    const error = await plannable(given(['missing']), endless, 1).catch(
      (caughtError: unknown) => caughtError,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(
      'Looking up the given delivery IDs read 2000 pages of deliveries without reaching the end of the list or finding them all; nothing was planned. Plan fewer IDs at a time, or discover them with since or webhook-id.',
    );
  });

  it('leaves out discovered deliveries whose event the list did not say', async () => {
    const known = [row('a'), row('b', { eventId: undefined })];
    const selection = await plannable(
      {
        source: { kind: 'discovery', state: 'errored' },
        ids: ['a', 'b'],
        discoveredCount: 2,
        skippedCount: 0,
        pagesRead: 1,
        known: new Map(known.map((delivery) => [delivery.id, delivery])),
      },
      () => Promise.reject(new Error('no list call expected')),
      1,
    );
    expect(selection.ids).toEqual(['a']);
    expect(selection.skippedCount).toBe(1);
    expect(selection.notPlanned).toEqual([
      { id: 'b', reason: 'unknown event', newestId: null, newestState: null },
    ]);
  });
});
