import type { Delivery, ListFilters } from './client.js';
import { ApiError } from './errors.js';
import type { DeliveryState, SelectionSource } from './inputs.js';

/** What one run will retry, fixed before the first redelivery is sent. */
export interface Selection {
  source: SelectionSource;
  /** Selected delivery IDs, in the order they will be sent. */
  ids: string[];
  /** Deliveries discovered through the list API (0 for explicit IDs). */
  discoveredCount: number;
  /** Discovered deliveries left alone. */
  skippedCount: number;
  /** List pages read during discovery. */
  pagesRead: number;
  /** What the list API said about each selected delivery (discovery only). */
  known: Map<string, Delivery>;
}

export type ListPage = (
  filters: ListFilters,
  page: number,
  signal?: AbortSignal,
) => Promise<Delivery[]>;

/** Stop a discovery that never reaches an empty page rather than page forever. */
export const MAX_DISCOVERY_PAGES = 2000;

export async function selectDeliveries(
  source: SelectionSource,
  listPage: ListPage,
  concurrency: number,
): Promise<Selection> {
  if (source.kind !== 'discovery') {
    return {
      source,
      ids: source.ids,
      discoveredCount: 0,
      skippedCount: 0,
      pagesRead: 0,
      known: new Map(),
    };
  }
  // No state filter on the list: whether an event still needs a retry depends on its newest
  // delivery, whatever that one's state is.
  const filters: ListFilters = { since: source.since, webhookId: source.webhookId };
  const { deliveries, pagesRead } = await listAllPages(
    (page, signal) => listPage(filters, page, signal),
    concurrency,
  );
  const selected = newestPerEventInState(deliveries, source.state);
  return {
    source,
    ids: selected.map((delivery) => delivery.id),
    discoveredCount: deliveries.length,
    skippedCount: deliveries.length - selected.length,
    pagesRead,
    known: new Map(selected.map((delivery) => [delivery.id, delivery])),
  };
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
  maxPages = MAX_DISCOVERY_PAGES,
): Promise<{ deliveries: Delivery[]; pagesRead: number }> {
  const pages = new Map<number, Delivery[]>();
  const failures = new Map<number, unknown>();
  const inFlight = new Map<number, AbortController>();
  let nextPage = 1;
  let firstEmptyPage = Infinity;

  const worker = async (): Promise<void> => {
    // After any failure no new page starts: it may be one a sequential walk needs.
    while (failures.size === 0) {
      const page = nextPage++;
      if (page >= firstEmptyPage || page > maxPages) return;
      const controller = new AbortController();
      inFlight.set(page, controller);
      try {
        const rows = await fetchPage(page, controller.signal);
        pages.set(page, rows);
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
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const needed = [...failures.keys()].filter((page) => page < firstEmptyPage).sort((a, b) => a - b);
  if (needed.length > 0) throw failures.get(needed[0] as number);
  if (firstEmptyPage === Infinity) {
    throw new ApiError(
      `Discovery read ${maxPages} pages of deliveries without reaching the end; nothing was redelivered. Narrow the window with since or webhook-id.`,
      'rejected',
    );
  }
  const seen = new Set<string>();
  const deliveries: Delivery[] = [];
  for (let page = 1; page < firstEmptyPage; page++) {
    for (const delivery of pages.get(page) ?? []) {
      if (seen.has(delivery.id)) continue;
      seen.add(delivery.id);
      deliveries.push(delivery);
    }
  }
  return { deliveries, pagesRead: firstEmptyPage };
}

/**
 * One redelivery per event: a retry keeps the event and adds a new row, and the original keeps its
 * state, so only the newest delivery of each event (per webhook: one event reaches every webhook
 * subscribed to it) says whether the event still needs a retry. When several rows share the newest
 * created_at, IDs say nothing about their order, so the event is retried only if all of them are in
 * the state asked for. Oldest first, so that a receiver gets the events again in the order they
 * happened.
 */
export function newestPerEventInState(deliveries: Delivery[], state: DeliveryState): Delivery[] {
  const newest = new Map<string, { time: number; rows: Delivery[] }>();
  for (const delivery of deliveries) {
    const key =
      delivery.eventId === undefined
        ? `id\u0000${delivery.id}`
        : `${delivery.webhookId ?? ''}\u0000${delivery.eventId}`;
    const time = timeOf(delivery);
    const group = newest.get(key);
    if (!group || time > group.time) newest.set(key, { time, rows: [delivery] });
    else if (time === group.time) group.rows.push(delivery);
  }
  const selected: Delivery[] = [];
  for (const { rows } of newest.values()) {
    if (!rows.every((delivery) => delivery.state === state)) continue;
    // All tied rows failed alike: retry the event once, through any one of them.
    selected.push(rows.reduce((a, b) => (byId(a, b) >= 0 ? a : b)));
  }
  return selected.sort((a, b) => timeOf(a) - timeOf(b) || byId(a, b));
}

function byId(a: Delivery, b: Delivery): number {
  return a.id.localeCompare(b.id, 'en', { numeric: true });
}

function timeOf(delivery: Delivery): number {
  const time = delivery.createdAt ? Date.parse(delivery.createdAt) : NaN;
  return Number.isNaN(time) ? 0 : time;
}
