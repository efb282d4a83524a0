/** The job summary: the headline, the selection, the counts, and every group of IDs in need of attention. */
import { type Delivery, SUMMARY_ROWS } from '../model/domain.js';
import { plural } from '../model/text.js';
import { describePace } from '../run/pace.js';
import type { ChangedDelivery } from '../run/plan-check.js';
import type { RunResult, Selection } from '../run/result.js';
import { KEEP_REPORT, type RunText, statusLine, statusWarning, without } from './facts.js';
import { cell, codeSpan, markdownText, table } from './markdown.js';
import { describePlanSelection, planApplied, planCountRows, planReview } from './plan-review.js';

/** The deliveries skipped right before sending, each with what its event's newest delivery is now. */
export function changedBeforeSendingBlock(
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

export function idBlock(
  title: string,
  ids: readonly string[],
  note: string,
  reportFile?: string,
): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, SUMMARY_ROWS).map(codeSpan).join(', ');
  const more =
    ids.length > SUMMARY_ROWS
      ? ` … and ${ids.length - SUMMARY_ROWS} more${reportFile ? ` (see ${codeSpan(reportFile)})` : ''}`
      : '';
  return `### ${title} (${ids.length})\n\n${note}\n\n${shown}${more}\n`;
}

export function describeSource(selection: Selection): string {
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
export function recoveryLines({ pace, canary, selection, verdict }: RunResult): string[] {
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
      passed: `${first} redelivered first; every new delivery of it completed, so the run went on to the ${rest}`,
      refused: `${first} redelivered first; some of its new deliveries failed again: the receiver is still refusing, ${notSent}`,
      unproven: `${first} redelivered first; it did not show that the receiver is back, ${notSent}`,
      stopped: `${first} redelivered first; the run stopped while it was sent, ${notSent}`,
      checking: `${first} redelivered first; its new deliveries are being watched, and the ${rest} follow only if every one of them completes`,
    };
    lines.push(`**Canary:** ${said[canary.outcome]}.`, '');
  }
  return lines;
}

export function renderSummary(
  outcome: RunResult,
  { lists, status, warnings, details, checking }: RunText,
  reportFile?: string,
  planFile?: string,
): string {
  const dryRun = status.kind === 'dry-run';
  const parts: string[] = ['## HINDSITE webhook redelivery', ''];
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
