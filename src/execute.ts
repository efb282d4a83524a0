import type { BulkResult } from './client.js';
import { ApiError } from './errors.js';
import type { RedeliveryLedger } from './ledger.js';
import type { Logger } from './log.js';
import type { Batch } from './plan.js';

export type Redeliver = (ids: string[], label: string) => Promise<BulkResult>;

/**
 * Sends the batches with up to `concurrency` bulk calls in flight, recording each outcome in the
 * ledger. After any failure no new batch starts (its IDs may have been redelivered, and the cause
 * is likely to hit the next batch too); calls already in flight finish and are recorded; what was
 * never started is unsent. Returns the failures, first first.
 */
export async function sendBatches(
  batches: readonly Batch[],
  redeliver: Redeliver,
  ledger: RedeliveryLedger,
  options: { concurrency: number; log: Logger },
): Promise<ApiError[]> {
  const failures: ApiError[] = [];
  const send = async (batch: Batch): Promise<void> => {
    try {
      const result = await redeliver(batch.ids, `batch ${batch.number} of ${batches.length}`);
      const { created, dropped } = ledger.confirm(batch, result);
      options.log.info(
        `Batch ${batch.number}/${batches.length}: ${batch.ids.length} ID(s) sent, ${created} redelivery(ies) created, ${dropped.length} dropped.`,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      ledger.fail(batch, error);
      failures.push(error);
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (failures.length === 0 && next < batches.length) await send(batches[next++] as Batch);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, batches.length) }, worker));
  ledger.close();
  return failures;
}
