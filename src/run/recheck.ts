/**
 * Applying a plan: between plan and apply, HINDSITE's own retries succeed, other people
 * redeliver, and an earlier apply of the same plan may have redelivered. Every planned delivery is
 * checked again through the list API (its event is always known: see lookup.ts), and an event
 * whose newest delivery is no longer the planned one, in the planned state, is left alone. So a
 * plan applied twice (a second run, "Re-run jobs") redelivers nothing the first apply redelivered,
 * and what the first apply never got to HINDSITE is sent.
 */
import { asDelivery } from '../settings/plan-file.js';
import type { PlanSource } from '../settings/settings.js';
import {
  createdAtMs,
  eventKey,
  type Delivery,
  type DeliveryState,
  type ListFilters,
} from '../model/domain.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';
import { plural } from '../model/text.js';
import type { ChangedDelivery, PlanCheck } from './plan-check.js';
import { newestPerEventInState, type Selection } from './selection.js';
import { type PlannedDelivery } from '../settings/settings.js';

/** Rows listed a little before the earliest planned one still count: timestamps may be rounded. */
export const RECHECK_MARGIN_MS = 60_000;

/**
 * The smallest list query that returns every planned delivery and anything newer of its event:
 * since the earliest planned created_at (less a margin), by webhook when the plan has one.
 */
export function recheckFilters(planned: readonly PlannedDelivery[]): ListFilters {
  const times = planned.map((delivery) => createdAtMs(asDelivery(delivery)));
  const webhooks = new Set(planned.map((delivery) => delivery.webhookId));
  const [onlyWebhook] = webhooks;
  return {
    since: times.every((time) => time !== undefined)
      ? new Date(Math.min(...(times as number[])) - RECHECK_MARGIN_MS)
      : undefined,
    webhookId: webhooks.size === 1 && onlyWebhook !== null ? onlyWebhook : undefined,
  };
}

/** What checking planned deliveries again found. */
export interface Rechecked {
  /** Still to send, in plan order. */
  kept: PlannedDelivery[];
  changed: ChangedDelivery[];
  listedCount: number;
  pagesRead: number;
}

/**
 * Checks planned deliveries against the list API now: one is kept while it is the delivery
 * discovery would pick for its event today (the newest, in the planned state), and is `changed`
 * otherwise, with the event's newest delivery now.
 */
export async function recheckPlanned(
  planned: readonly PlannedDelivery[],
  listPage: ListPage,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Rechecked> {
  if (planned.length === 0) return { kept: [], changed: [], listedCount: 0, pagesRead: 0 };
  const filters = recheckFilters(planned);
  const { deliveries: listed, pagesRead } = await listAllPages(
    (page, pageSignal) => listPage(filters, page, pageSignal),
    concurrency,
    { signal, purpose: 'recheck', stable: true },
  );
  // Still to send: the delivery discovery would pick for its event today in its own planned state
  // (a plan of explicit IDs may plan several states), listed for the event it was planned for.
  const selectedIn = new Map<string, Map<string, Delivery>>();
  for (const state of new Set(planned.map((delivery) => delivery.state))) {
    const selected = newestPerEventInState(listed, state as DeliveryState);
    selectedIn.set(state, new Map(selected.map((delivery) => [delivery.id, delivery])));
  }
  const stillSelected = new Set(
    planned
      .filter((delivery) => {
        const now = selectedIn.get(delivery.state)?.get(delivery.id);
        return now !== undefined && eventKey(now) === eventKey(asDelivery(delivery));
      })
      .map((delivery) => delivery.id),
  );
  const newest = newestOfEvents(listed);
  const changed = planned
    .filter((delivery) => !stillSelected.has(delivery.id))
    .map((delivery): ChangedDelivery => {
      const now = newest.get(eventKey(asDelivery(delivery)) as string);
      return {
        id: delivery.id,
        eventId: delivery.eventId,
        webhookId: delivery.webhookId,
        plannedState: delivery.state,
        reason: 'changed since the plan',
        newestId: now?.id ?? null,
        newestState: now?.state ?? null,
      };
    });
  const skipped = new Set(changed.map((delivery) => delivery.id));
  const kept = planned.filter((delivery) => !skipped.has(delivery.id));
  return { kept, changed, listedCount: listed.length, pagesRead };
}

/** The planned deliveries still to send, after checking each event again. */
export async function selectFromPlan(
  source: PlanSource,
  listPage: ListPage,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Selection> {
  const planned = source.plan.deliveries;
  const { kept, changed, listedCount, pagesRead } = await recheckPlanned(
    planned,
    listPage,
    concurrency,
    signal,
  );
  return {
    source,
    ids: kept.map((delivery) => delivery.id),
    discoveredCount: listedCount,
    skippedCount: changed.length,
    pagesRead,
    known: new Map(kept.map((delivery) => [delivery.id, asDelivery(delivery)])),
    planCheck: {
      path: source.path,
      digest: source.plan.digest,
      createdAt: source.plan.createdAt,
      planned: planned.length,
      rechecked: planned.length,
      changed,
    },
  };
}

/** The newest listed row of each event, to say what an event changed to. */
export function newestOfEvents(listed: readonly Delivery[]): Map<string, Delivery> {
  const newest = new Map<string, Delivery>();
  for (const delivery of listed) {
    const key = eventKey(delivery);
    if (key === undefined) continue;
    const current = newest.get(key);
    if (!current || (createdAtMs(delivery) ?? 0) >= (createdAtMs(current) ?? 0)) {
      newest.set(key, delivery);
    }
  }
  return newest;
}

/** The log line of a plan being applied. */
export function describePlanCheck(selection: Selection): string {
  const check = selection.planCheck as PlanCheck;
  const parts = [`${plural(check.planned, 'delivery', 'deliveries')} planned`];
  if (check.rechecked > 0) {
    parts.push(
      `${check.rechecked} checked again through the list API, ${check.changed.length} of them changed since the plan (skipped)`,
    );
  }
  return `Plan ${check.path} (digest ${check.digest}, made at ${check.createdAt}): ${parts.join('; ')}; ${selection.ids.length} selected.`;
}
