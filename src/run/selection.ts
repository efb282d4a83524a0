import {
  createdAtMs,
  eventKey,
  type Delivery,
  type DeliveryState,
  type ListFilters,
} from '../model/domain.js';
import type { SelectionSource } from '../settings/settings.js';
import type { ChangedDelivery, NotPlanned, PlanCheck } from './plan-check.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';

/** What one run will retry, fixed before the first redelivery is sent. */
export interface Selection {
  source: SelectionSource;
  /** Selected delivery IDs, in the order they will be sent. */
  ids: string[];
  /** Deliveries discovered through the list API (0 for explicit IDs). */
  discoveredCount: number;
  /** Discovered deliveries left alone. */
  skippedCount: number;
  /** Discovered deliveries left out because their event_action is not in event-action. */
  leftOutCount?: number;
  /** List pages read during discovery. */
  pagesRead: number;
  /** What the list API said about each selected delivery (discovery only). */
  known: Map<string, Delivery>;
  /** Applying a plan: what the re-check found (recheck.ts). */
  planCheck?: PlanCheck;
  /** A dry run: what its plan leaves out, because applying could not check it (lookup.ts). */
  notPlanned?: NotPlanned[];
  /**
   * Selected deliveries skipped when checked again right before sending (after the canary's wait,
   * or during a long paced run) because their event changed: counted in skippedCount, not in ids.
   */
  changedBeforeSending?: ChangedDelivery[];
}

export async function selectDeliveries(
  source: SelectionSource,
  listPage: ListPage,
  concurrency: number,
  /** Stops discovery (a cancelled job). */
  signal?: AbortSignal,
): Promise<Selection> {
  if (source.kind !== 'discovery') {
    return {
      source,
      ids: source.ids,
      discoveredCount: 0,
      skippedCount: 0,
      leftOutCount: 0,
      pagesRead: 0,
      known: new Map(),
    };
  }
  // No state filter on the list: whether an event still needs a retry depends on its newest
  // delivery, whatever that one's state is.
  const filters: ListFilters = { since: source.since, webhookId: source.webhookId };
  const actions = source.eventActions && new Set(source.eventActions);
  const { deliveries, pagesRead, leftOut } = await listAllPages(
    (page, pageSignal) => listPage(filters, page, pageSignal),
    concurrency,
    {
      signal,
      stable: true,
      keep: actions && ((delivery) => actions.has(delivery.eventAction ?? '')),
    },
  );
  const selected = newestPerEventInState(deliveries, source.state);
  return {
    source,
    ids: selected.map((delivery) => delivery.id),
    discoveredCount: deliveries.length + leftOut,
    skippedCount: deliveries.length - selected.length,
    leftOutCount: leftOut,
    pagesRead,
    known: new Map(selected.map((delivery) => [delivery.id, delivery])),
  };
}

/**
 * One redelivery per event: a retry keeps the event and adds a new row, and the original keeps its
 * state, so only the newest delivery of each event (per webhook: one event reaches every webhook
 * subscribed to it) says whether the event still needs a retry. When several rows share the newest
 * created_at, IDs say nothing about their order, so the event is retried only if all of them are in
 * the state asked for. Events in the order they happened (by their oldest delivery seen, the
 * original unless it is older than the window), so that a receiver gets them again with the least
 * disorder, and the events nearest to HINDSITE's retention limit go first.
 */
export function newestPerEventInState(deliveries: Delivery[], state: DeliveryState): Delivery[] {
  const newest = new Map<string, { time: number; first: number; rows: Delivery[] }>();
  for (const delivery of deliveries) {
    const key = eventKey(delivery) ?? `id\u0000${delivery.id}`;
    const time = timeOf(delivery);
    const group = newest.get(key) ?? { time: -Infinity, first: Infinity, rows: [] };
    // An undated row says nothing of when its event happened: such events go last, not first.
    group.first = Math.min(group.first, createdAtMs(delivery) ?? Infinity);
    if (time > group.time) Object.assign(group, { time, rows: [delivery] });
    else if (time === group.time) group.rows.push(delivery);
    newest.set(key, group);
  }
  const selected: { first: number; delivery: Delivery }[] = [];
  for (const { first, rows } of newest.values()) {
    if (!rows.every((delivery) => delivery.state === state)) continue;
    // All tied rows failed alike: retry the event once, through any one of them.
    selected.push({ first, delivery: rows.reduce((a, b) => (byId(a, b) >= 0 ? a : b)) });
  }
  return selected
    .sort(
      (a, b) =>
        (a.first === b.first ? 0 : a.first - b.first) ||
        timeOf(a.delivery) - timeOf(b.delivery) ||
        byId(a.delivery, b.delivery),
    )
    .map(({ delivery }) => delivery);
}

function byId(a: Delivery, b: Delivery): number {
  return a.id.localeCompare(b.id, 'en', { numeric: true });
}

function timeOf(delivery: Delivery): number {
  return createdAtMs(delivery) ?? 0;
}
