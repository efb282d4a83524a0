/**
 * What a dry run plans: only deliveries that applying can check again by their event and state
 * (recheck.ts), so that a plan applied twice never redelivers a delivery twice. Discovery knows
 * each delivery's event from the list; explicit IDs (delivery-ids, delivery-ids-file) are looked up
 * in the list API first. What cannot be checked is left out of the plan and reported, never
 * planned to be sent unchecked.
 */
import type { Delivery } from '../model/domain.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';
import { plural } from '../model/text.js';
import type { PlannedDelivery } from '../settings/settings.js';
import type { NotPlanned } from './plan-check.js';
import { recheckPlanned } from './recheck.js';
import { type Selection } from './result.js';

/** The planned form of a listed delivery, or undefined when the list did not say its event. */
function plannedOf(delivery: Delivery | undefined): PlannedDelivery | undefined {
  if (!delivery?.eventId || !delivery.state) return undefined;
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventAction: delivery.eventAction ?? null,
    webhookId: delivery.webhookId ?? null,
    createdAt: delivery.createdAt ?? null,
    state: delivery.state,
  };
}

/** A dry run's selection cut to what a plan can hold, with what it leaves out (`notPlanned`). */
export async function plannable(
  selection: Selection,
  listPage: ListPage,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Selection> {
  const source = selection.source;
  if (source.kind === 'delivery-ids' || source.kind === 'delivery-ids-file') {
    return lookUp(selection, source.ids, listPage, concurrency, signal);
  }
  // Discovered (or planned) deliveries come with what the list said of them.
  const notPlanned: NotPlanned[] = selection.ids
    .filter((id) => !plannedOf(selection.known.get(id)))
    .map((id) => ({ id, reason: 'unknown event', newestId: null, newestState: null }));
  if (notPlanned.length === 0) return { ...selection, notPlanned };
  const left = new Set(notPlanned.map((delivery) => delivery.id));
  return {
    ...selection,
    ids: selection.ids.filter((id) => !left.has(id)),
    skippedCount: selection.skippedCount + notPlanned.length,
    notPlanned,
  };
}

/**
 * Finds each given ID in the list API (which has no lookup by ID), then checks the found ones as
 * applying will. The IDs say nothing of when or for which webhook they were made, so the list is
 * read without filters, but only until every ID is found: a few pages for IDs of recent failures,
 * and at most to the end of the list within the paging limits (MAX_DISCOVERY_PAGES, ..._ROWS).
 */
async function lookUp(
  selection: Selection,
  ids: readonly string[],
  listPage: ListPage,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Selection> {
  const wanted = new Set(ids);
  const found = new Map<string, Delivery>();
  let pagesRead = 0;
  if (wanted.size > 0) {
    ({ pagesRead } = await listAllPages(
      (page, pageSignal) => listPage({}, page, pageSignal),
      concurrency,
      {
        signal,
        purpose: 'lookup',
        stable: true,
        keep: (delivery) => wanted.has(delivery.id),
        enough: (kept) => {
          for (const delivery of kept) found.set(delivery.id, delivery);
          return found.size === wanted.size;
        },
      },
    ));
  }
  const notPlanned: NotPlanned[] = [];
  const candidates: PlannedDelivery[] = [];
  for (const id of ids) {
    const delivery = found.get(id);
    const planned = plannedOf(delivery);
    if (planned) candidates.push(planned);
    else {
      const reason = delivery ? 'unknown event' : 'not found';
      notPlanned.push({ id, reason, newestId: null, newestState: null });
    }
  }
  // As applying will check them: an ID whose event has a newer delivery would only be skipped.
  const checked = await recheckPlanned(candidates, listPage, concurrency, signal);
  for (const changed of checked.changed) {
    const { id, newestId, newestState } = changed;
    notPlanned.push({ id, reason: 'not newest', newestId, newestState });
  }
  // In the order given, as the planned ones.
  const left = new Map(notPlanned.map((delivery) => [delivery.id, delivery]));
  const planned = ids.filter((id) => !left.has(id));
  return {
    ...selection,
    ids: planned,
    discoveredCount: found.size,
    skippedCount: notPlanned.length,
    pagesRead: pagesRead + checked.pagesRead,
    known: new Map(planned.map((id) => [id, found.get(id) as Delivery])),
    notPlanned: ids.flatMap((id) => left.get(id) ?? []),
  };
}

/** The log line of a dry run of explicit IDs: what the lookup found. */
export function describeLookup(selection: Selection): string {
  const notPlanned = selection.notPlanned ?? [];
  const count = (reason: NotPlanned['reason']): number =>
    notPlanned.filter((delivery) => delivery.reason === reason).length;
  const given = selection.ids.length + notPlanned.length;
  const parts = [
    `${selection.ids.length} to plan`,
    [count('not found'), 'not found'],
    [count('not newest'), 'not the newest delivery of their event'],
    [count('unknown event'), 'listed without an event or state'],
  ]
    .filter((part) => typeof part === 'string' || part[0] !== 0)
    .map((part) => (typeof part === 'string' ? part : `${part[0]} ${part[1]}`));
  return `Looked up ${plural(given, 'given delivery ID')} through the list API (${plural(selection.pagesRead, 'page')}): ${parts.join(', ')}.`;
}
