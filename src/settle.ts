import type { Clock } from './clock.js';
import type { Delivery, ListFilters } from './domain.js';
import { ApiError } from './errors.js';
import type { Logger } from './log.js';
import { listAllPages, type ListPage } from './paging.js';

export interface SettleResult {
  /** New deliveries that reached `completed`. */
  completedIds: string[];
  /** New deliveries the receiver refused again (`retrying` or `errored`). */
  failingIds: string[];
  /** New deliveries still pending or in progress (or not seen) when the wait ended. */
  unsettledIds: string[];
  /** The last seen state of the new deliveries shown in the summary. */
  final: Map<string, Delivery>;
  /** Why the wait stopped early, when a poll failed. */
  error?: string;
}

export interface SettleOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
  log: Logger;
  clock: Clock;
}

/** Our clock and the server's may disagree; widen the window rather than miss a row. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function classify(state: string | undefined): 'completed' | 'failing' | 'unsettled' {
  if (state === 'completed') return 'completed';
  if (state === 'retrying' || state === 'errored') return 'failing';
  return 'unsettled';
}

/** The narrowest list query that still returns every one of the new deliveries. */
export function pollFilters(
  earliestCreatedAtMs: number | undefined,
  webhooks: ReadonlySet<string | undefined>,
  requestedAtMs: number,
): ListFilters {
  const [onlyWebhook] = webhooks;
  return {
    since: new Date(Math.min(earliestCreatedAtMs ?? requestedAtMs, requestedAtMs) - CLOCK_SKEW_MS),
    webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
  };
}

export interface SettleTarget {
  /** Every new delivery to wait for. */
  ids: readonly string[];
  /** The ones shown row by row in the summary: their last seen state is kept in full. */
  details: readonly Delivery[];
  filters: ListFilters;
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
  const states = new Map<string, string | undefined>(target.ids.map((id) => [id, 'pending']));
  const final = new Map<string, Delivery>(
    target.details.map((delivery) => [delivery.id, delivery]),
  );
  const deadline = options.clock.now() + options.timeoutMs;
  let polls = 0;
  let error: string | undefined;
  let pending = states.size;

  while (pending > 0) {
    const remaining = deadline - options.clock.now();
    if (remaining <= 0) break;
    await options.clock.sleep(Math.min(options.pollIntervalMs, remaining));
    try {
      const { deliveries } = await listAllPages(
        (page, signal) => listPage(target.filters, page, signal),
        options.concurrency,
      );
      for (const delivery of deliveries) {
        if (!states.has(delivery.id)) continue;
        states.set(delivery.id, delivery.state);
        if (final.has(delivery.id)) final.set(delivery.id, delivery);
      }
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      error = caught.message;
      options.log.warning(`Stopped waiting for the new deliveries: ${caught.message}`);
      break;
    }
    polls++;
    const counts = { completed: 0, failing: 0, unsettled: 0 };
    for (const state of states.values()) counts[classify(state)]++;
    pending = counts.unsettled;
    const left = Math.max(0, Math.ceil((deadline - options.clock.now()) / 1000));
    options.log.info(
      `Waiting for ${states.size} new deliveries (poll ${polls}): ${counts.completed} completed, ${counts.failing} failing (retrying/errored), ${counts.unsettled} pending/in progress; ${left} s left.`,
    );
  }

  const result: SettleResult = {
    completedIds: [],
    failingIds: [],
    unsettledIds: [],
    final,
    error,
  };
  for (const [id, state] of states) {
    const outcome = classify(state);
    if (outcome === 'completed') result.completedIds.push(id);
    else if (outcome === 'failing') result.failingIds.push(id);
    else result.unsettledIds.push(id);
  }
  return result;
}
