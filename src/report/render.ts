/**
 * The run's result in words: outputs, warnings, the job summary, the report file's content and the
 * failure message. Pure: it returns data, and publish.ts writes it. All wording of the step's
 * result lives here.
 */
import { SUMMARY_ROWS } from '../model/domain.js';
import type { LedgerSnapshot } from '../model/ledger.js';
import { cell, codeSpan, markdownText, table } from './markdown.js';
import { describePlanSelection, planApplied, planCountRows, planReview } from './plan-review.js';
import { describePace } from '../run/pace.js';
import type { RunResult } from '../run/result.js';
import type { Selection } from '../run/selection.js';
import type { ChangedDelivery } from '../run/plan-check.js';
import { plural } from '../model/text.js';

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
}

/** The lists every rendering reads, empty where the run did not get that far. */
export interface Lists {
  selected: readonly string[];
  created: readonly string[];
  dropped: readonly string[];
  failed: readonly string[];
  refused: readonly string[];
  unknown: readonly string[];
  unsent: readonly string[];
  blocked: readonly string[];
  failing: readonly string[];
  failingOriginals: readonly string[];
  unsettled: readonly string[];
  /** Of `unsettled`, the new deliveries that no poll ever listed. */
  unseen: readonly string[];
  /** Not sent: their event changed since they were selected (checked right before sending). */
  skipped: readonly string[];
}

function listsOf(result: RunResult): Lists {
  const ledger = result.ledger;
  const failing = result.settle?.failingIds ?? [];
  return {
    selected: result.selection?.ids ?? [],
    created: ledger?.createdIds ?? [],
    dropped: ledger?.dropped ?? [],
    failed: ledger?.failed ?? [],
    refused: ledger?.refused ?? [],
    unknown: ledger?.unknown ?? [],
    unsent: ledger?.unsent ?? [],
    blocked: ledger?.blocked ?? [],
    failing,
    failingOriginals: originalsOf(failing, ledger),
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

/** What the report, the outputs and the summary all say of a run: worked out once per run. */
export interface RunText {
  lists: Lists;
  warnings: string[];
  failure: string | undefined;
}

export function describeRun(result: RunResult): RunText {
  const lists = listsOf(result);
  return { lists, ...verdictText(result, lists) };
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
    ['unknown', lists.unknown],
    ['failures', ledger?.failures ?? []],
    ['unsent', lists.unsent],
    ['blocked', lists.blocked],
    ['completed', result.settle?.completedIds ?? []],
    ['failing', lists.failing],
    ['failingOriginals', lists.failingOriginals],
    ['unsettled', lists.unsettled],
    ['neverListed', lists.unseen],
    ['settled', result.settle ? [...result.settle.final.values()] : []],
    ['surplusReplies', ledger?.surplus ?? []],
    ['duplicates', result.settle?.duplicates ?? []],
    ['changedSincePlan', result.selection?.planCheck?.changed ?? []],
    ['changedBeforeSending', result.selection?.changedBeforeSending ?? []],
    ['dryRun', result.verdict.kind === 'dry-run'],
    ['pace', result.pace ?? null],
    ['canary', result.canary ?? null],
    ['warnings', warnings],
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
  const listOutputs: [string, readonly string[]][] = [
    ['selected-ids', lists.selected],
    ['created-ids', lists.created],
    ['dropped-ids', lists.dropped],
    ['failed-ids', lists.failed],
    ['refused-ids', lists.refused],
    ['unknown-ids', lists.unknown],
    ['unsent-ids', lists.unsent],
    ['failing-ids', lists.failing],
    ['failing-original-ids', lists.failingOriginals],
    ['unsettled-ids', lists.unsettled],
  ];
  const fitted = fitLists(listOutputs, LIST_OUTPUTS_CHARS);
  consistentFailed(fitted, lists.failed);
  const json = (name: string): string => fitted.get(name)?.json ?? '[]';
  const outputs: [string, string][] = [
    ['requested-count', String(result.ledger?.requested.length ?? 0)],
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
    ['unknown-ids', json('unknown-ids')],
    ['unsent-ids', json('unsent-ids')],
    ['completed-count', String(result.settle?.completedIds.length ?? 0)],
    ['failing-ids', json('failing-ids')],
    ['failing-original-ids', json('failing-original-ids')],
    ['unsettled-ids', json('unsettled-ids')],
    ['report-file', reportFile ?? ''],
  ];
  const cut = [...fitted]
    .filter(([, fit]) => fit.cut > 0)
    .map(
      ([name, fit]) =>
        `${name} (${fit.cut.toLocaleString('en-US')} of ${fit.total.toLocaleString('en-US')} left out)`,
    );
  if (cut.length > 0) {
    warnings.unshift(
      `Some list outputs were cut to keep all of them under ${LIST_OUTPUTS_CHARS.toLocaleString('en-US')} characters (GitHub limits a job's outputs to 1 MB): ${cut.join(', ')}. The full lists are in the report file${reportFile ? ` (${reportFile}, the report-file output)` : ''}; ${KEEP_REPORT}.`,
    );
  }
  return {
    outputs,
    warnings,
    summary: renderSummary(result, lists, failure, warnings, reportFile, planFile),
    failure,
  };
}

/** The warnings and the failure message of a run. */
function verdictText(
  result: RunResult,
  lists: Lists,
): { warnings: string[]; failure: string | undefined } {
  const warnings: string[] = [];
  if (lists.dropped.length > 0) {
    warnings.push(
      `HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')}: they do not exist or belong to another organisation, so nothing was redelivered for them: ${shortList(lists.dropped, WARNING_IDS)}`,
    );
  }
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
  return { warnings, failure: failureMessage(result, lists) };
}

/** What the step fails with, or undefined when it passes. */
export function failureMessage(
  result: RunResult,
  lists: Lists = listsOf(result),
): string | undefined {
  const verdict = result.verdict;
  switch (verdict.kind) {
    case 'ok':
    case 'dry-run':
      return undefined;
    case 'input-refused':
      return verdict.message;
    case 'over-cap':
      return `${plural(verdict.selected, 'delivery', 'deliveries')} were selected for redelivery, more than max-deliveries (${verdict.cap}); nothing was sent. They are blocked by the cap, not left to send: narrow the selection, or raise max-deliveries to at least ${verdict.selected} if this is intended.`;
    case 'api-failed':
      return verdict.error.message;
    case 'batches-failed':
      return `${sentence(verdict.first.message)} ${accountFor(lists)}`;
    case 'not-settled':
      return describeUnsettled(result, lists, verdict.timeoutMs);
    case 'canary-refused':
      return describeCanaryRefusal(result, lists, verdict.timeoutMs);
    case 'dropped':
      return `HINDSITE dropped ${plural(lists.dropped.length, 'delivery ID')} and fail-on-dropped is true: ${shortList(lists.dropped, 20)}. They do not exist or belong to another organisation.`;
    case 'cancelled':
      return `The job was cancelled (${verdict.signal}), so the run stopped. ${accountFor(lists)}`;
    case 'unexpected':
      return `Unexpected error: ${verdict.message}`;
  }
}

/** Ends a message with a full stop, unless it has one. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Where the IDs of a stopped run stand, and for each group whether it is safe to send again. */
function accountFor(lists: Lists): string {
  const parts: string[] = [];
  if (lists.created.length > 0) {
    parts.push(`${plural(lists.created.length, 'redelivery', 'redeliveries')} created.`);
  }
  if (lists.unknown.length > 0) {
    parts.push(
      `${plural(lists.unknown.length, 'ID')} may have been redelivered (outcome unknown; unknown-ids): check them in HINDSITE before sending them again.`,
    );
  }
  if (lists.refused.length > 0) {
    parts.push(
      `${plural(lists.refused.length, 'ID was', 'IDs were')} refused and not redelivered (refused-ids): safe to send again once the cause is fixed.`,
    );
  }
  parts.push(
    `${plural(lists.unsent.length, 'ID was', 'IDs were')} never sent (unsent-ids): safe to send again.`,
  );
  if (lists.skipped.length > 0) {
    parts.push(
      `${plural(lists.skipped.length, 'ID was', 'IDs were')} skipped because ${lists.skipped.length === 1 ? 'its event' : 'their events'} changed since selected (skipped-count): not to be sent again.`,
    );
  }
  return parts.join(' ');
}

function describeUnsettled(result: RunResult, lists: Lists, timeoutMs: number): string {
  const settle = result.settle;
  const problems: string[] = [];
  if (lists.failing.length > 0) {
    const originals =
      lists.failingOriginals.length > 0
        ? `re-run with their original IDs (failing-original-ids: ${shortList(lists.failingOriginals, WARNING_IDS)})`
        : 're-run with their original IDs';
    problems.push(
      `${plural(lists.failing.length, 'new delivery', 'new deliveries')} failed again (failing-ids): the receiver still refuses them; fix it, then ${originals}`,
    );
  }
  const pending = lists.unsettled.length - lists.unseen.length;
  if (pending > 0) {
    problems.push(
      `${plural(pending, 'new delivery', 'new deliveries')} had not settled ${settle?.error ? `when polling failed (${settle.error})` : `after ${timeoutMs / 1000} s`} (unsettled-ids): check them later or raise wait-timeout-seconds`,
    );
  }
  if (lists.unseen.length > 0) problems.push(neverListed(lists.unseen));
  return `Redelivered ${plural(lists.created.length, 'delivery', 'deliveries')}, but ${problems.join('; ')}.`;
}

/** New deliveries no poll listed: unknown, which is not the same as seen pending. */
function neverListed(unseen: readonly string[]): string {
  const one = unseen.length === 1;
  return `${plural(unseen.length, 'new delivery', 'new deliveries')} never appeared in HINDSITE's list while waiting (in unsettled-ids too), so ${one ? 'its' : 'their'} state is unknown, which says nothing about the receiver: ${shortList(unseen, WARNING_IDS)}. Check ${one ? 'it' : 'them'} in HINDSITE`;
}

/** Why the canary stopped the run, naming its deliveries that failed again. */
function describeCanaryRefusal(result: RunResult, lists: Lists, timeoutMs: number): string {
  const rest = `The other ${plural(lists.unsent.length, 'delivery was', 'deliveries were')} not sent (unsent-ids): safe to send once the receiver takes deliveries again.`;
  const settle = result.settle;
  if (!settle) {
    return `The canary showed nothing about the receiver: HINDSITE created no new delivery for its ${plural(result.canary?.ids.length ?? 0, 'delivery', 'deliveries')} (dropped-ids). ${rest}`;
  }
  if (lists.failing.length > 0) {
    return `The receiver is still refusing: ${plural(lists.failing.length, 'new delivery', 'new deliveries')} of the canary failed again (failing-ids): ${shortList(withOriginals(lists.failing, result.ledger), WARNING_IDS)}. ${rest} Fix the receiver, then re-run with failing-original-ids and unsent-ids.`;
  }
  const pending = lists.unsettled.length - lists.unseen.length;
  const problems: string[] = [];
  if (pending > 0) {
    problems.push(
      `${plural(pending, 'new delivery', 'new deliveries')} of it had not settled ${settle.error ? `when polling failed (${settle.error})` : `after ${timeoutMs / 1000} s`} (unsettled-ids)`,
    );
  }
  if (lists.unseen.length > 0) problems.push(neverListed(lists.unseen));
  const advice = pending > 0 ? ' Check the receiver, or raise wait-timeout-seconds.' : '';
  return `The canary did not show that the receiver is back: ${problems.join('; ')}. ${rest}${advice}`;
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
 * A cut failed-ids holds only IDs that the cut refused-ids and unknown-ids hold, so that it stays
 * their union as far as it goes (each list cut on its own would keep different IDs).
 */
function consistentFailed(
  fitted: Map<string, { json: string; cut: number; total: number }>,
  failed: readonly string[],
): void {
  const fit = fitted.get('failed-ids');
  if (!fit || fit.cut === 0) return;
  const kept = new Set(
    ['refused-ids', 'unknown-ids'].flatMap(
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
    };
    lines.push(`**Canary:** ${said[canary.outcome]}.`, '');
  }
  return lines;
}

function renderSummary(
  outcome: RunResult,
  lists: Lists,
  failure: string | undefined,
  warnings: readonly string[],
  reportFile?: string,
  planFile?: string,
): string {
  const dryRun = outcome.verdict.kind === 'dry-run';
  const parts: string[] = ['## HINDSITE webhook redelivery', ''];
  if (failure) parts.push(`❌ **Failed:** ${markdownText(failure)}`, '');
  else if (dryRun)
    parts.push(
      `🔎 **Dry run:** ${plural(lists.selected.length, 'delivery', 'deliveries')} would be redelivered; nothing was sent.`,
      '',
    );
  else parts.push(`✅ ${plural(lists.created.length, 'redelivery', 'redeliveries')} created.`, '');
  if (warnings.length > 0) {
    parts.push(...warnings.map((warning) => `> ⚠️ ${cell(warning)}`), '');
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
        ['Failed: outcome unknown', lists.unknown.length],
        ['Unsent', lists.unsent.length],
      );
    }
    if (outcome.settle) {
      rows.push(
        ['Completed after redelivery', outcome.settle.completedIds.length],
        ['Failing again', lists.failing.length],
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

  if (outcome.planFile) parts.push(planReview(outcome.planFile, planFile), '');
  if (selection?.planCheck) parts.push(planApplied(selection.planCheck, reportFile), '');
  if (selection?.changedBeforeSending?.length) {
    parts.push(changedBeforeSendingBlock(selection.changedBeforeSending, reportFile));
  }
  const ledger = outcome.ledger;
  if (dryRun && lists.selected.length > 0) {
    const known = selection?.known ?? new Map();
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
      lists.unknown,
      'Sent, but no answer accounted for them (5xx, timeout, lost connection, a reply that does not add up, a cancelled job): HINDSITE **may** have redelivered them. Check before sending them again (`unknown-ids`).',
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
      'Failing again',
      lists.failing,
      'New deliveries that the receiver refused again (`retrying` or `errored`); re-run with their originals (`failing-original-ids`) once the receiver is fixed.',
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
