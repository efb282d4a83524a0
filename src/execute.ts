import { createdAtMs, type BulkResult } from './domain.js';
import { ApiError } from './errors.js';
import type { RedeliveryLedger } from './ledger.js';
import type { Logger } from './log.js';
import type { Batch } from './plan.js';
import { runPool } from './pool.js';

export type Redeliver = (ids: string[], label: string) => Promise<BulkResult>;

export interface SendOutcome {
  /** The failed calls, first first. */
  failures: ApiError[];
  /** Where the new deliveries are, for the narrowest poll that still finds them all. */
  earliestCreatedAtMs?: number;
  /** Their webhooks (up to two: one is all that narrows a poll). */
  createdWebhooks: Set<string | undefined>;
}

/**
 * Sends the batches with up to `concurrency` bulk calls in flight, recording each outcome in the
 * ledger. After any failure no new batch starts (its IDs may have been redelivered, and the cause
 * is likely to hit the next batch too); calls already in flight finish and are recorded; what was
 * never started stays pending, for the pipeline to close.
 */
export async function sendBatches(
  batches: readonly Batch[],
  redeliver: Redeliver,
  ledger: RedeliveryLedger,
  options: { concurrency: number; log: Logger },
): Promise<SendOutcome> {
  const outcome: SendOutcome = { failures: [], createdWebhooks: new Set() };
  let next = 0;
  const take = (): Batch | undefined =>
    outcome.failures.length === 0 && next < batches.length ? batches[next++] : undefined;
  await runPool(options.concurrency, take, async (batch) => {
    try {
      const result = await redeliver(batch.ids, `batch ${batch.number} of ${batches.length}`);
      const { created, dropped } = ledger.confirm(batch, result);
      options.log.info(
        `Batch ${batch.number}/${batches.length}: ${batch.ids.length} ID(s) sent, ${created} redelivery(ies) created, ${dropped.length} dropped.`,
      );
      for (const delivery of result.created) {
        const at = createdAtMs(delivery);
        if (at !== undefined) {
          outcome.earliestCreatedAtMs = Math.min(outcome.earliestCreatedAtMs ?? at, at);
        }
        if (outcome.createdWebhooks.size < 2) outcome.createdWebhooks.add(delivery.webhookId);
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      ledger.fail(batch, error);
      outcome.failures.push(error);
    }
  });
  return outcome;
}
