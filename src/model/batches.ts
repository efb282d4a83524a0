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
  /**
   * Where each of `ids` is in the selection, when not from `start` on: some of the batch's IDs
   * were skipped before it was sent.
   */
  positions?: number[];
}

export type Plan =
  | { kind: 'batches'; batches: Batch[] }
  /** More deliveries were selected than the safety cap allows: nothing may be sent. */
  | { kind: 'over-cap'; selected: number; cap: number };

/**
 * Splits the selection into bulk calls, unless the run would retry more deliveries than the safety
 * cap allows: a wrong filter should not redeliver a month of events.
 */
export function planBatches(ids: readonly string[], options: PlanOptions): Plan {
  if (ids.length > options.maxDeliveries) {
    return { kind: 'over-cap', selected: ids.length, cap: options.maxDeliveries };
  }
  const batches: Batch[] = [];
  for (let start = 0; start < ids.length; start += options.batchSize) {
    batches.push({
      number: batches.length + 1,
      start,
      ids: ids.slice(start, start + options.batchSize),
    });
  }
  return { kind: 'batches', batches };
}
