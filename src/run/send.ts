import type { Clock } from '../model/clock.js';
import { createdAtMs, eventKey, type BulkResult } from '../model/domain.js';
import { ApiError, errorMessage } from '../model/errors.js';
import type { RedeliveryLedger } from '../model/ledger.js';
import type { Logger } from '../model/log.js';
import type { Pace } from './pace.js';
import type { Batch } from '../model/batches.js';
import { runPool } from '../model/pool.js';
import type { BulkRetryPace } from '../hindsite/client.js';
import { formatCount, plural } from '../model/text.js';

export type Redeliver = (
  ids: string[],
  label: string,
  signals: { stop?: AbortSignal; abandon?: AbortSignal },
  pace?: BulkRetryPace,
) => Promise<BulkResult>;

/** How long bulk calls in flight may still finish after the job is cancelled. */
const CANCEL_GRACE_MS = 3000;

export interface SendOutcome {
  /** The failed calls (and replies that did not add up), first first. */
  failures: ApiError[];
  /** Where the new deliveries are, for the narrowest poll that still finds them all. */
  earliestCreatedAtMs?: number;
  /** The server's earliest time (Date) of a reply that created some: where they are without it. */
  earliestServerTimeMs?: number;
  /** Some new deliveries came with no time from the server at all (no created_at, no Date). */
  undated?: boolean;
  /** Their webhooks (up to two: one is all that narrows a poll). */
  createdWebhooks: Set<string | undefined>;
  /** The event of each new delivery, by its ID (to spot other new deliveries of the same event). */
  createdEvents: Map<string, string>;
}

export interface SendOptions {
  concurrency: number;
  log: Logger;
  clock: Clock;
  /** The job was cancelled: no batch starts, and calls in flight get CANCEL_GRACE_MS to finish. */
  cancel?: AbortSignal;
  /** Keep the event of every new delivery (for the wait's duplicate check; costs memory). */
  trackEvents?: boolean;
  /** max-rate: every call waits for its turn in this pace, shared by the calls of the run. */
  pace?: Pace;
  /** The number of bulk calls of the whole run, for their labels (default: these batches). */
  totalBatches?: number;
  /**
   * The selection, checked again before a call starts whenever it is due (see SelectionCheck),
   * and in a paced run before a retry of one: IDs whose event changed meanwhile are skipped, not
   * sent.
   */
  check?: FreshnessCheck;
}

/** What sending needs of a SelectionCheck. */
export interface FreshnessCheck {
  readonly due: boolean;
  readonly checking: boolean;
  check(ids: readonly string[], what: string): Promise<ReadonlySet<string>>;
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
  options: SendOptions,
): Promise<SendOutcome> {
  const outcome: SendOutcome = {
    failures: [],
    createdWebhooks: new Set(),
    createdEvents: new Map(),
  };
  const abandon = new AbortController();
  // Ends a wait for the pace: after a failure or a cancellation no batch starts.
  const stopStarting = new AbortController();
  let cancelGrace: (() => void) | undefined;
  const onCancel = (): void => {
    stopStarting.abort();
    cancelGrace = options.clock.deadline(CANCEL_GRACE_MS, () => abandon.abort());
  };
  const total = options.totalBatches ?? batches.length;
  if (options.cancel?.aborted) onCancel();
  else options.cancel?.addEventListener('abort', onCancel, { once: true });
  let next = 0;
  const take = (): Batch | undefined =>
    outcome.failures.length === 0 && !options.cancel?.aborted && next < batches.length
      ? batches[next++]
      : undefined;
  // Batches sent (or left out whole): the others' IDs are what a check looks at.
  const started = new Set<Batch>();
  const notSentYet = (): string[] =>
    batches
      .filter((batch) => !started.has(batch))
      .flatMap((batch) => ledger.stillToSend(batch).ids);
  const { pace, check } = options;
  /**
   * Waits until `planned` may go out (a first attempt, or with `retry` a retry of it): its turn in
   * the pace and, when a check of the selection is due or going on, that check, over the IDs not
   * sent yet (with `retry`, this batch's own first). IDs found changed are skipped. While a check
   * goes on the pace gives no turn, and a call that waited for one takes its turn again after it,
   * so that what the pace allows is what goes out around a check, and a call's time runs from when
   * it really goes. Returns `stopped` (no turn: the run is stopping), `left-out` (every ID of the
   * batch changed) or the check's failure (nothing unchecked is sent).
   *
   * The loop ends. It goes round again only when a check is due again by the turn taken after a
   * check: FRESH_FOR_MS (5 minutes) after that check ended. That turn waits for this call's own
   * booking before the check (one call's share: at most PACE_CALL_SECONDS by pacedBatchSize, or
   * 60 s for one ID at a max-rate under 30), and for attempts of the calls ranked before it: older
   * batches among the other calls in flight (at most concurrency − 1; every batch taken later
   * ranks after it), each attempt taking one share and, after a 429, holding the pace for at most
   * MAX_RETRY_AFTER_MS. They have at most max-attempts attempts each, so those delays run out and
   * the passes with them; each pass is a whole check, never a spin. With the defaults
   * (concurrency 4, max-attempts 3) and max-rate 30 or more, that is under 3 × 3 × 62 s: two
   * passes at most.
   */
  const ready = async (
    planned: Batch,
    retry: boolean,
  ): Promise<'go' | 'stopped' | 'left-out' | ApiError> => {
    for (;;) {
      const count = ledger.stillToSend(planned).ids.length;
      if (pace && !(await pace.start(count, stopStarting.signal, planned.number))) {
        return 'stopped';
      }
      if (!check || !(check.due || check.checking)) return 'go';
      try {
        const ids = retry ? [...ledger.stillToSend(planned).ids, ...notSentYet()] : notSentYet();
        const checked = check.check(
          ids,
          `the ${plural(ids.length, 'delivery', 'deliveries')} not sent yet`,
        );
        pace?.holdWhile(checked);
        ledger.skip(await checked);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return error;
      }
      if (stopStarting.signal.aborted) return 'stopped';
      if (ledger.stillToSend(planned).ids.length === 0) return 'left-out';
      if (!pace) return 'go';
    }
  };
  // A batch whose every ID a check skipped is not sent at all (or not again), and is no failure.
  const leaveOut = (planned: Batch): void => {
    started.add(planned);
    options.log.info(
      `Batch ${planned.number}/${total}: not sent: the events of its ${plural(planned.ids.length, 'ID')} changed since they were selected.`,
    );
  };
  // Nothing unchecked is sent: this batch and the rest stay pending, closed as unsent.
  const checkFailed = (error: ApiError): void => {
    outcome.failures.push(error);
    stopStarting.abort();
  };
  try {
    await runPool(options.concurrency, take, async (planned) => {
      if (ledger.stillToSend(planned).ids.length === 0) return leaveOut(planned);
      // Its turn in the pace, at its place: the oldest deliveries first, a retry included.
      const first = await ready(planned, false);
      if (first === 'stopped') return; // never sent: it stays pending, closed as unsent
      if (first === 'left-out') return leaveOut(planned);
      if (first instanceof ApiError) return checkFailed(first);
      started.add(planned);
      // What the last attempt carried: what the ledger confirms or fails.
      let batch = ledger.stillToSend(planned);
      const label = `batch ${batch.number} of ${total}`;
      // Why a retry did not go out, when it was not the run stopping.
      let retryEnded: 'left-out' | ApiError | undefined;
      let accounted = false;
      try {
        // A retry (after a 429, say) waits for its turn in the pace like any call, and for a check
        // when one is due by then, as a first attempt does; a 429's Retry-After holds every call,
        // so that retries never pile up on the calls in between.
        const retryPace: BulkRetryPace | undefined = pace && {
          hold: (ms) => pace.holdUntil(options.clock.now() + ms),
          turn: async () => {
            const turn = await ready(planned, true);
            // What the next attempt carries, or, when none goes out, what the last one carried
            // less what a check skipped since: the IDs its error is about (a skipped ID stays
            // skipped, never "refused, safe to send again").
            batch = ledger.stillToSend(planned);
            if (turn === 'go') return true;
            if (turn !== 'stopped') retryEnded = turn;
            return false;
          },
          ids: () => batch.ids,
        };
        // After a cancel no new attempt starts; the one in flight gets CANCEL_GRACE_MS.
        const result = await redeliver(
          batch.ids,
          label,
          { stop: options.cancel, abandon: abandon.signal },
          retryPace,
        );
        const { created, dropped, unaccounted, untrusted } = ledger.confirm(batch, result);
        options.log.info(
          `Batch ${batch.number}/${total}: ${plural(batch.ids.length, 'ID')} sent, ${plural(created, 'redelivery', 'redeliveries')} created, ${dropped.length} dropped.`,
        );
        record(outcome, result, options.trackEvents ?? false);
        if (unaccounted.length > 0) {
          // A reply that does not add up is not success: stop, as after any failure.
          const message = untrusted
            ? `Bulk redelivery (${label}) was answered with a reply that ${untrusted}: its ${plural(unaccounted.length, 'ID')} sent may or may not have been redelivered`
            : `Bulk redelivery (${label}) was answered with ${answeredWith(created, dropped.length)} for ${plural(batch.ids.length, 'ID')} sent: ${unaccountedOf(unaccounted.length, batch.ids.length)} may or may not have been redelivered`;
          ledger.unaccounted(unaccounted, message);
          outcome.failures.push(new ApiError(message, 'unknown'));
        }
        accounted = unaccounted.length === 0;
      } catch (error) {
        if (!(error instanceof ApiError)) {
          // A bug, not a failure of the call: the batch may have been sent, so it is never left
          // to be called unsent.
          const message = `Bulk redelivery (${label}) failed: ${errorMessage(error)}`;
          ledger.fail(batch, new ApiError(message, 'unknown'));
          throw error;
        }
        // Only a failure that proved nothing was done (a 429, no connection) is retried: a retry
        // that did not go out leaves the batch as a check before a first attempt would.
        if (retryEnded === 'left-out') {
          leaveOut(planned);
          accounted = true;
        } else if (retryEnded) {
          checkFailed(retryEnded);
        } else {
          ledger.fail(batch, error);
          outcome.failures.push(error);
        }
      } finally {
        // After a failure, a reply that does not add up, or a bug, no call waiting for its turn
        // starts.
        if (!accounted) stopStarting.abort();
      }
    });
  } finally {
    cancelGrace?.();
    options.cancel?.removeEventListener('abort', onCancel);
  }
  return outcome;
}

function record(outcome: SendOutcome, result: BulkResult, trackEvents: boolean): void {
  if (result.serverTimeMs !== undefined && result.created.length > 0) {
    outcome.earliestServerTimeMs = Math.min(
      outcome.earliestServerTimeMs ?? result.serverTimeMs,
      result.serverTimeMs,
    );
  }
  for (const delivery of result.created) {
    const at = createdAtMs(delivery);
    if (at !== undefined) {
      outcome.earliestCreatedAtMs = Math.min(outcome.earliestCreatedAtMs ?? at, at);
    } else if (result.serverTimeMs === undefined) {
      outcome.undated = true;
    }
    if (outcome.createdWebhooks.size < 2) outcome.createdWebhooks.add(delivery.webhookId);
    const key = trackEvents ? eventKey(delivery) : undefined;
    if (key !== undefined) outcome.createdEvents.set(delivery.id, key);
  }
}

/** The bulk calls of the canary and of the rest as one, for the wait over both. */
export function joinSent(first: SendOutcome, second: SendOutcome): SendOutcome {
  const earliest = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b);
  return {
    failures: [...first.failures, ...second.failures],
    earliestCreatedAtMs: earliest(first.earliestCreatedAtMs, second.earliestCreatedAtMs),
    earliestServerTimeMs: earliest(first.earliestServerTimeMs, second.earliestServerTimeMs),
    undated: first.undated === true || second.undated === true,
    createdWebhooks: new Set([...first.createdWebhooks, ...second.createdWebhooks]),
    createdEvents: new Map([...first.createdEvents, ...second.createdEvents]),
  };
}

/** The IDs a reply did not account for, of those sent: "it", "all 3", "2 of them". */
function unaccountedOf(unaccounted: number, sent: number): string {
  if (unaccounted < sent) return `${formatCount(unaccounted)} of them`;
  return sent === 1 ? 'it' : `all ${formatCount(sent)}`;
}

/** "2 new deliveries and 1 dropped ID", without a count of none: "no new delivery and no dropped ID". */
function answeredWith(created: number, dropped: number): string {
  const parts = [
    created > 0 ? plural(created, 'new delivery', 'new deliveries') : '',
    dropped > 0 ? plural(dropped, 'dropped ID') : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' and ') : 'no new delivery and no dropped ID';
}
