import type { Delivery, ListFilters } from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import { runPool } from '../model/pool.js';
import { plural } from '../model/text.js';

export type ListPage = (
  filters: ListFilters,
  page: number,
  signal?: AbortSignal,
) => Promise<Delivery[]>;

/** Stop a walk that never reaches an empty page rather than page forever. */
export const MAX_DISCOVERY_PAGES = 2000;
/**
 * Stop a walk that holds this many bytes of deliveries (as heldBytes counts them), whatever size of
 * row or page the server sends: a row per page with megabytes in it must fail the walk, not the
 * process. 250,000 deliveries of the usual size (about 750 bytes each, as counted) fit, and the
 * Node heap of a runner (over a GB) holds what is counted several times over.
 */
export const MAX_WALK_BYTES = 256 * 1024 * 1024;

/**
 * What a row costs besides its strings: its objects, its place in the walk's lists and sets, and
 * the room the garbage collector keeps beside them (a walk of small rows measured about this).
 */
const ROW_BYTES = 400;
/** What a string costs besides its characters. */
const STRING_BYTES = 16;

/**
 * The bytes a delivery held in memory costs, counted high: two bytes a character, as for text that
 * is not Latin-1, and the shared strings (webhook, action, state, error) as if each row had its own.
 */
export function heldBytes(delivery: Delivery): number {
  const text = (value: string | null | undefined): number =>
    value === undefined || value === null ? 0 : STRING_BYTES + 2 * value.length;
  return (
    ROW_BYTES +
    text(delivery.id) +
    text(delivery.webhookId) +
    text(delivery.eventId) +
    text(delivery.eventAction) +
    text(delivery.state) +
    text(delivery.createdAt) +
    text(delivery.response?.error)
  );
}

/** "256 MiB" */
function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

export interface PagingLimits {
  maxPages?: number;
  /** The most bytes of deliveries held (MAX_WALK_BYTES), as heldBytes counts them. */
  maxBytes?: number;
  /** Ends the walk: pages in flight are abandoned, and it fails. */
  signal?: AbortSignal;
  /**
   * What the walk is for, in its errors: discovery, a plan's re-check, looking up the IDs a plan is
   * made of, the re-check before sending, or the wait's polls.
   */
  purpose?: 'discovery' | 'recheck' | 'lookup' | 'fresh' | 'wait';
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
  /**
   * Called with the rows kept from each page as it arrives; true once the walk has all it needs
   * (every ID it looks for is found): no page starts after that, pages in flight are abandoned
   * (their failures do not matter), and the rows read so far are the result, whatever the order
   * of the list.
   */
  enough?: (kept: readonly Delivery[]) => boolean;
  /**
   * Whether the IDs of the rows `keep` leaves out are held, to count them (`leftOut`) once however
   * often they are seen. The wait needs no count, and so holds nothing of them. Default true.
   */
  countLeftOut?: boolean;
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
  const walked = await walkBetween(firstPage, () => walkPages(fetchPage, concurrency, limits));
  // The rows of a walk that is not kept are let go before it is made again, so that the two walks
  // are never held at once.
  return walked ?? walkPages(fetchPage, 1, limits);
}

/** The walk, when page 1 is the same before and after it; undefined when it changed. */
async function walkBetween(
  firstPage: () => Promise<string>,
  walk: () => Promise<PagesRead>,
): Promise<PagesRead | undefined> {
  const before = await firstPage();
  const walked = await walk();
  // Everything looked for was found: a row missed meanwhile is not one it looks for.
  if (walked.enough) return walked;
  return (await firstPage()) === before ? walked : undefined;
}

interface PagesRead {
  deliveries: Delivery[];
  pagesRead: number;
  leftOut: number;
  /** The walk stopped because `enough` said so, before the end of the list. */
  enough?: boolean;
}

async function walkPages(
  fetchPage: (page: number, signal: AbortSignal) => Promise<Delivery[]>,
  concurrency: number,
  limits: PagingLimits,
): Promise<PagesRead> {
  const {
    maxPages = MAX_DISCOVERY_PAGES,
    maxBytes = MAX_WALK_BYTES,
    signal,
    keep,
    enough,
    countLeftOut = true,
  } = limits;
  const endless = (read: string): ApiError => {
    const reached = `read ${read} without reaching the end of the list`;
    const message = {
      wait: `Polling the new deliveries ${reached}`,
      recheck: `Checking the plan again ${reached}; nothing was sent. Make a plan with a narrower since or webhook-id.`,
      lookup: `Looking up the given delivery IDs ${reached} or finding them all; nothing was planned. Plan fewer IDs at a time, or discover them with since or webhook-id.`,
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
  let satisfied = false;
  let pagesAnswered = 0;
  let bytesHeld = 0;
  const stop = (): void => {
    failures.set(0, new ApiError('Listing deliveries was stopped.', 'not-sent'));
    for (const pending of inFlight.values()) pending.abort();
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });

  // After any failure no new page starts: it may be one a sequential walk needs.
  const take = (): number | undefined =>
    !satisfied && failures.size === 0 && nextPage < firstEmptyPage && nextPage <= maxPages
      ? nextPage++
      : undefined;
  await runPool(concurrency, take, async (page) => {
    const controller = new AbortController();
    inFlight.set(page, controller);
    try {
      const rows = await fetchPage(page, controller.signal);
      rowsRead += rows.length;
      pagesAnswered++;
      const kept = keep ? rows.filter(keep) : rows;
      const leftOut =
        keep && countLeftOut ? rows.filter((row) => !keep(row)).map((row) => row.id) : [];
      // Held bytes are what costs memory, whatever the rows' count or size: a server that never
      // ends its list, or sends rows of megabytes, must not exhaust it.
      for (const row of kept) bytesHeld += heldBytes(row);
      for (const id of leftOut) bytesHeld += STRING_BYTES + 2 * id.length;
      if (bytesHeld > maxBytes && page < firstEmptyPage) {
        throw endless(
          `more than ${mebibytes(maxBytes)} of deliveries (${plural(rowsRead, 'delivery', 'deliveries')} in ${plural(pagesAnswered, 'page')})`,
        );
      }
      pages.set(page, kept);
      if (leftOut.length > 0) leftOutByPage.set(page, leftOut);
      if (!satisfied && enough?.(kept)) {
        satisfied = true;
        for (const pending of inFlight.values()) pending.abort();
      }
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
  // A stopped job is a failure even when the walk had all it needed.
  if (failures.has(0)) throw failures.get(0);
  if (satisfied) return joinPages(pages, leftOutByPage, Math.max(...pages.keys()) + 1, true);
  const needed = [...failures.keys()].filter((page) => page < firstEmptyPage).sort((a, b) => a - b);
  if (needed.length > 0) throw failures.get(needed[0] as number);
  if (firstEmptyPage === Infinity) {
    throw endless(`${maxPages} pages of deliveries`);
  }
  return joinPages(pages, leftOutByPage, firstEmptyPage, false);
}

/** The rows of pages 1 to `end` (exclusive) in order, each row once. */
function joinPages(
  pages: Map<number, Delivery[]>,
  leftOutByPage: Map<number, string[]>,
  end: number,
  enough: boolean,
): PagesRead {
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  const leftOut = new Set<string>();
  for (let page = 1; page < end; page++) {
    for (const delivery of pages.get(page) ?? []) {
      if (seen.has(delivery.id)) continue;
      seen.add(delivery.id);
      deliveries.push(delivery);
    }
    for (const id of leftOutByPage.get(page) ?? []) leftOut.add(id);
  }
  return { deliveries, pagesRead: enough ? pages.size : end, leftOut: leftOut.size, enough };
}
