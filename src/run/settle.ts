import type { Clock } from '../model/clock.js';
import {
  createdAtMs,
  eventKey,
  windowStart,
  type Delivery,
  type ListFilters,
} from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import type { Logger } from '../model/log.js';
import { listAllPages, type ListPage } from '../hindsite/paging.js';
import type { SettleResult } from './result.js';

/** An event we redelivered: other rows of it created after `afterMs` are duplicates. */
export interface WatchedEvent {
  newId: string;
  afterMs: number;
}

export interface SettleOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
  log: Logger;
  clock: Clock;
  /** The job was cancelled: stop waiting at once. */
  cancel?: AbortSignal;
}

/**
 * The window starts this long before the server's own time of the new deliveries: its clock and
 * the times it gives (a reply's Date, rounded down to the second; a row's created_at, set when the
 * call arrived) may differ by more than a call takes.
 */
const WINDOW_MARGIN_MS = 5 * 60_000;

export function classify(state: string | undefined): 'completed' | 'failing' | 'unsettled' {
  if (state === 'completed') return 'completed';
  if (state === 'retrying' || state === 'errored') return 'failing';
  return 'unsettled';
}

/**
 * The narrowest list query that still returns every one of the new deliveries. `serverTimeMs` is
 * where they are on the server's clock (their earliest created_at, or the time of the reply that
 * created them), never the runner's: a server whose clock is behind would hide them from a window
 * placed by ours. Without it, the window is not narrowed by time.
 */
export function pollFilters(
  serverTimeMs: number | undefined,
  webhooks: ReadonlySet<string | undefined>,
): ListFilters {
  const [onlyWebhook] = webhooks;
  return {
    since: serverTimeMs === undefined ? undefined : windowStart(serverTimeMs - WINDOW_MARGIN_MS),
    webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
  };
}

export interface SettleTarget {
  /** Every new delivery to wait for. */
  ids: readonly string[];
  /** The ones shown row by row in the summary: their last seen state is kept in full. */
  details: readonly Delivery[];
  filters: ListFilters;
  /** The events of the new deliveries, by event key, to spot other new deliveries of them. */
  events: ReadonlyMap<string, WatchedEvent>;
  /** The IDs the run asked to redeliver: rows of the same event that are not duplicates. */
  requested: ReadonlySet<string>;
}

/**
 * Polls the list API until none of the new deliveries is pending or in progress, or the time is up.
 * `retrying` counts as settled: its first attempt already failed, which is what the user must know.
 */
export async function waitForSettle(
  target: SettleTarget,
  listPage: ListPage,
  options: SettleOptions,
): Promise<SettleResult> {
  const { clock, log } = options;
  const states = new Map<string, string | undefined>(target.ids.map((id) => [id, 'pending']));
  // Listed by a poll at least once: the others' state is not known at all.
  const seen = new Set<string>();
  const final = new Map<string, Delivery>(
    target.details.map((delivery) => [delivery.id, delivery]),
  );
  const duplicates = new Map<string, Set<string>>();
  const deadline = clock.now() + options.timeoutMs;
  // The whole wait is bounded, a poll in flight included: at the deadline, or when the job is
  // cancelled, the poll is abandoned.
  const stop = new AbortController();
  const endWait = (): void => stop.abort();
  const cancelDeadline = clock.deadline(options.timeoutMs, endWait);
  if (options.cancel?.aborted) endWait();
  else options.cancel?.addEventListener('abort', endWait, { once: true });
  let polls = 0;
  let error: string | undefined;
  let pending = states.size;

  try {
    while (pending > 0 && !stop.signal.aborted) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      await clock.sleep(Math.min(options.pollIntervalMs, remaining), stop.signal);
      if (stop.signal.aborted) break;
      try {
        // Only the rows it watches are held (its new deliveries, and other rows of their events),
        // not every row of the window polled.
        const { deliveries } = await listAllPages(
          (page, signal) => listPage(target.filters, page, signal),
          options.concurrency,
          {
            signal: stop.signal,
            purpose: 'wait',
            keep: (delivery) => states.has(delivery.id) || watchesEvent(target, delivery),
            countLeftOut: false,
          },
        );
        for (const delivery of deliveries) {
          noteDuplicate(delivery, target, states, duplicates);
          if (!states.has(delivery.id)) continue;
          states.set(delivery.id, delivery.state);
          seen.add(delivery.id);
          if (final.has(delivery.id)) final.set(delivery.id, delivery);
        }
      } catch (caught) {
        if (stop.signal.aborted) break;
        if (!(caught instanceof ApiError)) throw caught;
        error = caught.message;
        log.warning(`Stopped waiting for the new deliveries: ${caught.message}`);
        break;
      }
      polls++;
      const counts = { completed: 0, failing: 0, unsettled: 0 };
      for (const state of states.values()) counts[classify(state)]++;
      pending = counts.unsettled;
      const unseen = states.size - seen.size;
      const left = Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
      log.info(
        `Waiting for ${states.size} new deliveries (poll ${polls}): ${counts.completed} completed, ${counts.failing} failing (retrying/errored), ${counts.unsettled - unseen} pending/in progress${unseen > 0 ? `, ${unseen} not listed yet` : ''}; ${left} s left.`,
      );
    }
  } finally {
    cancelDeadline();
    options.cancel?.removeEventListener('abort', endWait);
  }

  const result: SettleResult = {
    completedIds: [],
    failingIds: [],
    unsettledIds: [],
    // Only a poll that listed the window can say a delivery was not in it.
    unseenIds: polls > 0 ? target.ids.filter((id) => !seen.has(id)) : [],
    final,
    error,
    duplicates: [...duplicates].map(([key, others]) => {
      const [webhookId = '', eventId = ''] = key.split('\u0000');
      return {
        webhookId,
        eventId,
        newId: target.events.get(key)?.newId ?? '',
        otherIds: [...others],
      };
    }),
  };
  for (const [id, state] of states) {
    const outcome = classify(state);
    if (outcome === 'completed') result.completedIds.push(id);
    else if (outcome === 'failing') result.failingIds.push(id);
    else result.unsettledIds.push(id);
  }
  return result;
}

/** Whether the row is of an event we redelivered. */
function watchesEvent(target: SettleTarget, delivery: Delivery): boolean {
  const key = eventKey(delivery);
  return key !== undefined && target.events.has(key);
}

/** A row of an event we redelivered that is neither ours nor what we asked to redeliver. */
function noteDuplicate(
  delivery: Delivery,
  target: SettleTarget,
  ours: ReadonlyMap<string, unknown>,
  duplicates: Map<string, Set<string>>,
): void {
  const key = eventKey(delivery);
  const watched = key === undefined ? undefined : target.events.get(key);
  if (!watched || key === undefined) return;
  if (ours.has(delivery.id) || target.requested.has(delivery.id)) return;
  const at = createdAtMs(delivery);
  if (at === undefined || at <= watched.afterMs) return;
  const others = duplicates.get(key) ?? new Set<string>();
  others.add(delivery.id);
  duplicates.set(key, others);
}
