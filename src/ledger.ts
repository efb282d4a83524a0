import type { BulkResult, Delivery } from './client.js';
import type { ApiError } from './errors.js';

export type IdStatus = 'pending' | 'confirmed' | 'dropped' | 'failed' | 'unsent';

export interface BatchFailure {
  ids: string[];
  /** `rejected`: the server refused, nothing was redelivered; `unknown`: it may have acted. */
  outcome: 'rejected' | 'unknown';
  message: string;
}

/** A new delivery and the delivery it retries, when that can be told. */
export interface CreatedDelivery extends Delivery {
  originalId?: string;
}

/**
 * Where every requested ID stands. Each ID is in exactly one state at all times, so whatever stops
 * the run, the outputs say what was done, what may have been done, and what is safe to send again.
 */
export class RedeliveryLedger {
  private readonly status = new Map<string, IdStatus>();
  readonly created: CreatedDelivery[] = [];
  readonly failures: BatchFailure[] = [];
  private readonly known: Map<string, Delivery>;

  constructor(
    readonly requested: readonly string[],
    known: Map<string, Delivery> = new Map(),
  ) {
    for (const id of requested) this.status.set(id, 'pending');
    this.known = known;
  }

  /** The batch was accepted: IDs the server dropped are dropped, the rest are confirmed. */
  confirm(batch: readonly string[], result: BulkResult): { created: number; dropped: string[] } {
    const inBatch = new Set(batch);
    const dropped = [...new Set(result.droppedIds)].filter((id) => inBatch.has(id));
    const droppedSet = new Set(dropped);
    const sent = batch.filter((id) => !droppedSet.has(id));
    for (const id of dropped) this.status.set(id, 'dropped');
    for (const id of sent) this.status.set(id, 'confirmed');
    const originals = matchOriginals(sent, result.created, this.known);
    result.created.forEach((delivery, index) => {
      this.created.push({ ...delivery, originalId: originals[index] });
    });
    return { created: result.created.length, dropped };
  }

  /** The batch's call failed: unsent if it never left, else failed (rejected, or outcome unknown). */
  fail(batch: readonly string[], error: ApiError): void {
    if (error.outcome === 'not-sent') {
      this.markUnsent(batch);
      return;
    }
    for (const id of batch) this.status.set(id, 'failed');
    this.failures.push({ ids: [...batch], outcome: error.outcome, message: error.message });
  }

  markUnsent(ids: readonly string[]): void {
    for (const id of ids) this.status.set(id, 'unsent');
  }

  /** IDs in a given state, in the order they were requested. */
  idsWith(status: IdStatus): string[] {
    return this.requested.filter((id) => this.status.get(id) === status);
  }

  /** Everything not yet settled becomes unsent: the run is over and they never left. */
  close(): void {
    this.markUnsent(this.idsWith('pending'));
  }
}

/**
 * Which requested ID each new delivery retries. The documented reply lists the new rows only, so: by
 * position when there is one new row per ID sent (the rows of one event must then agree), else by
 * event where discovery told us each original's event.
 */
function matchOriginals(
  sent: readonly string[],
  created: readonly Delivery[],
  known: Map<string, Delivery>,
): (string | undefined)[] {
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
  if (positional) return [...sent];
  const byEvent = new Map<string, string[]>();
  for (const id of sent) {
    const key = eventKey(known.get(id));
    if (key !== undefined) byEvent.set(key, [...(byEvent.get(key) ?? []), id]);
  }
  return created.map((delivery) => {
    const key = eventKey(delivery);
    return key === undefined ? undefined : byEvent.get(key)?.shift();
  });
}
