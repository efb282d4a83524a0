/**
 * Checking a selection again: between plan and apply, or while a canary settles or a paced run
 * goes on, HINDSITE's own retries succeed, other people redeliver, and an earlier apply of the same
 * plan may have redelivered. Every delivery whose event is known is checked again through the list
 * API, and an event whose newest delivery is no longer the selected one, in the state it was
 * selected in, is left alone. A plan's deliveries always have a known event (see lookup.ts), so a
 * plan applied twice (a second run, "Re-run jobs") redelivers nothing the first apply redelivered,
 * and what the first apply never got to HINDSITE is sent. IDs given explicitly to a run that is not
 * a plan cannot be looked up (the API has no lookup by ID): they go as given.
 */
import { asDelivery } from '../settings/plan-file.js';
import type { PlanSource } from '../settings/settings.js';
import type { Clock } from '../model/clock.js';
import {
  createdAtMs,
  eventKey,
  windowStart,
  type Delivery,
  type DeliveryState,
  type ListFilters,
} from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import type { Logger } from '../model/log.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';
import { plural } from '../model/text.js';
import { freshCheckTimedOut, withinDeadline } from './list-deadline.js';
import type { ChangedDelivery, PlanCheck } from './plan-check.js';
import { type PlannedDelivery } from '../settings/settings.js';
import { type Selection } from './result.js';
import { newestPerEventInState } from './newest.js';

/** Rows listed a little before the earliest planned one still count: timestamps may be rounded. */
export const RECHECK_MARGIN_MS = 60_000;

/**
 * The smallest list query that returns every planned delivery and anything newer of its event:
 * since the earliest planned created_at (less a margin), by webhook when the plan has one.
 */
export function recheckFilters(planned: readonly PlannedDelivery[]): ListFilters {
  return windowOf(planned.map(asDelivery));
}

/** The same for any deliveries of known events (see recheckFilters). */
function windowOf(deliveries: readonly Delivery[]): ListFilters {
  let earliest = Infinity;
  for (const delivery of deliveries) {
    earliest = Math.min(earliest, createdAtMs(delivery) ?? NaN);
  }
  const webhooks = new Set(deliveries.map((delivery) => delivery.webhookId));
  const [onlyWebhook] = webhooks;
  return {
    // One undated delivery and the window cannot be narrowed by time.
    since: Number.isFinite(earliest) ? windowStart(earliest - RECHECK_MARGIN_MS) : undefined,
    webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
  };
}

/** A delivery whose event changed since it was selected, and the event's newest delivery now. */
export interface EventChange {
  delivery: Delivery;
  newest?: Delivery;
}

/**
 * Checks deliveries of known events again through the list API, in one walk over the smallest
 * window that covers them: one is still to send when it is what discovery would pick for its event
 * today (the newest delivery of the event, in the state it was selected in). Any other changed:
 * someone redelivered the event (in HINDSITE's app, or another run), or HINDSITE's own retry got
 * through. Used when a plan is applied and right before a selection made a while ago is sent.
 */
export async function checkEventsAgain(
  deliveries: readonly Delivery[],
  listPage: ListPage,
  concurrency: number,
  options: { signal?: AbortSignal; purpose: 'recheck' | 'fresh' },
): Promise<{ changed: EventChange[]; listed: number; pagesRead: number }> {
  if (deliveries.length === 0) return { changed: [], listed: 0, pagesRead: 0 };
  const filters = windowOf(deliveries);
  const { deliveries: listed, pagesRead } = await listAllPages(
    (page, pageSignal) => listPage(filters, page, pageSignal),
    concurrency,
    { signal: options.signal, purpose: options.purpose, stable: true },
  );
  // Still to send: the delivery discovery would pick for its event today in its own selected state
  // (a plan of explicit IDs may hold several states), listed for the event it was selected for.
  const selectedIn = new Map<string, Map<string, Delivery>>();
  for (const state of new Set(deliveries.map((delivery) => delivery.state))) {
    if (state === undefined) continue;
    const selected = newestPerEventInState(listed, state as DeliveryState);
    selectedIn.set(state, new Map(selected.map((delivery) => [delivery.id, delivery])));
  }
  const stillSelected = (delivery: Delivery): boolean => {
    const now =
      delivery.state === undefined ? undefined : selectedIn.get(delivery.state)?.get(delivery.id);
    return now !== undefined && eventKey(now) === eventKey(delivery);
  };
  const newest = newestOfEvents(listed);
  const changed = deliveries
    .filter((delivery) => !stillSelected(delivery))
    .map((delivery) => ({ delivery, newest: newest.get(eventKey(delivery) as string)?.delivery }));
  return { changed, listed: listed.length, pagesRead };
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
 * Checks planned deliveries against the list API now (see checkEventsAgain): one is kept while it
 * is the delivery discovery would pick for its event today, and is `changed` otherwise, with the
 * event's newest delivery now.
 */
export async function recheckPlanned(
  planned: readonly PlannedDelivery[],
  listPage: ListPage,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Rechecked> {
  const {
    changed: changes,
    listed,
    pagesRead,
  } = await checkEventsAgain(planned.map(asDelivery), listPage, concurrency, {
    signal,
    purpose: 'recheck',
  });
  const changed = changes.map(({ delivery, newest }) =>
    changedDelivery(delivery, newest, 'changed since the plan'),
  );
  const skipped = new Set(changed.map((delivery) => delivery.id));
  const kept = planned.filter((delivery) => !skipped.has(delivery.id));
  return { kept, changed, listedCount: listed, pagesRead };
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

function changedDelivery(
  delivery: Delivery,
  newest: Delivery | undefined,
  reason: ChangedDelivery['reason'],
): ChangedDelivery {
  return {
    id: delivery.id,
    eventId: delivery.eventId ?? null,
    webhookId: delivery.webhookId ?? null,
    plannedState: delivery.state ?? null,
    reason,
    newestId: newest?.id ?? null,
    newestState: newest?.state ?? null,
  };
}

/** A selection older than this is checked again before a bulk call starts. */
export const FRESH_FOR_MS = 5 * 60_000;

/** How many IDs a log line names before "… and N more". */
const LOGGED_IDS = 20;

/**
 * A selection checked again right before it is sent, whenever time has passed since it was made:
 * after the canary's wait, and before any bulk call once FRESH_FOR_MS have passed since the last
 * check (at least every 5 minutes of a paced run). Deliveries of known events whose event changed
 * are skipped; IDs given explicitly cannot be looked up (the API has no lookup by ID) and go as
 * given. Concurrent bulk calls share one check.
 */
export class SelectionCheck {
  /** Every delivery found changed so far, in the order found. */
  readonly changed: ChangedDelivery[] = [];
  private checkedAt: number;
  private inFlight: Promise<ReadonlySet<string>> | undefined;
  private toldUnchecked = false;

  constructor(
    private readonly known: ReadonlyMap<string, Delivery>,
    private readonly listPage: ListPage,
    private readonly options: {
      clock: Clock;
      concurrency: number;
      log: Logger;
      signal?: AbortSignal;
      /**
       * discovery-timeout-seconds: all list pages of one check together, as for discovery, so that
       * a server that answers each page just in time cannot hold the step for hours between calls.
       */
      timeoutMs: number;
    },
  ) {
    this.checkedAt = options.clock.now();
  }

  /**
   * Whether FRESH_FOR_MS have passed since the selection was made or last checked (never when no
   * event is known: IDs given explicitly cannot be checked).
   */
  get due(): boolean {
    return this.known.size > 0 && this.options.clock.now() - this.checkedAt >= FRESH_FOR_MS;
  }

  /** Whether a check is going on, which a bulk call must wait for. */
  get checking(): boolean {
    return this.inFlight !== undefined;
  }

  /**
   * Checks `ids` (those of them of a known event) and returns the ones whose event changed; while
   * a check is going on, returns that one's answer. `what` names them in the log line: "the other
   * 7 deliveries". Throws an ApiError when the list cannot be read: nothing unchecked is sent.
   */
  check(ids: readonly string[], what: string): Promise<ReadonlySet<string>> {
    this.inFlight ??= this.checkNow(ids, what).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async checkNow(ids: readonly string[], what: string): Promise<ReadonlySet<string>> {
    const { log } = this.options;
    const deliveries = ids
      .map((id) => this.known.get(id))
      .filter((delivery): delivery is Delivery => delivery?.eventId !== undefined);
    const unchecked = ids.length - deliveries.length;
    if (deliveries.length === 0) {
      if (unchecked > 0 && !this.toldUnchecked) {
        log.info(
          `${capital(what)} ${unchecked === 1 ? 'was' : 'were'} given by ID: the list API cannot look them up by ID, so they are not checked again and go as given.`,
        );
      }
      this.toldUnchecked = true;
      this.checkedAt = this.options.clock.now();
      return new Set();
    }
    let changes: EventChange[];
    const { clock, concurrency, signal, timeoutMs } = this.options;
    try {
      ({ changed: changes } = await withinDeadline(
        {
          timeoutMs,
          clock,
          cancel: signal,
          expired: (pagesRead) => freshCheckTimedOut(timeoutMs, pagesRead),
        },
        this.listPage,
        (listPage, walkSignal) =>
          checkEventsAgain(deliveries, listPage, concurrency, {
            signal: walkSignal,
            purpose: 'fresh',
          }),
      ));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(
        `Checking the deliveries not sent yet again before sending them failed: ${error.message}`,
        'not-sent',
        error.status,
      );
    }
    this.checkedAt = this.options.clock.now();
    const changed = changes.map(({ delivery, newest }) =>
      changedDelivery(delivery, newest, 'changed before sending'),
    );
    // One at a time: spread as arguments, some 130,000 of them overflow the call stack.
    for (const delivery of changed) this.changed.push(delivery);
    const skipped = changed.map((delivery) => delivery.id);
    const givenById =
      unchecked > 0
        ? ` ${plural(unchecked, 'delivery', 'deliveries')} given by ID cannot be looked up and ${unchecked === 1 ? 'goes' : 'go'} as given.`
        : '';
    log.info(
      skipped.length === 0
        ? `Checked ${what} again before sending them: no event changed since they were selected.${givenById}`
        : `Checked ${what} again before sending them: ${plural(skipped.length, 'event')} changed since ${skipped.length === 1 ? 'it was' : 'they were'} selected (a newer delivery, or another state), so ${plural(skipped.length, 'delivery is', 'deliveries are')} skipped: ${namedIds(skipped)}.${givenById}`,
    );
    return new Set(skipped);
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function namedIds(ids: readonly string[]): string {
  const shown = ids.slice(0, LOGGED_IDS).join(', ');
  return ids.length > LOGGED_IDS ? `${shown} … and ${ids.length - LOGGED_IDS} more` : shown;
}

/** The newest listed row of each event (and its time), to say what an event changed to. */
function newestOfEvents(
  listed: readonly Delivery[],
): Map<string, { delivery: Delivery; time: number }> {
  const newest = new Map<string, { delivery: Delivery; time: number }>();
  for (const delivery of listed) {
    const key = eventKey(delivery);
    if (key === undefined) continue;
    const time = createdAtMs(delivery) ?? 0;
    const current = newest.get(key);
    if (!current || time >= current.time) newest.set(key, { delivery, time });
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
