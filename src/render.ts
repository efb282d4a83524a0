/**
 * The run's result in words: outputs, warnings, the job summary, the report file's content and the
 * failure message. Pure: it returns data, and publish.ts writes it. All wording of the step's
 * result lives here.
 */
import { SUMMARY_ROWS } from './domain.js';
import type { LedgerSnapshot } from './ledger.js';
import type { RunResult } from './result.js';
import type { Selection } from './selection.js';

/** GitHub refuses a step output over 1 MiB; stay clear of it with the name and framing. */
export const MAX_OUTPUT_BYTES = 1024 * 1024 - 1024;
const WARNING_IDS = 20;

export interface Rendered {
  /** Every output of action.yml, in order. */
  outputs: [name: string, value: string][];
  warnings: string[];
  summary: string;
  /** The message the step fails with; undefined when it passes. */
  failure?: string;
}

/** The lists every rendering reads, empty where the run did not get that far. */
interface Lists {
  selected: readonly string[];
  created: readonly string[];
  dropped: readonly string[];
  failed: readonly string[];
  unsent: readonly string[];
  failing: readonly string[];
  unsettled: readonly string[];
}

function listsOf(result: RunResult): Lists {
  const ledger = result.ledger;
  return {
    selected: result.selection?.ids ?? [],
    created: ledger?.createdIds ?? [],
    dropped: ledger?.dropped ?? [],
    failed: ledger?.failed ?? [],
    unsent: ledger?.unsent ?? [],
    failing: result.settle?.failingIds ?? [],
    unsettled: result.settle?.unsettledIds ?? [],
  };
}

/** The report file's sections, in order: every list in full. */
export function reportSections(
  result: RunResult,
  failure: string | undefined,
): [string, unknown][] {
  const lists = listsOf(result);
  const ledger = result.ledger;
  return [
    ['requested', ledger?.requested ?? []],
    ['selected', lists.selected],
    ['created', createdPairs(ledger)],
    ['dropped', lists.dropped],
    ['failed', lists.failed],
    ['failures', ledger?.failures ?? []],
    ['unsent', lists.unsent],
    ['completed', result.settle?.completedIds ?? []],
    ['failing', lists.failing],
    ['unsettled', lists.unsettled],
    ['settled', result.settle ? [...result.settle.final.values()] : []],
    ['dryRun', result.verdict.kind === 'dry-run'],
    ['failure', failure ?? null],
  ];
}

export function render(result: RunResult, reportFile?: string): Rendered {
  const lists = listsOf(result);
  const failure = failureMessage(result);
  const warnings: string[] = [];
  const truncated: string[] = [];
  const list = (name: string, ids: readonly string[]): [string, string] => {
    const { json, cut } = jsonListWithin(ids, MAX_OUTPUT_BYTES);
    if (cut) truncated.push(`${name} (${cut} of ${ids.length} left out)`);
    return [name, json];
  };
  const outputs: [string, string][] = [
    ['requested-count', String(result.ledger?.requested.length ?? 0)],
    ['selected-count', String(lists.selected.length)],
    list('selected-ids', lists.selected),
    ['skipped-count', String(result.selection?.skippedCount ?? 0)],
    ['created-count', String(lists.created.length)],
    list('created-ids', lists.created),
    ['dropped-count', String(lists.dropped.length)],
    list('dropped-ids', lists.dropped),
    list('failed-ids', lists.failed),
    list('unsent-ids', lists.unsent),
    ['completed-count', String(result.settle?.completedIds.length ?? 0)],
    list('failing-ids', lists.failing),
    list('unsettled-ids', lists.unsettled),
    ['report-file', reportFile ?? ''],
  ];
  if (truncated.length > 0) {
    warnings.push(
      `Some outputs were cut to stay under GitHub's 1 MiB limit per output: ${truncated.join(', ')}. The full lists are in the file named by the report-file output${reportFile ? ` (${reportFile})` : ''}.`,
    );
  }
  if (lists.dropped.length > 0) {
    warnings.push(
      `HINDSITE dropped ${lists.dropped.length} delivery ID(s): they do not exist or belong to another organisation, so nothing was redelivered for them: ${shortList(lists.dropped, WARNING_IDS)}`,
    );
  }
  return {
    outputs,
    warnings,
    summary: renderSummary(result, lists, failure, reportFile),
    failure,
  };
}

/** What the step fails with, or undefined when it passes. */
export function failureMessage(result: RunResult): string | undefined {
  const verdict = result.verdict;
  switch (verdict.kind) {
    case 'ok':
    case 'dry-run':
      return undefined;
    case 'input-refused':
      return verdict.message;
    case 'over-cap':
      return `${verdict.selected} deliveries were selected for redelivery, more than max-deliveries (${verdict.cap}); nothing was sent. Narrow the selection, or raise max-deliveries to at least ${verdict.selected} if this is intended.`;
    case 'api-failed':
      return verdict.error.message;
    case 'batches-failed':
      return describeFailures(verdict.first.message, result.ledger);
    case 'not-settled':
      return describeUnsettled(result, verdict.timeoutMs);
    case 'dropped': {
      const dropped = result.ledger?.dropped ?? [];
      return `HINDSITE dropped ${dropped.length} delivery ID(s) and fail-on-dropped is true: ${shortList(dropped, 20)}. They do not exist or belong to another organisation.`;
    }
    case 'unexpected':
      return `Unexpected error: ${verdict.message}`;
  }
}

/** Says what went wrong, and for each group of IDs whether it is safe to send again. */
function describeFailures(firstMessage: string, ledger: LedgerSnapshot | undefined): string {
  const unknown = ledger?.unknown.length ?? 0;
  const refused = ledger?.refused.length ?? 0;
  const handled = (ledger?.confirmed.length ?? 0) + (ledger?.dropped.length ?? 0);
  const parts = [firstMessage];
  if (unknown > 0) {
    parts.push(
      `${unknown} ID(s) may have been redelivered (outcome unknown; in failed-ids): check them in HINDSITE before sending them again.`,
    );
  }
  if (refused > 0) {
    parts.push(
      `${refused} ID(s) were refused and not redelivered (in failed-ids): safe to send again once the cause is fixed.`,
    );
  }
  parts.push(
    `${ledger?.unsent.length ?? 0} ID(s) were never sent (unsent-ids): safe to send again. ${handled} ID(s) were handled before the failure.`,
  );
  return parts.join(' ');
}

function describeUnsettled(result: RunResult, timeoutMs: number): string {
  const settle = result.settle;
  const problems: string[] = [];
  if (settle && settle.failingIds.length > 0) {
    problems.push(
      `${settle.failingIds.length} new delivery(ies) failed again (failing-ids): the receiver still refuses them; fix it, then re-run with the original IDs`,
    );
  }
  if (settle && settle.unsettledIds.length > 0) {
    problems.push(
      `${settle.unsettledIds.length} new delivery(ies) had not settled ${settle.error ? `when polling failed (${settle.error})` : `after ${timeoutMs / 1000} s`} (unsettled-ids): check them later or raise wait-timeout-seconds`,
    );
  }
  return `Redelivered ${result.ledger?.createdIds.length ?? 0} delivery(ies), but ${problems.join('; ')}.`;
}

/** The JSON array of as many IDs as fit in `maxBytes`; `cut` is how many were left out. */
export function jsonListWithin(
  ids: readonly string[],
  maxBytes: number,
): { json: string; cut: number } {
  // One pass over the sizes rather than stringifying ever shorter prefixes of a long list.
  let bytes = 2;
  let fits = 0;
  for (const id of ids) {
    const size = Buffer.byteLength(JSON.stringify(id)) + (fits > 0 ? 1 : 0);
    if (bytes + size > maxBytes) break;
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

/** Each new delivery with the delivery it retries, for the report file. */
function createdPairs(ledger: LedgerSnapshot | undefined): { id: string; originalId?: string }[] {
  if (!ledger) return [];
  return ledger.createdIds.map((id, index) => ({ id, originalId: ledger.originalIds[index] }));
}

/** Controls, line breaks and bidi controls: none may reach the summary as they are. */
const SUMMARY_UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from outside on one line, with no control character left in it. */
function oneLine(text: string): string {
  return text.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(SUMMARY_UNPRINTABLE, '\ufffd');
}

/** What starts Markdown or HTML anywhere in a line (`&`, `<` and `>` become references). */
const MARKDOWN_SPECIAL = /[\\`*_[\]()#!|~$<>&]/g;
const HTML_REFERENCES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const isWordChar = (char: string | undefined): boolean => !!char && /[A-Za-z0-9]/.test(char);

/**
 * Text from outside (a server's words, an ID, a file name) as Markdown that shows it as written:
 * no heading, list, link, image, HTML, emphasis, math or table cell can start inside it, and it
 * stays on one line. An `_` between letters stays as it is (`dlv_000001`): it cannot emphasise.
 */
function markdownText(text: string): string {
  const line = oneLine(text);
  const escaped = line.replace(MARKDOWN_SPECIAL, (char, at: number) => {
    if (char === '_' && isWordChar(line[at - 1]) && isWordChar(line[at + 1])) return char;
    return HTML_REFERENCES[char] ?? `\\${char}`;
  });
  // What opens a block at the start of a line: a list item, a numbered item, a setext underline.
  return escaped.replace(/^(\s*)([-+=]|\d{1,9}(?=[.)]))/, (_, space: string, marker: string) =>
    /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

/** Markdown cell text: one line, nothing that could end the cell or start markup. */
function cell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return markdownText(String(text));
}

/**
 * `text` as a code span: its fence is longer than any run of backticks inside, so none can close
 * it early, and a space pads a text that starts or ends with a backtick or a space (Markdown drops
 * one space on each side).
 */
function codeSpan(text: string): string {
  const line = oneLine(text);
  if (line === '') return '—';
  let longest = 0;
  for (let at = 0, run = 0; at < line.length; at++) {
    run = line[at] === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(line) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

function table(
  header: string[],
  rows: (string | number | null | undefined)[][],
  total: number,
  reportFile?: string,
): string {
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  if (total > rows.length) {
    lines.push(
      '',
      `… and ${total - rows.length} more${reportFile ? ` (all of them are in ${codeSpan(reportFile)})` : ''}.`,
    );
  }
  return lines.join('\n');
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
      return `discovery through the list API: ${filters.join(', ')}`;
    }
  }
}

function renderSummary(
  outcome: RunResult,
  lists: Lists,
  failure: string | undefined,
  reportFile?: string,
): string {
  const dryRun = outcome.verdict.kind === 'dry-run';
  const parts: string[] = ['## HINDSITE webhook redelivery', ''];
  if (failure) parts.push(`❌ **Failed:** ${markdownText(failure)}`, '');
  else if (dryRun)
    parts.push(
      `🔎 **Dry run:** ${lists.selected.length} delivery(ies) would be redelivered; nothing was sent.`,
      '',
    );
  else parts.push(`✅ ${lists.created.length} redelivery(ies) created.`, '');

  const selection = outcome.selection;
  if (selection) {
    parts.push(`**Selection:** ${describeSource(selection)}.`, '');
    const rows: [string, number][] = [];
    if (selection.source.kind === 'discovery') {
      rows.push(
        ['Deliveries found', selection.discoveredCount],
        [
          'Skipped (newest delivery of the event not in the state asked for)',
          selection.skippedCount,
        ],
      );
    }
    rows.push(['Selected', lists.selected.length]);
    if (!dryRun) {
      rows.push(
        ['Redeliveries created', lists.created.length],
        ['Dropped by HINDSITE', lists.dropped.length],
        ['Failed (sent, not confirmed)', lists.failed.length],
        ['Unsent', lists.unsent.length],
      );
    }
    if (outcome.settle) {
      rows.push(
        ['Completed after redelivery', outcome.settle.completedIds.length],
        ['Failing again', lists.failing.length],
        ['Still unsettled', lists.unsettled.length],
      );
    }
    parts.push(table(['', 'Count'], rows, rows.length), '');
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
      ledger?.unknown ?? [],
      'Sent, but no answer was confirmed (5xx, timeout, lost connection, unreadable reply): HINDSITE **may** have redelivered them. Check before sending them again.',
      reportFile,
    ),
    idBlock(
      'Failed: refused',
      ledger?.refused ?? [],
      'Sent and refused by HINDSITE (see the error above): nothing was redelivered for them; safe to send again once the cause is fixed.',
      reportFile,
    ),
    idBlock(
      'Unsent',
      lists.unsent,
      'Never sent: safe to send again (`delivery-ids` from the `unsent-ids` output).',
      reportFile,
    ),
    idBlock(
      'Failing again',
      lists.failing,
      'New deliveries that the receiver refused again (`retrying` or `errored`).',
      reportFile,
    ),
    idBlock(
      'Unsettled',
      lists.unsettled,
      'New deliveries still pending or in progress when the wait ended.',
      reportFile,
    ),
  );
  if (reportFile)
    parts.push(`<sub>Full lists: \`${reportFile}\` (the \`report-file\` output).</sub>`, '');
  return parts.filter((part, index) => part !== '' || parts[index - 1] !== '').join('\n');
}
