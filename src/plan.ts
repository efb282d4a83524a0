import { PlanError } from './errors.js';

export interface PlanOptions {
  batchSize: number;
  maxDeliveries: number;
}

/** One bulk call: `ids` are the selection's IDs from position `start` on. */
export interface Batch {
  /** 1-based, for messages. */
  number: number;
  start: number;
  ids: string[];
}

/**
 * Splits the selection into bulk calls. Fails before anything is sent when the run would retry more
 * deliveries than the safety cap allows: a wrong filter should not redeliver a month of events.
 */
export function planBatches(ids: readonly string[], options: PlanOptions): Batch[] {
  if (ids.length > options.maxDeliveries) {
    throw new PlanError(
      `${ids.length} deliveries were selected for redelivery, more than max-deliveries (${options.maxDeliveries}); nothing was sent. Narrow the selection, or raise max-deliveries to at least ${ids.length} if this is intended.`,
    );
  }
  const batches: Batch[] = [];
  for (let start = 0; start < ids.length; start += options.batchSize) {
    batches.push({
      number: batches.length + 1,
      start,
      ids: ids.slice(start, start + options.batchSize),
    });
  }
  return batches;
}
