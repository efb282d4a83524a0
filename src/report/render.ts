/**
 * The run's result in words: the texts worked out once (describeRun), the outputs, warnings, job
 * summary, log lines, report file's content and failure message. Pure: it returns data, and
 * publish.ts writes it. The wording itself lives in status.ts, messages.ts, outputs.ts and
 * summary.ts, each made from the facts in facts.ts.
 */
import type { RunResult } from '../run/result.js';
import { createdPairs, type Lists, originalsOf, type RunText, statusLine } from './facts.js';
import { failureDetails, failureMessage, stillChecking, warningsOf } from './messages.js';
import { outputsOf } from './outputs.js';
import { requestedCount, statusOf } from './status.js';
import { renderSummary } from './summary.js';

export interface Rendered {
  /** Every output of action.yml, in order. */
  outputs: [name: string, value: string][];
  warnings: string[];
  summary: string;
  /** The message the step fails with; undefined when it passes. */
  failure?: string;
  /** Plain lines for the log, after the warnings and before the failure (see logLines). */
  log: string[];
}

export function listsOf(result: RunResult): Lists {
  const ledger = result.ledger;
  const failedAgain = result.settle?.failingIds ?? [];
  return {
    selected: result.selection?.ids ?? [],
    created: ledger?.createdIds ?? [],
    dropped: ledger?.dropped ?? [],
    failed: ledger?.failed ?? [],
    refused: ledger?.refused ?? [],
    outcomeUnknown: ledger?.unknown ?? [],
    unsent: ledger?.unsent ?? [],
    blocked: ledger?.blocked ?? [],
    failedAgain,
    failedAgainOriginals: originalsOf(failedAgain, ledger),
    unsettled: result.settle?.unsettledIds ?? [],
    unseen: result.settle?.unseenIds ?? [],
    skipped: ledger?.skipped ?? [],
  };
}

export function describeRun(result: RunResult): RunText {
  const lists = listsOf(result);
  const failure = failureMessage(result, lists);
  const status = statusOf(result, lists, failure);
  return {
    lists,
    status,
    warnings: warningsOf(result, lists, status),
    failure,
    details: failure === undefined ? [] : failureDetails(result, lists),
    checking: stillChecking(result, lists),
  };
}

/** The report file's sections, in order: every list in full. */
export function reportSections(
  result: RunResult,
  text: RunText = describeRun(result),
): [string, unknown][] {
  const ledger = result.ledger;
  const { lists, warnings, failure } = text;
  return [
    ['requested', ledger?.requested ?? []],
    ['selected', lists.selected],
    ['created', createdPairs(ledger)],
    ['dropped', lists.dropped],
    ['failed', lists.failed],
    ['refused', lists.refused],
    ['outcomeUnknown', lists.outcomeUnknown],
    ['failures', ledger?.failures ?? []],
    ['unsent', lists.unsent],
    ['blocked', lists.blocked],
    ['completed', result.settle?.completedIds ?? []],
    ['failedAgain', lists.failedAgain],
    ['failedAgainOriginals', lists.failedAgainOriginals],
    ['unsettled', lists.unsettled],
    ['neverListed', lists.unseen],
    ['settled', result.settle ? [...result.settle.final.values()] : []],
    ['surplusReplies', ledger?.surplus ?? []],
    ['duplicates', result.settle?.duplicates ?? []],
    ['changedSincePlan', result.selection?.planCheck?.changed ?? []],
    ['notPlanned', result.selection?.notPlanned ?? []],
    ['changedBeforeSending', result.selection?.changedBeforeSending ?? []],
    ['dryRun', result.verdict.kind === 'dry-run'],
    ['pace', result.pace ?? null],
    ['canary', result.canary ?? null],
    ['warnings', warnings],
    ['stillChecking', text.checking ?? null],
    ['failure', failure ?? null],
  ];
}

export function render(
  result: RunResult,
  reportFile?: string,
  planFile?: string,
  text: RunText = describeRun(result),
): Rendered {
  const { lists, failure } = text;
  // Its own copy: the cut-outputs warning is added here, not in the report.
  const warnings = [...text.warnings];
  const { outputs, cutWarning } = outputsOf(result, lists, {
    requested: requestedCount(result),
    reportFile,
    planFile,
  });
  if (cutWarning) warnings.unshift(cutWarning);
  return {
    outputs,
    warnings,
    summary: renderSummary(result, { ...text, warnings }, reportFile, planFile),
    failure,
    log: logLines(text),
  };
}

/**
 * The plain lines the log ends with: after a failure, its details (the ::error:: line stays
 * short); otherwise the headline, unless it is a warning, which the ::warning:: line says.
 */
export function logLines({ status, details }: RunText): string[] {
  if (status.kind === 'failed') return details;
  if (status.kind === 'nothing-redelivered') return [];
  return [statusLine(status)];
}

/** The message the step fails with, or undefined when it passes (see messages.ts). */
export function failureOf(result: RunResult): string | undefined {
  return failureMessage(result, listsOf(result));
}
