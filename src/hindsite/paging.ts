import type { Delivery, ListFilters } from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import { runPool } from '../model/pool.js';

export type ListPage = (
  filters: ListFilters,
  page: number,
  signal?: AbortSignal,
) => Promise<Delivery[]>;

/** Stop a walk that never reaches an empty page rather than page forever. */
export const MAX_DISCOVERY_PAGES = 2000;
/**
 * Stop a walk that has read this many rows: about 60 MB of deliveries held, whatever size of page
 * the server sends. 100,000 selected deliveries fit with room for the rows that are skipped.
 */
export const MAX_DISCOVERY_ROWS = 250_000;

export interface PagingLimits {
  maxPages?: number;
  maxRows?: number;
  /** Ends the walk: pages in flight are abandoned, and it fails. */
  signal?: AbortSignal;
  /** What the walk is for, in its errors: discovery, a plan's re-check, or the wait's polls. */
  purpose?: 'discovery' | 'recheck' | 'fresh' | 'wait';
  /**
   * The walk decides what is sent (discovery, a plan's re-check), so it must not miss a row: pages
   * read at once, while a new delivery is added at the top of the list, can each miss the row
   * that the addition pushed from one page onto the next. Page 1 is read before and after such a
   * walk, and if it changed the walk is made again one page at a time (where an addition can only
   * make a row be seen twice, which counts once).
   */
  stable?: boolean;
  /**
   * Only rows it keeps are held, page by page as they arrive (a filter the list API lacks); the
   * others are counted (`leftOut`). Whether a page is empty is decided before it applies.
   */
  keep?: (delivery: Delivery) => boolean;
}

/**
 * Reads pages 1, 2, … until the first empty one, with up to `concurrency` pages in flight. The
 * result is the same as a one-page-at-a-time walk: pages are joined in order, and pages past the
 * first empty one are ignored, including their failures (a sequential walk would never have asked
 * for them); once the empty page is known they are abandoned. Rows seen twice (pages shifting while
 * they are read) count once.
 */
export async function listAllPages(
  fetchPage: (page: number, signal: AbortSignal) => Promise<Delivery[]>,
  concurrency: number,
  limits: PagingLimits = {},
): Promise<PagesRead> {
  if (!limits.stable || concurrency <= 1) return walkPages(fetchPage, concurrency, limits);
  // Page 1 before and after: the same rows mean nothing was added at the top while the pages were
  // read, so none was pushed from a page not yet read onto one already read.
  const firstPage = async (): Promise<string> => {
    const read = new AbortController();
    const stop = (): void => read.abort();
    limits.signal?.addEventListener('abort', stop, { once: true });
    try {
      return (await fetchPage(1, read.signal)).map((delivery) => delivery.id).join('\u0000');
    } finally {
      limits.signal?.removeEventListener('abort', stop);
    }
  };
  const before = await firstPage();
  const walk = await walkPages(fetchPage, concurrency, limits);
  if ((await firstPage()) === before) return walk;
  return walkPages(fetchPage, 1, limits);
}

interface PagesRead {
  deliveries: Delivery[];
  pagesRead: number;
  leftOut: number;
}

async function walkPages(
  fetchPage: (page: number, signal: AbortSignal) => Promise<Delivery[]>,
  concurrency: number,
  limits: PagingLimits,
): Promise<PagesRead> {
  const { maxPages = MAX_DISCOVERY_PAGES, maxRows = MAX_DISCOVERY_ROWS, signal, keep } = limits;
  const endless = (read: string): ApiError => {
    const reached = `read ${read} without reaching the end of the list`;
    const message = {
      wait: `Polling the new deliveries ${reached}`,
      recheck: `Checking the plan again ${reached}; nothing was sent. Make a plan with a narrower since or webhook-id.`,
      fresh: `The re-check ${reached}`,
      discovery: `Discovery ${reached}; nothing was redelivered. Narrow the window with since or webhook-id.`,
    }[limits.purpose ?? 'discovery'];
    return new ApiError(message, 'not-sent');
  };
  const pages = new Map<number, Delivery[]>();
  const leftOutByPage = new Map<number, string[]>();
  const failures = new Map<number, unknown>();
  const inFlight = new Map<number, AbortController>();
  let nextPage = 1;
  let firstEmptyPage = Infinity;
  let rowsRead = 0;
  const tooMany = endless(`${maxRows} deliveries`);
  const stop = (): void => {
    failures.set(0, new ApiError('Listing deliveries was stopped.', 'not-sent'));
    for (const pending of inFlight.values()) pending.abort();
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });

  // After any failure no new page starts: it may be one a sequential walk needs.
  const take = (): number | undefined =>
    failures.size === 0 && nextPage < firstEmptyPage && nextPage <= maxPages
      ? nextPage++
      : undefined;
  await runPool(concurrency, take, async (page) => {
    const controller = new AbortController();
    inFlight.set(page, controller);
    try {
      const rows = await fetchPage(page, controller.signal);
      rowsRead += rows.length;
      // Held rows are what costs memory: a server that never ends its list must not exhaust it.
      if (rowsRead > maxRows && page < firstEmptyPage) throw tooMany;
      pages.set(page, keep ? rows.filter(keep) : rows);
      if (keep)
        leftOutByPage.set(
          page,
          rows.filter((row) => !keep(row)).map((row) => row.id),
        );
      if (rows.length === 0 && page < firstEmptyPage) {
        firstEmptyPage = page;
        for (const [later, pending] of inFlight) if (later > page) pending.abort();
      }
    } catch (error) {
      failures.set(page, error);
      // Later pages are never needed now: either this one is (the run fails) or an earlier
      // page is empty.
      for (const [later, pending] of inFlight) if (later > page) pending.abort();
    } finally {
      inFlight.delete(page);
    }
  });
  signal?.removeEventListener('abort', stop);
  const needed = [...failures.keys()].filter((page) => page < firstEmptyPage).sort((a, b) => a - b);
  if (needed.length > 0) throw failures.get(needed[0] as number);
  if (firstEmptyPage === Infinity) {
    throw endless(`${maxPages} pages of deliveries`);
  }
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  const leftOut = new Set<string>();
  for (let page = 1; page < firstEmptyPage; page++) {
    for (const delivery of pages.get(page) ?? []) {
      if (seen.has(delivery.id)) continue;
      seen.add(delivery.id);
      deliveries.push(delivery);
    }
    for (const id of leftOutByPage.get(page) ?? []) leftOut.add(id);
  }
  return { deliveries, pagesRead: firstEmptyPage, leftOut: leftOut.size };
}
