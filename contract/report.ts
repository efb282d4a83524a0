/**
 * The contract suite's report: one row per assumption, as a table for people or as JSON. Both are
 * rendered whole and then redacted by the caller, line by line, with the action's Redactor.
 */
import { API_PATHS } from '../src/hindsite/wire.js';
import type { LoggedRequest } from './http.js';
import type { Result } from './observe.js';
import type { Row, SuiteResult } from './suite.js';

export interface Report extends SuiteResult {
  /** The API checked (its base URL). */
  api: string;
  /** Whether it is the sandbox this run started. */
  sandbox: boolean;
  /** The ID redelivered, when the run was asked to make the one bulk call. */
  redeliverId?: string;
  member: boolean;
}

/** 0: every assumption checked holds, or differs only where the action copes; 1: one it relies on differs; 2: the suite could not run. */
export type ExitCode = 0 | 1 | 2;

export function exitCodeOf(result: SuiteResult): ExitCode {
  if (result.fatal && !result.rows.some(isBroken)) return 2;
  return result.rows.some(isBroken) ? 1 : 0;
}

const isBroken = (row: Row): boolean => row.reliedOn && row.result === 'differs';

export function summaryOf(rows: readonly Row[]): Record<Result | 'differsReliedOn', number> {
  const count = (test: (row: Row) => boolean): number => rows.filter(test).length;
  return {
    confirmed: count((row) => row.result === 'confirmed'),
    differs: count((row) => row.result === 'differs'),
    differsReliedOn: count(isBroken),
    'not checked': count((row) => row.result === 'not checked'),
  };
}

export function renderJson(report: Report): string {
  const summary = summaryOf(report.rows);
  return `${JSON.stringify(
    {
      api: report.api,
      sandbox: report.sandbox,
      redeliverId: report.redeliverId ?? null,
      member: report.member,
      exitCode: exitCodeOf(report),
      fatal: report.fatal ?? null,
      summary: {
        confirmed: summary.confirmed,
        differs: summary.differs,
        differsReliedOn: summary.differsReliedOn,
        notChecked: summary['not checked'],
      },
      assumptions: report.rows,
      requests: report.requests,
    },
    null,
    2,
  )}\n`;
}

const COLUMNS = [
  { title: 'Result', width: 11 },
  { title: 'Relied', width: 6 },
  { title: 'Assumption', width: 40 },
  { title: 'The action expects', width: 34 },
  { title: 'Observed', width: 44 },
] as const;

export function renderText(report: Report): string {
  const lines: string[] = [];
  const where = report.sandbox ? `${report.api} (the sandbox, started for this run)` : report.api;
  lines.push('HINDSITE API contract check', `  API:     ${where}`);
  lines.push(
    `  Writes:  ${
      report.redeliverId === undefined
        ? 'none (read-only; --allow-redeliver ID makes one bulk redelivery)'
        : `one bulk call, redelivering ${report.redeliverId} (with one made-up ID)`
    }`,
  );
  lines.push(
    `  Member:  ${report.member ? 'a non-admin client is checked too' : 'HINDSITE_MEMBER_CLIENT_ID not set: the non-admin 403s are not checked'}`,
    '',
  );
  const cells = report.rows.map((row) => [
    row.result === 'differs' && row.reliedOn ? 'DIFFERS' : row.result,
    row.reliedOn ? 'yes' : 'no',
    row.name,
    row.expects,
    row.observed,
  ]);
  lines.push(...table([COLUMNS.map((column) => column.title), ...cells]));
  lines.push('');

  const summary = summaryOf(report.rows);
  lines.push(
    `${report.rows.length} assumptions: ${summary.confirmed} confirmed, ${summary.differs} differ (${summary.differsReliedOn} that the action relies on), ${summary['not checked']} not checked.`,
  );
  const differing = report.rows.filter((row) => row.result === 'differs');
  if (differing.length > 0) {
    lines.push('', 'What differs, and what it means for the action:');
    for (const row of differing) {
      const weight = row.reliedOn ? 'RELIED ON' : 'the action copes';
      lines.push(`  - ${row.name} (${weight}): ${row.why}`);
    }
  }
  if (report.fatal) lines.push('', `Stopped early: ${report.fatal}.`);
  lines.push('', requestsLine(report.requests));
  const verdict = {
    0: 'Every assumption checked that the action relies on holds.',
    1: 'An assumption the action relies on differs: see above (exit status 1).',
    2: 'The check could not run (exit status 2).',
  }[exitCodeOf(report)];
  lines.push(verdict);
  return `${lines.join('\n')}\n`;
}

/** What was sent, by kind; a bulk call says whose it was (a member's carries no IDs). */
function requestsLine(requests: readonly LoggedRequest[]): string {
  const count = (test: (request: LoggedRequest) => boolean): number => requests.filter(test).length;
  const token = (request: LoggedRequest): boolean => request.target.startsWith(API_PATHS.token);
  const bulk = requests.find((request) => request.method === 'POST' && !token(request));
  const parts = [
    plural(count(token), 'token exchange'),
    plural(
      count((request) => request.method === 'GET'),
      'list page',
    ),
    bulk === undefined
      ? 'no bulk call'
      : bulk.as === 'member'
        ? "1 bulk call (the member's, with no IDs)"
        : '1 bulk call (the redelivery)',
  ];
  return `Requests: ${requests.length}: ${parts.join(', ')}.`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Columns of fixed width, long cells wrapped on spaces. */
function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((column) => column.width);
  const out: string[] = [];
  rows.forEach((row, index) => {
    const wrapped = row.map((cell, column) => wrap(cell, widths[column] ?? 20));
    const height = Math.max(...wrapped.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      out.push(
        wrapped
          .map((cell, column) => (cell[line] ?? '').padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    }
    if (index === 0) out.push(widths.map((width) => '─'.repeat(width)).join('  '));
  });
  return out;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
