/** Markdown for the job summary: cells that cannot break a table, and tables that say what they cut. */

/** Markdown cell text: no pipes, no HTML, no line breaks. */
export function cell(text: string | number | null | undefined): string {
  if (text === null || text === undefined || text === '') return '—';
  return String(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
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
      `… and ${total - rows.length} more${reportFile ? ` (all of them are in \`${reportFile}\`)` : ''}.`,
    );
  }
  return lines.join('\n');
}
