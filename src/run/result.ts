import type { ApiError } from '../model/errors.js';
import type { PlanFile, Settings } from '../settings/settings.js';
import type { LedgerSnapshot } from '../model/ledger.js';
import type { PacePlan } from './pace.js';
import type { Selection } from './selection.js';
import type { SettleResult } from './settle.js';

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

/** How the run ended, as a fact; render.ts turns it into words. */
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
   * or all of them with wait). Published as a checkpoint before that polling, so that a process
   * that dies while polling (out of memory, killed) still leaves outputs, summary and report.
   */
  | { kind: 'checking'; phase: 'canary' | 'wait' }
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
