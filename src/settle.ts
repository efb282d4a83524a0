import type { Delivery, ListFilters } from './client.js';
import { ApiError } from './errors.js';
import type { Logger } from './log.js';
import { listAllPages, type ListPage } from './selection.js';

export interface SettleResult {
  /** New deliveries that reached `completed`. */
  completedIds: string[];
  /** New deliveries the receiver refused again (`retrying` or `errored`). */
  failingIds: string[];
  /** New deliveries still pending or in progress (or not seen) when the wait ended. */
  unsettledIds: string[];
  /** The last state seen of each new delivery. */
  final: Map<string, Delivery>;
  polls: number;
  /** Why the wait stopped early, when a poll failed. */
  error?: string;
}

export interface SettleOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  concurrency: number;
  /** When the redeliveries were requested: the window start when the rows carry no created_at. */
  requestedAtMs: number;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Our clock and the server's may disagree; widen the window rather than miss a row. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function classify(state: string | undefined): 'completed' | 'failing' | 'unsettled' {
  if (state === 'completed') return 'completed';
  if (state === 'retrying' || state === 'errored') return 'failing';
  return 'unsettled';
}

/** The narrowest list query that still returns every one of the new deliveries. */
export function pollFilters(created: readonly Delivery[], requestedAtMs: number): ListFilters {
  const times = created.map((delivery) =>
    delivery.createdAt ? Date.parse(delivery.createdAt) : NaN,
  );
  const earliest = times.every((time) => !Number.isNaN(time))
    ? times.reduce((a, b) => Math.min(a, b), requestedAtMs)
    : requestedAtMs;
  const webhooks = new Set(created.map((delivery) => delivery.webhookId));
  const [onlyWebhook] = webhooks;
  return {
    since: new Date(earliest - CLOCK_SKEW_MS),
    webhookId: webhooks.size === 1 && onlyWebhook !== undefined ? onlyWebhook : undefined,
  };
}

/**
 * Polls the list API until none of the new deliveries is pending or in progress, or the time is up.
 * `retrying` counts as settled: its first attempt already failed, which is what the user must know.
 */
export async function waitForSettle(
  created: readonly Delivery[],
  listPage: ListPage,
  options: SettleOptions,
): Promise<SettleResult> {
  const final = new Map<string, Delivery>(created.map((delivery) => [delivery.id, delivery]));
  const filters = pollFilters(created, options.requestedAtMs);
  const deadline = options.now() + options.timeoutMs;
  let polls = 0;
  let error: string | undefined;
  let pending = created.filter((delivery) => classify(delivery.state) === 'unsettled').length;

  while (pending > 0) {
    const remaining = deadline - options.now();
    if (remaining <= 0) break;
    await options.sleep(Math.min(options.pollIntervalMs, remaining));
    try {
      const { deliveries } = await listAllPages(
        (page) => listPage(filters, page),
        options.concurrency,
      );
      for (const delivery of deliveries)
        if (final.has(delivery.id)) final.set(delivery.id, delivery);
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      error = caught.message;
      options.log.warning(`Stopped waiting for the new deliveries: ${caught.message}`);
      break;
    }
    polls++;
    const counts = countStates(final);
    pending = counts.unsettled;
    const left = Math.max(0, Math.ceil((deadline - options.now()) / 1000));
    options.log.info(
      `Waiting for ${final.size} new deliveries (poll ${polls}): ${counts.completed} completed, ${counts.failing} failing (retrying/errored), ${counts.unsettled} pending/in progress; ${left} s left.`,
    );
  }

  const result: SettleResult = {
    completedIds: [],
    failingIds: [],
    unsettledIds: [],
    final,
    polls,
    error,
  };
  for (const delivery of created) {
    const state = classify(final.get(delivery.id)?.state);
    if (state === 'completed') result.completedIds.push(delivery.id);
    else if (state === 'failing') result.failingIds.push(delivery.id);
    else result.unsettledIds.push(delivery.id);
  }
  return result;
}

function countStates(
  final: Map<string, Delivery>,
): Record<'completed' | 'failing' | 'unsettled', number> {
  const counts = { completed: 0, failing: 0, unsettled: 0 };
  for (const delivery of final.values()) counts[classify(delivery.state)]++;
  return counts;
}
