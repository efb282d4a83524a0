/**
 * The run's messages: the failure (its first sentence says what happened and what to do), the
 * details that follow it in the log and summary, the warnings, and what a checkpoint says.
 */
import { plural } from '../model/text.js';
import type { NotPlanned } from '../run/plan-check.js';
import type { RunResult } from '../run/result.js';
import {
  joinSentences,
  type Lists,
  sentence,
  sentenceCase,
  shortList,
  type Status,
  statusWarning,
  WARNING_IDS,
  withOriginals,
} from './facts.js';

/**
 * What a checkpoint (verdict `checking`) says in the summary, the log and the report: the run is
 * not over, and what it made already must not be made again. Undefined for a run that ended.
 */
export function stillChecking(result: RunResult, lists: Lists): string | undefined {
  const verdict = result.verdict;
  if (verdict.kind !== 'checking') return undefined;
  if (verdict.phase === 'sending') {
    return `${plural(lists.created.length, 'redelivery', 'redeliveries')} created (created-ids); the canary passed and the run is sending the other ${plural(lists.outcomeUnknown.length, 'delivery', 'deliveries')}. If the step ends without another summary (killed, or out of memory), those in outcome-unknown-ids may have been redelivered: check them in HINDSITE before sending them again, and do not re-run the step as it is.`;
  }
  const whose = verdict.phase === 'canary' ? "the canary's new deliveries" : 'the new deliveries';
  const unsent =
    lists.unsent.length > 0
      ? ` ${plural(lists.unsent.length, 'ID was', 'IDs were')} not sent yet (unsent-ids).`
      : '';
  return `${plural(lists.created.length, 'redelivery', 'redeliveries')} created (created-ids); the run is still checking ${whose}, waiting for them to settle.${unsent} If the step ends without another summary (killed, or out of memory), the redeliveries in created-ids were made: do not re-run the step as it is, or they are redelivered again.`;
}

/** The warnings of a run: the headline's own first, when the run did nothing it was asked to. */
export function warningsOf(result: RunResult, lists: Lists, status: Status): string[] {
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
export function describeNotPlanned(notPlanned: readonly NotPlanned[]): string {
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
export function failureMessage(result: RunResult, lists: Lists): string | undefined {
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

/** What to do with the IDs a stopped run left (none when it left none). */
export function nextSteps(lists: Lists): string[] {
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
export function failureDetails(result: RunResult, lists: Lists): string[] {
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
export function accountFor(lists: Lists): string {
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
export function settleEnd(result: RunResult, timeoutMs: number): string {
  return result.settle?.error ? 'when polling failed' : `after ${timeoutMs / 1000} s`;
}

/** New deliveries no poll listed are unknown, which is not the same as seen pending. */
export const NEVER_LISTED = "never appeared in HINDSITE's list while waiting";

export function describeUnsettled(result: RunResult, lists: Lists, timeoutMs: number): string {
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
export function describeCanaryRefusal(result: RunResult, lists: Lists, timeoutMs: number): string {
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
