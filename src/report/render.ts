/**
 * The run's result in words: outputs, warnings, the job summary, the report file's content and the
 * failure message. Pure: it returns data, and publish.ts writes it. All wording of the step's
 * result lives here.
 */
import { SUMMARY_ROWS, type Delivery } from '../model/domain.js';
import type { LedgerSnapshot } from '../model/ledger.js';
import { cell, codeSpan, markdownText, table } from './markdown.js';
import { describePlanSelection, planApplied, planCountRows, planReview } from './plan-review.js';
import type { NotPlanned } from '../run/plan-check.js';
import { describePace } from '../run/pace.js';
import type { RunResult } from '../run/result.js';
import type { ChangedDelivery } from '../run/plan-check.js';
import { formatCount, plural } from '../model/text.js';
import { type Selection } from '../run/result.js';

/** GitHub refuses a step output over 1 MiB; stay clear of it with the name and framing. */
export const MAX_OUTPUT_BYTES = 1024 * 1024 - 1024;
/**
 * GitHub limits a job's outputs to 1 MB counted as UTF-16 (two bytes per character), and users map
 * these lists into job outputs: all list outputs of one run stay under this many characters.
 */
export const LIST_OUTPUTS_CHARS = 500_000;
const WARNING_IDS = 20;
const KEEP_REPORT =
  'it stays on the runner only until the job ends: upload it with actions/upload-artifact to keep it (see "Keeping the report" in the README)';

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

/** The lists every rendering reads, empty where the run did not get that far. */
export interface Lists {
  selected: readonly string[];
  created: readonly string[];
  dropped: readonly string[];
  failed: readonly string[];
  refused: readonly string[];
  outcomeUnknown: readonly string[];
  unsent: readonly string[];
  blocked: readonly string[];
  failedAgain: readonly string[];
  failedAgainOriginals: readonly string[];
  unsettled: readonly string[];
  /** Of `unsettled`, the new deliveries that no poll ever listed. */
  unseen: readonly string[];
  /** Not sent: their event changed since they were selected (checked right before sending). */
  skipped: readonly string[];
}

function listsOf(result: RunResult): Lists {
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

/** The requested IDs that the given new deliveries retry, where that is known. */
function originalsOf(newIds: readonly string[], ledger: LedgerSnapshot | undefined): string[] {
  if (!ledger || newIds.length === 0) return [];
  const originals = new Map<string, string | undefined>();
  ledger.createdIds.forEach((id, index) => originals.set(id, ledger.originalIds[index]));
  return newIds.map((id) => originals.get(id)).filter((id): id is string => id !== undefined);
}

/**
 * The run's headline, decided here and nowhere else: the summary's first line and the log's last
 * say it, and it tells apart a run that redelivered, one with nothing to do, one asked to do
 * something that did nothing, a dry run and a failure.
 */
export type Status =
  /** ✅ Something was redelivered (and every ID is accounted for). */
  | { kind: 'redelivered'; text: string }
  /** ➖ Nothing to do: no failed delivery found, an explicitly empty list, or a plan gone stale. */
  | { kind: 'nothing-to-do'; text: string }
  /** ⚠️ Asked, but nothing was redelivered: every ID dropped, or discovery matched nothing. */
  | { kind: 'nothing-redelivered'; text: string; warning: string }
  /**
   * 📝 A dry run with something to approve, or ➖ one with nothing to approve (with a warning when
   * its discovery matched nothing at all).
   */
  | { kind: 'dry-run'; text: string; empty: boolean; warning?: string }
  /** ❌ The step fails with `text`. */
  | { kind: 'failed'; text: string };

const STATUS_ICONS: Record<Status['kind'], string> = {
  redelivered: '✅',
  'nothing-to-do': '➖',
  'nothing-redelivered': '⚠️',
  'dry-run': '📝',
  failed: '❌',
};

/** The headline as one line: the icon, then the text. */
export function statusLine(status: Status): string {
  const icon = status.kind === 'dry-run' && status.empty ? '➖' : STATUS_ICONS[status.kind];
  return `${icon} ${status.text}`;
}

/** What the report, the outputs and the summary all say of a run: worked out once per run. */
export interface RunText {
  lists: Lists;
  status: Status;
  /** Every warning, the status's own included (it is the ::warning:: of a run that did nothing). */
  warnings: string[];
  failure: string | undefined;
  /** After a failure: where the IDs stand and what went wrong in detail, for the log and summary. */
  details: string[];
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
  };
}

/**
 * Deliveries the run started from, before skipping: the distinct IDs given, the deliveries
 * discovery found under its filters (event-action included), or the deliveries of the plan.
 */
export function requestedCount({ settings, selection }: RunResult): number {
  const source = selection?.source ?? settings?.source;
  if (!source) return 0;
  if (source.kind !== 'discovery') return source.ids.length;
  return selection ? selection.discoveredCount - (selection.leftOutCount ?? 0) : 0;
}

/** The one place that decides the headline; `failure` is failureMessage's verdict on the run. */
function statusOf(result: RunResult, lists: Lists, failure: string | undefined): Status {
  if (failure !== undefined) return { kind: 'failed', text: failure };
  const selected = lists.selected.length;
  const unmatched = unmatchedFilters(result);
  if (result.verdict.kind === 'dry-run' || result.settings?.dryRun) {
    return selected > 0
      ? {
          kind: 'dry-run',
          empty: false,
          text: `Dry run: ${plural(selected, 'delivery', 'deliveries')} to approve; nothing was sent.`,
        }
      : {
          kind: 'dry-run',
          empty: true,
          text: joinSentences(
            'Dry run: nothing to approve.',
            whyNothing(result),
            'No plan was written.',
          ),
          // A dry run that matched nothing is as likely a typo in a filter as a run that sends.
          warning: unmatched && `Nothing to approve: ${unmatched}`,
        };
  }
  const created = lists.created.length;
  if (created > 0) {
    return {
      kind: 'redelivered',
      text: `${plural(created, 'redelivery', 'redeliveries')} created.`,
    };
  }
  if (selected > 0) {
    const dropped = lists.dropped.length;
    const what =
      dropped === selected
        ? selected === 1
          ? 'HINDSITE dropped the only delivery ID: it does not exist or belongs to another organisation.'
          : `HINDSITE dropped all ${plural(selected, 'delivery ID')}: they do not exist or belong to another organisation.`
        : `HINDSITE created no redelivery for the ${plural(selected, 'delivery', 'deliveries')} selected.`;
    return {
      kind: 'nothing-redelivered',
      text: `Nothing redelivered: ${what}`,
      warning: `Nothing redelivered: ${what}${dropped > 0 ? ` Check the IDs (dropped-ids): ${shortList(lists.dropped, WARNING_IDS)}.` : ''}`,
    };
  }
  if (unmatched) {
    const text = `Nothing redelivered: ${unmatched}`;
    return { kind: 'nothing-redelivered', text, warning: text };
  }
  return {
    kind: 'nothing-to-do',
    text: joinSentences('Nothing to do: no failed deliveries found.', whyNothing(result)),
  };
}

/**
 * Discovery that matched no delivery at all under its filters (a typo in webhook-id, say): the
 * sentence naming the filters' values, or undefined.
 */
function unmatchedFilters(result: RunResult): string | undefined {
  const selection = result.selection;
  if (selection?.source.kind !== 'discovery' || requestedCount(result) > 0) return undefined;
  const source = selection.source;
  const filters: string[] = [];
  if (source.webhookId) filters.push(`webhook-id: ${source.webhookId}`);
  if (source.since) {
    const iso = source.since.toISOString();
    filters.push(
      source.sinceInput && source.sinceInput !== iso
        ? `since: ${source.sinceInput}, from ${iso}`
        : `since: ${iso}`,
    );
  }
  if (source.eventActions) filters.push(`event-action: ${source.eventActions.join(', ')}`);
  return `discovery matched no delivery under its filters (${filters.join('; ')}). Check these values.`;
}

/** Why a run selected nothing, in a sentence ('' when there is nothing to say). */
function whyNothing(result: RunResult): string {
  const selection = result.selection;
  if (!selection) return '';
  const source = selection.source;
  switch (source.kind) {
    case 'delivery-ids':
      return 'The delivery-ids input lists no ID.';
    case 'delivery-ids-file':
      return 'The delivery-ids-file lists no ID.';
    case 'discovery': {
      const found = requestedCount(result);
      if (found === 0) return sentenceCase(unmatchedFilters(result) ?? '');
      return `Discovery found ${plural(found, 'delivery', 'deliveries')}; the newest delivery of each event is not ${source.state}.`;
    }
    case 'plan-file':
      return selection.skippedCount > 0
        ? `${sentenceCase(plural(selection.skippedCount, 'planned delivery', 'planned deliveries'))} changed since the plan (skipped).`
        : 'The plan lists no delivery.';
  }
}

/** The headline's own ::warning::, if it has one. */
function statusWarning(status: Status): string | undefined {
  return status.kind === 'nothing-redelivered' || status.kind === 'dry-run'
    ? status.warning
    : undefined;
}

const sentenceCase = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

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
    ['stillChecking', stillChecking(result, lists) ?? null],
    ['failure', failure ?? null],
  ];
}

/**
 * What a checkpoint (verdict `checking`) says in the summary, the log and the report: the run is
 * not over, and what it made already must not be made again. Undefined for a run that ended.
 */
export function stillChecking(
  result: RunResult,
  lists: Lists = listsOf(result),
): string | undefined {
  const verdict = result.verdict;
  if (verdict.kind !== 'checking') return undefined;
  const whose = verdict.phase === 'canary' ? "the canary's new deliveries" : 'the new deliveries';
  const unsent =
    lists.unsent.length > 0
      ? ` ${plural(lists.unsent.length, 'ID was', 'IDs were')} not sent yet (unsent-ids).`
      : '';
  return `${plural(lists.created.length, 'redelivery', 'redeliveries')} created (created-ids); the run is still checking ${whose}, waiting for them to settle.${unsent} If the step ends without another summary (killed, or out of memory), the redeliveries in created-ids were made: do not re-run the step as it is, or they are redelivered again.`;
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
  const listOutputs: [string, readonly string[]][] = [
    ['selected-ids', lists.selected],
    ['created-ids', lists.created],
    ['dropped-ids', lists.dropped],
    ['failed-ids', lists.failed],
    ['refused-ids', lists.refused],
    ['outcome-unknown-ids', lists.outcomeUnknown],
    ['unsent-ids', lists.unsent],
    ['failed-again-ids', lists.failedAgain],
    ['failed-again-original-ids', lists.failedAgainOriginals],
    ['unsettled-ids', lists.unsettled],
  ];
  const fitted = fitLists(listOutputs, LIST_OUTPUTS_CHARS);
  consistentFailed(fitted, lists.failed);
  const json = (name: string): string => fitted.get(name)?.json ?? '[]';
  const outputs: [string, string][] = [
    ['requested-count', String(requestedCount(result))],
    ['selected-count', String(lists.selected.length)],
    ['selected-ids', json('selected-ids')],
    ['skipped-count', String(result.selection?.skippedCount ?? 0)],
    ['plan-file', planFile ?? ''],
    ['plan-digest', planFile ? (result.planFile?.digest ?? '') : ''],
    ['created-count', String(lists.created.length)],
    ['created-ids', json('created-ids')],
    ['dropped-count', String(lists.dropped.length)],
    ['dropped-ids', json('dropped-ids')],
    ['failed-ids', json('failed-ids')],
    ['refused-ids', json('refused-ids')],
    ['outcome-unknown-ids', json('outcome-unknown-ids')],
    ['unsent-ids', json('unsent-ids')],
    ['completed-count', String(result.settle?.completedIds.length ?? 0)],
    ['failed-again-ids', json('failed-again-ids')],
    ['failed-again-original-ids', json('failed-again-original-ids')],
    ['unsettled-ids', json('unsettled-ids')],
    ['report-file', reportFile ?? ''],
  ];
  const cut = [...fitted]
    .filter(([, fit]) => fit.cut > 0)
    .map(
      ([name, fit]) => `${name} (${formatCount(fit.cut)} of ${formatCount(fit.total)} left out)`,
    );
  if (cut.length > 0) {
    warnings.unshift(
      `Some list outputs were cut to keep all of them under ${formatCount(LIST_OUTPUTS_CHARS)} characters (GitHub limits a job's outputs to 1 MB): ${cut.join(', ')}. The full lists are in the report file${reportFile ? ` (${reportFile}, the report-file output)` : ''}; ${KEEP_REPORT}.`,
    );
  }
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
function logLines({ status, details }: RunText): string[] {
  if (status.kind === 'failed') return details;
  if (status.kind === 'nothing-redelivered') return [];
  return [statusLine(status)];
}

/** The warnings of a run: the headline's own first, when the run did nothing it was asked to. */
function warningsOf(result: RunResult, lists: Lists, status: Status): string[] {
  const warnings: string[] = [];
  const own = statusWarning(status);
  if (own) warnings.push(own);
  // Every ID dropped: the headline's warning names them.
  if (lists.dropped.length > 0 && status.kind !== 'nothing-redelivered') {
    warnings.push(
      `HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')}: they do not exist or belong to another organisation, so nothing was redelivered for them: ${shortList(lists.dropped, WARNING_IDS)}`,
    );
  }
  const notPlanned = result.selection?.notPlanned ?? [];
  if (notPlanned.length > 0) warnings.push(describeNotPlanned(notPlanned));
  for (const surplus of result.ledger?.surplus ?? []) {
    warnings.push(
      `Bulk redelivery batch ${surplus.batch} was answered with ${plural(surplus.createdIds.length, 'new delivery', 'new deliveries')} for ${plural(surplus.sent, 'ID')} sent: HINDSITE may have created duplicate deliveries (listed under surplusReplies in the report file).`,
    );
  }
  const duplicates = result.settle?.duplicates ?? [];
  if (duplicates.length > 0) {
    const [first] = duplicates;
    warnings.push(
      `${plural(duplicates.length, 'event')} received more than one new delivery since this run started (another run overlapping this one, or a duplicate from HINDSITE), e.g. event ${first?.eventId} on webhook ${first?.webhookId}: ${[first?.newId, ...(first?.otherIds ?? [])].join(', ')}. They are listed under duplicates in the report file. Give the workflow a concurrency group so that runs never overlap.`,
    );
  }
  return warnings;
}

/** The warning of a dry run that left deliveries out of its plan: which, and why. */
function describeNotPlanned(notPlanned: readonly NotPlanned[]): string {
  const groups: [NotPlanned['reason'], string][] = [
    ['not found', "not found in the list of deliveries (unknown, or another organisation's)"],
    ['not newest', 'not the newest delivery of their event (it has a newer one, or another state)'],
    ['unknown event', 'listed without an event or state, so applying could not check them'],
  ];
  const parts = groups.flatMap(([reason, why]) => {
    const ids = notPlanned.filter((delivery) => delivery.reason === reason).map(({ id }) => id);
    return ids.length > 0 ? [`${ids.length} ${why}: ${shortList(ids, WARNING_IDS)}`] : [];
  });
  const them = notPlanned.length === 1 ? 'it' : 'them';
  return `${plural(notPlanned.length, 'delivery was', 'deliveries were')} left out of the plan, so no approval covers ${them} and applying never sends ${them}: ${parts.join('; ')}. They are listed under notPlanned in the report file.`;
}

/**
 * What the step fails with, or undefined when it passes: its first sentence says what happened and
 * what to do, and stays short; where each ID stands follows in the log and summary (failureDetails).
 */
export function failureMessage(
  result: RunResult,
  lists: Lists = listsOf(result),
): string | undefined {
  const verdict = result.verdict;
  switch (verdict.kind) {
    case 'ok':
    case 'dry-run':
    case 'checking':
      return undefined;
    case 'input-refused':
      return verdict.message;
    case 'over-cap':
      return `${plural(verdict.selected, 'delivery', 'deliveries')} were selected, more than max-deliveries (${verdict.cap}), so nothing was sent: narrow the selection, or raise max-deliveries to at least ${verdict.selected}.`;
    case 'api-failed':
      return verdict.error.message;
    case 'batches-failed': {
      const next = nextSteps(lists);
      return joinSentences(
        sentence(verdict.first.message),
        next.length > 0 ? sentence(sentenceCase(next.join('; '))) : '',
      );
    }
    case 'not-settled':
      return describeUnsettled(result, lists, verdict.timeoutMs);
    case 'canary-refused':
      return describeCanaryRefusal(result, lists, verdict.timeoutMs);
    case 'dropped':
      return `HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')} and fail-on-dropped is true: check dropped-ids (they do not exist or belong to another organisation).`;
    case 'cancelled': {
      const next = nextSteps(lists);
      return `The job was cancelled (${verdict.signal}), so the run stopped${next.length > 0 ? `: ${next.join('; ')}` : ''}.`;
    }
    case 'unexpected':
      return `Unexpected error: ${verdict.message}`;
  }
}

/** Ends a message with a full stop, unless it has one. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

const joinSentences = (...parts: string[]): string => parts.filter(Boolean).join(' ');

/** What to do with the IDs a stopped run left (none when it left none). */
function nextSteps(lists: Lists): string[] {
  const steps: string[] = [];
  if (lists.outcomeUnknown.length > 0) {
    steps.push('check outcome-unknown-ids in HINDSITE before sending them again');
  }
  if (lists.refused.length > 0) steps.push('send refused-ids again once the cause is fixed');
  if (lists.unsent.length > 0) steps.push('send unsent-ids again');
  return steps;
}

/**
 * The details a failure's message leaves out: where every ID of a stopped run stands (no group
 * that is empty), and the new deliveries that failed again, with what they retried.
 */
function failureDetails(result: RunResult, lists: Lists): string[] {
  const details: string[] = [];
  const kind = result.verdict.kind;
  if (kind === 'batches-failed' || kind === 'cancelled') {
    const account = accountFor(lists);
    if (account) details.push(account);
  }
  if (lists.failedAgain.length > 0) {
    details.push(
      `Failed again (failed-again-ids): ${shortList(withOriginals(lists.failedAgain, result.ledger), WARNING_IDS)}.`,
    );
  }
  if (result.settle?.error)
    details.push(`Polling the new deliveries failed: ${sentence(result.settle.error)}`);
  return details;
}

/** Where the IDs of a stopped run stand, and for each group whether it is safe to send again. */
function accountFor(lists: Lists): string {
  const parts: string[] = [];
  if (lists.created.length > 0) {
    parts.push(`${plural(lists.created.length, 'redelivery', 'redeliveries')} created.`);
  }
  if (lists.outcomeUnknown.length > 0) {
    parts.push(
      `${plural(lists.outcomeUnknown.length, 'ID')} may have been redelivered (outcome-unknown-ids): check them in HINDSITE before sending them again.`,
    );
  }
  if (lists.refused.length > 0) {
    parts.push(
      `${plural(lists.refused.length, 'ID was', 'IDs were')} refused and not redelivered (refused-ids): safe to send again once the cause is fixed.`,
    );
  }
  if (lists.unsent.length > 0) {
    parts.push(
      `${plural(lists.unsent.length, 'ID was', 'IDs were')} never sent (unsent-ids): safe to send again.`,
    );
  }
  if (lists.skipped.length > 0) {
    parts.push(
      `${plural(lists.skipped.length, 'ID was', 'IDs were')} skipped because ${lists.skipped.length === 1 ? 'its event' : 'their events'} changed since selected (skipped-count): not to be sent again.`,
    );
  }
  return parts.join(' ');
}

/** "after 600 s", or "when polling failed" (its error is in the details). */
function settleEnd(result: RunResult, timeoutMs: number): string {
  return result.settle?.error ? 'when polling failed' : `after ${timeoutMs / 1000} s`;
}

/** New deliveries no poll listed are unknown, which is not the same as seen pending. */
const NEVER_LISTED = "never appeared in HINDSITE's list while waiting";

function describeUnsettled(result: RunResult, lists: Lists, timeoutMs: number): string {
  const failed = lists.failedAgain.length;
  const unsettled = lists.unsettled.length;
  const unseen = lists.unseen.length;
  const pending = unsettled - unseen;
  const redelivered = `Redelivered ${plural(lists.created.length, 'delivery', 'deliveries')}, but`;
  const notSettled = `had not settled ${settleEnd(result, timeoutMs)}`;
  if (failed > 0 && unsettled > 0) {
    return `${redelivered} ${failed} failed again (failed-again-ids) and ${unsettled} ${notSettled}: fix the receiver, then re-run failed-again-original-ids. Check unsettled-ids later, or raise wait-timeout-seconds.`;
  }
  if (failed > 0) {
    return `${redelivered} ${plural(failed, 'new delivery', 'new deliveries')} failed again (failed-again-ids): fix the receiver, then re-run failed-again-original-ids.`;
  }
  if (unseen > 0 && pending === 0) {
    const one = unseen === 1;
    return `${redelivered} ${plural(unseen, 'new delivery', 'new deliveries')} ${NEVER_LISTED} (unsettled-ids), so ${one ? 'its' : 'their'} state is unknown: check ${one ? 'it' : 'them'} in HINDSITE.`;
  }
  if (unseen > 0) {
    return `${redelivered} ${pending} ${notSettled} and ${unseen} ${NEVER_LISTED} (unsettled-ids): check them in HINDSITE later, or raise wait-timeout-seconds.`;
  }
  return `${redelivered} ${plural(unsettled, 'new delivery', 'new deliveries')} ${notSettled} (unsettled-ids): check them later, or raise wait-timeout-seconds.`;
}

/** Why the canary stopped the run: what it showed, that the rest was not sent, and what to do. */
function describeCanaryRefusal(result: RunResult, lists: Lists, timeoutMs: number): string {
  const others = lists.unsent.length;
  const rest = others > 0 ? ` and the other ${plural(others, 'was', 'were')} not sent` : '';
  const resend = others > 0 ? ' and unsent-ids' : '';
  const settle = result.settle;
  if (!settle) {
    const canary = plural(result.canary?.ids.length ?? 0, 'delivery', 'deliveries');
    return `The canary showed nothing about the receiver: HINDSITE dropped its ${canary} (dropped-ids)${rest}; check the IDs, then re-run.`;
  }
  if (lists.failedAgain.length > 0) {
    return `The receiver is still refusing: ${plural(lists.failedAgain.length, 'canary delivery', 'canary deliveries')} failed again${rest}; fix it, then re-run failed-again-original-ids${resend}.`;
  }
  const unseen = lists.unseen.length;
  if (unseen > 0 && unseen === lists.unsettled.length) {
    const one = unseen === 1;
    return `The canary did not show that the receiver is back: ${plural(unseen, 'new delivery', 'new deliveries')} ${NEVER_LISTED} (unsettled-ids), so ${one ? 'its' : 'their'} state is unknown${rest}; check ${one ? 'it' : 'them'} in HINDSITE, then re-run.`;
  }
  return `The canary did not show that the receiver is back: ${plural(lists.unsettled.length, 'new delivery', 'new deliveries')} had not settled ${settleEnd(result, timeoutMs)}${rest}; check the receiver, then re-run. If it is slow, raise wait-timeout-seconds.`;
}

/** "dlv_1 (new delivery dlv_9)": the original of each new delivery, where it is known. */
function withOriginals(newIds: readonly string[], ledger: LedgerSnapshot | undefined): string[] {
  const originals = new Map<string, string | undefined>();
  ledger?.createdIds.forEach((id, index) => originals.set(id, ledger.originalIds[index]));
  return newIds.map((id) => {
    const original = originals.get(id);
    return original === undefined ? id : `${original} (new delivery ${id})`;
  });
}

/**
 * The list outputs, cut where needed so that together they stay under `budget` characters: the
 * longest lists are cut first, to the same length, so that short lists stay whole.
 */
function fitLists(
  lists: [string, readonly string[]][],
  budget: number,
): Map<string, { json: string; cut: number; total: number }> {
  const sizes = lists.map(([, ids]) =>
    ids.reduce((sum, id, index) => sum + JSON.stringify(id).length + (index > 0 ? 1 : 0), 2),
  );
  let cap = Math.max(...sizes, 0);
  if (sizes.reduce((a, b) => a + b, 0) > budget) {
    // The largest per-list cap whose total fits.
    let low = 2;
    let high = cap;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const total = sizes.reduce((sum, size) => sum + Math.min(size, middle), 0);
      if (total <= budget) low = middle;
      else high = middle - 1;
    }
    cap = low;
  }
  const fitted = new Map<string, { json: string; cut: number; total: number }>();
  lists.forEach(([name, ids]) => {
    const { json, cut } = jsonListWithin(ids, cap, MAX_OUTPUT_BYTES);
    fitted.set(name, { json, cut, total: ids.length });
  });
  return fitted;
}

/**
 * A cut failed-ids holds only IDs that the cut refused-ids and outcome-unknown-ids hold, so that it stays
 * their union as far as it goes (each list cut on its own would keep different IDs).
 */
function consistentFailed(
  fitted: Map<string, { json: string; cut: number; total: number }>,
  failed: readonly string[],
): void {
  const fit = fitted.get('failed-ids');
  if (!fit || fit.cut === 0) return;
  const kept = new Set(
    ['refused-ids', 'outcome-unknown-ids'].flatMap(
      (name) => JSON.parse(fitted.get(name)?.json ?? '[]') as string[],
    ),
  );
  const candidates = failed.filter((id) => kept.has(id));
  const { json, cut } = jsonListWithin(candidates, fit.json.length, MAX_OUTPUT_BYTES);
  const shown = candidates.length - cut;
  fitted.set('failed-ids', { json, cut: failed.length - shown, total: failed.length });
}

/**
 * The JSON array of as many IDs as fit in `maxChars` characters (and `maxBytes` bytes of UTF-8);
 * `cut` is how many were left out.
 */
export function jsonListWithin(
  ids: readonly string[],
  maxChars: number,
  maxBytes = Infinity,
): { json: string; cut: number } {
  // One pass over the sizes rather than stringifying ever shorter prefixes of a long list.
  let chars = 2;
  let bytes = 2;
  let fits = 0;
  for (const id of ids) {
    const quoted = JSON.stringify(id);
    const comma = fits > 0 ? 1 : 0;
    if (chars + quoted.length + comma > maxChars) break;
    const size = Buffer.byteLength(quoted) + comma;
    if (bytes + size > maxBytes) break;
    chars += quoted.length + comma;
    bytes += size;
    fits++;
  }
  return {
    json: JSON.stringify(fits === ids.length ? ids : ids.slice(0, fits)),
    cut: ids.length - fits,
  };
}

export function shortList(ids: readonly string[], max: number): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} … and ${ids.length - max} more` : shown;
}

/** The deliveries skipped right before sending, each with what its event's newest delivery is now. */
function changedBeforeSendingBlock(
  changed: readonly ChangedDelivery[],
  reportFile?: string,
): string {
  const shown = changed
    .slice(0, SUMMARY_ROWS)
    .map((delivery) =>
      delivery.newestId === null
        ? `${codeSpan(delivery.id)} (no longer listed)`
        : `${codeSpan(delivery.id)} (newest now ${codeSpan(delivery.newestId)}, ${markdownText(delivery.newestState ?? 'no state')})`,
    )
    .join(', ');
  const more =
    changed.length > SUMMARY_ROWS
      ? ` … and ${changed.length - SUMMARY_ROWS} more${reportFile ? ` (changedBeforeSending in ${codeSpan(reportFile)})` : ''}`
      : '';
  return `### Skipped: event changed before sending (${changed.length})\n\nChecked again right before sending (after the canary's wait, or during a long paced run): their event has a newer delivery, or is no longer in the state selected (redelivered by someone else, or HINDSITE's own retry got through), so they were not sent again (counted in \`skipped-count\`).\n\n${shown}${more}\n`;
}

function without(ids: readonly string[], left: readonly string[]): string[] {
  const out = new Set(left);
  return ids.filter((id) => !out.has(id));
}

/** Each new delivery with the delivery it retries, for the report file. */
function createdPairs(ledger: LedgerSnapshot | undefined): { id: string; originalId?: string }[] {
  if (!ledger) return [];
  return ledger.createdIds.map((id, index) => ({ id, originalId: ledger.originalIds[index] }));
}

function idBlock(title: string, ids: readonly string[], note: string, reportFile?: string): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, SUMMARY_ROWS).map(codeSpan).join(', ');
  const more =
    ids.length > SUMMARY_ROWS
      ? ` … and ${ids.length - SUMMARY_ROWS} more${reportFile ? ` (see ${codeSpan(reportFile)})` : ''}`
      : '';
  return `### ${title} (${ids.length})\n\n${note}\n\n${shown}${more}\n`;
}

function describeSource(selection: Selection): string {
  const source = selection.source;
  switch (source.kind) {
    case 'delivery-ids':
      return `IDs from the \`delivery-ids\` input`;
    case 'delivery-ids-file':
      return `IDs from the file ${codeSpan(source.path)} (\`delivery-ids-file\`)`;
    case 'discovery': {
      const filters = [
        `state ${codeSpan(source.state)} (newest delivery of each event)`,
        source.webhookId ? `webhook ${codeSpan(source.webhookId)}` : 'all webhooks',
        source.since
          ? `created since ${source.since.toISOString()}${source.sinceInput && source.sinceInput !== source.since.toISOString() ? ` (${codeSpan(`since: ${source.sinceInput}`)})` : ''}`
          : 'no time limit',
      ];
      if (source.eventActions) {
        filters.push(`event action ${source.eventActions.map(codeSpan).join(' or ')}`);
      }
      return `discovery through the list API: ${filters.join(', ')}`;
    }
    case 'plan-file':
      return selection.planCheck ? describePlanSelection(selection.planCheck) : 'a plan file';
  }
}

/** The pace and the canary of a run, as summary paragraphs (none when neither was asked for). */
function recoveryLines({ pace, canary, selection, verdict }: RunResult): string[] {
  const lines: string[] = [];
  const count = selection?.ids.length ?? 0;
  if (pace) lines.push(`**Pace:** ${describePace(pace, count)}.`, '');
  if (canary) {
    const which = {
      discovery: 'the oldest events',
      'plan-file': 'the oldest events of the plan',
      'delivery-ids': 'the first IDs given',
      'delivery-ids-file': 'the first IDs given',
    }[selection?.source.kind ?? 'delivery-ids'];
    const first = `${plural(canary.ids.length, 'delivery', 'deliveries')} (${which})`;
    const others = count - canary.ids.length;
    const rest = plural(others, 'other delivery', 'other deliveries');
    const notSent = `so the ${plural(others, 'other delivery was', 'other deliveries were')} not sent`;
    const said: Record<typeof canary.outcome, string> = {
      planned:
        verdict.kind === 'dry-run'
          ? `${first} would be redelivered first, and the ${rest} only once every new delivery of the canary completes`
          : `${first} to be redelivered first; the run stopped before it was sent`,
      passed: `${first} redelivered first; every new delivery of it completed, so the ${rest} followed`,
      refused: `${first} redelivered first; some of its new deliveries failed again: the receiver is still refusing, ${notSent}`,
      unproven: `${first} redelivered first; it did not show that the receiver is back, ${notSent}`,
      stopped: `${first} redelivered first; the run stopped while it was sent, ${notSent}`,
      checking: `${first} redelivered first; its new deliveries are being watched, and the ${rest} follow only if every one of them completes`,
    };
    lines.push(`**Canary:** ${said[canary.outcome]}.`, '');
  }
  return lines;
}

function renderSummary(
  outcome: RunResult,
  { lists, status, warnings, details }: RunText,
  reportFile?: string,
  planFile?: string,
): string {
  const dryRun = status.kind === 'dry-run';
  const parts: string[] = ['## HINDSITE webhook redelivery', ''];
  const checking = stillChecking(outcome, lists);
  if (checking) {
    parts.push(`⏳ **Still checking:** ${markdownText(checking)}`, '');
  } else if (status.kind === 'failed') {
    parts.push(`❌ **Failed:** ${markdownText(status.text)}`, '');
    parts.push(...details.flatMap((detail) => [markdownText(detail), '']));
  } else {
    parts.push(`${statusLine({ ...status, text: markdownText(status.text) })}`, '');
  }
  // The headline's own warning is the headline: not said twice.
  const own = statusWarning(status);
  const others = warnings.filter((warning) => warning !== own);
  if (others.length > 0) {
    parts.push(...others.map((warning) => `> ⚠️ ${cell(warning)}`), '');
  }

  const selection = outcome.selection;
  if (selection) {
    parts.push(`**Selection:** ${describeSource(selection)}.`, '', ...recoveryLines(outcome));
    const rows: [string, number][] = [];
    const changedBeforeSending = selection.changedBeforeSending ?? [];
    if (selection.source.kind === 'discovery') {
      rows.push(
        ['Deliveries found', selection.discoveredCount],
        [
          'Skipped (newest delivery of the event not in the state asked for)',
          selection.skippedCount - changedBeforeSending.length,
        ],
      );
      if (selection.source.eventActions) {
        rows.push(['Left out by event-action', selection.leftOutCount ?? 0]);
      }
    } else if (selection.planCheck) {
      rows.push(...planCountRows(selection.planCheck));
    }
    if (selection.notPlanned && selection.notPlanned.length > 0) {
      rows.push(['Not planned', selection.notPlanned.length]);
    }
    if (changedBeforeSending.length > 0) {
      rows.push([
        'Skipped before sending: event changed since selected',
        changedBeforeSending.length,
      ]);
    }
    rows.push(['Selected', lists.selected.length]);
    if (lists.blocked.length > 0) rows.push(['Blocked by max-deliveries', lists.blocked.length]);
    else if (!dryRun) {
      rows.push(
        ['Redeliveries created', lists.created.length],
        ['Dropped by HINDSITE', lists.dropped.length],
        ['Failed: refused', lists.refused.length],
        ['Failed: outcome unknown', lists.outcomeUnknown.length],
        ['Unsent', lists.unsent.length],
      );
    }
    if (outcome.settle) {
      rows.push(
        ['Completed after redelivery', outcome.settle.completedIds.length],
        ['Failed again', lists.failedAgain.length],
      );
      if (lists.unseen.length > 0) {
        rows.push(
          ['Still pending or in progress', lists.unsettled.length - lists.unseen.length],
          ['Never listed while waiting', lists.unseen.length],
        );
      } else {
        rows.push(['Still unsettled', lists.unsettled.length]);
      }
    }
    parts.push(table(['', 'Count'], rows, rows.length), '');
  }

  if (outcome.planFile) {
    parts.push(planReview(outcome.planFile, planFile, selection?.notPlanned, reportFile), '');
  }
  if (selection?.planCheck) parts.push(planApplied(selection.planCheck, reportFile), '');
  if (selection?.changedBeforeSending?.length) {
    parts.push(changedBeforeSendingBlock(selection.changedBeforeSending, reportFile));
  }
  const ledger = outcome.ledger;
  if (dryRun && lists.selected.length > 0) {
    const known = selection?.known ?? new Map<string, Delivery>();
    const rows = lists.selected.slice(0, SUMMARY_ROWS).map((id) => {
      const delivery = known.get(id);
      return [
        id,
        delivery?.eventId,
        delivery?.eventAction,
        delivery?.webhookId,
        delivery?.state,
        delivery?.createdAt,
      ];
    });
    parts.push(
      '### Would be redelivered',
      '',
      table(
        ['Delivery', 'Event', 'Action', 'Webhook', 'State', 'Created'],
        rows,
        lists.selected.length,
        reportFile,
      ),
      '',
    );
  }
  if (ledger && ledger.createdIds.length > 0) {
    const final = outcome.settle?.final;
    const rows = ledger.createdDetails.slice(0, SUMMARY_ROWS).map((delivery) => {
      const settled = final?.get(delivery.id) ?? delivery;
      const response = settled.response
        ? (settled.response.error ?? settled.response.code)
        : undefined;
      return [
        delivery.originalId,
        delivery.id,
        delivery.eventId,
        delivery.eventAction,
        delivery.webhookId,
        settled.state,
        response,
      ];
    });
    parts.push(
      '### New deliveries',
      '',
      table(
        ['Original', 'New delivery', 'Event', 'Action', 'Webhook', 'State', 'Response'],
        rows,
        ledger.createdIds.length,
        reportFile,
      ),
      '',
    );
    if (ledger.pairedByPositionOnly) {
      parts.push(
        '<sub>_Original_ is the ID at the same position in the request: HINDSITE lists the new deliveries without naming the ones they retry.</sub>',
        '',
      );
    }
  }
  parts.push(
    idBlock(
      'Dropped',
      lists.dropped,
      "HINDSITE did not find these IDs in the organisation (unknown, or another organisation's); nothing was redelivered for them.",
      reportFile,
    ),
    idBlock(
      'Failed: outcome unknown',
      lists.outcomeUnknown,
      'Sent, but no answer accounted for them (5xx, timeout, lost connection, a reply that does not add up, a cancelled job): HINDSITE **may** have redelivered them. Check before sending them again (`outcome-unknown-ids`).',
      reportFile,
    ),
    idBlock(
      'Failed: refused',
      lists.refused,
      'Sent and refused by HINDSITE (see the error above): nothing was redelivered for them; safe to send again once the cause is fixed (`refused-ids`).',
      reportFile,
    ),
    idBlock(
      'Unsent',
      lists.unsent,
      'Never sent: safe to send again (`delivery-ids` from the `unsent-ids` output).',
      reportFile,
    ),
    idBlock(
      'Blocked by max-deliveries',
      lists.blocked,
      'Not sent because the selection is larger than `max-deliveries`: not safe to send blindly. Narrow the selection or raise the cap.',
      reportFile,
    ),
    idBlock(
      'Failed again',
      lists.failedAgain,
      'New deliveries that the receiver refused again (`retrying` or `errored`); re-run with their originals (`failed-again-original-ids`) once the receiver is fixed.',
      reportFile,
    ),
    idBlock(
      'Unsettled',
      lists.unseen.length > 0 ? without(lists.unsettled, lists.unseen) : lists.unsettled,
      'New deliveries still pending or in progress when the wait ended.',
      reportFile,
    ),
    idBlock(
      'Never listed while waiting',
      lists.unseen,
      "New deliveries that no poll listed: their state is unknown, which says nothing about the receiver (HINDSITE's list may lag behind). Check them in HINDSITE; `unsettled-ids` has them too.",
      reportFile,
    ),
  );
  if (reportFile) {
    parts.push(
      `<sub>Every list in full is in the report file (the \`report-file\` output); ${KEEP_REPORT}.</sub>`,
      '',
    );
  }
  return parts.filter((part, index) => part !== '' || parts[index - 1] !== '').join('\n');
}
