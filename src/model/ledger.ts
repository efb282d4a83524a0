import type { Batch } from './batches.js';
import { eventKey, isDeliveryId, SUMMARY_ROWS, type BulkResult, type Delivery } from './domain.js';
import type { ApiError, CallOutcome } from './errors.js';

/**
 * Where one requested ID stands:
 * - `pending`: not settled yet (only while the run is going);
 * - `confirmed`: sent, and HINDSITE's reply accounts for it;
 * - `dropped`: HINDSITE said it does not know the ID (unknown, or another organisation's);
 * - `refused`: sent and refused: nothing was redelivered, safe to send again once the cause is fixed;
 * - `unknown`: sent, but HINDSITE may or may not have acted: check before sending again;
 * - `unsent`: never sent because the run stopped first: safe to send again;
 * - `blocked`: never sent because the user's own safety cap said no;
 * - `planned`: a dry run: would have been sent;
 * - `skipped`: never sent because its event changed since it was selected (a newer delivery, or
 *   another state, when checked again right before sending): sending it would retry the event twice.
 */
export type IdStatus =
  | 'pending'
  | 'confirmed'
  | 'dropped'
  | 'refused'
  | 'unknown'
  | 'unsent'
  | 'blocked'
  | 'planned'
  | 'skipped';
const STATUSES: readonly IdStatus[] = [
  'pending',
  'confirmed',
  'dropped',
  'refused',
  'unknown',
  'unsent',
  'blocked',
  'planned',
  'skipped',
];
const code = (status: IdStatus): number => STATUSES.indexOf(status);

/** Why the IDs that were never sent were not sent. */
export type Unsent = 'unsent' | 'blocked' | 'planned';

export interface BatchFailure {
  ids: readonly string[];
  outcome: Exclude<CallOutcome, 'not-sent'>;
  message: string;
}

/** A reply with more new deliveries than IDs sent: HINDSITE may have created duplicates. */
export interface SurplusReply {
  batch: number;
  sent: number;
  createdIds: string[];
}

/** What one accepted bulk call did to its IDs. */
export interface Confirmation {
  created: number;
  dropped: string[];
  /** Sent IDs the reply does not account for: outcome unknown. */
  unaccounted: string[];
  /** Why the reply cannot be trusted at all, when it cannot: then every ID sent is unaccounted. */
  untrusted?: string;
}

/** A new delivery and the delivery it retries, when that can be told. */
export interface CreatedDelivery extends Delivery {
  originalId?: string;
}

/** The ledger at the end of the run: plain data, every requested ID in exactly one list. */
export interface LedgerSnapshot {
  requested: readonly string[];
  /** IDs of the new deliveries, in batch order. */
  createdIds: string[];
  /** The requested ID each new delivery retries, by the new delivery's ID, where it is known. */
  originalOf: ReadonlyMap<string, string>;
  /** The first SUMMARY_ROWS new deliveries in full, in batch order. */
  createdDetails: CreatedDelivery[];
  /**
   * Whether some new deliveries were paired with their originals only by their position in the
   * reply (explicit IDs: nothing else links them), rather than checked against the event.
   */
  pairedByPositionOnly: boolean;
  /** Requested IDs by status, each in the order they were requested. */
  confirmed: string[];
  dropped: string[];
  refused: string[];
  unknown: string[];
  unsent: string[];
  blocked: string[];
  planned: string[];
  skipped: string[];
  /** `refused` and `unknown` together, in the order they were requested. */
  failed: string[];
  failures: BatchFailure[];
  surplus: SurplusReply[];
}

/**
 * Where every requested ID stands while the run goes on. Each ID is in exactly one state at all
 * times, so whatever stops the run, the outputs say what was done, what may have been done, and
 * what is safe to send again. Sized for 100,000 IDs: a status byte per position, and new deliveries
 * kept as IDs only past the first SUMMARY_ROWS.
 */
export class RedeliveryLedger {
  private readonly status: Uint8Array;
  /**
   * New deliveries per batch, by batch number: outputs list them in batch order, whatever order
   * concurrent batches finished in.
   */
  private readonly createdByBatch: { ids: string[]; originals: (string | undefined)[] }[] = [];
  private readonly detailsByBatch: CreatedDelivery[][] = [];
  private readonly failures: BatchFailure[] = [];
  private readonly surplus: SurplusReply[] = [];
  private pairedByPositionOnly = false;
  private readonly requestedSet: ReadonlySet<string>;
  /** Every new delivery listed so far: one listed twice, in any reply, is a reply not to trust. */
  private readonly createdSeen = new Set<string>();

  constructor(
    readonly requested: readonly string[],
    private readonly known: ReadonlyMap<string, Delivery> = new Map(),
  ) {
    this.status = new Uint8Array(requested.length);
    this.requestedSet = new Set(requested);
  }

  /**
   * The batch was accepted: IDs the server dropped are dropped; the others are confirmed when the
   * reply accounts for them, else outcome unknown. A new delivery accounts for the sent ID of its
   * event (discovery told us each one's event); where events are unknown (explicit IDs), only one
   * new delivery per ID sent accounts for them all. A reply that lists a new delivery twice, a
   * requested ID as a new one, or an ID that is not one is not trusted at all.
   */
  confirm(batch: Batch, result: BulkResult): Confirmation {
    const inBatch = new Set(batch.ids);
    const dropped = [...new Set(result.droppedIds)].filter((id) => inBatch.has(id));
    const droppedSet = new Set(dropped);
    const sent = batch.ids.filter((id) => !droppedSet.has(id));
    const untrusted = this.distrust(result);
    if (untrusted) {
      batch.ids.forEach((id, offset) => {
        this.status[positionOf(batch, offset)] = code(droppedSet.has(id) ? 'dropped' : 'unknown');
      });
      return { created: 0, dropped, unaccounted: sent, untrusted };
    }
    const { originals, byPositionOnly } = matchOriginals(sent, result.created, this.known);
    const paired = new Set(originals.filter(isId));
    // Where either side's event is unknown (explicit IDs; a reply without event_id, which the
    // documentation does not promise), only the count can vouch for an ID.
    const enough = result.created.length >= sent.length;
    const repliedEvents = result.created.some((delivery) => eventKey(delivery) !== undefined);
    const accounted = new Set(
      sent.filter(
        (id) =>
          paired.has(id) ||
          (enough && (!repliedEvents || eventKey(this.known.get(id)) === undefined)),
      ),
    );
    const unaccounted = sent.filter((id) => !accounted.has(id));
    batch.ids.forEach((id, offset) => {
      const status = droppedSet.has(id) ? 'dropped' : accounted.has(id) ? 'confirmed' : 'unknown';
      this.status[positionOf(batch, offset)] = code(status);
    });
    this.pairedByPositionOnly ||= byPositionOnly;
    const createdIds = result.created.map((delivery) => delivery.id);
    for (const id of createdIds) this.createdSeen.add(id);
    this.createdByBatch[batch.number] = { ids: createdIds, originals };
    // Only batches that start within the first SUMMARY_ROWS IDs can hold those rows.
    if (batch.start < SUMMARY_ROWS) {
      this.detailsByBatch[batch.number] = result.created.map((delivery, index) => ({
        ...delivery,
        originalId: originals[index],
      }));
    }
    if (result.created.length > sent.length) {
      this.surplus.push({ batch: batch.number, sent: sent.length, createdIds });
    }
    return { created: result.created.length, dropped, unaccounted };
  }

  /** Why a bulk reply cannot be trusted, if it cannot. */
  private distrust(result: BulkResult): string | undefined {
    const ids = result.created.map((delivery) => delivery.id);
    if (ids.some((id) => !isDeliveryId(id))) return 'lists a new delivery whose ID is not an ID';
    if (new Set(ids).size < ids.length || ids.some((id) => this.createdSeen.has(id))) {
      return 'lists the same new delivery twice';
    }
    if (ids.some((id) => this.requestedSet.has(id))) {
      return 'lists a requested delivery as a new one';
    }
    return undefined;
  }

  /** IDs of one batch that a reply did not account for: outcome unknown, with why. */
  unaccounted(ids: readonly string[], message: string): void {
    this.failures.push({ ids, outcome: 'unknown', message });
  }

  /** The batch's call failed: unsent if it never left, else refused or outcome unknown. */
  fail(batch: Batch, error: ApiError): void {
    const status = error.outcome === 'not-sent' ? 'unsent' : error.outcome;
    batch.ids.forEach((_, offset) => {
      this.status[positionOf(batch, offset)] = code(status);
    });
    if (error.outcome !== 'not-sent') {
      this.failures.push({ ids: batch.ids, outcome: error.outcome, message: error.message });
    }
  }

  /**
   * These IDs are not to be sent: their event changed since they were selected. Only IDs not yet
   * sent (pending) change; one pass over the requested IDs.
   */
  skip(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    const pending = code('pending');
    this.requested.forEach((id, position) => {
      if (this.status[position] === pending && ids.has(id)) this.status[position] = code('skipped');
    });
  }

  /** What of the batch is still to send: its IDs not skipped (or settled) since it was planned. */
  stillToSend(batch: Batch): Batch {
    const pending = code('pending');
    const offsets = batch.ids
      .map((_, offset) => offset)
      .filter((offset) => this.status[positionOf(batch, offset)] === pending);
    if (offsets.length === batch.ids.length) return batch;
    return {
      number: batch.number,
      start: batch.start,
      ids: offsets.map((offset) => batch.ids[offset] as string),
      positions: offsets.map((offset) => positionOf(batch, offset)),
    };
  }

  /** The run is over: everything not settled was never sent, for the reason given. */
  close(reason: Unsent): void {
    const pending = code('pending');
    const to = code(reason);
    this.status.forEach((value, position) => {
      if (value === pending) this.status[position] = to;
    });
  }

  get createdCount(): number {
    return this.createdByBatch.reduce((sum, batch) => sum + (batch?.ids.length ?? 0), 0);
  }

  /** Each new delivery's requested ID: the one place the two lists a batch records are paired. */
  private originalsByNewId(): Map<string, string> {
    const originals = new Map<string, string>();
    // By batch number, with holes for batches not answered: forEach skips those.
    this.createdByBatch.forEach(({ ids, originals: requested }) => {
      ids.forEach((id, index) => {
        const original = requested[index];
        if (original !== undefined) originals.set(id, original);
      });
    });
    return originals;
  }

  /** How many IDs are in each state now: one pass over the status bytes, no lists built. */
  tally(): Record<IdStatus, number> {
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
      IdStatus,
      number
    >;
    for (const value of this.status) counts[STATUSES[value] as IdStatus]++;
    return counts;
  }

  /**
   * Where every ID stands now. An ID not settled yet is `unsent` (nothing has been sent for it),
   * or, for a checkpoint taken while bulk calls may be under way, `unknown`.
   */
  snapshot(pendingAs: 'unsent' | 'unknown' = 'unsent'): LedgerSnapshot {
    // One pass over the requested IDs, each into the list of its state.
    const lists = Object.fromEntries(STATUSES.map((status) => [status, [] as string[]])) as Record<
      IdStatus,
      string[]
    >;
    const failed: string[] = [];
    this.requested.forEach((id, position) => {
      const status = STATUSES[this.status[position] as number] as IdStatus;
      const now = status === 'pending' ? pendingAs : status;
      lists[now].push(id);
      if (now === 'refused' || now === 'unknown') failed.push(id);
    });
    return {
      requested: this.requested,
      createdIds: this.createdByBatch.flatMap((batch) => batch.ids),
      originalOf: this.originalsByNewId(),
      createdDetails: this.detailsByBatch.flat().slice(0, SUMMARY_ROWS),
      pairedByPositionOnly: this.pairedByPositionOnly,
      confirmed: lists.confirmed,
      dropped: lists.dropped,
      refused: lists.refused,
      unknown: lists.unknown,
      unsent: lists.unsent,
      blocked: lists.blocked,
      planned: lists.planned,
      skipped: lists.skipped,
      failed,
      failures: [...this.failures],
      surplus: [...this.surplus],
    };
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
  known: ReadonlyMap<string, Delivery>,
): { originals: (string | undefined)[]; byPositionOnly: boolean } {
  const positional =
    created.length === sent.length &&
    created.every((delivery, index) => {
      const original = eventKey(known.get(sent[index] as string));
      const copy = eventKey(delivery);
      return original === undefined || copy === undefined || original === copy;
    });
  if (positional) {
    const unchecked = sent.some(
      (id, index) =>
        eventKey(known.get(id)) === undefined || eventKey(created[index]) === undefined,
    );
    return { originals: [...sent], byPositionOnly: unchecked };
  }
  return { originals: matchByEvent(sent, created, known), byPositionOnly: false };
}

/** Pairs each new delivery with the sent ID of the same event, each ID at most once. */
function matchByEvent(
  sent: readonly string[],
  created: readonly Delivery[],
  known: ReadonlyMap<string, Delivery>,
): (string | undefined)[] {
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

const isId = (id: string | undefined): id is string => id !== undefined;

/** Where the batch's ID at `offset` is among the requested IDs. */
function positionOf(batch: Batch, offset: number): number {
  return batch.positions?.[offset] ?? batch.start + offset;
}
