import type { BulkResult, Delivery } from './client.js';
import type { ApiError } from './errors.js';
import type { Batch } from './plan.js';

export type IdStatus = 'pending' | 'confirmed' | 'dropped' | 'failed' | 'unsent';
const STATUSES: readonly IdStatus[] = ['pending', 'confirmed', 'dropped', 'failed', 'unsent'];
const code = (status: IdStatus): number => STATUSES.indexOf(status);

export interface BatchFailure {
  ids: readonly string[];
  /** `rejected`: the server refused, nothing was redelivered; `unknown`: it may have acted. */
  outcome: 'rejected' | 'unknown';
  message: string;
}

/** A new delivery and the delivery it retries, when that can be told. */
export interface CreatedDelivery extends Delivery {
  originalId?: string;
}

/** New deliveries kept in full (for the job summary); beyond them only IDs are kept. */
export const DETAILED_CREATED = 100;

/**
 * Where every requested ID stands. Each ID is in exactly one state at all times, so whatever stops
 * the run, the outputs say what was done, what may have been done, and what is safe to send again.
 * Sized for 100,000 IDs: a status byte per position, and new deliveries kept as IDs only past the
 * first DETAILED_CREATED.
 */
export class RedeliveryLedger {
  private readonly status: Uint8Array;
  /**
   * New deliveries per batch, by batch number: outputs list them in batch order, whatever order
   * concurrent batches finished in.
   */
  private readonly createdByBatch: { ids: string[]; originals: (string | undefined)[] }[] = [];
  private readonly detailsByBatch: CreatedDelivery[][] = [];
  /** What the wait needs to narrow its polls: the earliest new row, and its webhooks (up to 2). */
  earliestCreatedAtMs: number | undefined;
  readonly createdWebhooks = new Set<string | undefined>();
  readonly failures: BatchFailure[] = [];
  /**
   * Whether some new deliveries were paired with their originals only by their position in the
   * reply (explicit IDs: nothing else links them), rather than checked against the event.
   */
  pairedByPositionOnly = false;

  constructor(
    readonly requested: readonly string[],
    private readonly known: Map<string, Delivery> = new Map(),
  ) {
    this.status = new Uint8Array(requested.length);
  }

  /** The batch was accepted: IDs the server dropped are dropped, the rest are confirmed. */
  confirm(batch: Batch, result: BulkResult): { created: number; dropped: string[] } {
    const inBatch = new Set(batch.ids);
    const dropped = [...new Set(result.droppedIds)].filter((id) => inBatch.has(id));
    const droppedSet = new Set(dropped);
    const sent: string[] = [];
    batch.ids.forEach((id, offset) => {
      const isDropped = droppedSet.has(id);
      this.status[batch.start + offset] = code(isDropped ? 'dropped' : 'confirmed');
      if (!isDropped) sent.push(id);
    });
    const { originals, byPositionOnly } = matchOriginals(sent, result.created, this.known);
    this.pairedByPositionOnly ||= byPositionOnly;
    this.createdByBatch[batch.number] = {
      ids: result.created.map((delivery) => delivery.id),
      originals,
    };
    // Only batches that start within the first DETAILED_CREATED IDs can hold those rows.
    if (batch.start < DETAILED_CREATED) {
      this.detailsByBatch[batch.number] = result.created.map((delivery, index) => ({
        ...delivery,
        originalId: originals[index],
      }));
    }
    for (const delivery of result.created) {
      const createdAt = delivery.createdAt ? Date.parse(delivery.createdAt) : NaN;
      if (!Number.isNaN(createdAt)) {
        this.earliestCreatedAtMs = Math.min(this.earliestCreatedAtMs ?? createdAt, createdAt);
      }
      if (this.createdWebhooks.size < 2) this.createdWebhooks.add(delivery.webhookId);
    }
    return { created: result.created.length, dropped };
  }

  /** IDs of the new deliveries, in batch order. */
  get createdIds(): string[] {
    return this.createdByBatch.flatMap((batch) => batch.ids);
  }

  /** The requested ID each new delivery retries (same positions as createdIds), when known. */
  get originalIds(): (string | undefined)[] {
    return this.createdByBatch.flatMap((batch) => batch.originals);
  }

  /** The first DETAILED_CREATED new deliveries in full, in batch order. */
  get createdDetails(): CreatedDelivery[] {
    return this.detailsByBatch.flat().slice(0, DETAILED_CREATED);
  }

  get createdCount(): number {
    return this.createdByBatch.reduce((sum, batch) => sum + batch.ids.length, 0);
  }

  /** The batch's call failed: unsent if it never left, else failed (rejected, or outcome unknown). */
  fail(batch: Batch, error: ApiError): void {
    const status = error.outcome === 'not-sent' ? 'unsent' : 'failed';
    this.status.fill(code(status), batch.start, batch.start + batch.ids.length);
    if (error.outcome !== 'not-sent') {
      this.failures.push({ ids: batch.ids, outcome: error.outcome, message: error.message });
    }
  }

  /** The failed IDs of one kind of failure, batch by batch. */
  failedIds(outcome: BatchFailure['outcome']): string[] {
    return this.failures
      .filter((failure) => failure.outcome === outcome)
      .flatMap((failure) => [...failure.ids]);
  }

  /** IDs in a given state, in the order they were requested. */
  idsWith(status: IdStatus): string[] {
    const wanted = code(status);
    return this.requested.filter((_, position) => this.status[position] === wanted);
  }

  /** Everything not yet settled becomes unsent: the run is over and they never left. */
  close(): void {
    const pending = code('pending');
    const unsent = code('unsent');
    this.status.forEach((value, position) => {
      if (value === pending) this.status[position] = unsent;
    });
  }
}

/**
 * Which requested ID each new delivery retries. The documented reply lists the new rows only, so: by
 * position when there is one new row per ID sent (checked against the event where discovery told
 * us each original's event), else by event.
 */
function matchOriginals(
  sent: readonly string[],
  created: readonly Delivery[],
  known: Map<string, Delivery>,
): { originals: (string | undefined)[]; byPositionOnly: boolean } {
  const eventKey = (delivery: Delivery | undefined): string | undefined =>
    delivery?.eventId === undefined
      ? undefined
      : `${delivery.webhookId ?? ''}\u0000${delivery.eventId}`;
  const positional =
    created.length === sent.length &&
    created.every((delivery, index) => {
      const original = eventKey(known.get(sent[index] as string));
      return original === undefined || original === eventKey(delivery);
    });
  if (positional) {
    const unchecked = sent.some((id) => eventKey(known.get(id)) === undefined);
    return { originals: [...sent], byPositionOnly: unchecked };
  }
  const byEvent = new Map<string, string[]>();
  for (const id of sent) {
    const key = eventKey(known.get(id));
    if (key !== undefined) byEvent.set(key, [...(byEvent.get(key) ?? []), id]);
  }
  const originals = created.map((delivery) => {
    const key = eventKey(delivery);
    return key === undefined ? undefined : byEvent.get(key)?.shift();
  });
  return { originals, byPositionOnly: false };
}
