/**
 * Markdown for the job summary: text from outside shown as written (no markup can start inside it),
 * cells that cannot break a table, code spans that cannot be closed early, and tables that say what
 * they cut.
 */

import { UNPRINTABLE } from '../model/text.js';

/** Text from outside on one line, with no control character left in it. */
function oneLine(text: string): string {
  return text.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(UNPRINTABLE, '\ufffd');
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
export function markdownText(text: string): string {
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
export function cell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return markdownText(String(text));
}

/**
 * `text` as a code span: its fence is longer than any run of backticks inside, so none can close
 * it early, and a space pads a text that starts or ends with a backtick or a space (Markdown drops
 * one space on each side).
 */
export function codeSpan(text: string): string {
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

/** A table of the first rows; `total` counts them all, so that it can say how many it left out. */
export function table(
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
