import type { ListFilters } from '../model/domain.js';
import type { SelectionSource } from '../settings/settings.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';
import type { Selection } from './result.js';
import { newestPerEventInState } from './newest.js';

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
