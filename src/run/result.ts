import type { ApiError } from '../model/errors.js';
import type { PlanFile, SelectionSource, Settings } from '../settings/settings.js';
import type { LedgerSnapshot } from '../model/ledger.js';
import type { PacePlan } from './pace.js';
import type { Delivery } from '../model/domain.js';
import type { ChangedDelivery, NotPlanned, PlanCheck } from './plan-check.js';

/*
 * What a run finds out, stage by stage: what was selected and what the wait saw are its result as
 * much as the verdict, and the report renders them all. Their types live here, with the result
 * they make up; selection.ts and settle.ts build them.
 */

/** What one run will retry, fixed before the first redelivery is sent. */
export interface Selection {
  source: SelectionSource;
  /** Selected delivery IDs, in the order they will be sent. */
  ids: string[];
  /** Deliveries discovered through the list API (0 for explicit IDs). */
  discoveredCount: number;
  /** Discovered deliveries left alone. */
  skippedCount: number;
  /** Discovered deliveries left out because their event_action is not in event-action. */
  leftOutCount?: number;
  /** List pages read during discovery. */
  pagesRead: number;
  /** What the list API said about each selected delivery (discovery only). */
  known: Map<string, Delivery>;
  /** Applying a plan: what the re-check found (recheck.ts). */
  planCheck?: PlanCheck;
  /** A dry run: what its plan leaves out, because applying could not check it (lookup.ts). */
  notPlanned?: NotPlanned[];
  /**
   * Selected deliveries skipped when checked again right before sending (after the canary's wait,
   * or during a long paced run) because their event changed: counted in skippedCount, not in ids.
   */
  changedBeforeSending?: ChangedDelivery[];
}

export interface SettleResult {
  /** New deliveries that reached `completed`. */
  completedIds: string[];
  /** New deliveries the receiver refused again (`retrying` or `errored`). */
  failingIds: string[];
  /** New deliveries still pending or in progress, or never listed, when the wait ended. */
  unsettledIds: string[];
  /**
   * Of those, the ones no poll ever listed: their state is unknown, which says nothing about the
   * receiver (the list lags, or does not show them).
   */
  unseenIds?: string[];
  /** The last seen state of the new deliveries shown in the summary. */
  final: Map<string, Delivery>;
  /** Why the wait stopped early, when a poll failed. */
  error?: string;
  /**
   * Events that received another new delivery besides ours since the run started: another run
   * overlapping this one, or a duplicate from the server.
   */
  duplicates: Duplicate[];
}

export interface Duplicate {
  webhookId: string;
  eventId: string;
  /** Our new delivery of the event. */
  newId: string;
  /** The other new deliveries of the same event. */
  otherIds: string[];
}

/** What the canary (the deliveries sent first, to test the receiver) showed. */
export interface CanaryReport {
  /** The requested IDs sent first: the first `canary` of the selection (the oldest events). */
  ids: string[];
  /**
   * - `planned`: a dry run; nothing was sent.
   * - `passed`: every new delivery of the canary completed, so the rest was sent.
   * - `refused`: some of them failed again (retrying or errored): the rest was not sent.
   * - `unproven`: none failed, but not all completed in time (or polling failed, or HINDSITE
   *   created none): the receiver was not shown to be back, so the rest was not sent.
   * - `stopped`: a bulk call of the canary failed, or the job was cancelled: the rest was not sent.
   * - `checking`: sent, and its new deliveries are being watched (a checkpoint only).
   */
  outcome: 'planned' | 'passed' | 'refused' | 'unproven' | 'stopped' | 'checking';
}

/** How the run ended, as a fact (decided in verdict.ts); report/ turns it into words. */
export type Verdict =
  /** Everything asked for was done (or there was nothing to do). */
  | { kind: 'ok' }
  /** A dry run: the selection is reported, nothing was sent. */
  | { kind: 'dry-run'; bulkCalls: number }
  /** An input is missing or not allowed; nothing was requested. */
  | { kind: 'input-refused'; message: string }
  /** The selection is larger than max-deliveries; nothing was sent. */
  | { kind: 'over-cap'; selected: number; cap: number }
  /** A call before the first bulk call (discovery, token) failed; nothing was sent. */
  | { kind: 'api-failed'; error: ApiError }
  /** One or more bulk calls failed; the ledger says where each ID stands. */
  | { kind: 'batches-failed'; first: ApiError }
  /** The new deliveries failed again or did not settle while waiting. */
  | { kind: 'not-settled'; timeoutMs: number }
  /** The canary's new deliveries did not all complete: the rest was not sent. */
  | { kind: 'canary-refused'; timeoutMs: number }
  /** HINDSITE dropped IDs and fail-on-dropped asked to fail. */
  | { kind: 'dropped' }
  /** The job was cancelled (SIGINT or SIGTERM from the runner): the run stopped where it was. */
  | { kind: 'cancelled'; signal: string }
  /**
   * Not an end: the bulk calls have ended and the run now watches the new deliveries (the canary's,
   * or all of them with wait), or the canary passed and the rest is being sent (`sending`: what is
   * not settled yet is then reported as outcome unknown, since a call for it may be under way). Published as a checkpoint before that polling, so that a process
   * that dies while polling (out of memory, killed) still leaves outputs, summary and report.
   */
  | { kind: 'checking'; phase: 'canary' | 'sending' | 'wait' }
  /** A bug: not a failure the user can fix. */
  | { kind: 'unexpected'; message: string; stack?: string };

/** Everything a run found out, whatever stopped it. */
export interface RunResult {
  settings?: Settings;
  selection?: Selection;
  ledger?: LedgerSnapshot;
  settle?: SettleResult;
  /** The plan a dry run wrote (see draft-plan.ts). */
  planFile?: PlanFile;
  /** max-rate: the pace the bulk calls kept. */
  pace?: PacePlan;
  /** canary: what was sent first, and what it showed. */
  canary?: CanaryReport;
  verdict: Verdict;
}
