import * as core from '@actions/core';
import { appendFileSync, closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Selection } from './selection.js';
import type { RedeliveryLedger } from './ledger.js';
import type { Redactor } from './redact.js';
import type { SettleResult } from './settle.js';
import type { Settings } from './inputs.js';

/** Everything a run found out, whatever stopped it. */
export interface RunOutcome {
  settings?: Settings;
  selection?: Selection;
  ledger?: RedeliveryLedger;
  settle?: SettleResult;
  /** The message the step fails with, when it fails. */
  failure?: string;
}

/** GitHub refuses a step output over 1 MiB; stay clear of it with the name and framing. */
export const MAX_OUTPUT_BYTES = 1024 * 1024 - 1024;
const SUMMARY_ROWS = 100;
const WARNING_IDS = 20;
const REPORT_CHUNK = 1000;

export interface Lists {
  selected: string[];
  created: string[];
  dropped: string[];
  failed: string[];
  unsent: string[];
  failing: string[];
  unsettled: string[];
}

export function listsOf(outcome: RunOutcome): Lists {
  const ledger = outcome.ledger;
  return {
    selected: outcome.selection?.ids ?? [],
    created: ledger?.createdIds ?? [],
    dropped: ledger?.idsWith('dropped') ?? [],
    failed: ledger?.idsWith('failed') ?? [],
    // A dry run sends nothing by choice: nothing is "left to send" the way a stopped run leaves it.
    unsent: outcome.settings?.dryRun ? [] : (ledger?.idsWith('unsent') ?? []),
    failing: outcome.settle?.failingIds ?? [],
    unsettled: outcome.settle?.unsettledIds ?? [],
  };
}

/**
 * The only place that sets outputs, annotations, the job summary and the report file. Called on
 * every path, so that a failed run still says where each ID stands.
 */
export function report(
  outcome: RunOutcome,
  context: { redactor: Redactor; reportDir: string; summaryFile?: string; runId: string },
): void {
  const lists = listsOf(outcome);
  const reportFile = writeReportFile(
    outcome,
    lists,
    context.reportDir,
    context.runId,
    context.redactor,
  );
  const truncated: string[] = [];
  const setList = (name: string, ids: string[]): void => {
    const { json, cut } = jsonListWithin(ids, MAX_OUTPUT_BYTES);
    if (cut) truncated.push(`${name} (${cut} of ${ids.length} left out)`);
    core.setOutput(name, json);
  };
  core.setOutput('requested-count', String(outcome.ledger?.requested.length ?? 0));
  core.setOutput('selected-count', String(lists.selected.length));
  setList('selected-ids', lists.selected);
  core.setOutput('skipped-count', String(outcome.selection?.skippedCount ?? 0));
  core.setOutput('created-count', String(lists.created.length));
  setList('created-ids', lists.created);
  core.setOutput('dropped-count', String(lists.dropped.length));
  setList('dropped-ids', lists.dropped);
  setList('failed-ids', lists.failed);
  setList('unsent-ids', lists.unsent);
  core.setOutput('completed-count', String(outcome.settle?.completedIds.length ?? 0));
  setList('failing-ids', lists.failing);
  setList('unsettled-ids', lists.unsettled);
  core.setOutput('report-file', reportFile ?? '');
  if (truncated.length > 0) {
    core.warning(
      `Some outputs were cut to stay under GitHub's 1 MiB limit per output: ${truncated.join(', ')}. The full lists are in the file named by the report-file output${reportFile ? ` (${reportFile})` : ''}.`,
    );
  }
  if (lists.dropped.length > 0) {
    core.warning(
      context.redactor.redact(
        `HINDSITE dropped ${lists.dropped.length} delivery ID(s): they do not exist or belong to another organisation, so nothing was redelivered for them: ${shortList(lists.dropped, WARNING_IDS)}`,
      ),
    );
  }
  // Appended as core.summary does, without its process-wide cache of the file's path.
  if (context.summaryFile) {
    const summary = context.redactor.redact(renderSummary(outcome, lists, reportFile));
    appendFileSync(context.summaryFile, `${summary}\n`);
  }
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

function writeReportFile(
  outcome: RunOutcome,
  lists: Lists,
  dir: string,
  runId: string,
  redactor: Redactor,
): string | undefined {
  const ledger = outcome.ledger;
  const sections: [string, unknown[] | unknown][] = [
    ['requested', ledger?.requested ?? []],
    ['selected', lists.selected],
    ['created', createdPairs(ledger)],
    ['dropped', lists.dropped],
    ['failed', lists.failed],
    ['failures', ledger?.failures ?? []],
    ['unsent', lists.unsent],
    ['completed', outcome.settle?.completedIds ?? []],
    ['failing', lists.failing],
    ['unsettled', lists.unsettled],
    ['settled', outcome.settle ? [...outcome.settle.final.values()] : []],
    ['dryRun', outcome.settings?.dryRun ?? false],
    ['failure', outcome.failure ?? null],
  ];
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `hindsite-redeliver-${runId}.json`);
    fd = openSync(path, 'w', 0o600);
    const file = fd;
    const write = (text: string): void => void writeSync(file, redactor.redact(text));
    // Written in pieces: on 100,000 IDs one JSON string of everything would double peak memory.
    sections.forEach(([key, value], index) => {
      write(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
      if (!Array.isArray(value)) return write(JSON.stringify(value));
      for (let start = 0; start < value.length || start === 0; start += REPORT_CHUNK) {
        const chunk = JSON.stringify(value.slice(start, start + REPORT_CHUNK)).slice(1, -1);
        write(`${start === 0 ? '[' : chunk ? ',' : ''}${chunk}`);
      }
      write(']');
    });
    write('}\n');
    return path;
  } catch (error) {
    core.warning(`Could not write the report file in ${dir}: ${(error as Error).message}`);
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Each new delivery with the delivery it retries, for the report file. */
function createdPairs(ledger: RedeliveryLedger | undefined): { id: string; originalId?: string }[] {
  if (!ledger) return [];
  const originals = ledger.originalIds;
  return ledger.createdIds.map((id, index) => ({ id, originalId: originals[index] }));
}

/** Markdown cell text: no pipes, no HTML, no line breaks. */
function cell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
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
      `… and ${total - rows.length} more${reportFile ? ` (all of them are in \`${reportFile}\`)` : ''}.`,
    );
  }
  return lines.join('\n');
}

function idBlock(title: string, ids: readonly string[], note: string, reportFile?: string): string {
  if (ids.length === 0) return '';
  const shown = ids
    .slice(0, SUMMARY_ROWS)
    .map((id) => `\`${cell(id)}\``)
    .join(', ');
  const more =
    ids.length > SUMMARY_ROWS
      ? ` … and ${ids.length - SUMMARY_ROWS} more${reportFile ? ` (see \`${reportFile}\`)` : ''}`
      : '';
  return `### ${title} (${ids.length})\n\n${note}\n\n${shown}${more}\n`;
}

function describeSource(selection: Selection): string {
  const source = selection.source;
  switch (source.kind) {
    case 'delivery-ids':
      return `IDs from the \`delivery-ids\` input`;
    case 'delivery-ids-file':
      return `IDs from the file \`${cell(source.path)}\` (\`delivery-ids-file\`)`;
    case 'discovery': {
      const filters = [
        `state \`${source.state}\` (newest delivery of each event)`,
        source.webhookId ? `webhook \`${cell(source.webhookId)}\`` : 'all webhooks',
        source.since
          ? `created since ${source.since.toISOString()}${source.sinceInput && source.sinceInput !== source.since.toISOString() ? ` (\`since: ${cell(source.sinceInput)}\`)` : ''}`
          : 'no time limit',
      ];
      return `discovery through the list API: ${filters.join(', ')}`;
    }
  }
}

export function renderSummary(outcome: RunOutcome, lists: Lists, reportFile?: string): string {
  const dryRun = outcome.settings?.dryRun ?? false;
  const parts: string[] = ['## HINDSITE webhook redelivery', ''];
  if (outcome.failure) parts.push(`❌ **Failed:** ${outcome.failure}`, '');
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
  if (ledger && ledger.createdCount > 0) {
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
        ledger.createdCount,
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
      ledger?.failedIds('unknown') ?? [],
      'Sent, but no answer was confirmed (5xx, timeout, lost connection, unreadable reply): HINDSITE **may** have redelivered them. Check before sending them again.',
      reportFile,
    ),
    idBlock(
      'Failed: refused',
      ledger?.failedIds('rejected') ?? [],
      'Sent and refused by HINDSITE (see the error above): nothing was redelivered for them; safe to send again once the cause is fixed.',
      reportFile,
    ),
    dryRun
      ? ''
      : idBlock(
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
