import type { Logger } from '../model/log.js';
import { planBatches, type Batch } from '../model/batches.js';
import type { CanaryReport } from './result.js';
import { plural } from '../model/text.js';
import { type SettleResult } from './result.js';

/**
 * The run's bulk calls with the canary's own first: a canary of 5 with batches of 100 is one call
 * of 5 IDs, then calls of 100 from the 6th ID on. Numbers and positions stay those of the run.
 * Without a canary, the batches as planned.
 */
export function splitCanary(
  ids: readonly string[],
  count: number,
  batches: Batch[],
  batchSize: number,
): { ids: string[]; canary: Batch[]; rest: Batch[] } {
  if (count <= 0) return { ids: [], canary: [], rest: batches };
  const head = ids.slice(0, count);
  const canary = batchesOf(head, batchSize, 0, 0);
  return {
    ids: head,
    canary,
    rest: batchesOf(ids.slice(count), batchSize, head.length, canary.length),
  };
}

function batchesOf(ids: string[], batchSize: number, start: number, number: number): Batch[] {
  const plan = planBatches(ids, { batchSize, maxDeliveries: Infinity });
  if (plan.kind !== 'batches') return [];
  return plan.batches.map((batch) => ({
    ...batch,
    number: batch.number + number,
    start: batch.start + start,
  }));
}

/** What the canary needs to know of its bulk calls (send.ts's SendOutcome). */
interface Sent {
  failures: readonly unknown[];
}

export interface CanaryTest<S extends Sent> {
  /** Sends bulk calls as the rest will be sent (paced, recorded in the ledger). */
  send: (batches: Batch[]) => Promise<S>;
  /** New deliveries created so far. */
  createdCount: () => number;
  /** Waits for every new delivery so far to settle, as `wait` does. */
  settle: (sent: S) => Promise<SettleResult>;
  log: Logger;
  cancel?: AbortSignal;
}

/**
 * Sends the canary and waits for its new deliveries. Only when every one of them completed has the
 * receiver shown that it takes deliveries again; anything else (failing again, not settled in time,
 * nothing to watch) stops the run before the rest is sent.
 */
export async function testWithCanary<S extends Sent>(
  ids: string[],
  batches: Batch[],
  /** How many deliveries follow the canary. */
  restCount: number,
  test: CanaryTest<S>,
): Promise<{ sent: S; settle?: SettleResult; report: CanaryReport }> {
  const { log } = test;
  log.info(
    `Canary: redelivering ${plural(ids.length, 'delivery', 'deliveries')} first; the other ${plural(restCount, 'delivery', 'deliveries')} follow only if every new delivery of the canary completes.`,
  );
  const sent = await test.send(batches);
  if (sent.failures.length > 0 || test.cancel?.aborted) {
    return { sent, report: { ids, outcome: 'stopped' } };
  }
  if (test.createdCount() === 0) {
    log.warning(
      'Canary: HINDSITE created no new delivery for it, so it shows nothing about the receiver.',
    );
    return { sent, report: { ids, outcome: 'unproven' } };
  }
  const settle = await test.settle(sent);
  if (test.cancel?.aborted) {
    // Cancelled while waiting: the canary showed nothing yet, and the job stops.
    log.info(
      `Canary: the job was cancelled while waiting; the other ${plural(restCount, 'delivery is', 'deliveries are')} not sent.`,
    );
    return { sent, settle, report: { ids, outcome: 'stopped' } };
  }
  const outcome =
    settle.failingIds.length > 0
      ? 'refused'
      : settle.unsettledIds.length > 0
        ? 'unproven'
        : 'passed';
  // One no poll listed says nothing about the receiver: it is told apart from one seen pending.
  const unseen = settle.unseenIds?.length ?? 0;
  const problems = [
    settle.failingIds.length > 0 &&
      `${plural(settle.failingIds.length, 'new delivery', 'new deliveries')} failed again`,
    settle.unsettledIds.length > unseen && `${settle.unsettledIds.length - unseen} not settled`,
    unseen > 0 &&
      `${plural(unseen, 'new delivery', 'new deliveries')} never appeared in HINDSITE's list`,
  ].filter(Boolean);
  log.info(
    outcome === 'passed'
      ? `Canary: every new delivery completed; redelivering the other ${plural(restCount, 'delivery', 'deliveries')}.`
      : `Canary: ${problems.join(', ')}; the other ${plural(restCount, 'delivery is', 'deliveries are')} not sent.`,
  );
  return { sent, settle, report: { ids, outcome } };
}
