import { planOfRun } from './draft-plan.js';
import { splitCanary, testWithCanary } from './canary.js';
import type { HindsiteClient } from '../hindsite/client.js';
import type { Clock } from '../model/clock.js';
import { createdAtMs } from '../model/domain.js';
import { ApiError } from '../model/errors.js';
import { sendBatches, type SendOutcome } from './send.js';
import { RedeliveryLedger, type Unsent } from '../model/ledger.js';
import type { Settings } from '../settings/settings.js';
import type { Logger } from '../model/log.js';
import { describePace, Pace, pacedBatchSize, pacePlan, type PacePlan } from './pace.js';
import type { ListPage } from '../hindsite/paging.js';
import { planBatches, type Batch } from '../model/batches.js';
import { describePlanCheck, SelectionCheck, selectFromPlan } from './recheck.js';
import {
  discoveryTimedOut,
  lookupTimedOut,
  recheckTimedOut,
  withinDeadline,
} from './list-deadline.js';
import { describeLookup, plannable } from './lookup.js';
import { plural } from '../model/text.js';
import type { ChangedDelivery } from './plan-check.js';
import type { CanaryReport, RunResult } from './result.js';
import { decideVerdict, type SendEnd, type StageOutcomes } from './verdict.js';
import { selectDeliveries } from './selection.js';
import { pollFilters, waitForSettle, type WatchedEvent } from './settle.js';
import { joinSent } from './send.js';
import { type Selection } from './result.js';
import { type SettleResult } from './result.js';

export interface PipelineContext {
  client: HindsiteClient;
  log: Logger;
  clock: Clock;
  /** Aborted when the job is cancelled; its reason is the signal's name. */
  cancel?: AbortSignal;
  /**
   * Publishes what the run knows so far (verdict `checking`), once the bulk calls have ended and
   * before the polling that follows them: a process that dies while polling leaves a record of
   * the redeliveries it made. Never throws.
   */
  checkpoint?: (partial: RunResult) => void;
}

/** Another new delivery of an event created this long before ours still counts as a duplicate. */
const DUPLICATE_WINDOW_MS = 60_000;

/** Publishes the run so far: the send stage's part of it, and how to count IDs not settled yet. */
type Checkpoint = (
  so: Pick<RunResult, 'pace' | 'canary' | 'verdict'>,
  pendingAs: 'unsent' | 'unknown',
) => void;

/** What the send stage produced: how it ended, and what it found on the way. */
interface Sending {
  end: SendEnd;
  /** What the IDs never sent are: unsent (safe to send again), blocked by the cap, or planned. */
  unsentAs: Unsent;
  pace?: PacePlan;
  canary?: CanaryReport;
  settle?: SettleResult;
  /** A bug met while sending: the rest of what was found still stands. */
  thrown?: unknown;
}

/**
 * settings → selection → batches → bulk calls → ledger → (wait), returned as one value: each stage
 * returns what it produced, and decideVerdict turns those into the verdict. Whatever stops the run,
 * the ledger still says where every ID stands. Never throws.
 */
export async function runPipeline(
  settings: Settings,
  context: PipelineContext,
): Promise<RunResult> {
  const found: Omit<RunResult, 'verdict'> = { settings };
  const outcomes: StageOutcomes = {};
  let ledger: RedeliveryLedger | undefined;
  let unsentAs: Unsent = 'unsent';
  try {
    const selected = await select(settings, context);
    if ('failed' in selected) {
      outcomes.selectFailed = selected.failed;
      // Nothing was sent or planned: IDs the run was given (a plan's, or explicit IDs a dry run
      // looks up) are all still to send (unsent-ids). Discovery found none to account for.
      if (settings.source.kind !== 'discovery') {
        ledger = new RedeliveryLedger(settings.source.ids, new Map());
      }
    } else {
      const { selection } = selected;
      found.selection = selection;
      const sendingLedger = new RedeliveryLedger(selection.ids, selection.known);
      ledger = sendingLedger;
      const check = new SelectionCheck(
        selection.known,
        (filters, page, signal) => context.client.listDeliveries(filters, page, signal),
        {
          clock: context.clock,
          concurrency: settings.concurrency,
          log: context.log,
          signal: context.cancel,
          timeoutMs: settings.discoveryTimeoutMs,
        },
      );
      const sending = await redeliver(
        settings,
        context,
        selection,
        sendingLedger,
        check,
        (so, pendingAs) =>
          context.checkpoint?.({
            ...found,
            ...so,
            // What a re-check skipped so far leaves the selection here too, as at the end: else the
            // checkpoint's selected-ids would hold IDs that no other output accounts for.
            selection: withChangedBeforeSending(selection, check.changed),
            ledger: sendingLedger.snapshot(pendingAs),
          }),
      );
      // What was skipped right before sending leaves the selection, as at apply time.
      found.selection = withChangedBeforeSending(selection, check.changed);
      ({ pace: found.pace, canary: found.canary, settle: found.settle, unsentAs } = sending);
      outcomes.send = sending.end;
      outcomes.thrown = sending.thrown;
      if (settings.failOnDropped)
        outcomes.droppedAgainstFailOnDropped = sendingLedger.tally().dropped;
    }
  } catch (error) {
    // Not a failure the user can fix: a bug. Still, the ledger below says where every ID stands.
    outcomes.thrown = error;
  }
  if (context.cancel?.aborted) outcomes.cancelledBy = String(context.cancel.reason ?? 'a signal');
  if (ledger) {
    ledger.close(unsentAs);
    found.ledger = ledger.snapshot();
  }
  const verdict = decideVerdict(outcomes);
  try {
    return { ...found, planFile: planOfRun({ ...found, verdict }, context.clock.now()), verdict };
  } catch (error) {
    return { ...found, verdict: decideVerdict({ thrown: error }) };
  }
}

async function select(
  settings: Settings,
  { client, log, clock, cancel }: PipelineContext,
): Promise<{ selection: Selection } | { failed: ApiError }> {
  try {
    const listPage: ListPage = (filters, page, signal) =>
      client.listDeliveries(filters, page, signal);
    const { source, concurrency, discoveryTimeoutMs: timeoutMs } = settings;
    const deadline = {
      timeoutMs,
      clock,
      cancel,
      expired: (pagesRead: number) =>
        source.kind === 'discovery'
          ? discoveryTimedOut(timeoutMs, pagesRead)
          : source.kind === 'plan-file'
            ? recheckTimedOut(timeoutMs, pagesRead, source.ids.length)
            : // Explicit IDs are listed only to be looked up, by a dry run.
              lookupTimedOut(timeoutMs, pagesRead, source.ids.length),
    };
    let selection = await withinDeadline(deadline, listPage, (boundedListPage, signal) =>
      source.kind === 'plan-file'
        ? selectFromPlan(source, boundedListPage, concurrency, signal)
        : selectDeliveries(source, boundedListPage, concurrency, signal),
    );
    if (selection.planCheck) log.info(describePlanCheck(selection));
    // A dry run makes a plan: of what applying can check again, explicit IDs looked up first.
    if (settings.dryRun) {
      const selected = selection;
      // Looking up explicit IDs is a walk of the list too: under the same deadline.
      selection = await withinDeadline(deadline, listPage, (boundedListPage, signal) =>
        plannable(selected, boundedListPage, concurrency, signal),
      );
      if (selection.source.kind === 'delivery-ids' || selection.source.kind === 'delivery-ids-file')
        log.info(describeLookup(selection));
    }
    if (selection.source.kind === 'discovery') {
      log.info(
        `Discovery: ${plural(selection.discoveredCount, 'delivery', 'deliveries')} found in ${plural(selection.pagesRead, 'page')}; ${selection.ids.length} selected, ${selection.skippedCount} skipped${selection.leftOutCount ? `, ${selection.leftOutCount} left out by event-action` : ''}.`,
      );
    }
    return { selection };
  } catch (error) {
    if (error instanceof ApiError) return { failed: error };
    throw error;
  }
}

/**
 * The send stage: batches (or the cap's refusal), the pace, the canary and what it showed, the bulk
 * calls, and the wait. Returns what it produced; a bug it meets is returned too, with what it had
 * found by then. `checkpoint` publishes the run so far before each phase of polling.
 */
async function redeliver(
  settings: Settings,
  context: PipelineContext,
  selection: Selection,
  ledger: RedeliveryLedger,
  check: SelectionCheck,
  checkpoint: Checkpoint,
): Promise<Sending> {
  const sending: Sending = { end: { kind: 'stopped' }, unsentAs: 'unsent' };
  try {
    sending.end = await sendSelection(
      settings,
      context,
      selection,
      ledger,
      check,
      sending,
      checkpoint,
    );
  } catch (error) {
    sending.thrown = error;
  }
  return sending;
}

async function sendSelection(
  settings: Settings,
  context: PipelineContext,
  selection: Selection,
  ledger: RedeliveryLedger,
  check: SelectionCheck,
  sending: Sending,
  checkpoint: Checkpoint,
): Promise<SendEnd> {
  const { client, log, cancel } = context;
  if (selection.ids.length === 0) {
    log.info('Nothing to retry: no delivery was selected.');
    return { kind: 'nothing-selected' };
  }
  const batchSize = pacedBatchSize(settings.batchSize, settings.maxRatePerMinute);
  const plan = planBatches(selection.ids, { ...settings, batchSize });
  if (plan.kind === 'over-cap') {
    // The user's own limit said no: these are not "unsent, safe to send again".
    sending.unsentAs = 'blocked';
    return { kind: 'over-cap', selected: plan.selected, cap: plan.cap };
  }
  const split = splitCanary(selection.ids, settings.canary ?? 0, plan.batches, batchSize);
  const batches = [...split.canary, ...split.rest];
  if (split.ids.length > 0) sending.canary = { ids: split.ids, outcome: 'planned' };
  if (settings.maxRatePerMinute !== undefined) {
    sending.pace = pacePlan(settings.maxRatePerMinute, settings.batchSize, batches);
    // Up front: a run that cannot finish within the job's time is the user's call.
    log.info(`Pace: ${describePace(sending.pace, selection.ids.length)}.`);
  }
  if (settings.dryRun) {
    sending.unsentAs = 'planned';
    log.info(
      `Dry run: ${plural(selection.ids.length, 'delivery', 'deliveries')} would be redelivered in ${plural(batches.length, 'bulk call')}${split.ids.length > 0 ? `, a canary of ${split.ids.length} first` : ''}; nothing was sent.`,
    );
    return { kind: 'dry-run', bulkCalls: batches.length };
  }
  if (cancel?.aborted) return { kind: 'stopped' };
  // Credentials are checked before the first batch, so that a bad secret leaves every ID unsent.
  try {
    await client.authenticate();
  } catch (error) {
    if (error instanceof ApiError) return { kind: 'not-authenticated', error };
    throw error;
  }
  const pace = sending.pace && new Pace(sending.pace.perMinute, context.clock);
  const checking = (phase: 'canary' | 'sending' | 'wait'): void =>
    checkpoint(
      {
        pace: sending.pace,
        canary:
          phase === 'canary' && sending.canary
            ? { ...sending.canary, outcome: 'checking' }
            : sending.canary,
        verdict: { kind: 'checking', phase },
      },
      // While the rest is sent, a call for any ID not settled yet may be under way.
      phase === 'sending' ? 'unknown' : 'unsent',
    );
  const sendSome = (some: Batch[]): Promise<SendOutcome> =>
    sendBatches(
      some,
      (ids, label, signals, pace) => client.redeliver(ids, label, signals, pace),
      ledger,
      {
        concurrency: settings.concurrency,
        log,
        clock: context.clock,
        cancel,
        trackEvents: settings.wait.enabled || split.ids.length > 0,
        pace,
        totalBatches: batches.length,
        check,
      },
    );
  let canarySent: SendOutcome | undefined;
  if (split.ids.length > 0) {
    const test = await testWithCanary(
      split.ids,
      split.canary,
      selection.ids.length - split.ids.length,
      {
        send: sendSome,
        createdCount: () => ledger.createdCount,
        settle: (sent) => {
          checking('canary');
          return waitForNew(settings, context, selection, ledger, sent);
        },
        log,
        cancel,
      },
    );
    sending.canary = test.report;
    sending.settle = test.settle;
    const [failed] = test.sent.failures;
    if (failed) return { kind: 'batches-failed', first: failed };
    if (cancel?.aborted) return { kind: 'stopped' };
    if (test.report.outcome !== 'passed') {
      return { kind: 'canary-not-passed', timeoutMs: settings.wait.timeoutMs };
    }
    canarySent = test.sent;
    // Time has passed since the selection was made (the canary's wait): someone may have
    // redelivered one of the other events meanwhile, or HINDSITE's own retry got through.
    const rest = split.rest.flatMap((batch) => batch.ids);
    try {
      ledger.skip(
        await check.check(rest, `the other ${plural(rest.length, 'delivery', 'deliveries')}`),
      );
    } catch (error) {
      if (error instanceof ApiError) return { kind: 'batches-failed', first: error };
      throw error;
    }
  }
  // The canary's checkpoint says the rest was not sent: no longer true once it goes out. A process
  // that dies while sending it (out of memory, killed) must not leave that word behind.
  if (canarySent) checking('sending');
  const canaryCreated = ledger.createdCount;
  const send = async (): Promise<SendOutcome> => {
    const rest = await sendSome(split.rest);
    return canarySent ? joinSent(canarySent, rest) : rest;
  };
  // One line per bulk call: folded when there are many, with the totals after the fold.
  const sent =
    split.rest.length <= 1
      ? await send()
      : await log.group(
          `Redelivering ${selection.ids.length - split.ids.length} deliveries${canarySent ? ' after the canary' : ''} in ${split.rest.length} bulk calls of up to ${batchSize} IDs, up to ${settings.concurrency} at a time${sending.pace ? `, ${describePace(sending.pace, selection.ids.length)}` : ''}`,
          send,
        );
  if (batches.length > 1) {
    const tally = ledger.tally();
    log.info(
      `Bulk redelivery: ${ledger.createdCount} created, ${tally.dropped} dropped, ${tally.refused + tally.unknown} failed, ${tally.unsent + tally.pending} unsent, of ${selection.ids.length} IDs.`,
    );
  }
  const [firstFailure] = sent.failures;
  if (firstFailure) return { kind: 'batches-failed', first: firstFailure };
  if (cancel?.aborted) return { kind: 'stopped' };
  if (settings.wait.enabled && ledger.createdCount > canaryCreated) {
    checking('wait');
    const settle = await waitForNew(settings, context, selection, ledger, sent);
    sending.settle = settle;
    if (settle.failingIds.length > 0 || settle.unsettledIds.length > 0) {
      return { kind: 'sent', unsettled: { timeoutMs: settings.wait.timeoutMs } };
    }
  }
  return { kind: 'sent' };
}

function waitForNew(
  settings: Settings,
  context: PipelineContext,
  selection: Selection,
  ledger: RedeliveryLedger,
  sent: SendOutcome,
): Promise<SettleResult> {
  const snapshot = ledger.snapshot();
  // Where the new deliveries are on the server's clock; never the runner's (see pollFilters).
  // For those the server gave no time for, the deliveries they retry are older, when all of
  // those are known; else the window is not narrowed by time.
  const given = earliestOf(sent.earliestCreatedAtMs, sent.earliestServerTimeMs);
  const originals = sent.undated
    ? earliestOriginal(
        snapshot.createdIds.map((id) => snapshot.originalOf.get(id)),
        selection,
      )
    : undefined;
  const serverTimeMs = !sent.undated
    ? given
    : originals === undefined
      ? undefined
      : earliestOf(given, originals);
  // Another new delivery of an event we redelivered counts when it is newer than the delivery we
  // retried (when discovery told us when that was), and not much older than ours.
  const events = new Map<string, WatchedEvent>();
  const details = new Map(snapshot.createdDetails.map((delivery) => [delivery.id, delivery]));
  snapshot.createdIds.forEach((newId) => {
    const key = sent.createdEvents.get(newId);
    if (key === undefined) return;
    const originalId = snapshot.originalOf.get(newId);
    const original = originalId === undefined ? undefined : selection.known.get(originalId);
    const ours = details.get(newId);
    const floor =
      (ours && createdAtMs(ours)) ??
      earliestOf(sent.earliestCreatedAtMs, sent.earliestServerTimeMs);
    const afterMs = Math.max(
      floor === undefined ? -Infinity : floor - DUPLICATE_WINDOW_MS,
      (original && createdAtMs(original)) ?? -Infinity,
    );
    events.set(key, { newId, afterMs });
  });
  return waitForSettle(
    {
      ids: snapshot.createdIds,
      details: snapshot.createdDetails,
      filters: pollFilters(serverTimeMs, sent.createdWebhooks),
      events,
      requested: new Set(snapshot.requested),
    },
    (filters, page, signal) => context.client.listDeliveries(filters, page, signal),
    {
      timeoutMs: settings.wait.timeoutMs,
      pollIntervalMs: settings.wait.pollIntervalMs,
      concurrency: settings.concurrency,
      log: context.log,
      clock: context.clock,
      cancel: context.cancel,
    },
  );
}

function earliestOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/**
 * The earliest created_at of the deliveries redelivered, when discovery (or a plan) told us that
 * of every one of them; else undefined.
 */
function earliestOriginal(
  originalIds: readonly (string | undefined)[],
  selection: Selection,
): number | undefined {
  let earliest = Infinity;
  for (const id of originalIds) {
    const original = id === undefined ? undefined : selection.known.get(id);
    const at = original && createdAtMs(original);
    if (at === undefined) return undefined;
    earliest = Math.min(earliest, at);
  }
  return Number.isFinite(earliest) ? earliest : undefined;
}

/** The selection less what was skipped right before sending, which it records. */
function withChangedBeforeSending(
  selection: Selection,
  changed: readonly ChangedDelivery[],
): Selection {
  if (changed.length === 0) return selection;
  const skipped = new Set(changed.map((delivery) => delivery.id));
  return {
    ...selection,
    ids: selection.ids.filter((id) => !skipped.has(id)),
    skippedCount: selection.skippedCount + changed.length,
    changedBeforeSending: [...changed],
  };
}
